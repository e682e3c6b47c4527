/*
 * Clients (one per TEE session: a PKCS#11 application) and their PKCS#11
 * sessions. Session handles come from one TA-wide counter, so a handle of
 * one client is never valid for another: a second process presenting it
 * gets CKR_SESSION_HANDLE_INVALID.
 */
#include "pkcs11_priv.h"

struct p11_client *g_clients;
uint32_t g_session_total;
static uint32_t g_next_session_handle = 1;
static uint32_t g_client_count;

struct p11_client *p11_client_new(void)
{
	struct p11_client *c = NULL;

	if (g_client_count >= P11_MAX_CLIENTS)
		return NULL;
	c = TEE_Malloc(sizeof(*c), TEE_MALLOC_FILL_ZERO);
	if (!c)
		return NULL;
	c->next = g_clients;
	g_clients = c;
	g_client_count++;
	return c;
}

void p11_client_free(struct p11_client *c)
{
	struct p11_client **pp = &g_clients;

	if (!c)
		return;
	p11_session_close_all(c);
	p11_objects_drop_client(c);
	while (*pp && *pp != c)
		pp = &(*pp)->next;
	if (*pp)
		*pp = c->next;
	g_client_count--;
	TEE_Free(c);
}

void p11_active_release(struct p11_active *a)
{
	if (a->op_owner)
		a->op_owner->op_cache_busy = false; /* the object keeps it */
	else if (a->op)
		TEE_FreeOperation(a->op);
	if (a->digest)
		TEE_FreeOperation(a->digest);
	if (a->buf) {
		TEE_MemFill(a->buf, 0, a->cap);
		TEE_Free(a->buf);
	}
	TEE_Free(a->found);
	TEE_MemFill(a, 0, sizeof(*a));
}

bool p11_client_has_ro_session(const struct p11_client *c)
{
	const struct p11_session *s = NULL;

	for (s = c->sessions; s; s = s->next)
		if (!s->rw)
			return true;
	return false;
}

uint32_t p11_session_open(struct p11_client *c, uint32_t flags, uint32_t *handle)
{
	struct p11_session *s = NULL;
	bool rw = flags & PKCS11_CKFSS_RW_SESSION;

	if (!(flags & PKCS11_CKFSS_SERIAL_SESSION))
		return PKCS11_CKR_SESSION_PARALLEL_NOT_SUPPORTED;
	if (flags & ~(PKCS11_CKFSS_RW_SESSION | PKCS11_CKFSS_SERIAL_SESSION))
		return PKCS11_CKR_ARGUMENTS_BAD;
	if (!rw && c->login == P11_LOGIN_SO)
		return PKCS11_CKR_SESSION_READ_WRITE_SO_EXISTS;
	if (c->session_count >= P11_MAX_SESSIONS_PER_CLIENT ||
	    g_session_total >= P11_MAX_SESSIONS)
		return PKCS11_CKR_SESSION_COUNT;
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return PKCS11_CKR_DEVICE_MEMORY;
	s->handle = g_next_session_handle++;
	if (!g_next_session_handle)
		g_next_session_handle = 1;
	s->rw = rw;
	s->next = c->sessions;
	c->sessions = s;
	c->session_count++;
	g_session_total++;
	*handle = s->handle;
	return PKCS11_CKR_OK;
}

struct p11_session *p11_session_get(struct p11_client *c, uint32_t handle)
{
	struct p11_session *s = NULL;

	for (s = c->sessions; s; s = s->next)
		if (s->handle == handle)
			return s;
	return NULL;
}

uint32_t p11_session_close(struct p11_client *c, uint32_t handle)
{
	struct p11_session **pp = &c->sessions;
	struct p11_session *s = NULL;

	while (*pp && (*pp)->handle != handle)
		pp = &(*pp)->next;
	s = *pp;
	if (!s)
		return PKCS11_CKR_SESSION_HANDLE_INVALID;
	*pp = s->next;
	p11_active_release(&s->op);
	p11_active_release(&s->find);
	p11_objects_drop_session(c, s->handle);
	TEE_Free(s);
	c->session_count--;
	g_session_total--;
	/* The last session closed logs the application out. */
	if (!c->sessions)
		c->login = P11_LOGIN_NONE;
	return PKCS11_CKR_OK;
}

void p11_session_close_all(struct p11_client *c)
{
	while (c->sessions)
		p11_session_close(c, c->sessions->handle);
}

uint32_t p11_session_state(const struct p11_client *c, const struct p11_session *s)
{
	switch (c->login) {
	case P11_LOGIN_SO:
		return PKCS11_CKS_RW_SO_FUNCTIONS;
	case P11_LOGIN_USER:
		return s->rw ? PKCS11_CKS_RW_USER_FUNCTIONS :
			       PKCS11_CKS_RO_USER_FUNCTIONS;
	default:
		return s->rw ? PKCS11_CKS_RW_PUBLIC_SESSION :
			       PKCS11_CKS_RO_PUBLIC_SESSION;
	}
}

void p11_release_ops_on(struct p11_object *o)
{
	struct p11_client *c = NULL;
	struct p11_session *s = NULL;

	if (!o->op_cache_busy)
		return;
	for (c = g_clients; c; c = c->next)
		for (s = c->sessions; s; s = s->next)
			if (s->op.op_owner == o)
				p11_active_release(&s->op);
}
