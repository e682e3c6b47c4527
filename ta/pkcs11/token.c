/*
 * The token: label, PINs and failure counters, persisted as one object in
 * the TA's private trusted storage. PINs are kept as salted, iterated
 * SHA-256 hashes; every wrong PIN is counted durably before the answer goes
 * out, and P11_PIN_MAX_TRIES wrong PINs in a row lock that PIN.
 */
#include <string.h>

#include "pkcs11_priv.h"

#define TOKEN_OBJ_ID "token"
#define TOKEN_VERSION 1
#define PIN_HASH_ROUNDS 1000
#define TOKEN_PERSIST_FLAGS (PKCS11_CKFT_TOKEN_INITIALIZED | \
			     PKCS11_CKFT_USER_PIN_INITIALIZED)

struct p11_token_state g_token;

static void set_default_label(void)
{
	static const char def[] = "swtee token";

	TEE_MemFill(g_token.label, ' ', sizeof(g_token.label));
	TEE_MemMove(g_token.label, def, sizeof(def) - 1);
}

TEE_Result p11_token_load(void)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;
	size_t n = 0;

	res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, TOKEN_OBJ_ID,
				       sizeof(TOKEN_OBJ_ID) - 1,
				       TEE_DATA_FLAG_ACCESS_READ, &h);
	if (res == TEE_ERROR_ITEM_NOT_FOUND) {
		/* A fresh token: uninitialized, with a random serial. */
		TEE_MemFill(&g_token, 0, sizeof(g_token));
		g_token.version = TOKEN_VERSION;
		g_token.next_storage_id = 1;
		set_default_label();
		{
			uint8_t rnd[8];
			static const char hex[] = "0123456789abcdef";
			size_t i = 0;

			TEE_GenerateRandom(rnd, sizeof(rnd));
			for (i = 0; i < sizeof(rnd); i++) {
				g_token.serial[2 * i] = hex[rnd[i] >> 4];
				g_token.serial[2 * i + 1] = hex[rnd[i] & 15];
			}
		}
		return p11_token_save() ? TEE_ERROR_STORAGE_NOT_AVAILABLE : TEE_SUCCESS;
	}
	if (res)
		return res;
	res = TEE_ReadObjectData(h, &g_token, sizeof(g_token), &n);
	TEE_CloseObject(h);
	if (res)
		return res;
	/* Storage fails closed: a record of the wrong shape is refused. */
	if (n != sizeof(g_token) || g_token.version != TOKEN_VERSION)
		return TEE_ERROR_CORRUPT_OBJECT;
	return TEE_SUCCESS;
}

uint32_t p11_token_save(void)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, TOKEN_OBJ_ID,
					 sizeof(TOKEN_OBJ_ID) - 1,
					 TEE_DATA_FLAG_ACCESS_WRITE |
					 TEE_DATA_FLAG_OVERWRITE,
					 TEE_HANDLE_NULL, &g_token, sizeof(g_token),
					 &h);
	if (res)
		return PKCS11_CKR_DEVICE_ERROR;
	TEE_CloseObject(h);
	return PKCS11_CKR_OK;
}

static void pin_hash(const uint8_t *salt, const uint8_t *pin, uint32_t pin_len,
		     uint8_t out[32])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	size_t out_len = 32;
	uint32_t i = 0;

	if (TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0))
		TEE_Panic(0);
	TEE_DigestUpdate(op, salt, 16);
	if (TEE_DigestDoFinal(op, pin, pin_len, out, &out_len))
		TEE_Panic(0);
	for (i = 1; i < PIN_HASH_ROUNDS; i++) {
		out_len = 32;
		TEE_DigestUpdate(op, out, 32);
		if (TEE_DigestDoFinal(op, salt, 16, out, &out_len))
			TEE_Panic(0);
	}
	TEE_FreeOperation(op);
}

