// The guest's end of the remote protocol (protocol/remote_wire.h): one
// stream to the host, kept up by a supervisor thread that connects, does
// the handshake, reads replies and hands each to the caller waiting on its
// tag. When the stream ends, every waiting call fails (ECONNRESET) and the
// link reconnects with a growing pause (100 ms .. 2 s) until stopped. Each
// connection has an epoch number: whatever the host held for the guest
// (contexts, sessions) belongs to one epoch and is gone after it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/stream_socket.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "core/os_thread.h"
#include "protocol/remote_stream.h"
#include "protocol/remote_wire.h"

namespace swtee::remote {

struct LinkConfig {
  StreamAddress address;
  std::string name;          // sent in Hello (logs only)
  std::vector<uint8_t> key;  // TCP: answers the host's challenge
  // How long start() waits for the first connection.
  std::chrono::milliseconds first_connect_timeout{10000};
};

class RemoteLink {
 public:
  // Connects (retrying until first_connect_timeout) and starts the
  // supervisor. Fails if the host never answered, or refused us.
  static Result<std::unique_ptr<RemoteLink>> start(LinkConfig cfg);
  ~RemoteLink();
  RemoteLink(const RemoteLink&) = delete;
  RemoteLink& operator=(const RemoteLink&) = delete;

  // What the host said in its first Welcome (its TEE's VERSION).
  const WelcomeBody& welcome() const { return welcome_; }
  // The current connection's epoch; 0 while down.
  uint64_t epoch() const EXCLUDES(mu_);

  // Sends `frame` (its tag is set here) on the connection of `epoch` and
  // waits for the reply. ECONNRESET if that connection is gone (or ends
  // before the reply), ENOTCONN if it was never this epoch.
  Result<Frame> call(uint64_t epoch, std::vector<uint8_t> frame) EXCLUDES(mu_);
  // Sends a frame that has no reply on the connection of `epoch`; nothing
  // if that connection is gone (the host dropped its state with it).
  void post(uint64_t epoch, std::span<const uint8_t> frame) EXCLUDES(mu_);
  // Calls waiting for a reply right now (tests).
  size_t waiting() const EXCLUDES(mu_);

 private:
  struct Waiter {
    std::optional<Result<Frame>> reply;
  };
  explicit RemoteLink(LinkConfig cfg) : cfg_(std::move(cfg)) {}
  // Connects and does the handshake; the Welcome on success.
  Result<std::pair<UniqueFd, WelcomeBody>> connect_once();
  void supervise() EXCLUDES(mu_);
  void read_loop(int fd, uint64_t epoch) EXCLUDES(mu_);
  void connection_ended(uint64_t epoch) EXCLUDES(mu_);

  const LinkConfig cfg_;
  WelcomeBody welcome_{};
  core::OsThread supervisor_;

  mutable Mutex mu_;
  CondVar cv_;
  UniqueFd fd_ GUARDED_BY(mu_);
  uint64_t epoch_ GUARDED_BY(mu_) = 0;       // current, 0 while down
  uint64_t last_epoch_ GUARDED_BY(mu_) = 0;  // last one handed out
  bool stopping_ GUARDED_BY(mu_) = false;
  uint64_t next_tag_ GUARDED_BY(mu_) = 1;
  std::map<uint64_t, Waiter*> waiters_ GUARDED_BY(mu_);
  Mutex write_mu_;  // one frame at a time on the stream
};

}  // namespace swtee::remote
