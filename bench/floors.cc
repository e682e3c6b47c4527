#include "floors.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <vector>

#include "common/child_process.h"
#include "common/seqpacket.h"

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

}  // namespace

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

}  // namespace swtee::bench