static bool equal_ct(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;
	size_t i = 0;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

static uint32_t check_pin_len(uint32_t len)
{
	if (len < P11_MIN_PIN_LEN || len > P11_MAX_PIN_LEN)
		return PKCS11_CKR_PIN_LEN_RANGE;
	return PKCS11_CKR_OK;
}

static void set_pin(uint8_t *salt, uint8_t *hash, const uint8_t *pin, uint32_t len)
{
	TEE_GenerateRandom(salt, 16);
	pin_hash(salt, pin, len, hash);
}

/*
 * Verifies a PIN against (salt, hash) with failure counting. The counter
 * is saved before the answer, so killing the client cannot reset it.
 */
static uint32_t verify_pin(const uint8_t *salt, const uint8_t *hash,
			   uint32_t *fails, const uint8_t *pin, uint32_t len)
{
	uint8_t h[32];
	bool ok = false;
	uint32_t rc = 0;

	if (*fails >= P11_PIN_MAX_TRIES)
		return PKCS11_CKR_PIN_LOCKED;
	if (len > P11_MAX_PIN_LEN)
		ok = false;
	else {
		pin_hash(salt, pin, len, h);
		ok = equal_ct(h, hash, 32);
	}
	if (ok) {
		if (*fails) {
			*fails = 0;
			rc = p11_token_save();
		}
		return rc;
	}
	(*fails)++;
	rc = p11_token_save();
	if (rc)
		return rc;
	return *fails >= P11_PIN_MAX_TRIES ? PKCS11_CKR_PIN_LOCKED :
					     PKCS11_CKR_PIN_INCORRECT;
}

uint32_t p11_token_info(struct pkcs11_token_info *info)
{
	static const char manuf[] = "swtee";
	static const char model[] = "swtee pkcs11 TA";
	uint32_t f = g_token.flags & TOKEN_PERSIST_FLAGS;
	uint32_t rw = 0;
	struct p11_client *c = NULL;
	struct p11_session *s = NULL;

	TEE_MemFill(info, 0, sizeof(*info));
	TEE_MemMove(info->label, g_token.label, sizeof(info->label));
	TEE_MemFill(info->manufacturer_id, ' ', sizeof(info->manufacturer_id));
	TEE_MemMove(info->manufacturer_id, manuf, sizeof(manuf) - 1);
	TEE_MemFill(info->model, ' ', sizeof(info->model));
	TEE_MemMove(info->model, model, sizeof(model) - 1);
	TEE_MemMove(info->serial_number, g_token.serial, sizeof(info->serial_number));

	f |= PKCS11_CKFT_RNG | PKCS11_CKFT_LOGIN_REQUIRED |
	     PKCS11_CKFT_RESTORE_KEY_NOT_NEEDED;
	if (g_token.user_fails)
		f |= PKCS11_CKFT_USER_PIN_COUNT_LOW;
	if (g_token.user_fails == P11_PIN_MAX_TRIES - 1)
		f |= PKCS11_CKFT_USER_PIN_FINAL_TRY;
	if (g_token.user_fails >= P11_PIN_MAX_TRIES)
		f |= PKCS11_CKFT_USER_PIN_LOCKED;
	if (g_token.so_fails)
		f |= PKCS11_CKFT_SO_PIN_COUNT_LOW;
	if (g_token.so_fails == P11_PIN_MAX_TRIES - 1)
		f |= PKCS11_CKFT_SO_PIN_FINAL_TRY;
	if (g_token.so_fails >= P11_PIN_MAX_TRIES)
		f |= PKCS11_CKFT_SO_PIN_LOCKED;
	info->flags = f;

	for (c = g_clients; c; c = c->next)
		for (s = c->sessions; s; s = s->next)
			rw += s->rw ? 1 : 0;
	info->max_session_count = P11_MAX_SESSIONS;
	info->session_count = g_session_total;
	info->max_rw_session_count = P11_MAX_SESSIONS;
	info->rw_session_count = rw;
	info->max_pin_len = P11_MAX_PIN_LEN;
	info->min_pin_len = P11_MIN_PIN_LEN;
	info->total_public_memory = PKCS11_CK_UNAVAILABLE_INFORMATION;
	info->free_public_memory = PKCS11_CK_UNAVAILABLE_INFORMATION;
	info->total_private_memory = PKCS11_CK_UNAVAILABLE_INFORMATION;
	info->free_private_memory = PKCS11_CK_UNAVAILABLE_INFORMATION;
	info->hardware_version[0] = 0;
	info->firmware_version[0] = PKCS11_TA_VERSION_MAJOR;
	info->firmware_version[1] = PKCS11_TA_VERSION_MINOR;
	return PKCS11_CKR_OK;
}

uint32_t p11_token_init(const uint8_t *pin, uint32_t pin_len, const uint8_t *label)
{
	uint32_t rc = check_pin_len(pin_len);

	if (rc)
		return rc;
	if (g_session_total)
		return PKCS11_CKR_SESSION_EXISTS;
	if (g_token.flags & PKCS11_CKFT_TOKEN_INITIALIZED) {
		rc = verify_pin(g_token.so_salt, g_token.so_hash, &g_token.so_fails,
				pin, pin_len);
		if (rc)
			return rc;
	}
	/* Re-initialisation destroys every token object. */
	p11_objects_wipe_token();
	set_pin(g_token.so_salt, g_token.so_hash, pin, pin_len);
	TEE_MemFill(g_token.user_salt, 0, sizeof(g_token.user_salt));
	TEE_MemFill(g_token.user_hash, 0, sizeof(g_token.user_hash));
	g_token.so_fails = 0;
	g_token.user_fails = 0;
	TEE_MemMove(g_token.label, label, sizeof(g_token.label));
	g_token.flags = PKCS11_CKFT_TOKEN_INITIALIZED;
	return p11_token_save();
}

uint32_t p11_login(struct p11_client *c, struct p11_session *s, uint32_t user,
		   const uint8_t *pin, uint32_t pin_len)
{
	uint32_t rc = 0;

	(void)s;
	if (!(g_token.flags & PKCS11_CKFT_TOKEN_INITIALIZED))
		return PKCS11_CKR_USER_PIN_NOT_INITIALIZED;
	switch (user) {
	case PKCS11_CKU_SO:
		if (c->login == P11_LOGIN_SO)
			return PKCS11_CKR_USER_ALREADY_LOGGED_IN;
		if (c->login == P11_LOGIN_USER)
			return PKCS11_CKR_USER_ANOTHER_ALREADY_LOGGED_IN;
		if (p11_client_has_ro_session(c))
			return PKCS11_CKR_SESSION_READ_ONLY_EXISTS;
		rc = verify_pin(g_token.so_salt, g_token.so_hash, &g_token.so_fails,
				pin, pin_len);
		if (!rc)
			c->login = P11_LOGIN_SO;
		return rc;
	case PKCS11_CKU_USER:
		if (c->login == P11_LOGIN_USER)
			return PKCS11_CKR_USER_ALREADY_LOGGED_IN;
		if (c->login == P11_LOGIN_SO)
			return PKCS11_CKR_USER_ANOTHER_ALREADY_LOGGED_IN;
		/* fallthrough */
	case PKCS11_CKU_CONTEXT_SPECIFIC:
		if (user == PKCS11_CKU_CONTEXT_SPECIFIC && c->login != P11_LOGIN_USER)
			return PKCS11_CKR_USER_NOT_LOGGED_IN;
		if (!(g_token.flags & PKCS11_CKFT_USER_PIN_INITIALIZED))
			return PKCS11_CKR_USER_PIN_NOT_INITIALIZED;
		rc = verify_pin(g_token.user_salt, g_token.user_hash,
				&g_token.user_fails, pin, pin_len);
		if (!rc)
			c->login = P11_LOGIN_USER;
		return rc;
	default:
		return PKCS11_CKR_USER_TYPE_INVALID;
	}
}

uint32_t p11_logout(struct p11_client *c)
{
	struct p11_session *s = NULL;

	if (c->login == P11_LOGIN_NONE)
		return PKCS11_CKR_USER_NOT_LOGGED_IN;
	c->login = P11_LOGIN_NONE;
	/* Operations on private objects end with the login. */
	for (s = c->sessions; s; s = s->next) {
		p11_active_release(&s->op);
		p11_active_release(&s->find);
	}
	return PKCS11_CKR_OK;
}

uint32_t p11_init_pin(struct p11_client *c, struct p11_session *s,
		      const uint8_t *pin, uint32_t pin_len)
{
	uint32_t rc = check_pin_len(pin_len);

	if (rc)
		return rc;
	if (c->login != P11_LOGIN_SO || !s->rw)
		return PKCS11_CKR_USER_NOT_LOGGED_IN;
	set_pin(g_token.user_salt, g_token.user_hash, pin, pin_len);
	g_token.user_fails = 0;
	g_token.flags |= PKCS11_CKFT_USER_PIN_INITIALIZED;
	return p11_token_save();
}

uint32_t p11_set_pin(struct p11_client *c, struct p11_session *s,
		     const uint8_t *old_pin, uint32_t old_len,
		     const uint8_t *new_pin, uint32_t new_len)
{
	uint32_t rc = check_pin_len(new_len);

	if (rc)
		return rc;
	if (!s->rw)
		return PKCS11_CKR_SESSION_READ_ONLY;
	if (c->login == P11_LOGIN_SO) {
		rc = verify_pin(g_token.so_salt, g_token.so_hash, &g_token.so_fails,
				old_pin, old_len);
		if (rc)
			return rc;
		set_pin(g_token.so_salt, g_token.so_hash, new_pin, new_len);
		return p11_token_save();
	}
	if (!(g_token.flags & PKCS11_CKFT_USER_PIN_INITIALIZED))
		return PKCS11_CKR_USER_PIN_NOT_INITIALIZED;
	rc = verify_pin(g_token.user_salt, g_token.user_hash, &g_token.user_fails,
			old_pin, old_len);
	if (rc)
		return rc;
	set_pin(g_token.user_salt, g_token.user_hash, new_pin, new_len);
	return p11_token_save();
}
