/*
 * The "crypt" test TA: the GP TEE Internal Core API crypto chapter exposed as
 * TA commands, in the spirit of OP-TEE xtest's crypt TA. Used by the 4000s
 * of tests/integration and by bench/crypto.
 *
 * Handles. Objects and operations travel as u32 ids (1..CRYPT_MAX_HANDLES)
 * that the TA maps to real handles in a per-session table; 0 means
 * TEE_HANDLE_NULL where GP allows it. An unknown or freed id answers
 * TEE_ERROR_BAD_PARAMETERS and never reaches the GP API. Closing the session
 * frees every handle it still owns.
 *
 * Attribute lists (the "attrs" memrefs) are serialized as
 *   u32 count, then count records of
 *   { u32 id; u32 a; u32 b; } followed, for a buffer attribute (bit 29 of
 *   id clear), by `a` bytes of data padded with zeros to a multiple of 4
 *   (b must be 0). For a value attribute (bit 29 set) a and b are the values.
 * At most CRYPT_MAX_ATTRS records and CRYPT_MAX_ATTR_BYTES bytes in total.
 * The TA copies the blob out of shared memory before parsing it.
 *
 * Results. Commands return the GP function's TEE_Result unchanged (so
 * SHORT_BUFFER comes back with the required size in the output memref).
 * Malformed requests (wrong param types, bad ids, bad blobs) answer
 * TEE_ERROR_BAD_PARAMETERS. Where GP mandates a panic the TA panics, and the
 * client sees TEEC_ERROR_TARGET_DEAD.
 *
 * Param notation below: vIN/vOUT = value input/output, mIN/mOUT/mIO =
 * memref input/output/inout; "-" = NONE.
 */
#ifndef CRYPT_TA_H
#define CRYPT_TA_H

#include <stdint.h>

/* efcf75a2-349a-4c69-8e08-7c6f16f0b48d; an instance per session */
#define CRYPT_TA_UUID \
  { 0xefcf75a2, 0x349a, 0x4c69, { 0x8e, 0x08, 0x7c, 0x6f, 0x16, 0xf0, 0xb4, 0x8d } }

#define CRYPT_MAX_HANDLES 256u     /* objects, and separately operations, per session */
#define CRYPT_MAX_ATTRS 16u        /* records in one attribute blob */
#define CRYPT_MAX_ATTR_BYTES 16384u /* size of one attribute blob */

enum crypt_cmd {
	/* ---- operations ---- */
	/* p0 vIN a=algorithm b=mode, p1 vIN a=maxKeySize, p2 vOUT a=op id */
	CRYPT_CMD_ALLOCATE_OPERATION = 0,
	/* p0 vIN a=op */
	CRYPT_CMD_FREE_OPERATION = 1,
	/* p0 vIN a=op, p1 mOUT: TEE_OperationInfo (32 bytes) */
	CRYPT_CMD_GET_OPERATION_INFO = 2,
	/* p0 vIN a=op, p1 mOUT: TEE_OperationInfoMultiple (+ keys); size in/out */
	CRYPT_CMD_GET_OPERATION_INFO_MULTIPLE = 3,
	/* p0 vIN a=op */
	CRYPT_CMD_RESET_OPERATION = 4,
	/* p0 vIN a=op b=key object (0: TEE_HANDLE_NULL) */
	CRYPT_CMD_SET_OPERATION_KEY = 5,
	/* p0 vIN a=op, p1 vIN a=key1 b=key2 */
	CRYPT_CMD_SET_OPERATION_KEY2 = 6,
	/* p0 vIN a=dst op b=src op */
	CRYPT_CMD_COPY_OPERATION = 7,
	/* p0 vIN a=algorithm b=element; returns what TEE_IsAlgorithmSupported did */
	CRYPT_CMD_IS_ALGORITHM_SUPPORTED = 8,

	/* ---- digest ---- */
	/* p0 vIN a=op, p1 mIN chunk */
	CRYPT_CMD_DIGEST_UPDATE = 10,
	/* p0 vIN a=op, p1 mIN chunk, p2 mOUT hash */
	CRYPT_CMD_DIGEST_DO_FINAL = 11,
	/* p0 vIN a=op, p2 mOUT */
	CRYPT_CMD_DIGEST_EXTRACT = 12,

