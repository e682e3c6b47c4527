// One guest context, as the host serves it: a context of the host's own
// core (adopted from a socketpair, carrying the guest id) that the guest
// acceptor drives through the UAPI, exactly as a local client would — every
// check and limit of the core applies to guests too. Memref ranges the
// guest sent are written into shm objects of this context, kept in a small
// pool; output ranges are read back after the call. Output-only ranges are
// cleared before a call, so a TA never sees an earlier call's bytes.
#pragma once

#include <swtee/uapi/tee.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "core/core.h"
#include "protocol/remote_codec.h"
#include "uapi/uapi_client.h"

namespace swtee::daemon {

class HostContext {
 public:
  static Result<std::unique_ptr<HostContext>> open(core::Core& core, const std::string& device,
                                                   uint32_t guest_id);
  ~HostContext();
  HostContext(const HostContext&) = delete;
  HostContext& operator=(const HostContext&) = delete;

  // Each makes the call and returns the whole reply frame (CallReply or
  // CloseReply) with `tag`.
  std::vector<uint8_t> open_session(uint64_t tag, const remote::OpenSessionMsg& m) EXCLUDES(mu_);
  std::vector<uint8_t> invoke(uint64_t tag, const remote::InvokeMsg& m) EXCLUDES(mu_);
  std::vector<uint8_t> close_session(uint64_t tag, uint32_t session);
  void cancel(uint32_t session, uint32_t cancel_id);
  // Disconnects: the core cancels the context's calls, closes its sessions
  // and drops its shm, as for a local client that went away.
  void disconnect();

 private:
  struct Buffer {
    int32_t id = 0;
    UniqueFd fd;
    uint64_t size = 0;
  };
  explicit HostContext(uapi::UapiClient c) : client_(std::move(c)) {}
  Result<Buffer> take(uint64_t size) EXCLUDES(mu_);
  void give(Buffer b) EXCLUDES(mu_);
  // Params for the UAPI, input ranges written into `bufs` (one per memref).
  Result<std::vector<tee_ioctl_param>> stage(const std::vector<remote::Param>& in, std::vector<Buffer>& bufs);
  // The CallReply frame for a call that returned `out`.
  Result<std::vector<uint8_t>> reply(uint64_t tag, const std::vector<remote::Param>& in,
                                     std::span<const tee_ioctl_param> out, const std::vector<Buffer>& bufs,
                                     uint32_t ret, uint32_t origin, uint32_t session);
  template <typename Hdr>
  std::vector<uint8_t> call(uint32_t cmd, uint64_t tag, Hdr hdr, const std::vector<remote::Param>& in);

  uapi::UapiClient client_;
  Mutex mu_;
  std::vector<Buffer> free_ GUARDED_BY(mu_);
};

}  // namespace swtee::daemon
