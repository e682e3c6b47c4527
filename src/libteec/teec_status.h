// Mapping from swtee's errno-valued errors to GP TEE Client API results.
#pragma once

#include <cerrno>
#include <cstdint>

#include "common/result.h"
#include "tee_client_api.h"

namespace swtee::teec {

// A GP result with its origin: what every API entry point reports.
struct TeecStatus {
  TEEC_Result result = TEEC_SUCCESS;
  uint32_t origin = TEEC_ORIGIN_API;
};

// OP-TEE's ioctl errno mapping: ENOMEM and EINVAL have their own results,
// every other errno is GENERIC.
constexpr TEEC_Result teec_result_from_errno(int err) {
  if (err == ENOMEM) return TEEC_ERROR_OUT_OF_MEMORY;
  if (err == EINVAL) return TEEC_ERROR_BAD_PARAMETERS;
  return TEEC_ERROR_GENERIC;
}

inline TeecStatus api_failure(const Error& e) {
  return {teec_result_from_errno(e.code), TEEC_ORIGIN_API};
}

// Shared memory that could not be had (AllocateSharedMemory,
// RegisterSharedMemory, a temporary memref's buffer): OP-TEE's libteec
// answers OUT_OF_MEMORY whatever the reason (a refused SHM_ALLOC, a failed
// mmap), origin API.
inline TeecStatus shm_failure(const Error&) { return {TEEC_ERROR_OUT_OF_MEMORY, TEEC_ORIGIN_API}; }

}  // namespace swtee::teec
