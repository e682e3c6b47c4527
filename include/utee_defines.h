/*
 * Helpers OP-TEE TAs commonly take from libutee's utee_defines.h (swtee TA
 * SDK): digest and block sizes, algorithm-identifier fields, byte order.
 */
#ifndef SWTEE_UTEE_DEFINES_H
#define SWTEE_UTEE_DEFINES_H

#include <stdint.h>

#include "compiler.h"
#include "types_ext.h"

#include "tee_api_defines.h"

/* Digest sizes in bytes. */
#define TEE_MD5_HASH_SIZE 16
#define TEE_SHA1_HASH_SIZE 20
#define TEE_SHA224_HASH_SIZE 28
#define TEE_SHA256_HASH_SIZE 32
#define TEE_SM3_HASH_SIZE 32
#define TEE_SHA384_HASH_SIZE 48
#define TEE_SHA512_HASH_SIZE 64
#define TEE_SHA3_224_HASH_SIZE 28
#define TEE_SHA3_256_HASH_SIZE 32
#define TEE_SHA3_384_HASH_SIZE 48
#define TEE_SHA3_512_HASH_SIZE 64
#define TEE_MD5SHA1_HASH_SIZE (TEE_MD5_HASH_SIZE + TEE_SHA1_HASH_SIZE)
#define TEE_MAX_HASH_SIZE 64

/* Block and key sizes in bytes. */
#define TEE_AES_BLOCK_SIZE 16UL
#define TEE_DES_BLOCK_SIZE 8UL
#define TEE_SM4_BLOCK_SIZE 16UL
#define TEE_AES_MAX_KEY_SIZE 32UL

/* Fields of a TEE_ALG_* identifier (GP table "structure of algorithm id"). */
#define TEE_ALG_GET_CLASS(algo) (((uint32_t)(algo) >> 28) & 0xFU)
#define TEE_ALG_GET_MAIN_ALG(algo) ((uint32_t)(algo) & 0xFFU)
#define TEE_ALG_GET_CHAIN_MODE(algo) (((uint32_t)(algo) >> 8) & 0xFU)
#define TEE_ALG_GET_DIGEST_HASH(algo) (((uint32_t)(algo) >> 12) & 0xFU)
#define TEE_ALG_GET_INTERNAL_HASH(algo) (((uint32_t)(algo) >> 20) & 0x7U)

/* Byte order (TAs run little-endian on every swtee host). */
#define TEE_U16_BSWAP(x) __builtin_bswap16((uint16_t)(x))
#define TEE_U32_BSWAP(x) __builtin_bswap32((uint32_t)(x))
#define TEE_U64_BSWAP(x) __builtin_bswap64((uint64_t)(x))
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEE_U16_TO_BIG_ENDIAN(x) TEE_U16_BSWAP(x)
#define TEE_U16_FROM_BIG_ENDIAN(x) TEE_U16_BSWAP(x)
#define TEE_U32_TO_BIG_ENDIAN(x) TEE_U32_BSWAP(x)
#define TEE_U32_FROM_BIG_ENDIAN(x) TEE_U32_BSWAP(x)
#define TEE_U64_TO_BIG_ENDIAN(x) TEE_U64_BSWAP(x)
#define TEE_U64_FROM_BIG_ENDIAN(x) TEE_U64_BSWAP(x)
#else
#define TEE_U16_TO_BIG_ENDIAN(x) ((uint16_t)(x))
#define TEE_U16_FROM_BIG_ENDIAN(x) ((uint16_t)(x))
#define TEE_U32_TO_BIG_ENDIAN(x) ((uint32_t)(x))
#define TEE_U32_FROM_BIG_ENDIAN(x) ((uint32_t)(x))
#define TEE_U64_TO_BIG_ENDIAN(x) ((uint64_t)(x))
#define TEE_U64_FROM_BIG_ENDIAN(x) ((uint64_t)(x))
#endif

#endif /* SWTEE_UTEE_DEFINES_H */
