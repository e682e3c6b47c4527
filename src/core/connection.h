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
// Request slots (SLOT_OPEN, uapi/slot_wire.h): a client thread may ask for
// its own slot; the leader creates it inline and starts one thread that
// serves only that slot: it waits on the slot's doorbell, reads each request
// once into its own copy, runs it exactly as a socket request (same codec,
// handlers, in-flight limit) and posts the reply in the slot. The slot ends
// when the client hangs it up (its thread exited) or when the connection
// closes (the reader interrupts every slot); slot threads count among the
// connection's threads, so teardown waits for them. Slots are bounded per
// context (max_slots_per_context, EBUSY) and per uid and overall (the Slots
// pool, ENOSPC); a refused client keeps using the socket.
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
#include "core/request_slot.h"

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
  // `fd` >= 0: an fd sent with the reply (SLOT_OPEN's memfd).
  void send_reply(uint32_t tag, int32_t rc, const HandlerReply* reply, int fd = -1);
  // SLOT_OPEN, answered inline by the leader.
  void open_slot(uint32_t tag, std::span<const uint8_t> arg) EXCLUDES(mu_);
  // The thread of one slot, until the slot ends.
  void serve_slot(const std::shared_ptr<RequestSlot>& slot) EXCLUDES(mu_);
  // Runs one request read from a slot; the reply's rc and argument.
  std::pair<int32_t, HandlerReply> run_slot_request(RequestSlot& slot, const DoorbellFrame& frame)
      EXCLUDES(mu_);
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
  uint32_t idle_ GUARDED_BY(mu_) = 0;                // parked, waiting to lead
  uint32_t in_flight_ GUARDED_BY(mu_) = 0;           // blocking calls running
  std::vector<RequestSlot*> slots_ GUARDED_BY(mu_);  // owned by their threads
};

}  // namespace swtee::core
