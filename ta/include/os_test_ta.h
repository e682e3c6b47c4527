/*
 * os_test TA: exercises the GP Internal Core API families the runtime
 * implements itself (properties, memory, cancellation, time, panics,
 * TEE_BigInt) for tests/integration/regression_1100.cc.
 *
 * Shared between the TA and the host test; plain C.
 */
#ifndef OS_TEST_TA_H
#define OS_TEST_TA_H

#define OS_TEST_TA_UUID \
  { 0xf2a6c0d4, 0x7b38, 0x4e51, { 0x9a, 0x0c, 0x3d, 0x1e, 0x5b, 0x7f, 0x9a, 0x24 } }

/* TA_DATA_SIZE of os_test: small, so the heap limit is reachable. */
#define OS_TEST_DATA_SIZE (48 * 1024)

/* Extension properties (TA_CURRENT_TA_EXT_PROPERTIES). */
#define OS_TEST_PROP_BOOL_NAME "org.swtee.os_test.bool"
#define OS_TEST_PROP_U32_NAME "org.swtee.os_test.u32"
#define OS_TEST_PROP_U32_VALUE 0xdeadbeefu
#define OS_TEST_PROP_U64_NAME "org.swtee.os_test.u64"
#define OS_TEST_PROP_U64_VALUE 0x0123456789abcdefull
#define OS_TEST_PROP_UUID_NAME "org.swtee.os_test.uuid"
#define OS_TEST_PROP_IDENTITY_NAME "org.swtee.os_test.identity"
#define OS_TEST_PROP_STRING_NAME "org.swtee.os_test.string"
#define OS_TEST_PROP_STRING_VALUE "swtee os_test"
#define OS_TEST_PROP_BINARY_NAME "org.swtee.os_test.binary"
#define OS_TEST_PROP_BINARY_VALUE "AQIDBAU=" /* 01 02 03 04 05 */
#define OS_TEST_PROP_STRU32_NAME "org.swtee.os_test.string_u32"
#define OS_TEST_PROP_STRU32_VALUE "0x2a"

/* Property sets (value.a of GET_PROP / ENUM_PROPS). */
#define OS_TEST_SET_TA 0
#define OS_TEST_SET_CLIENT 1
#define OS_TEST_SET_IMPL 2
#define OS_TEST_SET_BAD 3 /* a bogus handle: the TA panics */

/* Getter kinds (value.b of GET_PROP). */
#define OS_TEST_AS_STRING 0
#define OS_TEST_AS_BOOL 1
#define OS_TEST_AS_U32 2
#define OS_TEST_AS_U64 3
#define OS_TEST_AS_BINARY 4
#define OS_TEST_AS_UUID 5
#define OS_TEST_AS_IDENTITY 6

/*
 * GET_PROP: [in] value a=set b=kind; [in] memref name (NUL-terminated);
 * [out] memref value (string/binary: the property; bool: 1 byte; u32/u64:
 * native integer; UUID: TEE_UUID; identity: TEE_Identity). Returns the
 * getter's result; on SHORT_BUFFER the memref size is the size needed.
 */
#define OS_TEST_CMD_GET_PROP 0
/* ENUM_PROPS: [in] value a=set; [out] memref "name=value\n"... */
#define OS_TEST_CMD_ENUM_PROPS 1

/* CHECK_ACCESS regions (value.a). */
#define OS_TEST_REGION_STACK 0
#define OS_TEST_REGION_HEAP 1   /* a TEE_Malloc block */
#define OS_TEST_REGION_RODATA 2
#define OS_TEST_REGION_DATA 3   /* a writable global */
#define OS_TEST_REGION_PARAM 4  /* params[1]: the client's memref */
#define OS_TEST_REGION_CODE 5
#define OS_TEST_REGION_NULL 6
#define OS_TEST_REGION_WRAP 7   /* a buffer whose end wraps around */
/*
 * CHECK_ACCESS: [in] value a=region b=access flags; [any] memref (for
 * REGION_PARAM); [out] value a = TEE_CheckMemoryAccessRights result.
 */
#define OS_TEST_CMD_CHECK_ACCESS 2

/*
 * INSTANCE_DATA: [inout] value a=op b=value. op 0: store b as the
 * instance data (a TEE_Malloc'd counter); op 1: b = stored value, then
 * increment it; op 2: b = 1 when instance data is set.
 */
#define OS_TEST_CMD_INSTANCE_DATA 3

