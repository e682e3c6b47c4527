/*
 * Objects: one list for token and session objects. Token objects are kept
 * in memory and persisted, one trusted-storage object each ("o" + storage
 * id), written whole on every change so a failed write leaves the old
 * object intact. An object is linked into the list only once it is
 * complete and stored: a failure leaves no partial object.
 */
#include "pkcs11_priv.h"

static struct p11_object *g_objects;
static uint32_t g_object_count;
static uint32_t g_next_handle = 1;

#define OBJ_ID_LEN 9

static void storage_name(uint32_t id, char out[OBJ_ID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	int i = 0;

	out[0] = 'o';
	for (i = 0; i < 8; i++)
		out[1 + i] = hex[(id >> (28 - 4 * i)) & 15];
	out[OBJ_ID_LEN] = 0;
}

uint32_t p11_object_count(void)
{
	return g_object_count;
}

static void object_free(struct p11_object *o)
{
	p11_release_ops_on(o);
	if (o->op_cache)
		TEE_FreeOperation(o->op_cache);
	if (o->key)
		TEE_FreeTransientObject(o->key);
	p11_attrs_free(&o->attrs);
	TEE_Free(o);
}

static uint32_t persist(uint32_t storage_id, const struct obj_attrs *a)
{
	char name[OBJ_ID_LEN + 1];
	size_t n = p11_attrs_serial_size(a);
	uint8_t *buf = TEE_Malloc(n, 0);
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!buf)
		return PKCS11_CKR_DEVICE_MEMORY;
	p11_attrs_serialize(a, buf);
	storage_name(storage_id, name);
	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, name, OBJ_ID_LEN,
					 TEE_DATA_FLAG_ACCESS_WRITE |
					 TEE_DATA_FLAG_OVERWRITE,
					 TEE_HANDLE_NULL, buf, n, &h);
	TEE_MemFill(buf, 0, n);
	TEE_Free(buf);
	if (res == TEE_ERROR_STORAGE_NO_SPACE)
		return PKCS11_CKR_DEVICE_MEMORY;
	if (res)
		return PKCS11_CKR_DEVICE_ERROR;
	TEE_CloseObject(h);
	return PKCS11_CKR_OK;
}

static void unpersist(uint32_t storage_id)
{
	char name[OBJ_ID_LEN + 1];
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	storage_name(storage_id, name);
	if (!TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, name, OBJ_ID_LEN,
				      TEE_DATA_FLAG_ACCESS_WRITE_META, &h))
		TEE_CloseAndDeletePersistentObject1(h);
}

static void link_object(struct p11_object *o)
{
	o->handle = g_next_handle++;
	if (!g_next_handle)
		g_next_handle = 1;
	o->next = g_objects;
	g_objects = o;
	g_object_count++;
}

static TEE_Result load_one(const char *name, size_t name_len)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	struct p11_object *o = NULL;
	uint8_t *buf = NULL;
	size_t n = 0;
	uint32_t id = 0;
	uint32_t i = 0;
	TEE_Result res = TEE_SUCCESS;

	if (name_len != OBJ_ID_LEN || name[0] != 'o')
		return TEE_SUCCESS; /* the token record, or not ours */
	for (i = 1; i < OBJ_ID_LEN; i++) {
		char ch = name[i];
		uint32_t d = 0;

		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else
			return TEE_SUCCESS;
		id = (id << 4) | d;
	}
	res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, name, name_len,
				       TEE_DATA_FLAG_ACCESS_READ, &h);
	if (res)
		return res;
	res = TEE_GetObjectInfo1(h, &info);
	if (!res && info.dataSize > P11_MAX_ATTRS_SIZE + 8)
		res = TEE_ERROR_CORRUPT_OBJECT;
	if (!res) {
		buf = TEE_Malloc(info.dataSize ? info.dataSize : 1, 0);
		if (!buf)
			res = TEE_ERROR_OUT_OF_MEMORY;
	}
	if (!res)
		res = TEE_ReadObjectData(h, buf, info.dataSize, &n);
	TEE_CloseObject(h);
	if (!res) {
		o = TEE_Malloc(sizeof(*o), TEE_MALLOC_FILL_ZERO);
		if (!o)
			res = TEE_ERROR_OUT_OF_MEMORY;
	}
	if (!res && (n != info.dataSize ||
		     p11_attrs_parse(buf, n, &o->attrs, NULL)))
		res = TEE_ERROR_CORRUPT_OBJECT;
	if (buf) {
		TEE_MemFill(buf, 0, info.dataSize);
		TEE_Free(buf);
	}
	if (res) {
		if (o)
			object_free(o);
		return res;
	}
	o->storage_id = id;
	if (id >= g_token.next_storage_id)
		g_token.next_storage_id = id + 1;
	link_object(o);
	return TEE_SUCCESS;
}

