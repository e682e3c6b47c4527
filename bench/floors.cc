#include "floors.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <vector>

#include "common/child_process.h"
#include "common/doorbell.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"

namespace swtee::bench {
namespace {

// Echo loop run by a relay process: receive from `in`, forward to `out`;
// receive the answer from `out`, return it on `in`. The last process in a
// chain (out < 0) answers directly.
[[noreturn]] void relay(int in, int out, unsigned spin_us) {
  std::array<uint8_t, 64> buf{};
  for (;;) {
    auto r = recv_message_spin(in, buf, spin_us);
    if (!r.ok()) _exit(0);
    if (out >= 0) {
      if (!send_message(out, std::span<const uint8_t>(buf.data(), r->length)).ok()) _exit(0);
      auto back = recv_message_spin(out, buf, spin_us);
      if (!back.ok()) _exit(0);
    }
    if (!send_message(in, std::span<const uint8_t>(buf.data(), r->length)).ok()) _exit(0);
  }
}

// The same relay over doorbells: waits on its server end of link i, forwards
// on its client end of link i+1 (if any), answers. A hang-up or a dead peer
// is passed down the chain.
[[noreturn]] void doorbell_relay(DoorbellEnd& in, DoorbellEnd* out) {
  for (;;) {
    auto r = in.wait();
    if (!r.ok()) break;
    DoorbellFrame f = r->frame;
    if (out != nullptr) {
      if (!out->post(f).ok()) break;
      auto back = out->wait();
      if (!back.ok()) break;
      f = back->frame;
    }
    if (!in.post(f).ok()) break;
  }
  if (out != nullptr) out->hang_up();
  _exit(0);
}

}  // namespace

Summary futex_chain(unsigned hops, unsigned spin_us, size_t iterations) {
  if (hops == 0) return {};
  const uint64_t size = uint64_t{hops} * sizeof(DoorbellPair);
  auto memfd = create_sealed_memfd("bench-doorbell", size);
  if (!memfd.ok()) return {};
  auto map = Mapping::map(memfd->get(), size);
  if (!map.ok()) return {};
  auto* pairs = reinterpret_cast<DoorbellPair*>(map->data());
  std::vector<std::pair<UniqueFd, UniqueFd>> links;  // liveness sockets, one per hop
  for (unsigned i = 0; i < hops; ++i) {
    auto p = seqpacket_pair();
    if (!p.ok()) return {};
    links.push_back(std::move(p).value());
  }
  std::vector<ChildProcess> kids;
  for (unsigned i = 0; i < hops; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      // Keep only this relay's own ends, so that a dead neighbour shows as HUP.
      for (unsigned j = 0; j < hops; ++j) {
        if (j != i) links[j].second.reset();
        if (j != i + 1) links[j].first.reset();
      }
      for (auto& k : kids) (void)k.release();  // the parent's children: not ours to kill
      DoorbellEnd in(&pairs[i], DoorbellEnd::Role::Server, links[i].second.get(), spin_us);
      if (i + 1 < hops) {
        DoorbellEnd out(&pairs[i + 1], DoorbellEnd::Role::Client, links[i + 1].first.get(), spin_us);
        doorbell_relay(in, &out);
      }
      doorbell_relay(in, nullptr);
    }
    kids.emplace_back(pid);
  }
  DoorbellEnd head(&pairs[0], DoorbellEnd::Role::Client, links[0].first.get(), spin_us);
  DoorbellFrame f{};
  std::vector<double> us;
  us.reserve(iterations);
  for (size_t i = 0; i < iterations + iterations / 10; ++i) {
    f[0] = i;
    double t0 = now_us();
    if (!head.post(f).ok() || !head.wait().ok()) break;
    double t1 = now_us();
    if (i >= iterations / 10) us.push_back(t1 - t0);
  }
  head.hang_up();
  for (auto& k : kids) (void)k.wait();
  return summarize(std::move(us));
}

Summary socket_chain(unsigned hops, unsigned spin_us, size_t iterations) {
  std::vector<std::pair<UniqueFd, UniqueFd>> links;
  for (unsigned i = 0; i < hops; ++i) {
    auto p = seqpacket_pair();
    if (!p.ok()) return {};
    links.push_back(std::move(p).value());
  }
  std::vector<ChildProcess> kids;
  for (unsigned i = 0; i < hops; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      int in = links[i].second.get();
      int out = i + 1 < hops ? links[i + 1].first.get() : -1;
      relay(in, out, spin_us);
    }
    kids.emplace_back(pid);
  }
  int sock = links[0].first.get();
  std::array<uint8_t, 64> buf{};
  std::vector<double> us;
  us.reserve(iterations);
  for (size_t i = 0; i < iterations + iterations / 10; ++i) {
    double t0 = now_us();
    (void)send_message(sock, std::span<const uint8_t>(buf.data(), 64));
    (void)recv_message_spin(sock, buf, spin_us);
    double t1 = now_us();
    if (i >= iterations / 10) us.push_back(t1 - t0);
  }
  return summarize(std::move(us));
}

Summary socket_pingpong(unsigned spin_us, size_t iterations) { return socket_chain(1, spin_us, iterations); }

Summary memcpy_floor(size_t bytes, size_t iterations) {
  std::vector<uint8_t> src(bytes, 0x5a), dst(bytes, 0);
  std::vector<double> us;
  us.reserve(iterations);
  for (size_t i = 0; i < iterations + iterations / 10; ++i) {
    src[i % bytes] = static_cast<uint8_t>(i);  // each copy moves new bytes
    double t0 = now_us();
    std::memcpy(dst.data(), src.data(), bytes);
    asm volatile("" : : "r"(dst.data()) : "memory");  // the copy cannot be elided
    double t1 = now_us();
    if (i >= iterations / 10) us.push_back(t1 - t0);
  }
  return summarize(std::move(us));
}

BestChain best_futex_chain(unsigned hops, const std::vector<unsigned>& budgets_us, size_t iterations) {
  BestChain b;
  for (unsigned budget : budgets_us) {
    ChainRun r{budget, futex_chain(hops, budget, iterations)};
    if (r.s.n > 0 && (b.best.s.n == 0 || r.s.p50_us < b.best.s.p50_us)) b.best = r;
    b.runs.push_back(r);
  }
  return b;
}

}  // namespace swtee::bench
