#include "common/stream_socket.h"

#include <gtest/gtest.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace swtee {
namespace {

TEST(StreamAddress, ParsesTheThreeTransports) {
  auto u = parse_stream_address("unix:/run/x.sock");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->transport, Transport::Unix);
  EXPECT_EQ(u->path, "/run/x.sock");
  auto t = parse_stream_address("tcp:127.0.0.1:7070");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 7070u);
  auto t6 = parse_stream_address("tcp:[::1]:80");
  ASSERT_TRUE(t6.ok());
  EXPECT_EQ(t6->host, "::1");
  auto v = parse_stream_address("vsock:2:5000");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->cid, 2u);
  EXPECT_EQ(v->port, 5000u);
  EXPECT_EQ(parse_stream_address("vsock:any:5000")->cid, VMADDR_CID_ANY);
  for (const char* bad : {"", "unix:", "tcp:host", "tcp:host:0", "tcp:host:70000", "tcp:h:p", "vsock:x:1",
                          "vsock:3", "udp:1:2", "/path"})
    EXPECT_EQ(parse_stream_address(bad).error().code, EINVAL) << bad;
}

// Both ends of a connection over a Unix socket in a fresh directory.
struct UnixPair {
  std::filesystem::path dir;
  UniqueFd connected, accepted;
  ~UnixPair() { std::filesystem::remove_all(dir); }
};

void unix_pair(const std::string& name, UnixPair& p) {
  p.dir = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(p.dir);
  auto a = parse_stream_address("unix:" + (p.dir / "s").string());
  ASSERT_TRUE(a.ok());
  auto l = stream_listen(*a);
  ASSERT_TRUE(l.ok()) << l.error().message();
  auto c = stream_connect(*a);
  ASSERT_TRUE(c.ok());
  auto s = stream_accept(l->get());
  ASSERT_TRUE(s.ok());
  p.connected = std::move(c).value();
  p.accepted = std::move(s).value();
}

TEST(StreamSocket, UnixRoundTripWithPeerUid) {
  UnixPair p;
  ASSERT_NO_FATAL_FAILURE(unix_pair("swtee-stream", p));
  auto peer = stream_peer(p.accepted.get(), Transport::Unix);
  ASSERT_TRUE(peer.ok());
  EXPECT_EQ(*peer->uid, ::getuid());
  std::vector<uint8_t> big(1 << 20, 7), got(big.size());
  std::thread w([&] { EXPECT_TRUE(write_all(p.connected.get(), big).ok()); });
  EXPECT_TRUE(read_exact(p.accepted.get(), got).ok());
  w.join();
  EXPECT_EQ(got, big);
  p.connected.reset();
  uint8_t b;
  EXPECT_EQ(read_exact(p.accepted.get(), std::span(&b, 1)).error().code, ECONNRESET);
}

// Both ends of a Unix stream ask for room for a few MiB in flight, so the
// sender of a large frame does not sleep on a full buffer (docs/performance.md,
// "Guests"): the kernel grants twice what was asked, up to net.core.wmem_max.
TEST(StreamSocket, UnixStreamsHaveRoomForLargeFrames) {
  long wmem_max = 0;
  if (FILE* f = std::fopen("/proc/sys/net/core/wmem_max", "r")) {
    if (std::fscanf(f, "%ld", &wmem_max) != 1) wmem_max = 0;
    std::fclose(f);
  }
  ASSERT_GT(wmem_max, 0);
  const long expected = 2 * std::min(wmem_max, long{4} << 20);
  UnixPair p;
  ASSERT_NO_FATAL_FAILURE(unix_pair("swtee-stream-buf", p));
  for (int fd : {p.connected.get(), p.accepted.get()}) {
    int size = 0;
    socklen_t len = sizeof(size);
    ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &len), 0);
    EXPECT_GE(size, expected) << (fd == p.connected.get() ? "connected end" : "accepted end");
  }
}

TEST(StreamSocket, TcpLoopback) {
  auto a = parse_stream_address("tcp:127.0.0.1:0");
  // Port 0 is refused by the parser (a guest must name its host's port):
  // bind an ephemeral port by hand and connect through an address.
  EXPECT_FALSE(a.ok());
  auto any = parse_stream_address("tcp:127.0.0.1:1");
  ASSERT_TRUE(any.ok());
  UniqueFd l(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(l.get(), reinterpret_cast<sockaddr*>(&sin), sizeof(sin)), 0);
  ASSERT_EQ(::listen(l.get(), 1), 0);
  socklen_t len = sizeof(sin);
  ASSERT_EQ(::getsockname(l.get(), reinterpret_cast<sockaddr*>(&sin), &len), 0);
  any->port = ntohs(sin.sin_port);
  auto c = stream_connect(*any);
  ASSERT_TRUE(c.ok()) << c.error().message();
  auto s = stream_accept(l.get());
  ASSERT_TRUE(s.ok());
  auto peer = stream_peer(s->get(), Transport::Tcp);
  ASSERT_TRUE(peer.ok());
  EXPECT_FALSE(peer->uid.has_value());
  EXPECT_NE(peer->text.find("127.0.0.1"), std::string::npos);
}

}  // namespace
}  // namespace swtee
