// Shared helpers for swtee's integration tests (the xtest-style suite).
// These tests drive the real processes — libteec → swteed → swtee-os → TA
// processes, and the supplicant — over real sockets. They run under
// `swtee run`, which sets SWTEE_RUNTIME_DIR for them.
#pragma once

#include <gtest/gtest.h>
#include <tee_client_api.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include <xtest_ta.h>
}

namespace xtest {

inline const TEEC_UUID kMulti = XTEST_TA_MULTI_UUID;
inline const TEEC_UUID kSingle = XTEST_TA_SINGLE_UUID;
inline const TEEC_UUID kCounter = XTEST_TA_COUNTER_UUID;
inline const TEEC_UUID kSingleSession = XTEST_TA_SINGLE_SESSION_UUID;
inline const TEEC_UUID kCreateFail = XTEST_TA_CREATE_FAIL_UUID;
inline const TEEC_UUID kTamper = XTEST_TA_TAMPER_UUID;
// swtee's invoke_tests PTA (src/os/pta/invoke_tests_pta.h).
inline const TEEC_UUID kInvokeTestsPta = {
    0x6e2b4a10, 0x7c39, 0x4d58, {0xb1, 0xa2, 0x3f, 0x4e, 0x5d, 0x6c, 0x7b, 0x81}};
// swtee's stats PTA (src/os/pta/stats_pta.h).
inline const TEEC_UUID kStatsPta = {
    0x6e2b4a10, 0x7c39, 0x4d58, {0xb1, 0xa2, 0x3f, 0x4e, 0x5d, 0x6c, 0x7b, 0x82}};
// OP-TEE's invoke_tests PTA: swtee does not implement its command set, so
// nothing answers to its UUID.
inline const TEEC_UUID kOpteeInvokeTestsPta = {
    0xd96a5b40, 0xc3e5, 0x21e3, {0x87, 0x94, 0x10, 0x02, 0xa5, 0xd5, 0xc6, 0x1b}};

// RAII context.
class Context {
 public:
  Context() { res_ = TEEC_InitializeContext(nullptr, &ctx_); }
  ~Context() {
    if (res_ == TEEC_SUCCESS) TEEC_FinalizeContext(&ctx_);
  }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  TEEC_Result result() const { return res_; }
  TEEC_Context* get() { return &ctx_; }

 private:
  TEEC_Context ctx_{};
  TEEC_Result res_;
};

// RAII session.
class Session {
 public:
  Session() = default;
  ~Session() { close(); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  TEEC_Result open(TEEC_Context* ctx, const TEEC_UUID& uuid, uint32_t login = TEEC_LOGIN_PUBLIC,
                   const void* login_data = nullptr, TEEC_Operation* op = nullptr) {
    close();
    TEEC_UUID u = uuid;
    origin_ = 0;
    TEEC_Result r = TEEC_OpenSession(ctx, &s_, &u, login, login_data, op, &origin_);
    open_ = r == TEEC_SUCCESS;
    return r;
  }
  TEEC_Result invoke(uint32_t cmd, TEEC_Operation* op = nullptr) {
    origin_ = 0;
    return TEEC_InvokeCommand(&s_, cmd, op, &origin_);
  }
  void close() {
    if (open_) TEEC_CloseSession(&s_);
    open_ = false;
  }
  uint32_t origin() const { return origin_; }
  TEEC_Session* get() { return &s_; }

 private:
  TEEC_Session s_{};
  uint32_t origin_ = 0;
  bool open_ = false;
};

inline TEEC_Operation make_op(uint32_t types) {
  TEEC_Operation op;
  std::memset(&op, 0, sizeof(op));
  op.paramTypes = types;
  return op;
}

// Directory of signed TAs that were built for tamper tests (not in the store).
inline std::string tamper_source_dir() { return SWTEE_XTEST_TAMPER_DIR; }
// A TA directory the supplicant searches that tests may write into.
inline std::string writable_ta_dir() { return SWTEE_XTEST_BAD_TA_DIR; }
inline std::string swteed_binary() { return SWTEE_XTEST_SWTEED; }
// $SWTEE_XTEST_SWTEE overrides it: the tests that start a stack of their
// own then run another build's (e.g. to show a test fails on an older one).
inline std::string swtee_binary() {
  const char* e = std::getenv("SWTEE_XTEST_SWTEE");
  return e != nullptr && *e != '\0' ? e : SWTEE_XTEST_SWTEE;
}
// The directory of the signed test TAs.
inline std::string ta_dir() { return SWTEE_XTEST_TA_DIR; }

// A registered-memory reference. TEEC_RegisteredMemoryReference is laid out
// {parent, size, offset}; naming the fields keeps the tests honest.
inline TEEC_RegisteredMemoryReference partial(TEEC_SharedMemory* parent, size_t offset, size_t size) {
  TEEC_RegisteredMemoryReference r{};
  r.parent = parent;
  r.offset = offset;
  r.size = size;
  return r;
}

}  // namespace xtest
