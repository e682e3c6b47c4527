// One connected guest on the host: after the handshake, reads the guest's
// frames (protocol/remote_wire.h) and serves them on host contexts
// (guest_host_context.h) that carry the guest's id. Calls that may block
// run on a small pool of worker threads, at most kMaxInflightPerGuest at
// once (more: EBUSY); Cancel and CloseContext are served by the reader at
// once, so they always get through. When the stream ends (the guest said
// bye, disconnected or died), every context the guest held is
// disconnected — the core closes their sessions and shm as for a local
// client that went away — and the caller's `on_gone` runs once every call
// returned.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "core/core.h"
#include "daemon/guest_host_context.h"
#include "protocol/remote_stream.h"

namespace swtee::daemon {

class GuestConn : public std::enable_shared_from_this<GuestConn> {
 public:
  GuestConn(core::Core& core, std::string device, uint32_t guest_id, std::string who, UniqueFd sock)
      : core_(core),
        device_(std::move(device)),
        guest_id_(guest_id),
        who_(std::move(who)),
        sock_(std::move(sock)) {}
  GuestConn(const GuestConn&) = delete;
  GuestConn& operator=(const GuestConn&) = delete;

  // Serves until the stream ends, then tears down (on this thread).
  void serve() EXCLUDES(mu_);
  // Ends the stream (host shutdown); serve() then tears down.
  void shutdown();

  uint32_t guest_id() const { return guest_id_; }

 private:
  void dispatch(remote::Frame f) EXCLUDES(mu_);
  void run(const remote::Frame& f);
  void worker() EXCLUDES(mu_);
  void send(std::span<const uint8_t> frame) EXCLUDES(write_mu_);
  std::shared_ptr<HostContext> context(uint64_t id, bool create) EXCLUDES(mu_);

  core::Core& core_;
  const std::string device_;
  const uint32_t guest_id_;
  const std::string who_;  // for logs
  UniqueFd sock_;

  Mutex write_mu_;
  Mutex mu_;
  CondVar cv_;
  bool ended_ GUARDED_BY(mu_) = false;
  std::map<uint64_t, std::shared_ptr<HostContext>> contexts_ GUARDED_BY(mu_);
  std::deque<remote::Frame> queue_ GUARDED_BY(mu_);
  uint32_t queued_or_running_ GUARDED_BY(mu_) = 0;
  uint32_t workers_ GUARDED_BY(mu_) = 0;
  uint32_t idle_ GUARDED_BY(mu_) = 0;
};

}  // namespace swtee::daemon
