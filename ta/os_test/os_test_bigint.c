/* os_test: TEE_BigInt through the TA, one operation per call. */
#include <stdint.h>
#include <string.h>

#include <tee_internal_api.h>

#include <os_test_ta.h>

#include "os_test_priv.h"

#define OPERAND_BITS 4096
#define RESULT_BITS (2 * OPERAND_BITS)
#define BN_WORDS TEE_BigIntSizeInU32(RESULT_BITS)
#define MAX_OPERAND_BYTES (OPERAND_BITS / 8)

struct bn_ctx {
	TEE_BigInt *v[7]; /* a, b, n, r0, r1, r2, scratch */
};

static void bn_free(struct bn_ctx *c)
{
	size_t i;

	for (i = 0; i < sizeof(c->v) / sizeof(c->v[0]); i++)
		TEE_Free(c->v[i]);
}

static TEE_Result bn_alloc(struct bn_ctx *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(c->v) / sizeof(c->v[0]); i++) {
		c->v[i] = TEE_Malloc(BN_WORDS * sizeof(uint32_t), TEE_MALLOC_FILL_ZERO);
		if (!c->v[i]) {
			bn_free(c);
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		TEE_BigIntInit(c->v[i], BN_WORDS);
	}
	return TEE_SUCCESS;
}

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Reads one operand record at *off of [in, in + len). */
static TEE_Result read_operand(const uint8_t *in, size_t len, size_t *off, TEE_BigInt *dest)
{
	uint32_t sign;
	uint32_t n;

	if (len - *off < 8)
		return TEE_ERROR_BAD_PARAMETERS;
	sign = get_u32(in + *off);
	n = get_u32(in + *off + 4);
	*off += 8;
	if (n > MAX_OPERAND_BYTES || n > len - *off || sign > 1)
		return TEE_ERROR_BAD_PARAMETERS;
	if (TEE_BigIntConvertFromOctetString(dest, in + *off, n, sign ? -1 : 1) != TEE_SUCCESS)
		return TEE_ERROR_BAD_PARAMETERS;
	*off += n;
	return TEE_SUCCESS;
}

/* Appends one result record to the output memref. */
static TEE_Result write_result(TEE_Param *out, size_t *off, const TEE_BigInt *v)
{
	uint8_t *buf = out->memref.buffer;
	size_t n = RESULT_BITS / 8;
	uint32_t sign = TEE_BigIntCmpS32(v, 0) < 0 ? 1 : 0;
	uint32_t len32;

	if (out->memref.size < *off + 8)
		return TEE_ERROR_SHORT_BUFFER;
	n = out->memref.size - *off - 8;
	if (TEE_BigIntConvertToOctetString(buf + *off + 8, &n, v) != TEE_SUCCESS)
		return TEE_ERROR_SHORT_BUFFER;
	len32 = (uint32_t)n;
	memcpy(buf + *off, &sign, sizeof(sign));
	memcpy(buf + *off + 4, &len32, sizeof(len32));
	*off += 8 + n;
	return TEE_SUCCESS;
}

static TEE_Result fmm_mul(struct bn_ctx *c)
{
	TEE_BigInt *a = c->v[0], *b = c->v[1], *n = c->v[2];
	size_t bits = TEE_BigIntGetBitCount(n);
	size_t ctx_words = TEE_BigIntFMMContextSizeInU32(bits);
	size_t fmm_words = TEE_BigIntFMMSizeInU32(bits);
	TEE_BigIntFMMContext *ctx = TEE_Malloc(ctx_words * sizeof(uint32_t), 0);
	TEE_BigIntFMM *x = TEE_Malloc(fmm_words * sizeof(uint32_t), 0);
	TEE_BigIntFMM *y = TEE_Malloc(fmm_words * sizeof(uint32_t), 0);
	TEE_BigIntFMM *z = TEE_Malloc(fmm_words * sizeof(uint32_t), 0);
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	if (!ctx || !x || !y || !z)
		goto out;
	res = TEE_BigIntInitFMMContext1(ctx, ctx_words, n);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_BigIntInitFMM(x, fmm_words);
	TEE_BigIntInitFMM(y, fmm_words);
	TEE_BigIntInitFMM(z, fmm_words);
	TEE_BigIntConvertToFMM(x, a, n, ctx);
	TEE_BigIntConvertToFMM(y, b, n, ctx);
	TEE_BigIntComputeFMM(z, x, y, n, ctx);
	TEE_BigIntConvertFromFMM(c->v[3], z, n, ctx);
out:
	TEE_Free(ctx);
	TEE_Free(x);
	TEE_Free(y);
	TEE_Free(z);
	return res;
}

