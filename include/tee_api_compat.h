/*
 * GP TEE Internal Core API v1.1 compatibility (swtee TA SDK).
 *
 * When __OPTEE_CORE_API_COMPAT_1_1 is 1 (set directly, or through
 * TEE_CORE_API_REQUIRED_{MAJOR,MINOR}_VERSION = 1.1, see tee_api_defines.h)
 * the GP names of everything whose ABI changed after v1.1 refer to the
 * __GP11_ declarations: 3 types, 55 functions here (plus the 3 cache
 * functions in tee_internal_api_extensions.h) and the 2 entry points whose
 * parameters are TEE_Param. Calls from such a TA use 32-bit sizes throughout.
 *
 * Include through tee_internal_api.h only: the mapping must come after every
 * prototype, or the v1.3.1 declarations would be renamed into conflicts.
 */
#ifndef SWTEE_TEE_API_COMPAT_H
#define SWTEE_TEE_API_COMPAT_H

#ifndef SWTEE_TEE_INTERNAL_API_DECLARED
#error "include <tee_internal_api.h> instead of <tee_api_compat.h>"
#endif

#if __OPTEE_CORE_API_COMPAT_1_1

/* Types (3). */
#define TEE_Param __GP11_TEE_Param
#define TEE_Attribute __GP11_TEE_Attribute
#define TEE_ObjectInfo __GP11_TEE_ObjectInfo

/* Entry points the TA defines (2). */
#define TA_OpenSessionEntryPoint __GP11_TA_OpenSessionEntryPoint
#define TA_InvokeCommandEntryPoint __GP11_TA_InvokeCommandEntryPoint

/* Properties. */
#define TEE_GetPropertyAsString __GP11_TEE_GetPropertyAsString
#define TEE_GetPropertyAsBinaryBlock __GP11_TEE_GetPropertyAsBinaryBlock
#define TEE_GetPropertyName __GP11_TEE_GetPropertyName
/* TA-to-TA. */
#define TEE_OpenTASession __GP11_TEE_OpenTASession
#define TEE_InvokeTACommand __GP11_TEE_InvokeTACommand
/* Memory. */
#define TEE_CheckMemoryAccessRights __GP11_TEE_CheckMemoryAccessRights
#define TEE_Malloc __GP11_TEE_Malloc
#define TEE_Realloc __GP11_TEE_Realloc
#define TEE_MemMove __GP11_TEE_MemMove
#define TEE_MemCompare __GP11_TEE_MemCompare
#define TEE_MemFill __GP11_TEE_MemFill
/* Objects. */
#define TEE_GetObjectInfo __GP11_TEE_GetObjectInfo
#define TEE_GetObjectInfo1 __GP11_TEE_GetObjectInfo1
#define TEE_GetObjectBufferAttribute __GP11_TEE_GetObjectBufferAttribute
#define TEE_PopulateTransientObject __GP11_TEE_PopulateTransientObject
#define TEE_InitRefAttribute __GP11_TEE_InitRefAttribute
#define TEE_InitValueAttribute __GP11_TEE_InitValueAttribute
#define TEE_GenerateKey __GP11_TEE_GenerateKey
#define TEE_OpenPersistentObject __GP11_TEE_OpenPersistentObject
#define TEE_CreatePersistentObject __GP11_TEE_CreatePersistentObject
#define TEE_RenamePersistentObject __GP11_TEE_RenamePersistentObject
#define TEE_GetNextPersistentObject __GP11_TEE_GetNextPersistentObject
#define TEE_ReadObjectData __GP11_TEE_ReadObjectData
#define TEE_WriteObjectData __GP11_TEE_WriteObjectData
#define TEE_TruncateObjectData __GP11_TEE_TruncateObjectData
#define TEE_SeekObjectData __GP11_TEE_SeekObjectData
/* Crypto. */
#define TEE_GetOperationInfoMultiple __GP11_TEE_GetOperationInfoMultiple
#define TEE_DigestUpdate __GP11_TEE_DigestUpdate
#define TEE_DigestDoFinal __GP11_TEE_DigestDoFinal
#define TEE_CipherInit __GP11_TEE_CipherInit
#define TEE_CipherUpdate __GP11_TEE_CipherUpdate
#define TEE_CipherDoFinal __GP11_TEE_CipherDoFinal
#define TEE_MACInit __GP11_TEE_MACInit
#define TEE_MACUpdate __GP11_TEE_MACUpdate
#define TEE_MACComputeFinal __GP11_TEE_MACComputeFinal
#define TEE_MACCompareFinal __GP11_TEE_MACCompareFinal
#define TEE_AEInit __GP11_TEE_AEInit
#define TEE_AEUpdateAAD __GP11_TEE_AEUpdateAAD
#define TEE_AEUpdate __GP11_TEE_AEUpdate
#define TEE_AEEncryptFinal __GP11_TEE_AEEncryptFinal
#define TEE_AEDecryptFinal __GP11_TEE_AEDecryptFinal
#define TEE_AsymmetricEncrypt __GP11_TEE_AsymmetricEncrypt
#define TEE_AsymmetricDecrypt __GP11_TEE_AsymmetricDecrypt
#define TEE_AsymmetricSignDigest __GP11_TEE_AsymmetricSignDigest
#define TEE_AsymmetricVerifyDigest __GP11_TEE_AsymmetricVerifyDigest
#define TEE_DeriveKey __GP11_TEE_DeriveKey
#define TEE_GenerateRandom __GP11_TEE_GenerateRandom
/* Arithmetic. */
#define TEE_BigIntFMMSizeInU32 __GP11_TEE_BigIntFMMSizeInU32
#define TEE_BigIntFMMContextSizeInU32 __GP11_TEE_BigIntFMMContextSizeInU32
#define TEE_BigIntInit __GP11_TEE_BigIntInit
#define TEE_BigIntInitFMMContext __GP11_TEE_BigIntInitFMMContext
#define TEE_BigIntInitFMM __GP11_TEE_BigIntInitFMM
#define TEE_BigIntConvertFromOctetString __GP11_TEE_BigIntConvertFromOctetString
#define TEE_BigIntConvertToOctetString __GP11_TEE_BigIntConvertToOctetString
#define TEE_BigIntShiftRight __GP11_TEE_BigIntShiftRight

#endif /* __OPTEE_CORE_API_COMPAT_1_1 */

#endif /* SWTEE_TEE_API_COMPAT_H */