/*
 * HEAP: TEE_Malloc/Realloc/Free against TA_DATA_SIZE inside the TA.
 * [out] value a = 1 KiB blocks obtained before NULL, b = first failed
 * check (0: none). TEE_SUCCESS when every check passed.
 */
#define OS_TEST_CMD_HEAP 4
/* MEM_FUNCS: TEE_MemMove/MemCompare/MemFill. [out] value b = failed check. */
#define OS_TEST_CMD_MEM_FUNCS 5
/*
 * PLAIN_MALLOC: plain malloc() of 64 MiB blocks (never touched) until NULL,
 * at most 64 of them, then free. [out] value a = blocks obtained.
 */
#define OS_TEST_CMD_PLAIN_MALLOC 6

/*
 * WAIT: [in] value a = timeout ms (0xFFFFFFFF: infinite), b = 1 to unmask
 * cancellation first; [out] value a = elapsed ms (TEE_GetSystemTime),
 * b = bit0 TEE_GetCancellationFlag() after the wait, bit1 the flag after
 * unmasking. Returns TEE_Wait's result.
 */
#define OS_TEST_CMD_WAIT 7
/*
 * SYSTEM_TIME: [in] value a = ms to TEE_Wait between two readings;
 * [out] value first (a=seconds, b=millis); [out] value second.
 */
#define OS_TEST_CMD_SYSTEM_TIME 8

/* PANIC reasons (value.a). */
#define OS_TEST_PANIC_PROP_HANDLE 0   /* TEE_GetPropertyAsU32 on a bogus handle */
#define OS_TEST_PANIC_PROP_NULL_VALUE 1
#define OS_TEST_PANIC_ENUM_FREE 2     /* free a bogus enumerator */
#define OS_TEST_PANIC_ENUM_START 3    /* start on a non-pseudo handle */
#define OS_TEST_PANIC_BIGINT_DIV0 4   /* TEE_BigIntDiv by zero */
#define OS_TEST_PANIC_BIGINT_UNINIT 5 /* an uninitialised bignum */
#define OS_TEST_PANIC_BIGINT_MOD1 6   /* modulus below 2 */
#define OS_TEST_PANIC_TIME_NULL 7     /* TEE_GetSystemTime(NULL) */
#define OS_TEST_PANIC_MEMMOVE_NULL 8
#define OS_TEST_PANIC_EXPLICIT 9      /* TEE_Panic(value.b) */
#define OS_TEST_PANIC_COUNT 10
/* PANIC: [in] value a = reason, b = code for OS_TEST_PANIC_EXPLICIT. */
#define OS_TEST_CMD_PANIC 9

/* BIGINT operations (value.a). */
#define OS_TEST_BN_ADD 0      /* a + b */
#define OS_TEST_BN_SUB 1      /* a - b */
#define OS_TEST_BN_MUL 2      /* a * b */
#define OS_TEST_BN_SQUARE 3   /* a * a */
#define OS_TEST_BN_NEG 4      /* -a */
#define OS_TEST_BN_DIV 5      /* q, r of a / b (GP: truncated, r has a's sign) */
#define OS_TEST_BN_MOD 6      /* a mod n, in [0, n) */
#define OS_TEST_BN_ADDMOD 7   /* (a + b) mod n */
#define OS_TEST_BN_SUBMOD 8
#define OS_TEST_BN_MULMOD 9
#define OS_TEST_BN_SQUAREMOD 10
#define OS_TEST_BN_INVMOD 11  /* a^-1 mod n */
#define OS_TEST_BN_EXPMOD 12  /* a^b mod n (n odd) */
#define OS_TEST_BN_GCD 13     /* gcd, u, v with a*u + b*v = gcd; extra = RelativePrime */
#define OS_TEST_BN_CMP 14     /* extra = sign of Cmp(a, b) (+1/0/-1 as uint32) */
#define OS_TEST_BN_SHIFT 15   /* a >> extra_in bits (value[3].a on input) */
#define OS_TEST_BN_PRIME 16   /* extra = IsProbablePrime(a, 80) */
#define OS_TEST_BN_FMM 17     /* a * b mod n through the FMM functions */
#define OS_TEST_BN_BITS 18    /* extra = GetBitCount(a); result = a with bit extra_in set */
/*
 * BIGINT: [in] value a=op; [in] memref operands; [out] memref results;
 * [inout] value a = extra (in: shift/bit argument; out: cmp/bool/count).
 * Operands and results are records: u32 sign (0 or 1), u32 length,
 * big-endian magnitude bytes; operands a, b, n in that order.
 */
#define OS_TEST_CMD_BIGINT 10

#endif /* OS_TEST_TA_H */
