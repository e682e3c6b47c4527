/*
 * The pkcs11 TA's internal model: one token (slot 0) persisted in trusted
 * storage, clients (one per TEE session, i.e. per PKCS#11 application),
 * their PKCS#11 sessions, and objects. The TA is a single instance serving
 * every client, one command at a time, so this state is plain globals.
 */
#ifndef PKCS11_PRIV_H
#define PKCS11_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <tee_internal_api.h>

#include "serial.h"
#include "template.h"

/* Limits, global and per client: every resource has one. */
#define P11_MAX_CLIENTS 64
#define P11_MAX_SESSIONS_PER_CLIENT 128
#define P11_MAX_SESSIONS 1024
#define P11_MAX_OBJECTS 20000
#define P11_MAX_SESSION_OBJECTS_PER_CLIENT 2000
#define P11_MAX_PIN_LEN 128
#define P11_MIN_PIN_LEN 4
#define P11_PIN_MAX_TRIES 5
#define P11_MAX_ACCUMULATE (1024u * 1024u)

enum p11_login { P11_LOGIN_NONE, P11_LOGIN_USER, P11_LOGIN_SO };

struct p11_client;

/* An object. Token objects are shared by every client and persisted;
 * session objects belong to one client. */
struct p11_object {
	struct p11_object *next;
	uint32_t handle;
	uint32_t storage_id;        /* 0: session object */
	struct p11_client *owner;   /* session objects only */
	uint32_t owner_session;     /* the session that created it */
	struct obj_attrs attrs;
	TEE_ObjectHandle key;       /* cached GP key (asymmetric, AES), or NULL */
	/* A keyed sign/verify operation kept for the next C_SignInit with the
	 * same algorithm: asymmetric GP operations hold no state between
	 * calls, so reusing one saves allocating and keying it per signature. */
	TEE_OperationHandle op_cache;
	uint32_t op_cache_alg;
	uint32_t op_cache_mode;
	bool op_cache_busy;
};

enum p11_op_kind {
	P11_OP_NONE,
	P11_OP_ENCRYPT,
	P11_OP_DECRYPT,
	P11_OP_SIGN,
	P11_OP_VERIFY,
	P11_OP_DIGEST,
	P11_OP_FIND,
};

/* How a sign/verify/encrypt/decrypt runs. */
enum p11_flow {
	P11_FLOW_ASYM_RAW,    /* buffer the input, sign/verify it as given */
	P11_FLOW_ASYM_HASH,   /* hash the input, sign/verify the digest */
	P11_FLOW_MAC,         /* GP MAC operation */
	P11_FLOW_CIPHER,      /* GP cipher operation */
	P11_FLOW_AE,          /* GP authenticated encryption (GCM) */
	P11_FLOW_ASYM_CIPHER, /* RSA encrypt/decrypt, one shot */
	P11_FLOW_DIGEST,      /* GP digest */
};

struct p11_active {
	enum p11_op_kind kind;
	enum p11_flow flow;
	uint32_t mech;
	uint32_t key_handle;
	TEE_OperationHandle op;      /* main operation */
	struct p11_object *op_owner; /* op is op_owner's cached operation */
	TEE_OperationHandle digest;  /* hash-then-sign */
	TEE_Attribute params[1];
	uint32_t param_count;
	uint8_t *buf;                /* accumulated input (raw flows, GCM decrypt) */
	size_t len;
	size_t cap;
	uint32_t tag_len;            /* GCM tag bytes */
	uint32_t out_size;           /* known result size (signature, digest), or 0 */
	uint32_t ec_digest_len;      /* ECDSA: digest length the GP algorithm takes */
	bool updated;                /* multi-part started: no one-shot any more */
	/* Find: matching handles, and how many were returned. */
	uint32_t *found;
	uint32_t found_count;
	uint32_t found_pos;
	bool find_active;
};

struct p11_session {
	struct p11_session *next;
	uint32_t handle;
	bool rw;
	struct p11_active op;      /* crypto or digest */
	struct p11_active find;    /* object search (separate from crypto) */
};

struct p11_client {
	struct p11_client *next;
	struct p11_session *sessions;
	uint32_t session_count;
	uint32_t session_objects;
	enum p11_login login;
};

/* token.c */
struct p11_token_state {
	uint32_t flags;           /* PKCS11_CKFT_* persisted part */
	uint8_t label[PKCS11_TOKEN_LABEL_SIZE];
	uint8_t serial[PKCS11_TOKEN_SERIALNUM_SIZE];
	uint8_t so_salt[16];
	uint8_t so_hash[32];
	uint8_t user_salt[16];
	uint8_t user_hash[32];
	uint32_t so_fails;
	uint32_t user_fails;
	uint32_t next_storage_id;
	uint32_t version;
};
extern struct p11_token_state g_token;
TEE_Result p11_token_load(void);
uint32_t p11_token_save(void);
uint32_t p11_token_info(struct pkcs11_token_info *info);
uint32_t p11_token_init(const uint8_t *pin, uint32_t pin_len, const uint8_t *label);
uint32_t p11_login(struct p11_client *c, struct p11_session *s, uint32_t user,
		   const uint8_t *pin, uint32_t pin_len);
