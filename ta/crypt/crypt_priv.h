/*
 * Internals of the crypt TA shared by its command files: the per-session
 * handle tables, attribute-blob parsing and the command handler signature.
 */
#ifndef CRYPT_PRIV_H
#define CRYPT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <crypt_ta.h>

/* A session's handles: id N lives in slot N - 1. */
struct crypt_session {
	TEE_ObjectHandle objects[CRYPT_MAX_HANDLES];
	TEE_OperationHandle operations[CRYPT_MAX_HANDLES];
};


/* ---- handle_table.c ---- */
/* Stores h in a free slot; TEE_ERROR_OUT_OF_MEMORY when the table is full. */
TEE_Result crypt_put_object(struct crypt_session *s, TEE_ObjectHandle h, uint32_t *id);
TEE_Result crypt_put_operation(struct crypt_session *s, TEE_OperationHandle h, uint32_t *id);
/* BAD_PARAMETERS for an id that names no live handle; id 0 gives
 * TEE_HANDLE_NULL only when allow_null. */
TEE_Result crypt_get_object(struct crypt_session *s, uint32_t id, int allow_null, TEE_ObjectHandle *h);
TEE_Result crypt_get_operation(struct crypt_session *s, uint32_t id, TEE_OperationHandle *h);
/* Forget the id (the caller frees the handle). */
void crypt_drop_object(struct crypt_session *s, uint32_t id);
void crypt_drop_operation(struct crypt_session *s, uint32_t id);
/* Frees every handle still in the tables. */
void crypt_session_free_all(struct crypt_session *s);

/* ---- attr_blob.c ---- */
struct crypt_attrs {
	TEE_Attribute attrs[CRYPT_MAX_ATTRS];
	uint32_t count;
	void *copy; /* private snapshot the ref attributes point into (or NULL) */
};

/* Parses a blob already in private memory; the attributes point into buf. */
TEE_Result crypt_attrs_parse(const uint8_t *buf, size_t len, struct crypt_attrs *out);
/* Copies a blob out of shared memory (read once), then parses the copy.
 * An empty blob (len 0) gives zero attributes. */
TEE_Result crypt_attrs_snapshot(const void *shm, size_t len, struct crypt_attrs *out);
void crypt_attrs_free(struct crypt_attrs *a);

/* ---- dispatch.c ---- */
/* What p0.a names, resolved before the handler runs. */
enum crypt_p0 {
	CRYPT_P0_NONE, /* nothing: the handler reads p0 itself */
	CRYPT_P0_OPERATION,
	CRYPT_P0_OBJECT,
};

/* Slots that may also be NONE (a missing optional input). */
#define CRYPT_OPT_P1 (1u << 1)
#define CRYPT_OPT_P2 (1u << 2)
#define CRYPT_OPT_P3 (1u << 3)

/* One invoke after the dispatcher checked its layout and resolved p0.a. */
struct crypt_call {
	struct crypt_session *s;
	uint32_t pt;
	TEE_Param *p;
	TEE_OperationHandle op; /* CRYPT_P0_OPERATION */
	TEE_ObjectHandle obj; /* CRYPT_P0_OBJECT */
	const void *in; /* p1 when it is an input memref, else NULL */
	size_t in_len;
};

typedef TEE_Result (*crypt_handler)(struct crypt_call *c);

/* A command's contract: the param layout it takes and what p0.a names. */
struct crypt_entry {
	enum crypt_cmd cmd;
	enum crypt_p0 p0;
	uint32_t layout; /* PTYPES(...) */
	uint32_t optional; /* CRYPT_OPT_* */
	crypt_handler fn;
};

/* Checks pt against e->layout (BAD_PARAMETERS), resolves p0.a
 * (BAD_PARAMETERS for an id naming no live handle), then runs e->fn. */
TEE_Result crypt_dispatch(const struct crypt_entry *e, struct crypt_session *s, uint32_t pt,
			  TEE_Param p[TEE_NUM_PARAMS]);

