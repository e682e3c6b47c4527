#include "common/seqpacket.h"

#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include <array>
#include <cstdlib>
#include <cstring>

#include "common/adaptive_spin.h"

namespace swtee {

Status send_message_parts(int sock, std::span<const std::span<const uint8_t>> parts,
                          std::span<const int> fds) {
  if (fds.size() > kMaxFdsPerMessage) return Error{EINVAL, "too many fds"};
  std::array<iovec, 8> iov{};
  if (parts.size() > iov.size()) return Error{EINVAL, "too many parts"};
  for (size_t i = 0; i < parts.size(); ++i) {
    iov[i].iov_base = const_cast<uint8_t*>(parts[i].data());
    iov[i].iov_len = parts[i].size();
  }
  msghdr msg{};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = parts.size();
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)> ctrl{};
  if (!fds.empty()) {
    msg.msg_control = ctrl.data();
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  for (;;) {
    ssize_t n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
    if (n >= 0) return ok_status();
    if (errno == EINTR) continue;
    return Error::from_errno("sendmsg");
  }
}

Status send_message(int sock, std::span<const uint8_t> payload, std::span<const int> fds) {
  std::array<std::span<const uint8_t>, 1> parts{payload};
  return send_message_parts(sock, parts, fds);
}

namespace {
Result<ReceivedMessage> recv_impl(int sock, std::span<uint8_t> buf, int flags, bool* would_block);
}

Result<ReceivedMessage> recv_message(int sock, std::span<uint8_t> buf) {
  return recv_impl(sock, buf, 0, nullptr);
}

namespace {
int64_t monotonic_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return int64_t{t.tv_sec} * 1000000000 + t.tv_nsec;
}

// Yield-spins on MSG_DONTWAIT receives until `start_ns` + spin_us, then blocks.
Result<ReceivedMessage> recv_spin_from(int sock, std::span<uint8_t> buf, unsigned spin_us, int64_t start_ns) {
  if (spin_us > 0) {
    const int64_t end_ns = start_ns + int64_t{spin_us} * 1000;
    for (;;) {
      bool would_block = false;
      auto r = recv_impl(sock, buf, MSG_DONTWAIT, &would_block);
      if (!would_block) return r;
      if (monotonic_ns() >= end_ns) break;
      sched_yield();
    }
  }
  return recv_impl(sock, buf, 0, nullptr);
}
}  // namespace

Result<ReceivedMessage> recv_message_spin(int sock, std::span<uint8_t> buf, unsigned spin_us) {
  return recv_spin_from(sock, buf, spin_us, spin_us > 0 ? monotonic_ns() : 0);
}

Result<ReceivedMessage> recv_message_spin(int sock, std::span<uint8_t> buf, AdaptiveSpin& spin) {
  const unsigned budget = spin.next_budget_us();
  const int64_t start = monotonic_ns();
  auto r = recv_spin_from(sock, buf, budget, start);
  spin.record(static_cast<uint64_t>(monotonic_ns() - start));
  return r;
}

unsigned call_path_spin_us() {
  static const unsigned v = [] {
    const char* e = std::getenv("SWTEE_SPIN_US");
    if (e == nullptr) return 20u;
    long n = std::strtol(e, nullptr, 10);
    return n < 0 ? 0u : n > 1000 ? 1000u : static_cast<unsigned>(n);
  }();
  return v;
}

namespace {
Result<ReceivedMessage> recv_impl(int sock, std::span<uint8_t> buf, int flags, bool* would_block) {
  iovec iov{buf.data(), buf.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)> ctrl{};
  msg.msg_control = ctrl.data();
  msg.msg_controllen = ctrl.size();
  ssize_t n;
  for (;;) {
    n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | flags);
    if (n >= 0) break;
    if (errno == EINTR) continue;
    if (would_block != nullptr && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      *would_block = true;
      return Error{EAGAIN, "would block"};
    }
    return Error::from_errno("recvmsg");
  }
  ReceivedMessage out;
  // Adopt every fd first, whatever happens next.
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      out.fds.emplace_back(fd);
    }
  }
  if (n == 0 && out.fds.empty()) return Error{ECONNRESET, "peer closed"};
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) return Error{EMSGSIZE, "message truncated"};
  out.length = static_cast<size_t>(n);
  return out;
}
}  // namespace

Result<std::pair<UniqueFd, UniqueFd>> seqpacket_pair() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    return Error::from_errno("socketpair");
  return std::pair<UniqueFd, UniqueFd>{UniqueFd(sv[0]), UniqueFd(sv[1])};
}

static Result<sockaddr_un> make_addr(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof(a.sun_path)) return Error{ENAMETOOLONG, "socket path too long"};
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

Result<UniqueFd> seqpacket_listen(const std::string& path, unsigned mode, int backlog) {
  ASSIGN_OR_RETURN(sockaddr_un a, make_addr(path));
  UniqueFd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!s) return Error::from_errno("socket");
  ::unlink(path.c_str());
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) return Error::from_errno("bind");
  if (::chmod(path.c_str(), mode) != 0) return Error::from_errno("chmod");
  if (::listen(s.get(), backlog) != 0) return Error::from_errno("listen");
  return s;
}

Result<UniqueFd> seqpacket_connect(const std::string& path) {
  ASSIGN_OR_RETURN(sockaddr_un a, make_addr(path));
  UniqueFd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!s) return Error::from_errno("socket");
  for (;;) {
    if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0) return s;
    if (errno == EINTR) continue;
    return Error::from_errno("connect");
  }
}

Result<PeerCred> peer_cred(int sock) {
  ucred c{};
  socklen_t len = sizeof(c);
  if (::getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &c, &len) != 0) return Error::from_errno("SO_PEERCRED");
  return PeerCred{c.pid, c.uid, c.gid};
}

}  // namespace swtee
