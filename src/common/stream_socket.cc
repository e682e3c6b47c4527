#include "common/stream_socket.h"

// clang-format off
#include <sys/socket.h>
#include <linux/vm_sockets.h>
// clang-format on
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <charconv>
#include <cstring>
#include <memory>

namespace swtee {
namespace {

std::optional<uint32_t> parse_u32(std::string_view s) {
  uint32_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Result<sockaddr_un> unix_addr(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(a.sun_path)) return Error{ENAMETOOLONG, "unix address", path};
  std::memcpy(a.sun_path, path.data(), path.size());
  return a;
}

sockaddr_vm vsock_addr(uint32_t cid, uint32_t port) {
  sockaddr_vm a{};
  a.svm_family = AF_VSOCK;
  a.svm_cid = cid;
  a.svm_port = port;
  return a;
}

Status connect_retry_eintr(int s, const sockaddr* a, socklen_t len) {
  for (;;) {
    if (::connect(s, a, len) == 0) return ok_status();
    if (errno == EINTR) continue;
    return Error::from_errno("connect");
  }
}

// A Unix stream socket's sender sleeps whenever its send buffer (212 KiB
// by default) is full, until the reader drains it: five sleeps and wake-ups
// for a 1 MiB frame. Room for a few MiB in flight lets a large memref go
// out in one send (docs/performance.md, "Guests"). The kernel doubles the
// value and caps it at net.core.wmem_max; TCP keeps its own autotuning.
void widen_unix_send_buffer(int s) {
  constexpr int kBytes = 4 << 20;
  (void)::setsockopt(s, SOL_SOCKET, SO_SNDBUF, &kBytes, sizeof(kBytes));
}

struct AddrInfoFree {
  void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};

// Tries each address getaddrinfo gives for host:port; `listen` binds instead.
Result<UniqueFd> tcp_socket(const StreamAddress& a, bool listen) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = listen ? AI_PASSIVE : 0;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(a.port);
  const char* host = a.host.empty() ? nullptr : a.host.c_str();
  if (int rc = ::getaddrinfo(host, port.c_str(), &hints, &res); rc != 0)
    return Error{EHOSTUNREACH, "getaddrinfo", fmt::format("{}: {}", a.text, ::gai_strerror(rc))};
  std::unique_ptr<addrinfo, AddrInfoFree> own(res);
  Error last{EHOSTUNREACH, "tcp", a.text};
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    UniqueFd s(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (!s) {
      last = Error::from_errno("socket", a.text);
      continue;
    }
    int one = 1;
    if (listen) {
      (void)::setsockopt(s.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      if (::bind(s.get(), ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(s.get(), 64) != 0) {
        last = Error::from_errno("bind/listen", a.text);
        continue;
      }
    } else {
      if (Status st = connect_retry_eintr(s.get(), ai->ai_addr, ai->ai_addrlen); !st.ok()) {
        last = st.error().in(a.text);
        continue;
      }
      (void)::setsockopt(s.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    return s;
  }
  return last;
}

}  // namespace

const char* transport_name(Transport t) {
  switch (t) {
    case Transport::Unix:
      return "unix";
    case Transport::Tcp:
      return "tcp";
    case Transport::Vsock:
      return "vsock";
  }
  return "?";
}

Result<StreamAddress> parse_stream_address(std::string_view text) {
  StreamAddress a;
  a.text = std::string(text);
  const auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return Error{EINVAL, "address",
                 fmt::format("{}: expected unix:PATH, tcp:HOST:PORT or vsock:CID:PORT", text)};
  const std::string_view scheme = text.substr(0, colon), rest = text.substr(colon + 1);
  if (scheme == "unix") {
    a.transport = Transport::Unix;
    if (rest.empty() || rest.size() >= sizeof(sockaddr_un::sun_path))
      return Error{EINVAL, "address", fmt::format("{}: empty or too long socket path", text)};
    a.path = std::string(rest);
    return a;
  }
  const auto last = rest.rfind(':');
  if (last == std::string_view::npos) return Error{EINVAL, "address", fmt::format("{}: no port", text)};
  auto port = parse_u32(rest.substr(last + 1));
  std::string_view host = rest.substr(0, last);
  if (scheme == "tcp") {
    a.transport = Transport::Tcp;
    if (!port || *port == 0 || *port > 65535) return Error{EINVAL, "address", fmt::format("{}: port", text)};
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    a.host = std::string(host);
    a.port = *port;
    return a;
  }
  if (scheme == "vsock") {
    a.transport = Transport::Vsock;
    if (!port) return Error{EINVAL, "address", fmt::format("{}: port", text)};
    if (host == "any") {
      a.cid = VMADDR_CID_ANY;
    } else {
      auto cid = parse_u32(host);
      if (!cid) return Error{EINVAL, "address", fmt::format("{}: CID must be a number or any", text)};
      a.cid = *cid;
    }
    a.port = *port;
    return a;
  }
  return Error{EINVAL, "address", fmt::format("{}: unknown transport {}", text, scheme)};
}

Result<UniqueFd> stream_listen(const StreamAddress& a, unsigned unix_mode) {
  switch (a.transport) {
    case Transport::Unix: {
      ASSIGN_OR_RETURN(sockaddr_un sa, unix_addr(a.path));
      UniqueFd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (!s) return Error::from_errno("socket", a.text);
      ::unlink(a.path.c_str());
      if (::bind(s.get(), reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0)
        return Error::from_errno("bind", a.text);
      if (::chmod(a.path.c_str(), unix_mode) != 0) return Error::from_errno("chmod", a.text);
      if (::listen(s.get(), 64) != 0) return Error::from_errno("listen", a.text);
      return s;
    }
    case Transport::Tcp:
      return tcp_socket(a, true);
    case Transport::Vsock: {
      UniqueFd s(::socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (!s) return Error::from_errno("socket(AF_VSOCK)", a.text);
      sockaddr_vm sa = vsock_addr(a.cid, a.port);
      if (::bind(s.get(), reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0)
        return Error::from_errno("bind", a.text);
      if (::listen(s.get(), 64) != 0) return Error::from_errno("listen", a.text);
      return s;
    }
  }
  return Error{EINVAL, "listen", a.text};
}

Result<UniqueFd> stream_connect(const StreamAddress& a) {
  switch (a.transport) {
    case Transport::Unix: {
      ASSIGN_OR_RETURN(sockaddr_un sa, unix_addr(a.path));
      UniqueFd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (!s) return Error::from_errno("socket", a.text);
      if (Status st = connect_retry_eintr(s.get(), reinterpret_cast<sockaddr*>(&sa), sizeof(sa)); !st.ok())
        return st.error().in(a.text);
      widen_unix_send_buffer(s.get());
      return s;
    }
    case Transport::Tcp:
      return tcp_socket(a, false);
    case Transport::Vsock: {
      UniqueFd s(::socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (!s) return Error::from_errno("socket(AF_VSOCK)", a.text);
      sockaddr_vm sa = vsock_addr(a.cid, a.port);
      if (Status st = connect_retry_eintr(s.get(), reinterpret_cast<sockaddr*>(&sa), sizeof(sa)); !st.ok())
        return st.error().in(a.text);
      return s;
    }
  }
  return Error{EINVAL, "connect", a.text};
}

Result<UniqueFd> stream_accept(int listener) {
  for (;;) {
    UniqueFd s(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
    if (s) {
      int one = 1, domain = 0;
      socklen_t len = sizeof(domain);
      (void)::setsockopt(s.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  // fails harmlessly off TCP
      if (::getsockopt(s.get(), SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 && domain == AF_UNIX)
        widen_unix_send_buffer(s.get());
      return s;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    return Error::from_errno("accept");
  }
}

Result<StreamPeer> stream_peer(int sock, Transport t) {
  StreamPeer p;
  switch (t) {
    case Transport::Unix: {
      ucred c{};
      socklen_t len = sizeof(c);
      if (::getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &c, &len) != 0) return Error::from_errno("SO_PEERCRED");
      p.uid = c.uid;
      p.text = fmt::format("uid {}", c.uid);
      return p;
    }
    case Transport::Vsock: {
      sockaddr_vm sa{};
      socklen_t len = sizeof(sa);
      if (::getpeername(sock, reinterpret_cast<sockaddr*>(&sa), &len) != 0 || sa.svm_family != AF_VSOCK)
        return Error::from_errno("getpeername(AF_VSOCK)");
      p.cid = sa.svm_cid;
      p.text = fmt::format("cid {}", sa.svm_cid);
      return p;
    }
    case Transport::Tcp: {
      sockaddr_storage ss{};
      socklen_t len = sizeof(ss);
      if (::getpeername(sock, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return Error::from_errno("getpeername");
      char host[NI_MAXHOST] = "?", serv[NI_MAXSERV] = "?";
      (void)::getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof(host), serv, sizeof(serv),
                          NI_NUMERICHOST | NI_NUMERICSERV);
      p.text = fmt::format("{}:{}", host, serv);
      return p;
    }
  }
  return Error{EINVAL, "peer"};
}

Status write_all(int sock, std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(sock, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("send");
    }
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
  return ok_status();
}

Status read_exact(int sock, std::span<uint8_t> bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::recv(sock, bytes.data(), bytes.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("recv");
    }
    if (n == 0) return Error{ECONNRESET, "recv", "peer closed the stream"};
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
  return ok_status();
}

}  // namespace swtee
