/*
 * The test TA used by swtee's integration tests (tests/integration) and
 * benchmarks. One source, built as several TAs that differ only in UUID
 * and GP lifecycle flags (see ta/xtest/<variant>/user_ta_header_defines.h).
 */
#ifndef XTEST_TA_H
#define XTEST_TA_H

/* flags 0: a new instance (process) per session */
#define XTEST_TA_MULTI_UUID \
  { 0xc3d4a10d, 0x6a60, 0x4013, { 0x8f, 0x00, 0xfe, 0x33, 0x53, 0x35, 0xab, 0x64 } }
/* SINGLE_INSTANCE | MULTI_SESSION */
#define XTEST_TA_SINGLE_UUID \
  { 0x93b32775, 0x3c1c, 0x4fb9, { 0x8c, 0x43, 0x4e, 0x94, 0xd2, 0x05, 0xe2, 0x03 } }
/* SINGLE_INSTANCE | MULTI_SESSION | INSTANCE_KEEP_ALIVE */
#define XTEST_TA_COUNTER_UUID \
  { 0x43a0b4af, 0x78a4, 0x462a, { 0xb3, 0x5d, 0x7a, 0x49, 0xc0, 0x89, 0xde, 0x47 } }
/* SINGLE_INSTANCE without MULTI_SESSION */
#define XTEST_TA_SINGLE_SESSION_UUID \
  { 0xfe4ecbf5, 0x7e30, 0x4318, { 0xb2, 0xf7, 0x44, 0x6e, 0x76, 0xe6, 0x36, 0x68 } }
/* TA_CreateEntryPoint fails */
#define XTEST_TA_CREATE_FAIL_UUID \
  { 0x24bff5cf, 0x2485, 0x4cb8, { 0xae, 0xa1, 0x8f, 0x4a, 0x21, 0x57, 0xa6, 0x20 } }
/* Signed into build/ta-tamper only; the tamper tests copy and modify it. */
#define XTEST_TA_TAMPER_UUID \
  { 0x50111687, 0x1ddd, 0x4a00, { 0x8c, 0x06, 0x8c, 0x06, 0xd0, 0x32, 0xbc, 0x94 } }

/* Open session: if param 0 is VALUE_INPUT with a == XTEST_OPEN_REFUSE, the
 * TA refuses with TEE_ERROR_ACCESS_DENIED. */
#define XTEST_OPEN_REFUSE 0xdead

