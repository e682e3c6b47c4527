#include "common/doorbell.h"

#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/seqpacket.h"

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
      side_fds_(side_fds) {}

Status DoorbellEnd::post(const DoorbellFrame& frame, int fd) {
  const uint32_t seq = tx_seq_ + 1;
  if (fd >= 0 && side_fds_ == SideFds::Refuse) return Error{EINVAL, "this doorbell carries no fds"};
  if (fd >= 0) {
    // The fd is queued on the peer's socket before the frame becomes visible.
    Status st = send_message(sock_, {reinterpret_cast<const uint8_t*>(&seq), sizeof(seq)}, {&fd, 1});
    if (!st.ok()) return Error{ECONNRESET, "doorbell side socket closed"};
  }
  for (size_t i = 0; i < kDoorbellWords; ++i) tx_->words[i].store(frame[i], std::memory_order_relaxed);
  tx_->fds.store(fd >= 0 ? 1 : 0, std::memory_order_relaxed);
  tx_seq_ = seq;
  tx_->seq.store(seq, std::memory_order_seq_cst);  // publishes the words; Dekker with the waiter
  if (tx_->sleeping.load(std::memory_order_seq_cst) != 0) futex_wake(&tx_->seq);
  return ok_status();
}

void DoorbellEnd::hang_up() {
  // May race with a post() of the channel's user: `closed` is sticky and any
  // change of `seq` after it makes the waiter look at it.
  tx_->closed.store(1, std::memory_order_seq_cst);
  tx_->seq.fetch_add(1, std::memory_order_seq_cst);
  futex_wake(&tx_->seq);
}

void DoorbellEnd::interrupt() {
  interrupted_.store(true, std::memory_order_seq_cst);
  futex_wake(&rx_->seq);  // our own waiter; if it is not asleep yet it sees the flag or its next timeout
}

bool DoorbellEnd::peer_gone() const {
  pollfd p{sock_, POLLRDHUP, 0};
  int r = ::poll(&p, 1, 0);
  return r > 0 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL)) != 0;
}

Result<DoorbellMessage> DoorbellEnd::wait() {
  const unsigned budget_us = spin_.next_budget_us();
  const int64_t start = now_ns();
  auto r = wait_until(start + int64_t{budget_us} * 1000, budget_us > 0);
  spin_.record(static_cast<uint64_t>(now_ns() - start));
  return r;
}

Result<DoorbellMessage> DoorbellEnd::wait_until(int64_t spin_end, bool spinning) {
  for (;;) {
    const uint32_t seq = rx_->seq.load(std::memory_order_acquire);
    if (seq != rx_seen_) {
      rx_seen_ = seq;
      if (rx_->closed.load(std::memory_order_relaxed) != 0) return Error{ECONNRESET, "peer hung up"};
      DoorbellMessage m;
      m.frame = snapshot(*rx_);
      const uint32_t fds = rx_->fds.load(std::memory_order_relaxed);
      if (fds > 1) return Error{EPROTO, "doorbell frame claims several fds"};
      if (fds == 1 && side_fds_ == SideFds::Refuse) return Error{EPROTO, "doorbell frame claims an fd"};
      if (fds == 1) {
        ASSIGN_OR_RETURN(m.fd, take_fd(seq));
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
      if (!futex_wait(&rx_->seq, rx_seen_, check_ms_) &&
          rx_->seq.load(std::memory_order_acquire) == rx_seen_ && peer_gone()) {
        rx_->sleeping.store(0, std::memory_order_relaxed);
        return Error{ECONNRESET, "doorbell peer gone"};
      }
    }
    rx_->sleeping.store(0, std::memory_order_relaxed);
  }
}

Result<UniqueFd> DoorbellEnd::take_fd(uint32_t seq) {
  for (int i = 0; i < kMaxStaleFdMessages; ++i) {
    pollfd p{sock_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0 || (p.revents & POLLIN) == 0) break;
    uint32_t tag = 0;
    auto r = recv_message(sock_, {reinterpret_cast<uint8_t*>(&tag), sizeof(tag)});
    if (!r.ok()) {
      if (r.error().code == EMSGSIZE) continue;  // oversized: its fds are closed
      return Error{ECONNRESET, "doorbell side socket closed"};
    }
    if (r->length != sizeof(tag) || tag != seq || r->fds.size() != 1) continue;  // stale or malformed
    return std::move(r->fds.front());
  }
  return Error{EPROTO, "doorbell frame's fd is missing"};
}

}  // namespace swtee
