// Types shared inside swtee-os between the OPTEE_MSG entry / session router
// (msg side) and the TA host (user TA processes).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "common/shm_file.h"
#include "common/unique_fd.h"
#include "common/uuid.h"
#include "protocol/gp_results.h"

namespace swtee::os {

// A memfd the normal world registered ("physical memory"), known by cookie.
// Sealed and mapped by swtee-os at registration. Held by shared_ptr: the
// registration table and every in-flight call that references it.
struct PhysShm {
  uint64_t cookie = 0;
  UniqueFd memfd;
  uint64_t size = 0;
  Mapping map;  // swtee-os's own mapping of [0, size)
};

// GP parameter types (TEE_PARAM_TYPE_*).
enum class OsParamType : uint8_t {
  None = 0,
  ValueInput = 1,
  ValueOutput = 2,
  ValueInout = 3,
  MemrefInput = 5,
  MemrefOutput = 6,
  MemrefInout = 7,
};

struct OsParam {
  OsParamType type = OsParamType::None;
  uint32_t a = 0, b = 0;  // value
  // memref: shm == nullptr means a NULL memref (size may be a size query).
  std::shared_ptr<PhysShm> shm;
  uint64_t offset = 0;
  uint64_t size = 0;  // in: the size given; out: the size the TA reported
};

inline constexpr size_t kNumGpParams = 4;
using OsParams = std::array<OsParam, kNumGpParams>;

inline uint32_t os_param_types(const OsParams& p) {
  uint32_t t = 0;
  for (size_t i = 0; i < kNumGpParams; ++i) t |= static_cast<uint32_t>(p[i].type) << (4 * i);
  return t;
}

// Identity of the caller of a session, as the GP gpd.client.identity.
struct ClientIdentity {
  uint32_t login = 0;  // TEE_LOGIN_*
  Uuid uuid;
  // Not part of the GP identity: the normal-world uid of the client that
  // opened the session (protocol/opener_uid.h), for the per-uid shares of
  // swtee-os's pools (os/shared_pool.h). nullopt: not known (a guest's
  // client, a driver that does not say, a TA-to-TA open outside a call).
  std::optional<uint32_t> uid = std::nullopt;
};

// Cancellation of one in-flight call. The msg side sets `requested` when an
// OPTEE_MSG_CMD_CANCEL names this call, then runs the hook (if any) that the
// party currently serving the call installed (the TA host forwards the
// request to the TA process).
class CancelState {
 public:
  bool requested() const { return requested_.load(std::memory_order_acquire); }
  void request() {
    requested_.store(true, std::memory_order_release);
    std::function<void()> hook;
    {
      std::lock_guard<std::mutex> g(m_);
      hook = hook_;
      // Under m_, so set_child(nullptr) returning means the child is no
      // longer reached (lock order: parent's m_ before the child's).
      if (child_ != nullptr) child_->request();
    }
    if (hook) hook();
  }
  // Chains `child` (nullptr: unlinks) below this state: a request made
  // here, before or while they are linked, is made on the child too. One
  // child at a time; the owner of the child unlinks it before destroying
  // it. Used by TA-to-TA calls: a cancel of the outer call reaches the
  // callee's call. Added in round 3; the hook is unaffected.
  void set_child(CancelState* child) {
    std::lock_guard<std::mutex> g(m_);
    child_ = child;
    if (child_ != nullptr && requested()) child_->request();
  }
  // Installs (or clears, with {}) the hook. If cancellation was already
  // requested, the new hook runs at once.
  void set_hook(std::function<void()> h) {
    {
      std::lock_guard<std::mutex> g(m_);
      hook_ = h;
    }
    if (h && requested()) h();
  }

 private:
  std::atomic<bool> requested_{false};
  std::mutex m_;
  std::function<void()> hook_;
  CancelState* child_ = nullptr;  // guarded by m_
};

}  // namespace swtee::os