/*
 * The operations with one result r0 and no status, by operand form:
 * r0 = f(a), r0 = f(a, b), r0 = f(a, n) and r0 = f(a, b, n).
 */
enum bn_form { BN_A, BN_AB, BN_AN, BN_ABN };

typedef void (*bn_fn1)(TEE_BigInt *, const TEE_BigInt *);
typedef void (*bn_fn2)(TEE_BigInt *, const TEE_BigInt *, const TEE_BigInt *);
typedef void (*bn_fn3)(TEE_BigInt *, const TEE_BigInt *, const TEE_BigInt *, const TEE_BigInt *);

static const struct bn_simple {
	uint32_t op;
	enum bn_form form;
	bn_fn1 f1;
	bn_fn2 f2;
	bn_fn3 f3;
} g_simple[] = {
	{ OS_TEST_BN_ADD, BN_AB, NULL, TEE_BigIntAdd, NULL },
	{ OS_TEST_BN_SUB, BN_AB, NULL, TEE_BigIntSub, NULL },
	{ OS_TEST_BN_MUL, BN_AB, NULL, TEE_BigIntMul, NULL },
	{ OS_TEST_BN_SQUARE, BN_A, TEE_BigIntSquare, NULL, NULL },
	{ OS_TEST_BN_NEG, BN_A, TEE_BigIntNeg, NULL, NULL },
	{ OS_TEST_BN_MOD, BN_AN, NULL, TEE_BigIntMod, NULL },
	{ OS_TEST_BN_SQUAREMOD, BN_AN, NULL, TEE_BigIntSquareMod, NULL },
	{ OS_TEST_BN_INVMOD, BN_AN, NULL, TEE_BigIntInvMod, NULL },
	{ OS_TEST_BN_ADDMOD, BN_ABN, NULL, NULL, TEE_BigIntAddMod },
	{ OS_TEST_BN_SUBMOD, BN_ABN, NULL, NULL, TEE_BigIntSubMod },
	{ OS_TEST_BN_MULMOD, BN_ABN, NULL, NULL, TEE_BigIntMulMod },
};

/* Runs a g_simple entry on the operands of `c`; false if `op` is not one. */
static int run_simple(struct bn_ctx *c, uint32_t op)
{
	TEE_BigInt *a = c->v[0], *b = c->v[1], *n = c->v[2], *r0 = c->v[3];
	size_t i;

	for (i = 0; i < sizeof(g_simple) / sizeof(g_simple[0]); i++) {
		const struct bn_simple *e = &g_simple[i];

		if (e->op != op)
			continue;
		switch (e->form) {
		case BN_A:
			e->f1(r0, a);
			return 1;
		case BN_AB:
			e->f2(r0, a, b);
			return 1;
		case BN_AN:
			e->f2(r0, a, n);
			return 1;
		case BN_ABN:
			e->f3(r0, a, b, n);
			return 1;
		}
	}
	return 0;
}

