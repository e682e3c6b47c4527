/*
 * OP-TEE extensions to the GP constants (swtee TA SDK): identifiers outside
 * the GP specification that OP-TEE TAs and xtest use. Values match OP-TEE.
 */
#ifndef SWTEE_TEE_API_DEFINES_EXTENSIONS_H
#define SWTEE_TEE_API_DEFINES_EXTENSIONS_H

/* ---- Return codes used by drivers and the core --------------------------- */
#define TEE_ERROR_DEFER_DRIVER_INIT 0x80000000
#define TEE_ERROR_NODE_DISABLED 0x80000001

/* ---- Logins ----------------------------------------------------------------- */
#define TEE_LOGIN_REE_KERNEL 0x80000000

/* ---- Storage identifiers ------------------------------------------------------ */
#define TEE_STORAGE_PRIVATE_REE 0x80000000
#define TEE_STORAGE_PRIVATE_RPMB 0x80000100
#define TEE_STORAGE_PRIVATE_SQL_RESERVED 0x80000200

/* ---- Memory access rights ------------------------------------------------------ */
#define TEE_MEMORY_ACCESS_NONSECURE 0x10000000
#define TEE_MEMORY_ACCESS_SECURE 0x20000000

/* ---- Algorithms ----------------------------------------------------------------- */
#define TEE_ALG_DES3_CMAC 0xF0000613
#define TEE_ALG_SM4_XTS 0xF0000414
#define TEE_ALG_RSASSA_PKCS1_V1_5 0xF0000830
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5 0xF0111930
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5 0xF0110230

/* HKDF (RFC 5869) as a key-derivation operation. */
#define TEE_ALG_HKDF_MD5_DERIVE_KEY 0x800010C0
#define TEE_ALG_HKDF_SHA1_DERIVE_KEY 0x800020C0
#define TEE_ALG_HKDF_SHA224_DERIVE_KEY 0x800030C0
#define TEE_ALG_HKDF_SHA256_DERIVE_KEY 0x800040C0
#define TEE_ALG_HKDF_SHA384_DERIVE_KEY 0x800050C0
#define TEE_ALG_HKDF_SHA512_DERIVE_KEY 0x800060C0

/* Concatenation KDF (NIST SP 800-56A). */
#define TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY 0x800020C1
#define TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY 0x800030C1
#define TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY 0x800040C1
#define TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY 0x800050C1
#define TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY 0x800060C1

/* PBKDF2 (RFC 2898) with HMAC. */
#define TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY 0x800020C2
#define TEE_ALG_PBKDF2_HMAC_SHA224_DERIVE_KEY 0x800030C2
#define TEE_ALG_PBKDF2_HMAC_SHA256_DERIVE_KEY 0x800040C2
#define TEE_ALG_PBKDF2_HMAC_SHA384_DERIVE_KEY 0x800050C2
#define TEE_ALG_PBKDF2_HMAC_SHA512_DERIVE_KEY 0x800060C2
#define TEE_ALG_PBKDF2_HMAC_SM3_DERIVE_KEY 0x800070C2

/* ---- Object types ---------------------------------------------------------------- */
#define TEE_TYPE_HKDF_IKM 0xA10000C0
#define TEE_TYPE_CONCAT_KDF_Z 0xA10000C1
#define TEE_TYPE_PBKDF2_PASSWORD 0xA10000C2

/* ---- Attributes ------------------------------------------------------------------- */
#define TEE_ATTR_HKDF_IKM 0xC00001C0
#define TEE_ATTR_HKDF_OKM_LENGTH 0xF00004C0
/* OP-TEE's own HKDF salt/info IDs, predating the GP ones in tee_api_defines.h. */
#define __OPTEE_TEE_ATTR_HKDF_SALT 0xD00002C0
#define __OPTEE_TEE_ATTR_HKDF_INFO 0xD00003C0

#define TEE_ATTR_CONCAT_KDF_Z 0xC00001C1
#define TEE_ATTR_CONCAT_KDF_OTHER_INFO 0xD00002C1
#define TEE_ATTR_CONCAT_KDF_DKM_LENGTH 0xF00003C1

#define TEE_ATTR_PBKDF2_PASSWORD 0xC00001C2
#define TEE_ATTR_PBKDF2_SALT 0xD00002C2
#define TEE_ATTR_PBKDF2_ITERATION_COUNT 0xF00003C2
#define TEE_ATTR_PBKDF2_DKM_LENGTH 0xF00004C2

#endif /* SWTEE_TEE_API_DEFINES_EXTENSIONS_H */
