/* Command handlers of the os_test TA, one file per API family. */
#ifndef OS_TEST_PRIV_H
#define OS_TEST_PRIV_H

#include <tee_internal_api.h>

TEE_Result os_test_get_prop(uint32_t types, TEE_Param params[4]);
TEE_Result os_test_enum_props(uint32_t types, TEE_Param params[4]);
TEE_Result os_test_check_access(uint32_t types, TEE_Param params[4]);
TEE_Result os_test_instance_data(uint32_t types, TEE_Param params[4]);
TEE_Result os_test_heap(uint32_t types, TEE_Param params[4]);
TEE_Result os_test_mem_funcs(uint32_t types, TEE_Param params[4]);
TEE_Result os_test_plain_malloc(uint32_t types, TEE_Param params[4]);
TEE_Result os_test_bigint(uint32_t types, TEE_Param params[4]);
void os_test_bigint_panic(uint32_t reason);

/* TEE_PropSetHandle of an OS_TEST_SET_* value (a bogus one for SET_BAD). */
TEE_PropSetHandle os_test_prop_set(uint32_t set);

#endif
