/*
 * swtee's test TA. Every command exists to let a host-side test observe one
 * behaviour of the stack; see include/xtest_ta.h for the command set.
 */
/* Hostile-tenant commands use the host C library and raw system calls
 * directly, as a malicious TA would. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <user_ta_header_defines.h>
#include <xtest_ta.h>


/* Per instance: counts survive as long as the instance does. */
static uint32_t g_opened;
static uint32_t g_closed;
static uint32_t g_created;
/* XTEST_CMD_MEMREF_STASH: a memref kept past its call. */
static void *g_stash;
static size_t g_stash_size;

TEE_Result TA_CreateEntryPoint(void)
{
#ifdef XTEST_CREATE_FAILS
	return TEE_ERROR_OUT_OF_MEMORY;
#else
	g_created++;
	return TEE_SUCCESS;
#endif
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[4], void **sess_ctx)
{
	*sess_ctx = NULL;
	if (TEE_PARAM_TYPE_GET(param_types, 0) == TEE_PARAM_TYPE_VALUE_INPUT &&
	    params[0].value.a == XTEST_OPEN_REFUSE)
		return TEE_ERROR_ACCESS_DENIED;
	g_opened++;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
	g_closed++;
}

static TEE_Result cmd_values(uint32_t pt, TEE_Param p[4])
{
	for (uint32_t i = 0; i < 4; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(pt, i);

		if (t == TEE_PARAM_TYPE_VALUE_OUTPUT) {
			p[i].value.a = 1 + i;
			p[i].value.b = 2 + i;
		} else if (t == TEE_PARAM_TYPE_VALUE_INOUT) {
			p[i].value.a += 1 + i;
			p[i].value.b += 2 + i;
		}
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_reverse(uint32_t pt, TEE_Param p[4])
{
	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INPUT ||
	    TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_MEMREF_OUTPUT)
		return TEE_ERROR_BAD_PARAMETERS;
	const uint8_t *in = p[0].memref.buffer;
	uint8_t *out = p[1].memref.buffer;
	size_t n = p[0].memref.size;

	if (p[1].memref.size < n) {
		p[1].memref.size = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = in[n - 1 - i];
	p[1].memref.size = n;
	return TEE_SUCCESS;
}

static TEE_Result cmd_inc_bytes(uint32_t pt, TEE_Param p[4])
{
	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INOUT)
		return TEE_ERROR_BAD_PARAMETERS;
	uint8_t *b = p[0].memref.buffer;

	for (size_t i = 0; i < p[0].memref.size; i++)
		b[i]++;
	if (TEE_PARAM_TYPE_GET(pt, 1) == TEE_PARAM_TYPE_VALUE_INPUT &&
	    p[1].value.a <= p[0].memref.size)
		p[0].memref.size -= p[1].value.a;
	return TEE_SUCCESS;
}

static int is_memref(uint32_t t)
{
	return t == TEE_PARAM_TYPE_MEMREF_INPUT || t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
	       t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

static TEE_Result cmd_memref_info(uint32_t pt, TEE_Param p[4])
{
	if (!is_memref(TEE_PARAM_TYPE_GET(pt, 0)) ||
	    TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_VALUE_OUTPUT)
		return TEE_ERROR_BAD_PARAMETERS;
	p[1].value.a = p[0].memref.buffer == NULL;
	p[1].value.b = (uint32_t)p[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result cmd_sum(uint32_t pt, TEE_Param p[4])
{
	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INPUT ||
	    TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_VALUE_OUTPUT)
		return TEE_ERROR_BAD_PARAMETERS;
	const uint8_t *b = p[0].memref.buffer;
	uint32_t sum = 0;

	for (size_t i = 0; i < p[0].memref.size; i++)
		sum += b[i];
	p[1].value.a = sum;
	p[1].value.b = (uint32_t)p[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result cmd_busy_until_cancel(uint32_t pt, TEE_Param p[4])
{
	TEE_Time start, now;

	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_VALUE_INPUT)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_UnmaskCancellation();
	TEE_GetSystemTime(&start);
	for (;;) {
		if (TEE_GetCancellationFlag())
			return TEE_ERROR_CANCEL;
		TEE_GetSystemTime(&now);
		uint64_t el = (uint64_t)(now.seconds - start.seconds) * 1000 + now.millis - start.millis;
		if (el >= p[0].value.a)
			return TEE_SUCCESS;
	}
}

static TEE_Result cmd_hang(void)
{
	volatile uint64_t spins = 0;

	TEE_MaskCancellation();
	for (;;)
		spins++;
	return TEE_SUCCESS;
}

static TEE_Result cmd_stat_path(uint32_t pt, TEE_Param p[4])
{
	struct stat st;
	const char *path = p[0].memref.buffer;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
	    !p[0].memref.size || path[p[0].memref.size - 1] != '\0')
		return TEE_ERROR_BAD_PARAMETERS;
	p[1].value.a = 0;
	p[1].value.b = 0;
	if (stat(path, &st) == 0 ||
	    syscall(SYS_newfstatat, AT_FDCWD, path, &st, AT_EMPTY_PATH) == 0 ||
	    syscall(SYS_newfstatat, 2, path, &st, AT_EMPTY_PATH) == 0) {
		p[1].value.a = 1;
		p[1].value.b = (uint32_t)st.st_size;
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_stdio(uint32_t pt, TEE_Param p[4])
{
	uint32_t done = 0;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	(void)!write(1, p[0].memref.buffer, p[0].memref.size);
	if (write(2, p[0].memref.buffer, p[0].memref.size) >= 0)
		done |= 1;
	if (ftruncate(2, 0) == 0)
		done |= 2;
	if (ftruncate(1, 0) == 0)
		done |= 4;
	if (close(2) == 0)
		done |= 8;
	p[1].value.a = done;
	return TEE_SUCCESS;
}

static TEE_Result cmd_memfd_hog(uint32_t pt, TEE_Param p[4])
{
	const size_t chunk = 64u << 20;
	uint32_t mib = 0;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	while (mib < p[0].value.a) {
		int fd = memfd_create("hog", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		unsigned char *m;
		size_t i;

		if (fd < 0 || ftruncate(fd, (off_t)chunk) != 0)
			break;
		m = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			break;
		for (i = 0; i < chunk; i += 4096)
			m[i] = 1;
		munmap(m, chunk);
		mib += 64;
		p[1].value.a = mib;
	}
	p[1].value.a = mib;
	return mib >= p[0].value.a ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
}

static TEE_Result cmd_memref_stash(uint32_t pt, TEE_Param p[4])
{
	if (!is_memref(TEE_PARAM_TYPE_GET(pt, 0)))
		return TEE_ERROR_BAD_PARAMETERS;
	g_stash = p[0].memref.buffer;
	g_stash_size = p[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result cmd_touch_stashed(uint32_t pt, TEE_Param p[4])
{
	volatile uint8_t *b = g_stash;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (!b || !g_stash_size)
		return TEE_ERROR_BAD_STATE;
	if (p[0].value.a == 1) {
		b[0] = 0xA5;
		p[1].value.a = 0;
	} else {
		p[1].value.a = b[0];
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_write_input(uint32_t pt, TEE_Param p[4])
{
	volatile uint8_t *b = p[0].memref.buffer;

	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INPUT ||
	    !b || !p[0].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	b[0] = 0xA5;
	return TEE_SUCCESS;
}

/* 1 if some regular-file fd maps read-write, shared, with the memref's
 * first bytes at offset 0; writes 0x5A to byte 0 of that mapping. */
static uint32_t remap_memref_fd(const uint8_t *buf, size_t size)
{
	size_t n = size < 16 ? size : 16;
	long page = sysconf(_SC_PAGESIZE);
	int fd;

	if (!n)
		return 0;
	for (fd = 0; fd < 1024; fd++) {
		struct stat st;
		uint8_t *m;
		size_t len;

		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)n)
			continue;
		len = (size_t)page;
		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			continue;
		if (!TEE_MemCompare(m, buf, n)) {
			((volatile uint8_t *)m)[0] = 0x5A;
			munmap(m, len);
			return 1;
		}
		munmap(m, len);
	}
	return 0;
}

static TEE_Result cmd_protect_input(uint32_t pt, TEE_Param p[4])
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start, end;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
	    !p[0].memref.buffer || !p[0].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	start = (uintptr_t)p[0].memref.buffer & ~(page - 1);
	end = ((uintptr_t)p[0].memref.buffer + p[0].memref.size + page - 1) & ~(page - 1);
	if (mprotect((void *)start, end - start, PROT_READ | PROT_WRITE) == 0)
		p[1].value.a = 0;
	else
		p[1].value.a = errno ? (uint32_t)errno : 1;
	p[1].value.b = remap_memref_fd(p[0].memref.buffer, p[0].memref.size);
	return TEE_SUCCESS;
}

static TEE_Result cmd_read_beyond(uint32_t pt, TEE_Param p[4])
{
	volatile const uint8_t *b = p[0].memref.buffer;

	if (!is_memref(TEE_PARAM_TYPE_GET(pt, 0)) ||
	    TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_VALUE_INPUT ||
	    TEE_PARAM_TYPE_GET(pt, 2) != TEE_PARAM_TYPE_VALUE_OUTPUT || !b)
		return TEE_ERROR_BAD_PARAMETERS;
	p[2].value.a = b[p[1].value.a];
	return TEE_SUCCESS;
}

static TEE_Result cmd_shrink_output(uint32_t pt, TEE_Param p[4])
{
	uint32_t shrunk = 0;
	int fd;

	if ((TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_OUTPUT &&
	     TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INOUT) ||
	    TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_VALUE_OUTPUT || !p[0].memref.buffer)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_MemFill(p[0].memref.buffer, 0x6B, p[0].memref.size);
	for (fd = 3; fd < 1024; fd++)
		if (ftruncate(fd, 0) == 0)
			shrunk++;
	p[1].value.a = shrunk;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd, uint32_t pt, TEE_Param p[4])
{
	(void)sess_ctx;
	switch (cmd) {
	case XTEST_CMD_NULL:
		return TEE_SUCCESS;
	case XTEST_CMD_VALUES:
		return cmd_values(pt, p);
	case XTEST_CMD_REVERSE:
		return cmd_reverse(pt, p);
	case XTEST_CMD_INC_BYTES:
		return cmd_inc_bytes(pt, p);
	case XTEST_CMD_MEMREF_INFO:
		return cmd_memref_info(pt, p);
	case XTEST_CMD_SUM:
		return cmd_sum(pt, p);
	case XTEST_CMD_PARAM_TYPES:
		if (TEE_PARAM_TYPE_GET(pt, 3) != TEE_PARAM_TYPE_VALUE_OUTPUT)
			return TEE_ERROR_BAD_PARAMETERS;
		p[3].value.a = pt;
		return TEE_SUCCESS;
	case XTEST_CMD_PANIC:
		TEE_Panic(TEE_PARAM_TYPE_GET(pt, 0) == TEE_PARAM_TYPE_VALUE_INPUT ? p[0].value.a : 0);
		return TEE_ERROR_GENERIC; /* not reached */
	case XTEST_CMD_CRASH: {
		volatile int *volatile nowhere = NULL;

		*nowhere = 1;
		return TEE_ERROR_GENERIC;
	}
	case XTEST_CMD_WAIT:
		if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_VALUE_INPUT)
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_UnmaskCancellation();
		return TEE_Wait(p[0].value.a);
	case XTEST_CMD_BUSY_UNTIL_CANCEL:
		return cmd_busy_until_cancel(pt, p);
	case XTEST_CMD_CANCEL_MASK:
		if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
					  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		p[1].value.a = p[0].value.a == 1 ? TEE_UnmaskCancellation() : TEE_MaskCancellation();
		return TEE_SUCCESS;
	case XTEST_CMD_HANG:
		return cmd_hang();
	case XTEST_CMD_STAT_PATH:
		return cmd_stat_path(pt, p);
	case XTEST_CMD_STDIO:
		return cmd_stdio(pt, p);
	case XTEST_CMD_MEMFD_HOG:
		return cmd_memfd_hog(pt, p);
	case XTEST_CMD_MEMREF_STASH:
		return cmd_memref_stash(pt, p);
	case XTEST_CMD_TOUCH_STASHED:
		return cmd_touch_stashed(pt, p);
	case XTEST_CMD_WRITE_INPUT:
		return cmd_write_input(pt, p);
	case XTEST_CMD_PROTECT_INPUT:
		return cmd_protect_input(pt, p);
	case XTEST_CMD_READ_BEYOND:
		return cmd_read_beyond(pt, p);
	case XTEST_CMD_SHRINK_OUTPUT:
		return cmd_shrink_output(pt, p);
	case XTEST_CMD_COUNTS:
		if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_VALUE_OUTPUT)
			return TEE_ERROR_BAD_PARAMETERS;
		p[0].value.a = g_opened;
		p[0].value.b = g_closed;
		if (TEE_PARAM_TYPE_GET(pt, 1) == TEE_PARAM_TYPE_VALUE_OUTPUT)
			p[1].value.a = g_created;
		return TEE_SUCCESS;
	case XTEST_CMD_RETURN:
		if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_VALUE_INPUT)
			return TEE_ERROR_BAD_PARAMETERS;
		return p[0].value.a;
	case XTEST_CMD_FILL:
		if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_OUTPUT ||
		    TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_VALUE_INPUT)
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_MemFill(p[0].memref.buffer, (int)p[1].value.a, p[0].memref.size);
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