	/* ---- symmetric cipher ---- */
	/* p0 vIN a=op, p1 mIN IV or - */
	CRYPT_CMD_CIPHER_INIT = 20,
	/* p0 vIN a=op, p1 mIN src, p2 mOUT dst */
	CRYPT_CMD_CIPHER_UPDATE = 21,
	CRYPT_CMD_CIPHER_DO_FINAL = 22,

	/* ---- MAC ---- */
	/* p0 vIN a=op, p1 mIN IV or - */
	CRYPT_CMD_MAC_INIT = 30,
	/* p0 vIN a=op, p1 mIN chunk */
	CRYPT_CMD_MAC_UPDATE = 31,
	/* p0 vIN a=op, p1 mIN message, p2 mOUT mac */
	CRYPT_CMD_MAC_COMPUTE_FINAL = 32,
	/* p0 vIN a=op, p1 mIN message, p2 mIN mac */
	CRYPT_CMD_MAC_COMPARE_FINAL = 33,

	/* ---- authenticated encryption ---- */
	/* p0 vIN a=op b=tagLen (bits), p1 mIN nonce, p2 vIN a=AADLen b=payloadLen */
	CRYPT_CMD_AE_INIT = 40,
	/* p0 vIN a=op, p1 mIN AAD */
	CRYPT_CMD_AE_UPDATE_AAD = 41,
	/* p0 vIN a=op, p1 mIN src, p2 mOUT dst */
	CRYPT_CMD_AE_UPDATE = 42,
	/* p0 vIN a=op, p1 mIN src, p2 mOUT dst, p3 mOUT tag */
	CRYPT_CMD_AE_ENCRYPT_FINAL = 43,
	/* p0 vIN a=op, p1 mIN src, p2 mOUT dst, p3 mIN tag */
	CRYPT_CMD_AE_DECRYPT_FINAL = 44,

	/* ---- asymmetric ---- */
	/* p0 vIN a=op, p1 mIN attrs or -, p2 mIN src, p3 mOUT dst */
	CRYPT_CMD_ASYMMETRIC_ENCRYPT = 50,
	CRYPT_CMD_ASYMMETRIC_DECRYPT = 51,
	/* p0 vIN a=op, p1 mIN attrs or -, p2 mIN digest, p3 mOUT signature */
	CRYPT_CMD_ASYMMETRIC_SIGN_DIGEST = 52,
	/* p0 vIN a=op, p1 mIN attrs or -, p2 mIN digest, p3 mIN signature */
	CRYPT_CMD_ASYMMETRIC_VERIFY_DIGEST = 53,

	/* ---- key derivation, random ---- */
	/* p0 vIN a=op b=derived key object, p1 mIN attrs or - */
	CRYPT_CMD_DERIVE_KEY = 60,
	/* p0 mOUT: filled with TEE_GenerateRandom */
	CRYPT_CMD_RANDOM_NUMBER_GENERATE = 61,

	/* ---- transient objects ---- */
	/* p0 vIN a=objectType b=maxObjectSize, p1 vOUT a=object id */
	CRYPT_CMD_ALLOCATE_TRANSIENT_OBJECT = 70,
	/* p0 vIN a=object */
	CRYPT_CMD_FREE_TRANSIENT_OBJECT = 71,
	CRYPT_CMD_RESET_TRANSIENT_OBJECT = 72,
	/* p0 vIN a=object, p1 mIN attrs */
	CRYPT_CMD_POPULATE_TRANSIENT_OBJECT = 73,
	/* p0 vIN a=dst b=src */
	CRYPT_CMD_COPY_OBJECT_ATTRIBUTES1 = 74,
	/* p0 vIN a=object b=keySize, p1 mIN attrs or - */
	CRYPT_CMD_GENERATE_KEY = 75,
	/* p0 vIN a=object b=attributeID, p1 mOUT buffer */
	CRYPT_CMD_GET_OBJECT_BUFFER_ATTRIBUTE = 76,
	/* p0 vIN a=object b=attributeID, p1 vOUT a, b */
	CRYPT_CMD_GET_OBJECT_VALUE_ATTRIBUTE = 77,
	/* p0 vIN a=object, p1 mOUT TEE_ObjectInfo (the GP 1.3.1 layout, sizeof in the TA) */
	CRYPT_CMD_GET_OBJECT_INFO1 = 78,
	/* p0 vIN a=object b=usage */
	CRYPT_CMD_RESTRICT_OBJECT_USAGE1 = 79,

