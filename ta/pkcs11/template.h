/*
 * PKCS#11 attribute rules of the pkcs11 TA: which attributes each object
 * class has and of which type, the defaults an object gets, what a client
 * may set at creation, change later or read back, and the sensitive
 * attributes that never leave the TA. Pure code over struct obj_attrs.
 */
#ifndef P11_TEMPLATE_H
#define P11_TEMPLATE_H

#include "serial.h"

/* How an object comes to be. */
enum p11_origin {
	P11_ORIGIN_IMPORT,   /* C_CreateObject */
	P11_ORIGIN_GENERATE, /* C_GenerateKey, C_GenerateKeyPair */
	P11_ORIGIN_DERIVE,   /* C_DeriveKey */
	P11_ORIGIN_UNWRAP,   /* C_UnwrapKey */
};

/*
 * Checks a client template for a new object and builds the object's
 * attributes (template + defaults) into *out. `class_id` and `key_type`
 * are imposed by the mechanism (PKCS11_UNDEFINED_ID: taken from the
 * template). `mech` is the generating mechanism, or PKCS11_UNDEFINED_ID.
 * Nothing is allocated on failure.
 */
uint32_t p11_template_create(const struct obj_attrs *tmpl, enum p11_origin origin,
			     uint32_t class_id, uint32_t key_type, uint32_t mech,
			     struct obj_attrs *out);

/* C_SetAttributeValue / C_CopyObject: may `tmpl` change object `obj`? */
uint32_t p11_template_check_set(const struct obj_attrs *obj,
				const struct obj_attrs *tmpl, bool copy);

/* Must attribute `id` of object `obj` stay inside the TA? */
bool p11_attr_is_sensitive(const struct obj_attrs *obj, uint32_t id);

/* Is `id` a CK_BBOOL / CK_ULONG attribute? */
bool p11_attr_is_bool(uint32_t id);
bool p11_attr_is_ulong(uint32_t id);

/* Object class and key type of a complete object. */
uint32_t p11_obj_class(const struct obj_attrs *obj);
uint32_t p11_obj_key_type(const struct obj_attrs *obj);

#endif /* P11_TEMPLATE_H */
