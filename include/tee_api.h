/* GP TEE Internal Core API (swtee TA SDK): an alias of tee_internal_api.h. */
#ifndef SWTEE_TEE_API_H
#define SWTEE_TEE_API_H
#include "tee_internal_api.h"
#endif /* SWTEE_TEE_API_H */