	/* ---- batched: one whole operation per invoke (see struct crypt_oneshot) ----
	 * p0 mIN request (header + blob), p1 mOUT output, p2 mOUT second output
	 * (AE tag) or -, p3 vOUT a=TEE_Result of the failing (or last) GP call,
	 * b=enum crypt_stage it happened at. The command itself returns
	 * TEE_SUCCESS whenever the request was well formed. */
	CRYPT_CMD_ONESHOT = 90,

	/* ---- bench: a whole bulk operation between the caller's buffers ----
	 * p0 vIN a=op (keyed) b=IV/nonce length, p1 mIN data, p2 mOUT result,
	 * p3 mIO (IV/nonce in its first p0.b bytes; AE: the 128-bit tag out) or -.
	 * DIGEST: p2 = hash(p1). AE encrypt: AEInit + AEEncryptFinal(p1 -> p2).
	 * CIPHER: CipherInit + DoFinal. MAC: MACInit + ComputeFinal. */
	CRYPT_CMD_BULK = 91,
};

/* Where a CRYPT_CMD_ONESHOT stopped (p3.value.b). */
enum crypt_stage {
	CRYPT_STAGE_DONE = 0,
	CRYPT_STAGE_ALLOC_KEY = 1,  /* TEE_AllocateTransientObject */
	CRYPT_STAGE_POPULATE = 2,   /* TEE_PopulateTransientObject */
	CRYPT_STAGE_ALLOC_OP = 3,   /* TEE_AllocateOperation */
	CRYPT_STAGE_SET_KEY = 4,    /* TEE_SetOperationKey(2) */
	CRYPT_STAGE_INIT = 5,       /* TEE_AEInit */
	CRYPT_STAGE_UPDATE = 6,     /* Cipher/AE update */
	CRYPT_STAGE_FINAL = 7,      /* DoFinal / Compare / Sign / Verify / Derive */
	CRYPT_STAGE_HASH = 8,       /* the pre-hash of a signature input */
	CRYPT_STAGE_EXTRACT = 9,    /* reading the derived secret */
};

/* CRYPT_CMD_ONESHOT flags */
#define CRYPT_ONESHOT_VERIFY 0x1u   /* MAC: compare against `tag`; signature: verify `tag` */
#define CRYPT_ONESHOT_PREHASH 0x2u  /* signature: digest `in` with `hash_alg` first, in the TA */

/* A (offset, length) pair into the blob that follows the header. */
struct crypt_span {
	uint32_t off;
	uint32_t len;
};

/*
 * CRYPT_CMD_ONESHOT request header; the blob follows immediately (spans are
 * relative to the blob start). The TA allocates key object(s) of key_type /
 * key2_type (0: none) and key_bits / key2_bits, populates them from the
 * `key`/`key2` attribute blobs, allocates the operation (maxKeySize =
 * key_bits), sets the key(s) and runs the whole operation the algorithm's
 * class calls for, feeding `in` (and `aad`) in pieces of `split` bytes
 * (0: one piece). Derivations put their result into a GENERIC_SECRET of
 * out_bits and return its SECRET_VALUE. Everything is freed before the reply.
 */
struct crypt_oneshot {
	uint32_t algorithm;
	uint32_t mode;
	uint32_t key_type;
	uint32_t key_bits;
	uint32_t key2_type;
	uint32_t key2_bits;
	uint32_t flags;
	uint32_t hash_alg;   /* CRYPT_ONESHOT_PREHASH */
	uint32_t tag_bits;   /* AE */
	uint32_t out_bits;   /* derivations: size of the derived secret */
	uint32_t split;
	uint32_t reserved;   /* must be 0 */
	struct crypt_span key;    /* attribute blob */
	struct crypt_span key2;   /* attribute blob */
	struct crypt_span params; /* attribute blob for the operation (asym, derive) */
	struct crypt_span iv;     /* IV / nonce */
	struct crypt_span aad;
	struct crypt_span in;
	struct crypt_span tag;    /* MAC/AE tag to check, signature to verify */
};

#define CRYPT_ONESHOT_HDR_SIZE 104u
#define CRYPT_ONESHOT_MAX_SIZE (4u * 1024u * 1024u)

#ifdef __cplusplus
static_assert(sizeof(struct crypt_oneshot) == CRYPT_ONESHOT_HDR_SIZE, "crypt_oneshot is 104 bytes");
#else
_Static_assert(sizeof(struct crypt_oneshot) == CRYPT_ONESHOT_HDR_SIZE, "crypt_oneshot is 104 bytes");
#endif

#endif
