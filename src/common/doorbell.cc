#include "common/doorbell.h"

#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/seqpacket.h"
#include "common/tsan_sync.h"

namespace swtee {
namespace {

// Stale fd datagrams skipped at most while looking for a frame's own.
constexpr int kMaxStaleFdMessages = 16;

// Shared (not FUTEX_PRIVATE_FLAG): the word lives in a mapping shared with
// another process.
void futex_wake(std::atomic<uint32_t>* word) {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

// Returns false on timeout; true on a wake-up, a changed word or a signal.
bool futex_wait(std::atomic<uint32_t>* word, uint32_t expected, unsigned timeout_ms) {
  timespec ts{static_cast<time_t>(timeout_ms / 1000), static_cast<long>(timeout_ms % 1000) * 1000000L};
  long r = ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT, expected, &ts, nullptr, 0);
  return !(r != 0 && errno == ETIMEDOUT);
}

// futex_waitv (Linux 5.16) is used when an end watches its peer's life
// word; without it such an end falls back to the timed single-word wait.
std::atomic<bool> g_have_waitv{true};

int64_t now_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return int64_t{t.tv_sec} * 1000000000 + t.tv_nsec;
}

DoorbellFrame snapshot(const DoorbellBox& box) {
  DoorbellFrame f;
  for (size_t i = 0; i < kDoorbellWords; ++i) f[i] = box.words[i].load(std::memory_order_relaxed);
  return f;
}

}  // namespace

unsigned doorbell_spin_us() {
  static const unsigned v = [] {
    const char* e = std::getenv("SWTEE_DOORBELL_SPIN_US");
    if (e == nullptr || *e == '\0') return kDoorbellDefaultSpinUs;
    char* end = nullptr;
    long n = std::strtol(e, &end, 10);
    if (*end != '\0') return kDoorbellDefaultSpinUs;
    return n < 0 ? 0u : n > long{kDoorbellMaxSpinUs} ? kDoorbellMaxSpinUs : static_cast<unsigned>(n);
  }();
  return v;
}

DoorbellEnd::DoorbellEnd(DoorbellPair* pair, Role role, int sock, unsigned spin_us, unsigned check_ms,
                         SideFds side_fds)
    : tx_(role == Role::Client ? &pair->to_server : &pair->to_client),
      rx_(role == Role::Client ? &pair->to_client : &pair->to_server),
      sock_(sock),
      spin_(spin_us > kDoorbellMaxSpinUs ? kDoorbellMaxSpinUs : spin_us),
      check_ms_(check_ms == 0 ? 1 : check_ms),
      side_fds_(side_fds),
      tx_key_(shared_sync_key(tx_)),
      rx_key_(shared_sync_key(rx_)) {}

Status hold_life_word(std::atomic<uint32_t>* word) {
  // The kernel walks the list when the thread dies (any death, SIGKILL
  // included): for an entry whose word holds the thread's id it sets
  // FUTEX_OWNER_DIED and, when FUTEX_WAITERS is set, wakes one waiter
  // (shared futex). The list lives as long as the thread; one entry.
  static robust_list_head head;
  static robust_list entry;
  word->store(static_cast<uint32_t>(::gettid()) & FUTEX_TID_MASK, std::memory_order_seq_cst);
  entry.next = &head.list;
  head.list.next = &entry;
  head.futex_offset = reinterpret_cast<intptr_t>(word) - reinterpret_cast<intptr_t>(&entry);
  head.list_op_pending = nullptr;
  if (::syscall(SYS_set_robust_list, &head, sizeof(head)) != 0) return Error::from_errno("set_robust_list");
  return ok_status();
}

Status DoorbellEnd::post(const DoorbellFrame& frame, std::span<const int> fds) {
  const uint32_t seq = tx_seq_ + 1;
  if (fds.size() > kDoorbellMaxFds) return Error{EINVAL, "too many fds for one doorbell frame"};
  if (!fds.empty()) {
    // The fds are queued on the peer's socket before the frame becomes visible.
    Status st = send_message(sock_, {reinterpret_cast<const uint8_t*>(&seq), sizeof(seq)}, fds);
    if (!st.ok()) return Error{ECONNRESET, "doorbell side socket closed"};
  }
  for (size_t i = 0; i < kDoorbellWords; ++i) tx_->words[i].store(frame[i], std::memory_order_relaxed);
  tx_->fds.store(static_cast<uint32_t>(fds.size()), std::memory_order_relaxed);
  tx_seq_ = seq;
  tsan_release(tx_key_);
  tx_->seq.store(seq, std::memory_order_seq_cst);  // publishes the words; Dekker with the waiter
  if (tx_->sleeping.load(std::memory_order_seq_cst) != 0) futex_wake(&tx_->seq);
  return ok_status();
}

void DoorbellEnd::hang_up() {
  // May race with a post() of the channel's user: `closed` is sticky and any
  // change of `seq` after it makes the waiter look at it.
  tx_->closed.store(1, std::memory_order_seq_cst);
  tsan_release(tx_key_);
  tx_->seq.fetch_add(1, std::memory_order_seq_cst);
  futex_wake(&tx_->seq);
}

void DoorbellEnd::interrupt() {
  interrupted_.store(true, std::memory_order_seq_cst);
  futex_wake(&rx_->seq);  // our own waiter; if it is not asleep yet it sees the flag or its next timeout
}

bool DoorbellEnd::peer_died() const {
  return peer_life_ != nullptr && (peer_life_->load(std::memory_order_acquire) & FUTEX_OWNER_DIED) != 0;
}

bool DoorbellEnd::peer_gone() const {
  pollfd p{sock_, POLLRDHUP, 0};
  int r = ::poll(&p, 1, 0);
  return r > 0 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL)) != 0;
}

