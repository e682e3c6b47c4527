/*
 * The serialized forms of the pkcs11 TA protocol (include/swtee/pkcs11_ta.h):
 * a bounds-checked reader over a control buffer, and attribute lists
 * (struct obj_attrs) parsed from and written to the
 * pkcs11_object_head + attributes format. Pure code, no TEE calls besides
 * allocation, so host unit tests and the fuzz target build it too.
 */
#ifndef P11_SERIAL_H
#define P11_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <swtee/pkcs11_ta.h>

/* Limits: one attribute value, one list, one control buffer. */
#define P11_MAX_ATTR_SIZE (64u * 1024u)
#define P11_MAX_ATTRS_SIZE (256u * 1024u)
#define P11_MAX_ATTRS_COUNT 256u

struct p11_reader {
	const uint8_t *p;
	size_t left;
};

void p11_reader_init(struct p11_reader *r, const void *buf, size_t size);
/* Each returns PKCS11_CKR_ARGUMENTS_BAD when the buffer is too short. */
uint32_t p11_get_u32(struct p11_reader *r, uint32_t *out);
uint32_t p11_get_bytes(struct p11_reader *r, size_t n, const uint8_t **out);
/* A mechanism: attribute head (id = mechanism) + parameter bytes. */
uint32_t p11_get_mechanism(struct p11_reader *r, uint32_t *mech,
			   const uint8_t **params, uint32_t *params_size);
/* An object head + attributes, validated (see p11_attrs_parse). */
struct obj_attrs;
uint32_t p11_get_attrs(struct p11_reader *r, struct obj_attrs *out);
/* The whole buffer must have been consumed. */
uint32_t p11_reader_done(const struct p11_reader *r);

/* An owned attribute list: the attribute bytes (no head), packed. */
struct obj_attrs {
	uint8_t *buf;
	uint32_t size;
	uint32_t count;
	uint32_t cap;
};

void p11_attrs_init(struct obj_attrs *a);
void p11_attrs_free(struct obj_attrs *a);
/* Parses head + attributes; every attribute within bounds, count and size
 * consistent, limits respected, no id twice. */
uint32_t p11_attrs_parse(const uint8_t *data, size_t size, struct obj_attrs *out,
			 size_t *consumed);
uint32_t p11_attrs_copy(struct obj_attrs *dst, const struct obj_attrs *src);
/* Looks an attribute up; *val points into the list. */
bool p11_attrs_get(const struct obj_attrs *a, uint32_t id, const uint8_t **val,
		   uint32_t *size);
bool p11_attrs_has(const struct obj_attrs *a, uint32_t id);
/* Typed reads: PKCS11_RV_NOT_FOUND when absent, ATTRIBUTE_VALUE_INVALID
 * when the size is wrong (bool: 1 byte, u32: 4 bytes). */
uint32_t p11_attrs_get_bool(const struct obj_attrs *a, uint32_t id, bool *out);
uint32_t p11_attrs_get_u32(const struct obj_attrs *a, uint32_t id, uint32_t *out);
bool p11_attrs_bool_or(const struct obj_attrs *a, uint32_t id, bool dflt);
/* Adds or replaces. */
uint32_t p11_attrs_set(struct obj_attrs *a, uint32_t id, const void *val, uint32_t size);
uint32_t p11_attrs_set_bool(struct obj_attrs *a, uint32_t id, bool v);
uint32_t p11_attrs_set_u32(struct obj_attrs *a, uint32_t id, uint32_t v);
void p11_attrs_remove(struct obj_attrs *a, uint32_t id);
/* Iteration: *pos starts at 0; false at the end. */
bool p11_attrs_next(const struct obj_attrs *a, uint32_t *pos, uint32_t *id,
		    const uint8_t **val, uint32_t *size);
/* Head + attributes, as on the wire: size of it, and writing it. */
size_t p11_attrs_serial_size(const struct obj_attrs *a);
void p11_attrs_serialize(const struct obj_attrs *a, uint8_t *out);
/* Every attribute of `tmpl` present in `a` with the same value. */
bool p11_attrs_match(const struct obj_attrs *a, const struct obj_attrs *tmpl);

#endif /* P11_SERIAL_H */
