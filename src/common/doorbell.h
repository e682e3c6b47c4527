// A shared-memory doorbell: a request/reply channel between two processes
// made of one mailbox per direction in a shared mapping, a futex per mailbox
// and a side socket.
//
// Mailbox protocol (one direction, one poster, one waiter, strictly
// alternating request/reply so at most one frame is in flight):
//   poster: write the frame words, store `seq` = its own counter + 1
//           (seq_cst), then FUTEX_WAKE `seq` only if `sleeping` is set.
//   waiter: a new frame is there when `seq` differs from the last value it
//           consumed. It spins with sched_yield() for a bounded budget, then
//           announces `sleeping` (seq_cst), re-checks `seq` and FUTEX_WAITs on
//           it with a timeout. The seq_cst store/load pairs on both sides
//           (Dekker) and FUTEX_WAIT's own compare mean no wake-up is lost.
//           The budget adapts per end (common/adaptive_spin.h): an end whose
//           recent frames came later than its budget blocks at once, so it
//           does not take CPU from the peer computing the answer.
// The poster never reads its own mailbox's `seq` (it keeps a private
// counter) and the waiter reads each frame once into a private snapshot, so
// a peer scribbling on the shared block can garble only its own frames.
//
// fds cannot travel through shared memory. A frame with fds (at most
// kDoorbellMaxFds) first sends them on the side socket, in one datagram
// whose 4-byte payload is the seq the frame will carry, and only then rings
// (sendmsg has queued the datagram on the peer's socket before `seq`
// moves). The receiver, seeing `fds` != 0, takes datagrams without blocking
// until the one tagged with the frame's seq (stale ones are closed); none,
// or one with another fd count, is a malformed frame (EPROTO). Each end
// says how many fds a frame may bring it (max_fds; 0: the socket is never
// read).
//
// Peer death: the side socket is the liveness signal. Every timed futex
// wait that expires polls it; POLLHUP/POLLRDHUP/POLLERR means the peer is
// gone (ECONNRESET). An orderly end sets `closed` and bumps `seq`, so a
// waiter sees it at once. A peer that dies without hanging up (SIGKILL, a
// crash) is seen at once too when it holds a life word (hold_life_word()):
// a robust futex the kernel marks FUTEX_OWNER_DIED and wakes when the
// holder dies; the waiter (watch_peer_life()) sleeps on both words with
// futex_waitv. Without one, death is seen at the next check interval.
//
// The block must be zero when both ends start (a fresh memfd is).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/adaptive_spin.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee {

inline constexpr size_t kDoorbellWords = 8;
using DoorbellFrame = std::array<uint64_t, kDoorbellWords>;

// One direction of a channel, in shared memory: a header cache line (the
// futex word and flags) and a frame cache line.
struct alignas(64) DoorbellBox {
  std::atomic<uint32_t> seq;       // futex word: bumped by the poster after writing `words`
  std::atomic<uint32_t> sleeping;  // nonzero while the waiter is in (or entering) FUTEX_WAIT
  std::atomic<uint32_t> fds;       // fds sent ahead on the side socket for this frame (<= kDoorbellMaxFds)
  std::atomic<uint32_t> closed;    // the poster hung up
  uint32_t reserved[12];
  std::atomic<uint64_t> words[kDoorbellWords];
};
static_assert(std::atomic<uint32_t>::is_always_lock_free && std::atomic<uint64_t>::is_always_lock_free,
              "the doorbell's atomics live in memory shared between processes");
static_assert(sizeof(DoorbellBox) == 128);
static_assert(offsetof(DoorbellBox, seq) == 0 && offsetof(DoorbellBox, sleeping) == 4 &&
              offsetof(DoorbellBox, fds) == 8 && offsetof(DoorbellBox, closed) == 12 &&
              offsetof(DoorbellBox, words) == 64);

// Both directions of one channel: requests travel to the server, replies to
// the client.
struct DoorbellPair {
  DoorbellBox to_server;
  DoorbellBox to_client;
};
static_assert(sizeof(DoorbellPair) == 256 && offsetof(DoorbellPair, to_client) == 128);

// fds one frame may carry (one datagram on the side socket).
inline constexpr unsigned kDoorbellMaxFds = 4;

// Timeouts between peer checks of a futex wait.
inline constexpr unsigned kDoorbellCheckMs = 50;
// Largest spin budget accepted from the environment.
inline constexpr unsigned kDoorbellMaxSpinUs = 2000;

// Spin budget of doorbell waits: $SWTEE_DOORBELL_SPIN_US (clamped to
// kDoorbellMaxSpinUs), default kDoorbellDefaultSpinUs.
inline constexpr unsigned kDoorbellDefaultSpinUs = 200;
unsigned doorbell_spin_us();