Result<DoorbellMessage> DoorbellEnd::wait() { return wait(spin_); }

Result<DoorbellMessage> DoorbellEnd::wait(AdaptiveSpin& spin) {
  const unsigned budget_us = std::min(spin.next_budget_us(), kDoorbellMaxSpinUs);
  const int64_t start = now_ns();
  auto r = wait_until(start + int64_t{budget_us} * 1000, budget_us > 0);
  spin.record(static_cast<uint64_t>(now_ns() - start));
  return r;
}

bool DoorbellEnd::sleep() {
  if (peer_life_ == nullptr || !g_have_waitv.load(std::memory_order_relaxed))
    return futex_wait(&rx_->seq, rx_seen_, check_ms_);
  // Ask the kernel to wake us when the holder dies (a robust futex's
  // waiters bit). A word without a holder's id yet is not watched (the
  // holder's store would clear the bit). A held word changes only when the
  // kernel marks its holder's death; one that changes otherwise is forged
  // (a hostile peer's) and no longer watched, so flipping it cannot make
  // this end spin.
  uint32_t life = peer_life_->load(std::memory_order_seq_cst);
  if ((life & FUTEX_OWNER_DIED) != 0) return true;
  if ((life & FUTEX_TID_MASK) == 0) return futex_wait(&rx_->seq, rx_seen_, check_ms_);
  if ((life & FUTEX_WAITERS) == 0) {
    const uint32_t want = life | FUTEX_WAITERS;
    if (!peer_life_->compare_exchange_strong(life, want, std::memory_order_seq_cst)) {
      if ((life & FUTEX_OWNER_DIED) == 0) peer_life_ = nullptr;
      return true;  // look again
    }
    life = want;
  }
  std::array<futex_waitv, 2> w{};
  w[0].val = rx_seen_;
  w[0].uaddr = reinterpret_cast<uintptr_t>(&rx_->seq);
  w[0].flags = FUTEX_32;
  w[1].val = life;
  w[1].uaddr = reinterpret_cast<uintptr_t>(peer_life_);
  w[1].flags = FUTEX_32;
  timespec until{};
  ::clock_gettime(CLOCK_MONOTONIC, &until);
  const int64_t end = int64_t{until.tv_sec} * 1000000000 + until.tv_nsec + int64_t{check_ms_} * 1000000;
  until.tv_sec = static_cast<time_t>(end / 1000000000);
  until.tv_nsec = static_cast<long>(end % 1000000000);
  long r = ::syscall(SYS_futex_waitv, w.data(), w.size(), 0, &until, CLOCK_MONOTONIC);
  if (r < 0 && errno == ENOSYS) {
    g_have_waitv.store(false, std::memory_order_relaxed);
    return futex_wait(&rx_->seq, rx_seen_, check_ms_);
  }
  const bool timed_out = r < 0 && errno == ETIMEDOUT;
  const uint32_t now = peer_life_->load(std::memory_order_seq_cst);
  if (now != life && (now & FUTEX_OWNER_DIED) == 0) peer_life_ = nullptr;
  return !timed_out;
}

Result<DoorbellMessage> DoorbellEnd::wait_until(int64_t spin_end, bool spinning) {
  for (;;) {
    const uint32_t seq = rx_->seq.load(std::memory_order_acquire);
    if (seq != rx_seen_) {
      rx_seen_ = seq;
      tsan_acquire(rx_key_);
      if (rx_->closed.load(std::memory_order_relaxed) != 0) return Error{ECONNRESET, "peer hung up"};
      DoorbellMessage m;
      m.frame = snapshot(*rx_);
      const uint32_t fds = rx_->fds.load(std::memory_order_relaxed);
      if (fds > static_cast<uint32_t>(side_fds_)) return Error{EPROTO, "doorbell frame claims too many fds"};
      if (fds != 0) {
        ASSIGN_OR_RETURN(m.fds, take_fds(seq, fds));
      }
      return m;
    }
    if (interrupted_.load(std::memory_order_relaxed)) return Error{ECANCELED, "doorbell interrupted"};
    if (spinning) {
      if (now_ns() < spin_end) {
        ::sched_yield();
        continue;
      }
      spinning = false;
    }
    rx_->sleeping.store(1, std::memory_order_seq_cst);
    if (rx_->seq.load(std::memory_order_seq_cst) == rx_seen_ &&
        !interrupted_.load(std::memory_order_seq_cst)) {
      const bool woken = sleep();
      if (rx_->seq.load(std::memory_order_acquire) == rx_seen_ && (peer_died() || (!woken && peer_gone()))) {
        rx_->sleeping.store(0, std::memory_order_relaxed);
        return Error{ECONNRESET, "doorbell peer gone"};
      }
    }
    rx_->sleeping.store(0, std::memory_order_relaxed);
  }
}

Result<std::vector<UniqueFd>> DoorbellEnd::take_fds(uint32_t seq, uint32_t count) {
  for (int i = 0; i < kMaxStaleFdMessages; ++i) {
    pollfd p{sock_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0 || (p.revents & POLLIN) == 0) break;
    uint32_t tag = 0;
    auto r = recv_message(sock_, {reinterpret_cast<uint8_t*>(&tag), sizeof(tag)});
    if (!r.ok()) {
      if (r.error().code == EMSGSIZE) continue;  // oversized: its fds are closed
      return Error{ECONNRESET, "doorbell side socket closed"};
    }
    if (r->length != sizeof(tag) || tag != seq || r->fds.size() != count) continue;  // stale or malformed
    return std::move(r->fds);
  }
  return Error{EPROTO, "doorbell frame's fds are missing"};
}

}  // namespace swtee
