#include "target.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "swtee/uapi/tee.h"

extern "C" {
#include <xtest_ta.h>
}

namespace swtee::bench {
namespace {

const TEEC_UUID kSingle = XTEST_TA_SINGLE_UUID;

bool check(TEEC_Result r, const std::string& where, const char* what) {
  if (r != TEEC_SUCCESS)
    std::fprintf(stderr, "swtee-bench-remote: %s: %s failed: 0x%x\n", where.c_str(), what, r);
  return r == TEEC_SUCCESS;
}

}  // namespace

Target::Target(std::string name, const std::string& runtime_dir, size_t shm_bytes) : name_(std::move(name)) {
  // libteec finds swteed through the environment when a context is made;
  // each target's context is made with its own stack's directory.
  ::setenv(SWTEE_RUNTIME_DIR_ENV, runtime_dir.c_str(), 1);
  if (!check(TEEC_InitializeContext(nullptr, &ctx_), name_, "InitializeContext")) return;
  have_ctx_ = true;
  uint32_t origin = 0;
  TEEC_UUID uuid = kSingle;
  if (!check(TEEC_OpenSession(&ctx_, &session_, &uuid, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin), name_,
             "OpenSession"))
    return;
  have_session_ = true;
  shm_.size = shm_bytes;
  shm_.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  if (!check(TEEC_AllocateSharedMemory(&ctx_, &shm_), name_, "AllocateSharedMemory")) return;
  have_shm_ = true;
  std::memset(shm_.buffer, 0x5a, shm_bytes);  // the pages exist before the first call
  ok_ = true;
}

Target::~Target() {
  if (have_shm_) TEEC_ReleaseSharedMemory(&shm_);
  if (have_session_) TEEC_CloseSession(&session_);
  if (have_ctx_) TEEC_FinalizeContext(&ctx_);
}

TEEC_Result Target::null_invoke() {
  uint32_t origin = 0;
  return TEEC_InvokeCommand(&session_, XTEST_CMD_NULL, nullptr, &origin);
}

TEEC_Result Target::memref_info(uint32_t type, size_t bytes) {
  TEEC_Operation op{};
  op.paramTypes = TEEC_PARAM_TYPES(type, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
  op.params[0].memref = {&shm_, bytes, 0};
  uint32_t origin = 0;
  TEEC_Result r = TEEC_InvokeCommand(&session_, XTEST_CMD_MEMREF_INFO, &op, &origin);
  if (r == TEEC_SUCCESS && op.params[1].value.b != bytes) return TEEC_ERROR_GENERIC;
  return r;
}

}  // namespace swtee::bench