/* Copies len bytes into the output memref p, or answers SHORT_BUFFER with
 * the size needed. */
TEE_Result crypt_copy_out(TEE_Param *p, const void *v, size_t len);

/* ---- command handlers (cmd_*.c) ---- */
#define CRYPT_HANDLER(name) TEE_Result name(struct crypt_call *c)

CRYPT_HANDLER(crypt_cmd_allocate_operation);
CRYPT_HANDLER(crypt_cmd_free_operation);
CRYPT_HANDLER(crypt_cmd_get_operation_info);
CRYPT_HANDLER(crypt_cmd_get_operation_info_multiple);
CRYPT_HANDLER(crypt_cmd_reset_operation);
CRYPT_HANDLER(crypt_cmd_set_operation_key);
CRYPT_HANDLER(crypt_cmd_set_operation_key2);
CRYPT_HANDLER(crypt_cmd_copy_operation);
CRYPT_HANDLER(crypt_cmd_is_algorithm_supported);

CRYPT_HANDLER(crypt_cmd_digest_update);
CRYPT_HANDLER(crypt_cmd_digest_do_final);
CRYPT_HANDLER(crypt_cmd_digest_extract);
CRYPT_HANDLER(crypt_cmd_cipher_init);
CRYPT_HANDLER(crypt_cmd_cipher_update);
CRYPT_HANDLER(crypt_cmd_cipher_do_final);
CRYPT_HANDLER(crypt_cmd_mac_init);
CRYPT_HANDLER(crypt_cmd_mac_update);
CRYPT_HANDLER(crypt_cmd_mac_compute_final);
CRYPT_HANDLER(crypt_cmd_mac_compare_final);
CRYPT_HANDLER(crypt_cmd_ae_init);
CRYPT_HANDLER(crypt_cmd_ae_update_aad);
CRYPT_HANDLER(crypt_cmd_ae_update);
CRYPT_HANDLER(crypt_cmd_ae_encrypt_final);
CRYPT_HANDLER(crypt_cmd_ae_decrypt_final);

CRYPT_HANDLER(crypt_cmd_asymmetric_encrypt);
CRYPT_HANDLER(crypt_cmd_asymmetric_decrypt);
CRYPT_HANDLER(crypt_cmd_asymmetric_sign_digest);
CRYPT_HANDLER(crypt_cmd_asymmetric_verify_digest);
CRYPT_HANDLER(crypt_cmd_derive_key);
CRYPT_HANDLER(crypt_cmd_random_number_generate);

CRYPT_HANDLER(crypt_cmd_allocate_transient_object);
CRYPT_HANDLER(crypt_cmd_free_transient_object);
CRYPT_HANDLER(crypt_cmd_reset_transient_object);
CRYPT_HANDLER(crypt_cmd_populate_transient_object);
CRYPT_HANDLER(crypt_cmd_copy_object_attributes1);
CRYPT_HANDLER(crypt_cmd_generate_key);
CRYPT_HANDLER(crypt_cmd_get_object_buffer_attribute);
CRYPT_HANDLER(crypt_cmd_get_object_value_attribute);
CRYPT_HANDLER(crypt_cmd_get_object_info1);
CRYPT_HANDLER(crypt_cmd_restrict_object_usage1);

CRYPT_HANDLER(crypt_cmd_oneshot);
CRYPT_HANDLER(crypt_cmd_bulk);

/* Param-type shorthands. */
#define PT_NONE TEE_PARAM_TYPE_NONE
#define PT_VIN TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_MIN TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT TEE_PARAM_TYPE_MEMREF_OUTPUT
#define PT_MIO TEE_PARAM_TYPE_MEMREF_INOUT
#define PTYPES(a, b, c, d) TEE_PARAM_TYPES(PT_##a, PT_##b, PT_##c, PT_##d)

/* The type of param i. */
#define PTYPE(pt, i) TEE_PARAM_TYPE_GET((pt), (i))

#endif
