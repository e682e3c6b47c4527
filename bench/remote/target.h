// One stack the remote bench calls through: a context on the swteed of a
// runtime directory (the host's own stack, or a guest's), a session on the
// single-instance xtest TA and 1 MiB of allocated shared memory, and the
// calls the bench times on it.
#pragma once

#include <tee_client_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace swtee::bench {

class Target {
 public:
  // Opens everything on the swteed serving `runtime_dir`; ok() says if it
  // worked (a message went to stderr if not).
  Target(std::string name, const std::string& runtime_dir, size_t shm_bytes);
  ~Target();
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;

  bool ok() const { return ok_; }
  const std::string& name() const { return name_; }

  // XTEST_CMD_NULL, no params.
  TEEC_Result null_invoke();
  // XTEST_CMD_MEMREF_INFO on the first `bytes` of the shared memory, as a
  // partial memref of `type` (TEEC_MEMREF_PARTIAL_INPUT/_INOUT/_OUTPUT).
  // The TA does not touch the bytes: what is timed is carrying them.
  TEEC_Result memref_info(uint32_t type, size_t bytes);

 private:
  std::string name_;
  TEEC_Context ctx_{};
  TEEC_Session session_{};
  TEEC_SharedMemory shm_{};
  bool have_ctx_ = false, have_session_ = false, have_shm_ = false, ok_ = false;
};

}  // namespace swtee::bench
