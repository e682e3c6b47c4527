/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * swtee pkcs11 TA protocol.
 *
 * The wire contract between a PKCS#11 module in the normal world
 * (libswtee-pkcs11.so, or OP-TEE's libckteec) and the pkcs11 TA. The TA
 * UUID, command ids, return codes, structure layouts and the serialized
 * attribute format are those of OP-TEE's pkcs11 TA, so either module talks
 * to either TA. Written for swtee; shared by the TA (C, TA SDK) and the
 * module (C++), so it is plain C with fixed-size integer types only.
 *
 * Calling convention, for every command:
 *   param 0  memref in/out "control": serialized arguments in; on return
 *            the first 4 bytes hold the command's uint32_t status
 *            (enum pkcs11_rc) and the memref size is set to 4.
 *   param 1  optional memref input: bulk input data.
 *   param 2  optional memref output (or second input): results, handles.
 *   param 3  unused.
 * The TA answers TEE_SUCCESS whenever it could write the status, except
 * that PKCS11_CKR_BUFFER_TOO_SMALL is also signalled as
 * TEE_ERROR_SHORT_BUFFER with param 2's size set to the size required.
 *
 * Integers in serialized buffers are 32-bit, host byte order, and need not
 * be aligned: readers copy them out.
 */
#ifndef SWTEE_PKCS11_TA_H
#define SWTEE_PKCS11_TA_H

#include <stdint.h>

/* fd02c9da-306c-48c7-a49c-bbd827ae86ee */
#define PKCS11_TA_UUID                                                  \
	{ 0xfd02c9da, 0x306c, 0x48c7,                                   \
	  { 0xa4, 0x9c, 0xbb, 0xd8, 0x27, 0xae, 0x86, 0xee } }

#define PKCS11_TA_VERSION_MAJOR 0
#define PKCS11_TA_VERSION_MINOR 1
#define PKCS11_TA_VERSION_PATCH 0

/* An attribute size meaning "no value available" (C_GetAttributeValue). */
#define PKCS11_CK_UNAVAILABLE_INFORMATION UINT32_C(0xFFFFFFFF)
#define PKCS11_UNDEFINED_ID UINT32_C(0xFFFFFFFF)

/*
 * Commands. "ctrl" is param 0's input; "in" param 1; "out" param 2.
 * u32 = 32-bit integer, obj = struct pkcs11_object_head + attributes,
 * mech = struct pkcs11_attribute_head whose id is the mechanism and whose
 * data are the serialized mechanism parameters.
 */
enum pkcs11_ta_cmd {
	PKCS11_CMD_PING = 0,            /* out: u32 major, minor, patch */
	PKCS11_CMD_SLOT_LIST = 1,       /* out: u32 slot ids */
	PKCS11_CMD_SLOT_INFO = 2,       /* ctrl: slot; out: slot_info */
	PKCS11_CMD_TOKEN_INFO = 3,      /* ctrl: slot; out: token_info */
	PKCS11_CMD_MECHANISM_IDS = 4,   /* ctrl: slot; out: u32 ids */
	PKCS11_CMD_MECHANISM_INFO = 5,  /* ctrl: slot, mech id; out: info */
	PKCS11_CMD_OPEN_SESSION = 6,    /* ctrl: slot, flags; out: session */
	PKCS11_CMD_CLOSE_SESSION = 7,   /* ctrl: session */
	PKCS11_CMD_CLOSE_ALL_SESSIONS = 8, /* ctrl: slot */
	PKCS11_CMD_SESSION_INFO = 9,    /* ctrl: session; out: session_info */
	PKCS11_CMD_INIT_TOKEN = 10,     /* ctrl: slot, pin len, label[32], pin */
	PKCS11_CMD_INIT_PIN = 11,       /* ctrl: session, pin len, pin */
	PKCS11_CMD_SET_PIN = 12,        /* ctrl: session, old len, new len, old, new */
	PKCS11_CMD_LOGIN = 13,          /* ctrl: session, user type, pin len, pin */
	PKCS11_CMD_LOGOUT = 14,         /* ctrl: session */
	PKCS11_CMD_CREATE_OBJECT = 15,  /* ctrl: session, obj; out: handle */
	PKCS11_CMD_DESTROY_OBJECT = 16, /* ctrl: session, handle */
	PKCS11_CMD_ENCRYPT_INIT = 17,   /* ctrl: session, key, mech */
	PKCS11_CMD_DECRYPT_INIT = 18,
	PKCS11_CMD_ENCRYPT_UPDATE = 19, /* ctrl: session; in: data; out: data */
	PKCS11_CMD_DECRYPT_UPDATE = 20,
	PKCS11_CMD_ENCRYPT_FINAL = 21,  /* ctrl: session; out: data */
	PKCS11_CMD_DECRYPT_FINAL = 22,
	PKCS11_CMD_ENCRYPT_ONESHOT = 23, /* ctrl: session; in: data; out: data */
	PKCS11_CMD_DECRYPT_ONESHOT = 24,
	PKCS11_CMD_SIGN_INIT = 25,      /* ctrl: session, key, mech */
	PKCS11_CMD_VERIFY_INIT = 26,
	PKCS11_CMD_SIGN_UPDATE = 27,    /* ctrl: session; in: data */
	PKCS11_CMD_VERIFY_UPDATE = 28,
	PKCS11_CMD_SIGN_FINAL = 29,     /* ctrl: session; out: signature */
	PKCS11_CMD_VERIFY_FINAL = 30,   /* ctrl: session; out(as input): sig */
	PKCS11_CMD_SIGN_ONESHOT = 31,   /* ctrl: session; in: data; out: sig */
	PKCS11_CMD_VERIFY_ONESHOT = 32, /* ctrl: session; in: data; out(in): sig */
	PKCS11_CMD_GENERATE_KEY = 33,   /* ctrl: session, mech, obj; out: handle */
	PKCS11_CMD_FIND_OBJECTS_INIT = 34, /* ctrl: session, obj */
	PKCS11_CMD_FIND_OBJECTS = 35,   /* ctrl: session; out: u32 handles */
	PKCS11_CMD_FIND_OBJECTS_FINAL = 36, /* ctrl: session */
	PKCS11_CMD_GET_OBJECT_SIZE = 37, /* ctrl: session, handle; out: u32 */
	PKCS11_CMD_GET_ATTRIBUTE_VALUE = 38, /* ctrl: session, handle, obj; out: obj */
	PKCS11_CMD_SET_ATTRIBUTE_VALUE = 39, /* ctrl: session, handle, obj */
	PKCS11_CMD_COPY_OBJECT = 40,    /* ctrl: session, handle, obj; out: handle */
	PKCS11_CMD_SEED_RANDOM = 41,    /* ctrl: session; in: seed */
	PKCS11_CMD_GENERATE_RANDOM = 42, /* ctrl: session; out: bytes */
	PKCS11_CMD_DERIVE_KEY = 43,     /* ctrl: session, key, mech, obj; out: handle */
	PKCS11_CMD_RELEASE_ACTIVE_PROCESSING = 44, /* ctrl: session, command id */
	PKCS11_CMD_DIGEST_INIT = 45,    /* ctrl: session, mech */
	PKCS11_CMD_DIGEST_KEY = 46,     /* ctrl: session, key */
	PKCS11_CMD_DIGEST_UPDATE = 47,  /* ctrl: session; in: data */
	PKCS11_CMD_DIGEST_FINAL = 48,   /* ctrl: session; out: digest */
	PKCS11_CMD_DIGEST_ONESHOT = 49, /* ctrl: session; in: data; out: digest */
	PKCS11_CMD_GENERATE_KEY_PAIR = 50, /* ctrl: session, mech, pub obj, priv obj;
					    * out: u32 pub handle, priv handle */
	PKCS11_CMD_WRAP_KEY = 51,       /* ctrl: session, wrapping key, key, mech;
					 * out: wrapped bytes */
	PKCS11_CMD_UNWRAP_KEY = 52,     /* ctrl: session, unwrapping key, mech, obj;
					 * in: wrapped bytes; out: handle */
};

/* Status codes: the CKR_* values of PKCS#11 v2.40 that the TA returns. */
enum pkcs11_rc {
	PKCS11_CKR_OK = 0x0000,
	PKCS11_CKR_CANCEL = 0x0001,
	PKCS11_CKR_SLOT_ID_INVALID = 0x0003,
	PKCS11_CKR_GENERAL_ERROR = 0x0005,
	PKCS11_CKR_FUNCTION_FAILED = 0x0006,
	PKCS11_CKR_ARGUMENTS_BAD = 0x0007,
	PKCS11_CKR_ATTRIBUTE_READ_ONLY = 0x0010,
	PKCS11_CKR_ATTRIBUTE_SENSITIVE = 0x0011,
	PKCS11_CKR_ATTRIBUTE_TYPE_INVALID = 0x0012,
	PKCS11_CKR_ATTRIBUTE_VALUE_INVALID = 0x0013,
	PKCS11_CKR_ACTION_PROHIBITED = 0x001b,
	PKCS11_CKR_DATA_INVALID = 0x0020,
	PKCS11_CKR_DATA_LEN_RANGE = 0x0021,
	PKCS11_CKR_DEVICE_ERROR = 0x0030,
	PKCS11_CKR_DEVICE_MEMORY = 0x0031,
	PKCS11_CKR_DEVICE_REMOVED = 0x0032,
	PKCS11_CKR_ENCRYPTED_DATA_INVALID = 0x0040,
	PKCS11_CKR_ENCRYPTED_DATA_LEN_RANGE = 0x0041,
	PKCS11_CKR_KEY_HANDLE_INVALID = 0x0060,
	PKCS11_CKR_KEY_SIZE_RANGE = 0x0062,
	PKCS11_CKR_KEY_TYPE_INCONSISTENT = 0x0063,
	PKCS11_CKR_KEY_INDIGESTIBLE = 0x0067,
	PKCS11_CKR_KEY_FUNCTION_NOT_PERMITTED = 0x0068,
	PKCS11_CKR_KEY_NOT_WRAPPABLE = 0x0069,
	PKCS11_CKR_KEY_UNEXTRACTABLE = 0x006a,
	PKCS11_CKR_MECHANISM_INVALID = 0x0070,
	PKCS11_CKR_MECHANISM_PARAM_INVALID = 0x0071,
	PKCS11_CKR_OBJECT_HANDLE_INVALID = 0x0082,
	PKCS11_CKR_OPERATION_ACTIVE = 0x0090,
	PKCS11_CKR_OPERATION_NOT_INITIALIZED = 0x0091,
	PKCS11_CKR_PIN_INCORRECT = 0x00a0,
	PKCS11_CKR_PIN_INVALID = 0x00a1,
	PKCS11_CKR_PIN_LEN_RANGE = 0x00a2,
	PKCS11_CKR_PIN_EXPIRED = 0x00a3,
	PKCS11_CKR_PIN_LOCKED = 0x00a4,
	PKCS11_CKR_SESSION_CLOSED = 0x00b0,
	PKCS11_CKR_SESSION_COUNT = 0x00b1,
	PKCS11_CKR_SESSION_HANDLE_INVALID = 0x00b3,
	PKCS11_CKR_SESSION_PARALLEL_NOT_SUPPORTED = 0x00b4,
	PKCS11_CKR_SESSION_READ_ONLY = 0x00b5,
	PKCS11_CKR_SESSION_EXISTS = 0x00b6,
	PKCS11_CKR_SESSION_READ_ONLY_EXISTS = 0x00b7,
	PKCS11_CKR_SESSION_READ_WRITE_SO_EXISTS = 0x00b8,
	PKCS11_CKR_SIGNATURE_INVALID = 0x00c0,
	PKCS11_CKR_SIGNATURE_LEN_RANGE = 0x00c1,
	PKCS11_CKR_TEMPLATE_INCOMPLETE = 0x00d0,
	PKCS11_CKR_TEMPLATE_INCONSISTENT = 0x00d1,
	PKCS11_CKR_TOKEN_NOT_PRESENT = 0x00e0,
	PKCS11_CKR_TOKEN_NOT_RECOGNIZED = 0x00e1,
	PKCS11_CKR_TOKEN_WRITE_PROTECTED = 0x00e2,
	PKCS11_CKR_UNWRAPPING_KEY_HANDLE_INVALID = 0x00f0,
	PKCS11_CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT = 0x00f2,
	PKCS11_CKR_USER_ALREADY_LOGGED_IN = 0x0100,
	PKCS11_CKR_USER_NOT_LOGGED_IN = 0x0101,
	PKCS11_CKR_USER_PIN_NOT_INITIALIZED = 0x0102,
	PKCS11_CKR_USER_TYPE_INVALID = 0x0103,
	PKCS11_CKR_USER_ANOTHER_ALREADY_LOGGED_IN = 0x0104,
	PKCS11_CKR_USER_TOO_MANY_TYPES = 0x0105,
	PKCS11_CKR_WRAPPED_KEY_INVALID = 0x0110,
	PKCS11_CKR_WRAPPED_KEY_LEN_RANGE = 0x0112,
	PKCS11_CKR_WRAPPING_KEY_HANDLE_INVALID = 0x0113,
	PKCS11_CKR_WRAPPING_KEY_TYPE_INCONSISTENT = 0x0115,
	PKCS11_CKR_DOMAIN_PARAMS_INVALID = 0x0130,
	PKCS11_CKR_CURVE_NOT_SUPPORTED = 0x0140,
	PKCS11_CKR_BUFFER_TOO_SMALL = 0x0150,
	PKCS11_CKR_SAVED_STATE_INVALID = 0x0160,
	PKCS11_CKR_INFORMATION_SENSITIVE = 0x0170,
	PKCS11_CKR_STATE_UNSAVEABLE = 0x0180,
	PKCS11_CKR_PIN_TOO_WEAK = 0x01b8,
	PKCS11_CKR_PUBLIC_KEY_INVALID = 0x01b9,
	PKCS11_CKR_FUNCTION_REJECTED = 0x0200,
	/* Internal only: never returned to a client. */
	PKCS11_RV_NOT_FOUND = 0x80000000,
	PKCS11_RV_NOT_IMPLEMENTED = 0x80000001,
};

/* PKCS11_CMD_SLOT_INFO output. */
#define PKCS11_SLOT_DESC_SIZE 64
#define PKCS11_SLOT_MANUFACTURER_SIZE 32
#define PKCS11_SLOT_VERSION_SIZE 2
struct pkcs11_slot_info {
	uint8_t slot_description[PKCS11_SLOT_DESC_SIZE];
	uint8_t manufacturer_id[PKCS11_SLOT_MANUFACTURER_SIZE];
	uint32_t flags;
	uint8_t hardware_version[PKCS11_SLOT_VERSION_SIZE];
	uint8_t firmware_version[PKCS11_SLOT_VERSION_SIZE];
};
#define PKCS11_CKFS_TOKEN_PRESENT (1U << 0)
#define PKCS11_CKFS_REMOVABLE_DEVICE (1U << 1)
#define PKCS11_CKFS_HW_SLOT (1U << 2)

/* PKCS11_CMD_TOKEN_INFO output. */
#define PKCS11_TOKEN_LABEL_SIZE 32
#define PKCS11_TOKEN_MANUFACTURER_SIZE 32
#define PKCS11_TOKEN_MODEL_SIZE 16
#define PKCS11_TOKEN_SERIALNUM_SIZE 16
struct pkcs11_token_info {
	uint8_t label[PKCS11_TOKEN_LABEL_SIZE];
	uint8_t manufacturer_id[PKCS11_TOKEN_MANUFACTURER_SIZE];
	uint8_t model[PKCS11_TOKEN_MODEL_SIZE];
	uint8_t serial_number[PKCS11_TOKEN_SERIALNUM_SIZE];
	uint32_t flags;
	uint32_t max_session_count;
	uint32_t session_count;
	uint32_t max_rw_session_count;
	uint32_t rw_session_count;
	uint32_t max_pin_len;
	uint32_t min_pin_len;
	uint32_t total_public_memory;
	uint32_t free_public_memory;
	uint32_t total_private_memory;
	uint32_t free_private_memory;
	uint8_t hardware_version[2];
	uint8_t firmware_version[2];
	uint8_t utc_time[16];
};
/* pkcs11_token_info.flags: the CKF_* token flags. */
#define PKCS11_CKFT_RNG (1U << 0)
#define PKCS11_CKFT_WRITE_PROTECTED (1U << 1)
#define PKCS11_CKFT_LOGIN_REQUIRED (1U << 2)
#define PKCS11_CKFT_USER_PIN_INITIALIZED (1U << 3)
#define PKCS11_CKFT_RESTORE_KEY_NOT_NEEDED (1U << 5)
#define PKCS11_CKFT_CLOCK_ON_TOKEN (1U << 6)
#define PKCS11_CKFT_PROTECTED_AUTHENTICATION_PATH (1U << 8)
#define PKCS11_CKFT_DUAL_CRYPTO_OPERATIONS (1U << 9)
#define PKCS11_CKFT_TOKEN_INITIALIZED (1U << 10)
#define PKCS11_CKFT_SECONDARY_AUTHENTICATION (1U << 11)
#define PKCS11_CKFT_USER_PIN_COUNT_LOW (1U << 16)
#define PKCS11_CKFT_USER_PIN_FINAL_TRY (1U << 17)
#define PKCS11_CKFT_USER_PIN_LOCKED (1U << 18)
#define PKCS11_CKFT_USER_PIN_TO_BE_CHANGED (1U << 19)
#define PKCS11_CKFT_SO_PIN_COUNT_LOW (1U << 20)
#define PKCS11_CKFT_SO_PIN_FINAL_TRY (1U << 21)
#define PKCS11_CKFT_SO_PIN_LOCKED (1U << 22)
#define PKCS11_CKFT_SO_PIN_TO_BE_CHANGED (1U << 23)
#define PKCS11_CKFT_ERROR_STATE (1U << 24)

enum pkcs11_user_type {
	PKCS11_CKU_SO = 0,
	PKCS11_CKU_USER = 1,
	PKCS11_CKU_CONTEXT_SPECIFIC = 2,
};

/* PKCS11_CMD_OPEN_SESSION flags and pkcs11_session_info.flags. */
#define PKCS11_CKFSS_RW_SESSION (1U << 1)
#define PKCS11_CKFSS_SERIAL_SESSION (1U << 2)

struct pkcs11_session_info {
	uint32_t slot_id;
	uint32_t state;
	uint32_t flags;
	uint32_t device_error;
};
enum pkcs11_session_state {
	PKCS11_CKS_RO_PUBLIC_SESSION = 0,
	PKCS11_CKS_RO_USER_FUNCTIONS = 1,
	PKCS11_CKS_RW_PUBLIC_SESSION = 2,
	PKCS11_CKS_RW_USER_FUNCTIONS = 3,
	PKCS11_CKS_RW_SO_FUNCTIONS = 4,
};

struct pkcs11_mechanism_info {
	uint32_t min_key_size;
	uint32_t max_key_size;
	uint32_t flags;
};
/* pkcs11_mechanism_info.flags: the CKF_* mechanism flags. */
#define PKCS11_CKFM_HW (1U << 0)
#define PKCS11_CKFM_ENCRYPT (1U << 8)
#define PKCS11_CKFM_DECRYPT (1U << 9)
#define PKCS11_CKFM_DIGEST (1U << 10)
#define PKCS11_CKFM_SIGN (1U << 11)
#define PKCS11_CKFM_SIGN_RECOVER (1U << 12)
#define PKCS11_CKFM_VERIFY (1U << 13)
#define PKCS11_CKFM_VERIFY_RECOVER (1U << 14)
#define PKCS11_CKFM_GENERATE (1U << 15)
#define PKCS11_CKFM_GENERATE_KEY_PAIR (1U << 16)
#define PKCS11_CKFM_WRAP (1U << 17)
#define PKCS11_CKFM_UNWRAP (1U << 18)
#define PKCS11_CKFM_DERIVE (1U << 19)
#define PKCS11_CKFM_EC_F_P (1U << 20)
#define PKCS11_CKFM_EC_F_2M (1U << 21)
#define PKCS11_CKFM_EC_ECPARAMETERS (1U << 22)
#define PKCS11_CKFM_EC_NAMEDCURVE (1U << 23)
#define PKCS11_CKFM_EC_UNCOMPRESS (1U << 24)
#define PKCS11_CKFM_EC_COMPRESS (1U << 25)

/*
 * Serialized attribute list: this head, then attrs_count attributes packed
 * back to back (byte alignment), attrs_size bytes in all. Each attribute
 * is a struct pkcs11_attribute_head followed by size bytes of value.
 * CK_ULONG-valued attributes (class, key type, certificate type, value
 * length, modulus bits, mechanism types) are 4-byte values; CK_BBOOL
 * attributes are 1 byte. In a C_GetAttributeValue answer, size
 * PKCS11_CK_UNAVAILABLE_INFORMATION marks a value that is not returned.
 */
struct pkcs11_object_head {
	uint32_t attrs_size;
	uint32_t attrs_count;
	/* uint8_t attrs[attrs_size] follows */
};

struct pkcs11_attribute_head {
	uint32_t id;
	uint32_t size;
	/* uint8_t data[size] follows */
};

/* Attribute ids (CKA_*). */
enum pkcs11_attr_id {
	PKCS11_CKA_CLASS = 0x0000,
	PKCS11_CKA_TOKEN = 0x0001,
	PKCS11_CKA_PRIVATE = 0x0002,
	PKCS11_CKA_LABEL = 0x0003,
	PKCS11_CKA_APPLICATION = 0x0010,
	PKCS11_CKA_VALUE = 0x0011,
	PKCS11_CKA_OBJECT_ID = 0x0012,
	PKCS11_CKA_CERTIFICATE_TYPE = 0x0080,
	PKCS11_CKA_ISSUER = 0x0081,
	PKCS11_CKA_SERIAL_NUMBER = 0x0082,
	PKCS11_CKA_TRUSTED = 0x0086,
	PKCS11_CKA_CERTIFICATE_CATEGORY = 0x0087,
	PKCS11_CKA_CHECK_VALUE = 0x0090,
	PKCS11_CKA_KEY_TYPE = 0x0100,
	PKCS11_CKA_SUBJECT = 0x0101,
	PKCS11_CKA_ID = 0x0102,
	PKCS11_CKA_SENSITIVE = 0x0103,
	PKCS11_CKA_ENCRYPT = 0x0104,
	PKCS11_CKA_DECRYPT = 0x0105,
	PKCS11_CKA_WRAP = 0x0106,
	PKCS11_CKA_UNWRAP = 0x0107,
	PKCS11_CKA_SIGN = 0x0108,
	PKCS11_CKA_SIGN_RECOVER = 0x0109,
	PKCS11_CKA_VERIFY = 0x010a,
	PKCS11_CKA_VERIFY_RECOVER = 0x010b,
	PKCS11_CKA_DERIVE = 0x010c,
	PKCS11_CKA_START_DATE = 0x0110,
	PKCS11_CKA_END_DATE = 0x0111,
	PKCS11_CKA_MODULUS = 0x0120,
	PKCS11_CKA_MODULUS_BITS = 0x0121,
	PKCS11_CKA_PUBLIC_EXPONENT = 0x0122,
	PKCS11_CKA_PRIVATE_EXPONENT = 0x0123,
	PKCS11_CKA_PRIME_1 = 0x0124,
	PKCS11_CKA_PRIME_2 = 0x0125,
	PKCS11_CKA_EXPONENT_1 = 0x0126,
	PKCS11_CKA_EXPONENT_2 = 0x0127,
	PKCS11_CKA_COEFFICIENT = 0x0128,
	PKCS11_CKA_PUBLIC_KEY_INFO = 0x0129,
	PKCS11_CKA_VALUE_BITS = 0x0160,
	PKCS11_CKA_VALUE_LEN = 0x0161,
	PKCS11_CKA_EXTRACTABLE = 0x0162,
	PKCS11_CKA_LOCAL = 0x0163,
	PKCS11_CKA_NEVER_EXTRACTABLE = 0x0164,
	PKCS11_CKA_ALWAYS_SENSITIVE = 0x0165,
	PKCS11_CKA_KEY_GEN_MECHANISM = 0x0166,
	PKCS11_CKA_MODIFIABLE = 0x0170,
	PKCS11_CKA_COPYABLE = 0x0171,
	PKCS11_CKA_DESTROYABLE = 0x0172,
	PKCS11_CKA_EC_PARAMS = 0x0180,
	PKCS11_CKA_EC_POINT = 0x0181,
	PKCS11_CKA_ALWAYS_AUTHENTICATE = 0x0202,
	PKCS11_CKA_WRAP_WITH_TRUSTED = 0x0210,
	PKCS11_CKA_WRAP_TEMPLATE = 0x40000211,
	PKCS11_CKA_UNWRAP_TEMPLATE = 0x40000212,
	PKCS11_CKA_DERIVE_TEMPLATE = 0x40000213,
	PKCS11_CKA_HW_FEATURE_TYPE = 0x0300,
	PKCS11_CKA_MECHANISM_TYPE = 0x0500,
	PKCS11_CKA_ALLOWED_MECHANISMS = 0x40000600,
	PKCS11_CKA_UNDEFINED_ID = PKCS11_UNDEFINED_ID,
};

/* CKA_CLASS values (CKO_*). */
enum pkcs11_class_id {
	PKCS11_CKO_DATA = 0x000,
	PKCS11_CKO_CERTIFICATE = 0x001,
	PKCS11_CKO_PUBLIC_KEY = 0x002,
	PKCS11_CKO_PRIVATE_KEY = 0x003,
	PKCS11_CKO_SECRET_KEY = 0x004,
	PKCS11_CKO_HW_FEATURE = 0x005,
	PKCS11_CKO_DOMAIN_PARAMETERS = 0x006,
	PKCS11_CKO_MECHANISM = 0x007,
	PKCS11_CKO_OTP_KEY = 0x008,
	PKCS11_CKO_UNDEFINED_ID = PKCS11_UNDEFINED_ID,
};

/* CKA_KEY_TYPE values (CKK_*). */
enum pkcs11_key_type {
	PKCS11_CKK_RSA = 0x000,
	PKCS11_CKK_DSA = 0x001,
	PKCS11_CKK_DH = 0x002,
	PKCS11_CKK_EC = 0x003,
	PKCS11_CKK_GENERIC_SECRET = 0x010,
	PKCS11_CKK_AES = 0x01f,
	PKCS11_CKK_MD5_HMAC = 0x027,
	PKCS11_CKK_SHA_1_HMAC = 0x028,
	PKCS11_CKK_SHA256_HMAC = 0x02b,
	PKCS11_CKK_SHA384_HMAC = 0x02c,
	PKCS11_CKK_SHA512_HMAC = 0x02d,
	PKCS11_CKK_SHA224_HMAC = 0x02e,
	PKCS11_CKK_EC_EDWARDS = 0x040,
	PKCS11_CKK_UNDEFINED_ID = PKCS11_UNDEFINED_ID,
};

/* CKA_CERTIFICATE_TYPE values. */
#define PKCS11_CKC_X_509 0x000

/* Mechanism ids (CKM_*). */
enum pkcs11_mechanism_id {
	PKCS11_CKM_RSA_PKCS_KEY_PAIR_GEN = 0x00000,
	PKCS11_CKM_RSA_PKCS = 0x00001,
	PKCS11_CKM_RSA_X_509 = 0x00003,
	PKCS11_CKM_SHA1_RSA_PKCS = 0x00006,
	PKCS11_CKM_RSA_PKCS_OAEP = 0x00009,
	PKCS11_CKM_RSA_PKCS_PSS = 0x0000d,
	PKCS11_CKM_SHA1_RSA_PKCS_PSS = 0x0000e,
	PKCS11_CKM_SHA256_RSA_PKCS = 0x00040,
	PKCS11_CKM_SHA384_RSA_PKCS = 0x00041,
	PKCS11_CKM_SHA512_RSA_PKCS = 0x00042,
	PKCS11_CKM_SHA256_RSA_PKCS_PSS = 0x00043,
	PKCS11_CKM_SHA384_RSA_PKCS_PSS = 0x00044,
	PKCS11_CKM_SHA512_RSA_PKCS_PSS = 0x00045,
	PKCS11_CKM_SHA224_RSA_PKCS = 0x00046,
	PKCS11_CKM_SHA224_RSA_PKCS_PSS = 0x00047,
	PKCS11_CKM_MD5 = 0x00210,
	PKCS11_CKM_MD5_HMAC = 0x00211,
	PKCS11_CKM_SHA_1 = 0x00220,
	PKCS11_CKM_SHA_1_HMAC = 0x00221,
	PKCS11_CKM_SHA256 = 0x00250,
	PKCS11_CKM_SHA256_HMAC = 0x00251,
	PKCS11_CKM_SHA224 = 0x00255,
	PKCS11_CKM_SHA224_HMAC = 0x00256,
	PKCS11_CKM_SHA384 = 0x00260,
	PKCS11_CKM_SHA384_HMAC = 0x00261,
	PKCS11_CKM_SHA512 = 0x00270,
	PKCS11_CKM_SHA512_HMAC = 0x00271,
	PKCS11_CKM_GENERIC_SECRET_KEY_GEN = 0x00350,
	PKCS11_CKM_EC_KEY_PAIR_GEN = 0x01040,
	PKCS11_CKM_ECDSA = 0x01041,
	PKCS11_CKM_ECDSA_SHA1 = 0x01042,
	PKCS11_CKM_ECDSA_SHA224 = 0x01043,
	PKCS11_CKM_ECDSA_SHA256 = 0x01044,
	PKCS11_CKM_ECDSA_SHA384 = 0x01045,
	PKCS11_CKM_ECDSA_SHA512 = 0x01046,
	PKCS11_CKM_ECDH1_DERIVE = 0x01050,
	PKCS11_CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x01055,
	PKCS11_CKM_EDDSA = 0x01057,
	PKCS11_CKM_AES_KEY_GEN = 0x01080,
	PKCS11_CKM_AES_ECB = 0x01081,
	PKCS11_CKM_AES_CBC = 0x01082,
	PKCS11_CKM_AES_CBC_PAD = 0x01085,
	PKCS11_CKM_AES_CTR = 0x01086,
	PKCS11_CKM_AES_GCM = 0x01087,
	PKCS11_CKM_AES_CTS = 0x01089,
	PKCS11_CKM_AES_CMAC = 0x0108a,
	PKCS11_CKM_AES_ECB_ENCRYPT_DATA = 0x01104,
	PKCS11_CKM_AES_CBC_ENCRYPT_DATA = 0x01105,
	PKCS11_CKM_AES_KEY_WRAP = 0x02109,
	PKCS11_CKM_AES_KEY_WRAP_PAD = 0x0210a,
	/* Not a CKM: "import", the processing behind C_CreateObject. */
	PKCS11_PROCESSING_IMPORT = 0x80000000,
	PKCS11_CKM_UNDEFINED_ID = PKCS11_UNDEFINED_ID,
};

/* CKG_MGF1_* (RSA PSS/OAEP mgf parameter). */
enum pkcs11_mgf_id {
	PKCS11_CKG_MGF1_SHA1 = 0x0001,
	PKCS11_CKG_MGF1_SHA224 = 0x0005,
	PKCS11_CKG_MGF1_SHA256 = 0x0002,
	PKCS11_CKG_MGF1_SHA384 = 0x0003,
	PKCS11_CKG_MGF1_SHA512 = 0x0004,
};

/* CKZ_DATA_SPECIFIED (RSA OAEP source) and CKD_* (ECDH kdf). */
#define PKCS11_CKZ_DATA_SPECIFIED 0x0001
#define PKCS11_CKD_NULL 0x0001

/*
 * Serialized mechanism parameters (the data of the mechanism
 * pkcs11_attribute_head), all integers 32-bit:
 *   no parameters      size 0
 *   AES CBC            iv[16]
 *   AES CTR            counter bits, cb[16]
 *   AES GCM            iv len, iv, aad len, aad, tag bits
 *   RSA PSS            hash mechanism, mgf, salt length
 *   RSA OAEP           hash mechanism, mgf, source, source len, source data
 *   ECDH1 derive       kdf, shared len, shared data, public len, public data
 *   EdDSA              (none) or: ph flag, context len, context
 */

#endif /* SWTEE_PKCS11_TA_H */
