/* Per-session id <-> handle tables: ids are what crosses the wire. */
#include "crypt_priv.h"

static TEE_Result put(void **slots, void *h, uint32_t *id)
{
	for (uint32_t i = 0; i < CRYPT_MAX_HANDLES; i++) {
		if (slots[i] == NULL) {
			slots[i] = h;
			*id = i + 1;
			return TEE_SUCCESS;
		}
	}
	return TEE_ERROR_OUT_OF_MEMORY;
}

static void *get(void **slots, uint32_t id)
{
	if (id == 0 || id > CRYPT_MAX_HANDLES)
		return NULL;
	return slots[id - 1];
}

TEE_Result crypt_put_object(struct crypt_session *s, TEE_ObjectHandle h, uint32_t *id)
{
	return put((void **)s->objects, h, id);
}

TEE_Result crypt_put_operation(struct crypt_session *s, TEE_OperationHandle h, uint32_t *id)
{
	return put((void **)s->operations, h, id);
}

TEE_Result crypt_get_object(struct crypt_session *s, uint32_t id, int allow_null, TEE_ObjectHandle *h)
{
	if (id == 0 && allow_null) {
		*h = TEE_HANDLE_NULL;
		return TEE_SUCCESS;
	}
	*h = get((void **)s->objects, id);
	return *h == NULL ? TEE_ERROR_BAD_PARAMETERS : TEE_SUCCESS;
}

TEE_Result crypt_get_operation(struct crypt_session *s, uint32_t id, TEE_OperationHandle *h)
{
	*h = get((void **)s->operations, id);
	return *h == NULL ? TEE_ERROR_BAD_PARAMETERS : TEE_SUCCESS;
}

void crypt_drop_object(struct crypt_session *s, uint32_t id)
{
	if (id != 0 && id <= CRYPT_MAX_HANDLES)
		s->objects[id - 1] = TEE_HANDLE_NULL;
}

void crypt_drop_operation(struct crypt_session *s, uint32_t id)
{
	if (id != 0 && id <= CRYPT_MAX_HANDLES)
		s->operations[id - 1] = TEE_HANDLE_NULL;
}

void crypt_session_free_all(struct crypt_session *s)
{
	for (uint32_t i = 0; i < CRYPT_MAX_HANDLES; i++) {
		if (s->operations[i] != TEE_HANDLE_NULL)
			TEE_FreeOperation(s->operations[i]);
		if (s->objects[i] != TEE_HANDLE_NULL)
			TEE_FreeTransientObject(s->objects[i]);
		s->operations[i] = TEE_HANDLE_NULL;
		s->objects[i] = TEE_HANDLE_NULL;
	}
}