uint32_t p11_logout(struct p11_client *c);
uint32_t p11_init_pin(struct p11_client *c, struct p11_session *s,
		      const uint8_t *pin, uint32_t pin_len);
uint32_t p11_set_pin(struct p11_client *c, struct p11_session *s,
		     const uint8_t *old_pin, uint32_t old_len,
		     const uint8_t *new_pin, uint32_t new_len);

/* session.c */
extern struct p11_client *g_clients;
extern uint32_t g_session_total;
struct p11_client *p11_client_new(void);
void p11_client_free(struct p11_client *c);
uint32_t p11_session_open(struct p11_client *c, uint32_t flags, uint32_t *handle);
uint32_t p11_session_close(struct p11_client *c, uint32_t handle);
void p11_session_close_all(struct p11_client *c);
struct p11_session *p11_session_get(struct p11_client *c, uint32_t handle);
uint32_t p11_session_state(const struct p11_client *c, const struct p11_session *s);
void p11_active_release(struct p11_active *a);
bool p11_client_has_ro_session(const struct p11_client *c);

/* object.c */
TEE_Result p11_objects_load(void);
void p11_objects_wipe_token(void);
void p11_objects_drop_session(struct p11_client *c, uint32_t session);
void p11_objects_drop_client(struct p11_client *c);
/* Finds an object visible to client c; NULL if none. */
struct p11_object *p11_object_get(struct p11_client *c, uint32_t handle);
/* Creates an object from complete attributes (takes them over). */
uint32_t p11_object_add(struct p11_client *c, struct p11_session *s,
			struct obj_attrs *attrs, uint32_t *handle);
uint32_t p11_object_destroy(struct p11_client *c, struct p11_session *s,
			    struct p11_object *o);
uint32_t p11_object_update(struct p11_object *o, const struct obj_attrs *changes);
/* May client c (in session s) create/modify an object with these
 * attributes? Checks login state and session R/W for token objects. */
uint32_t p11_object_access(struct p11_client *c, struct p11_session *s,
			   const struct obj_attrs *attrs, bool write);
uint32_t p11_find_init(struct p11_client *c, struct p11_session *s,
		       const struct obj_attrs *tmpl);
uint32_t p11_object_count(void);
/* Releases every active operation that uses object o's cached operation. */
void p11_release_ops_on(struct p11_object *o);

/* keys.c: GP keys from object attributes, and key generation. */
uint32_t p11_key_load(struct p11_object *o, uint32_t usage_mech, TEE_ObjectHandle *out,
		      bool *owned);
uint32_t p11_generate_key(uint32_t mech, const uint8_t *params, uint32_t psize,
			  struct obj_attrs *attrs);
uint32_t p11_generate_key_pair(uint32_t mech, struct obj_attrs *pub,
			       struct obj_attrs *priv);
uint32_t p11_ec_curve_of(const struct obj_attrs *o, uint32_t *curve, uint32_t *bits);

/* processing.c */
uint32_t p11_crypto_init(struct p11_client *c, struct p11_session *s,
			 enum p11_op_kind kind, uint32_t key_handle, uint32_t mech,
			 const uint8_t *params, uint32_t psize);
uint32_t p11_crypto_step(struct p11_session *s, enum p11_op_kind kind, uint32_t step,
			 const void *in, size_t in_len, void *out, size_t *out_len);
uint32_t p11_digest_init(struct p11_session *s, uint32_t mech);
uint32_t p11_derive(struct p11_client *c, struct p11_session *s, uint32_t key_handle,
		    uint32_t mech, const uint8_t *params, uint32_t psize,
		    const struct obj_attrs *tmpl, uint32_t *handle);
uint32_t p11_wrap(struct p11_client *c, struct p11_session *s, uint32_t wrapping,
		  uint32_t key, uint32_t mech, const uint8_t *params, uint32_t psize,
		  void *out, size_t *out_len);
uint32_t p11_unwrap(struct p11_client *c, struct p11_session *s, uint32_t unwrapping,
		    uint32_t mech, const uint8_t *params, uint32_t psize,
		    const struct obj_attrs *tmpl, const void *in, size_t in_len,
		    uint32_t *handle);
/* Steps of p11_crypto_step. */
#define P11_STEP_UPDATE 0
#define P11_STEP_FINAL 1
#define P11_STEP_ONESHOT 2

/* mechanisms.c */
struct p11_mech_desc {
	uint32_t id;
	uint32_t flags;     /* PKCS11_CKFM_* */
	uint32_t min_key;
	uint32_t max_key;
};
const struct p11_mech_desc *p11_mech_find(uint32_t id);
uint32_t p11_mech_count(void);
const struct p11_mech_desc *p11_mech_at(uint32_t i);

/* Helpers: GP result to CKR. */
uint32_t p11_tee2rc(TEE_Result res);

#endif /* PKCS11_PRIV_H */
