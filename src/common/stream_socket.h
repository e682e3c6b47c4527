// Byte-stream sockets for the remote driver and the host's guest acceptor:
// one address syntax for the three transports, listen/connect, whole reads
// and writes, and who the peer is as the transport says.
//
// Addresses:  unix:/path/to/socket
//             tcp:HOST:PORT        (HOST: a name or IPv4/IPv6 literal, [v6]:port too)
//             vsock:CID:PORT       (CID: a number, or "any" when listening)
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee {

enum class Transport : uint8_t { Unix, Tcp, Vsock };

struct StreamAddress {
  Transport transport = Transport::Unix;
  std::string path;   // unix
  std::string host;   // tcp
  uint32_t cid = 0;   // vsock; VMADDR_CID_ANY (-1U) for "any"
  uint32_t port = 0;  // tcp, vsock
  std::string text;   // as given, for messages
};

// EINVAL with the reason for anything malformed.
[[nodiscard]] Result<StreamAddress> parse_stream_address(std::string_view text);
const char* transport_name(Transport t);

// Listening socket (CLOEXEC). Unix: a stale socket at the path is replaced
// and the socket gets `unix_mode`.
[[nodiscard]] Result<UniqueFd> stream_listen(const StreamAddress& a, unsigned unix_mode = 0600);
// Connected socket (CLOEXEC, TCP_NODELAY on TCP).
[[nodiscard]] Result<UniqueFd> stream_connect(const StreamAddress& a);
[[nodiscard]] Result<UniqueFd> stream_accept(int listener);

// Who the kernel says the peer is: the uid (Unix, SO_PEERCRED) or the CID
// (vsock); TCP peers have no transport identity (the protocol proves it).
struct StreamPeer {
  std::optional<uid_t> uid;
  std::optional<uint32_t> cid;
  std::string text;  // for logs: "uid 1000", "cid 3", "10.0.0.2:51234"
};
[[nodiscard]] Result<StreamPeer> stream_peer(int sock, Transport t);

// Writes every byte (EINTR retried; MSG_NOSIGNAL).
[[nodiscard]] Status write_all(int sock, std::span<const uint8_t> bytes);
// Reads exactly bytes.size() bytes; ECONNRESET on EOF.
[[nodiscard]] Status read_exact(int sock, std::span<uint8_t> bytes);

}  // namespace swtee