enum xtest_cmd {
	/* Nothing at all: the null invoke. */
	XTEST_CMD_NULL = 0,
	/* For each VALUE_INOUT/OUTPUT param i: a = in.a + 1 + i, b = in.b + 2 + i
	 * (OUTPUT params read 0 as input). */
	XTEST_CMD_VALUES = 1,
	/* p0 MEMREF_INPUT, p1 MEMREF_OUTPUT: p1 = reverse(p0). If p1 is too
	 * small: p1.size = p0.size and TEE_ERROR_SHORT_BUFFER. */
	XTEST_CMD_REVERSE = 2,
	/* p0 MEMREF_INOUT: every byte += 1; p0.size = p0.size - p1.value.a if p1 is
	 * VALUE_INPUT (a shrink of the reported size). */
	XTEST_CMD_INC_BYTES = 3,
	/* p0 any memref, p1 VALUE_OUTPUT: a = (buffer == NULL), b = size. */
	XTEST_CMD_MEMREF_INFO = 4,
	/* p0 MEMREF_INPUT, p1 VALUE_OUTPUT: a = byte sum mod 2^32, b = size. */
	XTEST_CMD_SUM = 5,
	/* p3 VALUE_OUTPUT: a = the paramTypes word the TA received. */
	XTEST_CMD_PARAM_TYPES = 6,
	/* TEE_Panic(p0.value.a). */
	XTEST_CMD_PANIC = 7,
	/* Dereference NULL: a crash, not a panic. */
	XTEST_CMD_CRASH = 8,
	/* TEE_Wait(p0.value.a ms); returns what TEE_Wait returned. */
	XTEST_CMD_WAIT = 9,
	/* Spin until TEE_GetCancellationFlag() (at most p0.value.a ms), then
	 * TEE_ERROR_CANCEL; TEE_SUCCESS on timeout. */
	XTEST_CMD_BUSY_UNTIL_CANCEL = 10,
	/* p0 VALUE_OUTPUT: a = sessions opened, b = sessions closed on this
	 * instance since it was created; p1 VALUE_OUTPUT: a = create count. */
	XTEST_CMD_COUNTS = 11,
	/* Returns p0.value.a as the TEE_Result (any code, incl. errors). */
	XTEST_CMD_RETURN = 12,
	/* p0 MEMREF_OUTPUT: fill with the byte p1.value.a, size unchanged. */
	XTEST_CMD_FILL = 13,
	/* Masks cancellation and spins for ever: a TA that never returns. */
	XTEST_CMD_HANG = 14,
	/* p0 MEMREF_INPUT: a NUL-terminated path. Tries to stat it (plain
	 * stat, and fstatat with AT_EMPTY_PATH); p1 VALUE_OUTPUT: a = 1 if any
	 * succeeded, b = the size it saw. */
	XTEST_CMD_STAT_PATH = 15,
	/* p0 MEMREF_INPUT: bytes written to fds 1 and 2; p1 VALUE_OUTPUT: a =
	 * bit mask of what succeeded: 1 write(2), 2 ftruncate(2, 0),
	 * 4 ftruncate(1, 0), 8 close(2). */
	XTEST_CMD_STDIO = 16,
	/* Creates and touches up to p0.value.a MiB of memfd memory in 64 MiB
	 * memfds (kept open); p1 VALUE_OUTPUT: a = MiB reached. Returns
	 * TEE_ERROR_OUT_OF_MEMORY when it could not get all of it. */
	XTEST_CMD_MEMFD_HOG = 17,
	/* p0 any memref: remembers its buffer pointer and size (in a static)
	 * for XTEST_CMD_TOUCH_STASHED, a later call. */
	XTEST_CMD_MEMREF_STASH = 18,
	/* p0 VALUE_INPUT a: 0 reads one byte at the pointer XTEST_CMD_MEMREF_STASH
	 * kept, 1 writes one there; p1 VALUE_OUTPUT: a = the byte read.
	 * TEE_ERROR_BAD_STATE if nothing was stashed. */
	XTEST_CMD_TOUCH_STASHED = 19,
	/* p0 MEMREF_INPUT: writes 0xA5 to its first byte. */
	XTEST_CMD_WRITE_INPUT = 20,
	/* p0 MEMREF_INPUT, p1 VALUE_OUTPUT: a = 0 if mprotect(PROT_READ |
	 * PROT_WRITE) of the buffer's pages succeeded, else errno; b = 1 if some
	 * regular-file fd (0..1023) maps MAP_SHARED read-write at offset 0 with
	 * the memref's first min(size, 16) bytes (0x5A then written to byte 0
	 * of that mapping), else 0. Never writes through the buffer itself. */
	XTEST_CMD_PROTECT_INPUT = 21,
	/* p0 any memref, p1 VALUE_INPUT: a = an offset from the buffer's start,
	 * read (even past the memref's size); p2 VALUE_OUTPUT: a = the byte. */
	XTEST_CMD_READ_BEYOND = 22,
	/* p0 MEMREF_OUTPUT or MEMREF_INOUT: fills it with 0x6B, then tries
	 * ftruncate(fd, 0) on every fd from 3 to 1023; p1 VALUE_OUTPUT: a = how
	 * many of those succeeded. Never touches the buffer after that. */
	XTEST_CMD_SHRINK_OUTPUT = 23,
	/* p0 VALUE_INPUT a: 1 TEE_UnmaskCancellation, else
	 * TEE_MaskCancellation; p1 VALUE_OUTPUT: a = 1 if cancellation was
	 * masked before. Leaves the session's mask as it set it. */
	XTEST_CMD_CANCEL_MASK = 24,
};

#endif