struct DoorbellMessage {
  DoorbellFrame frame{};
  std::vector<UniqueFd> fds;  // the frame's fds, in the order posted
};

// Makes the calling thread the holder of `word` (in memory shared with the
// peer): stores the thread's id there and registers the word as the
// thread's one robust futex (set_robust_list), so when the thread dies the
// kernel sets FUTEX_OWNER_DIED in it and wakes a waiter. Replaces the
// thread's robust list: only for a thread that uses no robust mutexes (the
// TA runtime's). Call once per thread, before the peer may wait on the
// word (a waiter's FUTEX_WAITERS bit would be overwritten); the
// registration lasts as long as the thread.
Status hold_life_word(std::atomic<uint32_t>* word);

// One end of a doorbell channel. Not copyable or movable (it is the address
// other threads interrupt); post() and wait() are called by one thread at a
// time (the channel's current user), interrupt() from any thread.
class DoorbellEnd {
 public:
  enum class Role { Client, Server };
  // fds a frame may bring this end. Refuse: the side socket only tells
  // liveness (it is shared with another protocol, which owns its
  // datagrams); a frame announcing an fd is malformed (EPROTO) and the
  // socket is never read.
  enum class SideFds : unsigned { Refuse = 0, One = 1, Max = kDoorbellMaxFds };

  // `pair` lives in a shared mapping that outlives this object; `sock` (the
  // side socket) is borrowed and must outlive it too. `spin_us` is the
  // largest spin budget of a wait (clamped to kDoorbellMaxSpinUs).
  DoorbellEnd(DoorbellPair* pair, Role role, int sock, unsigned spin_us, unsigned check_ms = kDoorbellCheckMs,
              SideFds side_fds = SideFds::One);
  DoorbellEnd(const DoorbellEnd&) = delete;
  DoorbellEnd& operator=(const DoorbellEnd&) = delete;

  // Rings the peer with `frame` (and `fds`, sent ahead on the side socket;
  // at most kDoorbellMaxFds, else EINVAL). ECONNRESET if the side socket is
  // dead.
  Status post(const DoorbellFrame& frame, std::span<const int> fds = {});
  // The same with one fd (-1: none).
  Status post(const DoorbellFrame& frame, int fd) {
    return post(frame, fd >= 0 ? std::span<const int>(&fd, 1) : std::span<const int>());
  }

  // The peer's next frame. Errors: ECONNRESET (peer gone or hung up),
  // ECANCELED (interrupt()), EPROTO (a malformed frame: it is consumed, the
  // channel stays usable; the caller answers or gives up).
  Result<DoorbellMessage> wait();
  // The same, with the spin budget of the caller's own AdaptiveSpin (for an
  // end that waits for answers of different kinds, which it learns apart).
  Result<DoorbellMessage> wait(AdaptiveSpin& spin);

  // `word` (shared, outliving this object) is the peer's life word
  // (hold_life_word()): waits wake as soon as the peer dies. Call before
  // the first wait. The peer owns the word: a peer that forges it only
  // hastens or delays the notice of its own death.
  void watch_peer_life(std::atomic<uint32_t>* word) { peer_life_ = word; }

  // Orderly end: the peer's wait() returns ECONNRESET. Any thread; the
  // channel is unusable afterwards.
  void hang_up();
  // Makes a wait() of this end (now, or within one check interval) and every
  // later one return ECANCELED.
  void interrupt();

 private:
  bool peer_gone() const;
  bool peer_died() const;
  Result<std::vector<UniqueFd>> take_fds(uint32_t seq, uint32_t count);
  Result<DoorbellMessage> wait_until(int64_t spin_end_ns, bool spinning);
  // Sleeps on rx_->seq (== rx_seen_) and the peer's life word, if any,
  // for up to check_ms_. False on timeout.
  bool sleep();

  DoorbellBox* tx_;
  DoorbellBox* rx_;
  int sock_;
  AdaptiveSpin spin_;  // this end's waits; used by the channel's current user only
  unsigned check_ms_;
  SideFds side_fds_;
  uint32_t tx_seq_ = 0;   // last seq posted (private: never read back from tx_)
  uint32_t rx_seen_ = 0;  // last seq consumed
  std::atomic<bool> interrupted_{false};
  std::atomic<uint32_t>* peer_life_ = nullptr;
  // The boxes' pages as TSan keys (common/tsan_sync.h): a peer in this
  // process that maps them at another address orders with these.
  const void* tx_key_;
  const void* rx_key_;
};

}  // namespace swtee
