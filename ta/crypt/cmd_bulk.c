/*
 * CRYPT_CMD_BULK: a whole bulk operation in one invoke, straight between
 * the client's shared buffers (the benchmark's zero-copy path).
 *   p0 vIN a=op (keyed) b=IV/nonce length, p1 mIN data, p2 mOUT result,
 *   p3 mIO (IV/nonce: its first p0.b bytes) or NONE.
 *   DIGEST: p2 = hash(p1).                                   p3 NONE
 *   AE encrypt: AEInit(nonce, 128-bit tag), p2 = ciphertext,
 *               p3 = tag (p3 must hold 16 bytes).
 *   CIPHER: CipherInit(IV), p2 = DoFinal(p1).
 *   MAC: MACInit, p2 = ComputeFinal(p1).                      p3 NONE
 */
#include "crypt_priv.h"

CRYPT_HANDLER(crypt_cmd_bulk)
{
	TEE_OperationInfo info;
	uint8_t nonce[64];
	size_t nonce_len = 0;
	TEE_Result res;
	TEE_Param *p = c->p;
	const uint32_t pt = c->pt; /* p3 mIO or NONE (layout: entry.c) */
	const TEE_OperationHandle op = c->op;

	if (PTYPE(pt, 3) == PT_MIO) {
		/* Read once: the nonce is copied before the tag overwrites it. */
		nonce_len = p[0].value.b;
		if (nonce_len > sizeof(nonce) || nonce_len > p[3].memref.size)
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_MemMove(nonce, p[3].memref.buffer, nonce_len);
	}
	TEE_GetOperationInfo(op, &info);
	switch (info.operationClass) {
	case TEE_OPERATION_DIGEST:
		if (PTYPE(pt, 3) != PT_NONE)
			return TEE_ERROR_BAD_PARAMETERS;
		return TEE_DigestDoFinal(op, p[1].memref.buffer, p[1].memref.size, p[2].memref.buffer,
					 &p[2].memref.size);
	case TEE_OPERATION_AE:
		if (PTYPE(pt, 3) != PT_MIO || info.mode != TEE_MODE_ENCRYPT || p[3].memref.size < 16)
			return TEE_ERROR_BAD_PARAMETERS;
		res = TEE_AEInit(op, nonce, nonce_len, 128, 0, p[1].memref.size);
		if (res != TEE_SUCCESS)
			return res;
		return TEE_AEEncryptFinal(op, p[1].memref.buffer, p[1].memref.size, p[2].memref.buffer,
					  &p[2].memref.size, p[3].memref.buffer, &p[3].memref.size);
	case TEE_OPERATION_CIPHER:
		TEE_CipherInit(op, nonce_len ? nonce : NULL, nonce_len);
		return TEE_CipherDoFinal(op, p[1].memref.buffer, p[1].memref.size, p[2].memref.buffer,
					 &p[2].memref.size);
	case TEE_OPERATION_MAC:
		if (PTYPE(pt, 3) != PT_NONE)
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_MACInit(op, NULL, 0);
		return TEE_MACComputeFinal(op, p[1].memref.buffer, p[1].memref.size, p[2].memref.buffer,
					   &p[2].memref.size);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
