/* The test TA's header contract. Variants are built from one source with
 * TEST_TA_ID (selects the UUID) and TEST_TA_FLAGS. */
#ifndef TEST_TA_USER_TA_HEADER_DEFINES_H
#define TEST_TA_USER_TA_HEADER_DEFINES_H

#include "test_ta.h"

#define TA_UUID TEST_TA_UUID_INIT(TEST_TA_ID)
#define TA_FLAGS (TEST_TA_FLAGS)
#define TA_STACK_SIZE (2 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "swtee TA host unit-test TA"
#define TA_CURRENT_TA_EXT_PROPERTIES                                              \
  {"test.u32", USER_TA_PROP_TYPE_U32, &(const uint32_t){42}},                     \
  {"test.string", USER_TA_PROP_TYPE_STRING, "swtee"},                             \
  {"test.blob", USER_TA_PROP_TYPE_BINARY_BLOCK, "aGVsbG8="},

#endif