/* Runs `op`; fills results r0.. and *extra; returns how many results. */
static TEE_Result run(struct bn_ctx *c, uint32_t op, uint32_t *extra, size_t *nres)
{
	TEE_BigInt *a = c->v[0], *b = c->v[1], *n = c->v[2];
	TEE_BigInt *r0 = c->v[3], *r1 = c->v[4], *r2 = c->v[5];
	int32_t cmp;

	*nres = 1;
	if (run_simple(c, op))
		return TEE_SUCCESS;
	switch (op) {
	case OS_TEST_BN_DIV:
		TEE_BigIntDiv(r0, r1, a, b);
		*nres = 2;
		return TEE_SUCCESS;
	case OS_TEST_BN_EXPMOD:
		return TEE_BigIntExpMod(r0, a, b, n, NULL);
	case OS_TEST_BN_GCD:
		TEE_BigIntComputeExtendedGcd(r0, r1, r2, a, b);
		*extra = TEE_BigIntRelativePrime(a, b) ? 1 : 0;
		*nres = 3;
		return TEE_SUCCESS;
	case OS_TEST_BN_CMP:
		cmp = TEE_BigIntCmp(a, b);
		*extra = (uint32_t)(cmp > 0 ? 1 : cmp < 0 ? -1 : 0);
		*nres = 0;
		return TEE_SUCCESS;
	case OS_TEST_BN_SHIFT:
		TEE_BigIntShiftRight(r0, a, *extra);
		return TEE_SUCCESS;
	case OS_TEST_BN_PRIME:
		*extra = (uint32_t)TEE_BigIntIsProbablePrime(a, 80);
		*nres = 0;
		return TEE_SUCCESS;
	case OS_TEST_BN_FMM:
		return fmm_mul(c);
	case OS_TEST_BN_BITS: {
		uint32_t bit = *extra;
		TEE_Result res;

		*extra = TEE_BigIntGetBitCount(a);
		res = TEE_BigIntAssign(r0, a);
		if (res != TEE_SUCCESS)
			return res;
		return TEE_BigIntSetBit(r0, bit, true);
	}
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}

TEE_Result os_test_bigint(uint32_t types, TEE_Param params[4])
{
	struct bn_ctx c;
	const uint8_t *in = params[1].memref.buffer;
	size_t in_len = params[1].memref.size;
	size_t off = 0;
	size_t nres = 0;
	size_t i;
	uint32_t extra = params[3].value.a;
	TEE_Result res;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_VALUE_INOUT))
		return TEE_ERROR_BAD_PARAMETERS;
	res = bn_alloc(&c);
	if (res != TEE_SUCCESS)
		return res;
	for (i = 0; i < 3 && res == TEE_SUCCESS; i++)
		res = read_operand(in, in_len, &off, c.v[i]);
	if (res == TEE_SUCCESS)
		res = run(&c, params[0].value.a, &extra, &nres);
	off = 0;
	for (i = 0; i < nres && res == TEE_SUCCESS; i++)
		res = write_result(&params[2], &off, c.v[3 + i]);
	if (res == TEE_SUCCESS) {
		params[2].memref.size = off;
		params[3].value.a = extra;
	}
	bn_free(&c);
	return res;
}

void os_test_bigint_panic(uint32_t reason)
{
	uint32_t q[TEE_BigIntSizeInU32(64)];
	uint32_t r[TEE_BigIntSizeInU32(64)];
	uint32_t x[TEE_BigIntSizeInU32(64)];
	uint32_t junk[TEE_BigIntSizeInU32(64)];

	TEE_BigIntInit(q, TEE_BigIntSizeInU32(64));
	TEE_BigIntInit(r, TEE_BigIntSizeInU32(64));
	TEE_BigIntInit(x, TEE_BigIntSizeInU32(64));
	TEE_BigIntConvertFromS32(x, 12345);
	switch (reason) {
	case OS_TEST_PANIC_BIGINT_DIV0:
		TEE_BigIntConvertFromS32(r, 0);
		TEE_BigIntDiv(q, NULL, x, r);
		break;
	case OS_TEST_PANIC_BIGINT_UNINIT:
		memset(junk, 0xA5, sizeof(junk));
		(void)TEE_BigIntCmp(junk, x);
		break;
	case OS_TEST_PANIC_BIGINT_MOD1:
		TEE_BigIntConvertFromS32(r, 1);
		TEE_BigIntMod(q, x, r);
		break;
	default:
		break;
	}
}
