// One client connection = one context, served leader/follower style.
//
// At most one thread (the leader) reads the socket. Short commands (VERSION,
// SHM_*, CANCEL) it handles inline and keeps reading. Before it runs a
// command that may block (open/invoke/close, supplicant), it hands
// leadership to a parked thread or starts one, so other threads of the same
// client are still served while the call waits. Threads per connection are
// bounded by max_inflight_per_context + 1 (+ the parked ones, which are
// bounded by max_idle_threads_per_context); a blocking call beyond the
// in-flight limit gets EBUSY.
//
// Malformed input: a message with a whole header gets -EINVAL with its tag;
// a message too short for a header, longer than twice the largest request,
// or with more fds than fit (truncated) gets -EINVAL with tag 0. Either way
// the connection keeps being served.
//
// Disconnect: the reader sees EOF, calls the driver's close_context(), and
// once every running call has returned the last thread tears the context
// down: each remaining session is closed through the driver, the context's
// shm ids are dropped, then driver.release(ctx).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "common/adaptive_spin.h"
#include "common/result.h"
#include "common/seqpacket.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "core/context_impl.h"

namespace swtee::core {

struct HandlerReply;

class ConnectionOwner {
 public:
  // The context was torn down (driver released it). Last call the
  // connection makes into its owner.
  virtual void connection_finished(uint64_t context_id) = 0;

 protected:
  ~ConnectionOwner() = default;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static std::shared_ptr<Connection> create(ConnectionOwner& owner, std::unique_ptr<ContextImpl> ctx,
                                            UniqueFd sock);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts serving. On failure the context is torn down before returning.
  Status start() EXCLUDES(mu_);
  // Disconnects the client (daemon shutdown); teardown follows as for EOF.
  void shutdown();

  ContextImpl& context() { return *ctx_; }

 private:
  struct Tag {};

 public:
  Connection(Tag, ConnectionOwner& owner, std::unique_ptr<ContextImpl> ctx, UniqueFd sock)
      : owner_(owner), ctx_(std::move(ctx)), sock_(std::move(sock)) {}

 private:
  enum class Read : uint8_t { Handled, Blocking, Closed };

  void serve() EXCLUDES(mu_);
  // Reads and handles one message. Blocking: the frame is in `buf` and
  // `len`, `fds`, for the caller to run after handing off leadership.
  Read read_one(std::span<uint8_t> buf, size_t& len, std::vector<UniqueFd>& fds);
  // Decodes and runs one framed request and sends its reply. `before_reply`
  // runs just before the reply goes out (a blocking call frees its in-flight
  // slot there, so a client that waits for its reply before sending the next
  // call never finds the slot still taken).
  void run(std::span<const uint8_t> msg, std::vector<UniqueFd>& fds,
           const std::function<void()>& before_reply = {});
  void send_reply(uint32_t tag, int32_t rc, const HandlerReply* reply);
  bool spawn_follower() REQUIRES(mu_);
  void teardown();

  ConnectionOwner& owner_;
  std::unique_ptr<ContextImpl> ctx_;
  UniqueFd sock_;
  // The reader's spin policy (common/adaptive_spin.h). The reader role moves
  // between threads only through the leader hand-off under mu_, so one
  // waiter uses it at a time.
  AdaptiveSpin read_spin_{call_path_spin_us()};

  Mutex mu_;
  CondVar cv_;
  bool leader_ GUARDED_BY(mu_) = false;  // a thread is reading
  bool closed_ GUARDED_BY(mu_) = false;  // EOF seen or shut down
  uint32_t threads_ GUARDED_BY(mu_) = 0;
  uint32_t idle_ GUARDED_BY(mu_) = 0;       // parked, waiting to lead
  uint32_t in_flight_ GUARDED_BY(mu_) = 0;  // blocking calls running
};

}  // namespace swtee::core