TEE_Result p11_objects_load(void)
{
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	char name[TEE_OBJECT_ID_MAX_LEN];
	size_t name_len = sizeof(name);
	TEE_Result res = TEE_SUCCESS;

	res = TEE_AllocatePersistentObjectEnumerator(&e);
	if (res)
		return res;
	res = TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE);
	if (res == TEE_ERROR_ITEM_NOT_FOUND) {
		TEE_FreePersistentObjectEnumerator(e);
		return TEE_SUCCESS;
	}
	while (!res) {
		name_len = sizeof(name);
		res = TEE_GetNextPersistentObject(e, &info, name, &name_len);
		if (res)
			break;
		res = load_one(name, name_len);
	}
	TEE_FreePersistentObjectEnumerator(e);
	return res == TEE_ERROR_ITEM_NOT_FOUND ? TEE_SUCCESS : res;
}

static void unlink_where(bool (*pred)(struct p11_object *, void *), void *arg)
{
	struct p11_object **pp = &g_objects;

	while (*pp) {
		struct p11_object *o = *pp;

		if (pred(o, arg)) {
			*pp = o->next;
			g_object_count--;
			object_free(o);
		} else {
			pp = &o->next;
		}
	}
}

static bool is_token_obj(struct p11_object *o, void *arg)
{
	(void)arg;
	if (!o->storage_id)
		return false;
	unpersist(o->storage_id);
	return true;
}

void p11_objects_wipe_token(void)
{
	unlink_where(is_token_obj, NULL);
}

struct owner_match {
	struct p11_client *c;
	uint32_t session;
};

static bool owned_by(struct p11_object *o, void *arg)
{
	struct owner_match *m = arg;

	return !o->storage_id && o->owner == m->c &&
	       (!m->session || o->owner_session == m->session);
}

void p11_objects_drop_session(struct p11_client *c, uint32_t session)
{
	struct owner_match m = { .c = c, .session = session };
	struct p11_object *o = NULL;
	uint32_t n = 0;

	unlink_where(owned_by, &m);
	for (o = g_objects; o; o = o->next)
		if (!o->storage_id && o->owner == c)
			n++;
	c->session_objects = n;
}

void p11_objects_drop_client(struct p11_client *c)
{
	struct owner_match m = { .c = c, .session = 0 };

	unlink_where(owned_by, &m);
	c->session_objects = 0;
}

static bool visible(struct p11_client *c, struct p11_object *o)
{
	if (!o->storage_id && o->owner != c)
		return false;
	if (p11_attrs_bool_or(&o->attrs, PKCS11_CKA_PRIVATE, false) &&
	    c->login != P11_LOGIN_USER)
		return false;
	return true;
}

struct p11_object *p11_object_get(struct p11_client *c, uint32_t handle)
{
	struct p11_object *o = NULL;

	for (o = g_objects; o; o = o->next)
		if (o->handle == handle)
			return visible(c, o) ? o : NULL;
	return NULL;
}

uint32_t p11_object_access(struct p11_client *c, struct p11_session *s,
			   const struct obj_attrs *attrs, bool write)
{
	bool token = p11_attrs_bool_or(attrs, PKCS11_CKA_TOKEN, false);
	bool priv = p11_attrs_bool_or(attrs, PKCS11_CKA_PRIVATE, false);

	if (priv && c->login != P11_LOGIN_USER)
		return PKCS11_CKR_USER_NOT_LOGGED_IN;
	if (write && token && !s->rw)
		return PKCS11_CKR_SESSION_READ_ONLY;
	if (write && token && !(g_token.flags & PKCS11_CKFT_TOKEN_INITIALIZED))
		return PKCS11_CKR_TOKEN_NOT_RECOGNIZED;
	return PKCS11_CKR_OK;
}

uint32_t p11_object_add(struct p11_client *c, struct p11_session *s,
			struct obj_attrs *attrs, uint32_t *handle)
{
	bool token = p11_attrs_bool_or(attrs, PKCS11_CKA_TOKEN, false);
	struct p11_object *o = NULL;
	uint32_t rc = 0;

	if (g_object_count >= P11_MAX_OBJECTS ||
	    (!token && c->session_objects >= P11_MAX_SESSION_OBJECTS_PER_CLIENT))
		return PKCS11_CKR_DEVICE_MEMORY;
	o = TEE_Malloc(sizeof(*o), TEE_MALLOC_FILL_ZERO);
	if (!o)
		return PKCS11_CKR_DEVICE_MEMORY;
	if (token) {
		uint32_t id = g_token.next_storage_id;

		rc = persist(id, attrs);
		if (rc) {
			TEE_Free(o);
			return rc;
		}
		g_token.next_storage_id = id + 1;
		o->storage_id = id;
	} else {
		o->owner = c;
		o->owner_session = s->handle;
		c->session_objects++;
	}
	o->attrs = *attrs;
	p11_attrs_init(attrs);
	link_object(o);
	*handle = o->handle;
	return PKCS11_CKR_OK;
}

uint32_t p11_object_destroy(struct p11_client *c, struct p11_session *s,
			    struct p11_object *o)
{
	struct p11_object **pp = &g_objects;
	uint32_t rc = p11_object_access(c, s, &o->attrs, true);

	if (rc)
		return rc;
	if (!p11_attrs_bool_or(&o->attrs, PKCS11_CKA_DESTROYABLE, true))
		return PKCS11_CKR_ACTION_PROHIBITED;
	while (*pp && *pp != o)
		pp = &(*pp)->next;
	if (!*pp)
		return PKCS11_CKR_OBJECT_HANDLE_INVALID;
	if (o->storage_id)
		unpersist(o->storage_id);
	else if (o->owner)
		o->owner->session_objects--;
	*pp = o->next;
	g_object_count--;
	object_free(o);
	return PKCS11_CKR_OK;
}

uint32_t p11_object_update(struct p11_object *o, const struct obj_attrs *changes)
{
	struct obj_attrs n;
	uint32_t pos = 0;
	uint32_t id = 0;
	const uint8_t *v = NULL;
	uint32_t sz = 0;
	uint32_t rc = p11_attrs_copy(&n, &o->attrs);

	while (!rc && p11_attrs_next(changes, &pos, &id, &v, &sz))
		rc = p11_attrs_set(&n, id, v, sz);
	if (!rc && o->storage_id)
		rc = persist(o->storage_id, &n);
	if (rc) {
		p11_attrs_free(&n);
		return rc;
	}
	p11_attrs_free(&o->attrs);
	o->attrs = n;
	return PKCS11_CKR_OK;
}

uint32_t p11_find_init(struct p11_client *c, struct p11_session *s,
		       const struct obj_attrs *tmpl)
{
	struct p11_active *f = &s->find;
	struct p11_object *o = NULL;
	uint32_t n = 0;

	if (f->find_active)
		return PKCS11_CKR_OPERATION_ACTIVE;
	f->found = TEE_Malloc((g_object_count ? g_object_count : 1) * sizeof(uint32_t),
			      0);
	if (!f->found)
		return PKCS11_CKR_DEVICE_MEMORY;
	for (o = g_objects; o; o = o->next)
		if (visible(c, o) && p11_attrs_match(&o->attrs, tmpl))
			f->found[n++] = o->handle;
	/* The list is newest first; answer oldest first. */
	{
		uint32_t i = 0;

		for (i = 0; i < n / 2; i++) {
			uint32_t t = f->found[i];

			f->found[i] = f->found[n - 1 - i];
			f->found[n - 1 - i] = t;
		}
	}
	f->found_count = n;
	f->found_pos = 0;
	f->find_active = true;
	f->kind = P11_OP_FIND;
	return PKCS11_CKR_OK;
}
