// SOCK_SEQPACKET messaging with SCM_RIGHTS fd passing.
//
// Received fds are adopted into UniqueFd before anything looks at the
// payload, so a message that is later rejected closes them. A message whose
// payload or control data was truncated is an error (EMSGSIZE), and any fds
// that did arrive are closed.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee {

class AdaptiveSpin;

inline constexpr size_t kMaxFdsPerMessage = 8;

struct ReceivedMessage {
  size_t length = 0;          // bytes written into the caller's buffer
  std::vector<UniqueFd> fds;  // adopted fds, in order
};

// Sends one datagram. EINTR is retried. EPIPE/ECONNRESET are returned as errors
// (MSG_NOSIGNAL: never SIGPIPE).
Status send_message(int sock, std::span<const uint8_t> payload, std::span<const int> fds = {});

// Sends a message made of several parts (header + body) as one datagram.
Status send_message_parts(int sock, std::span<const std::span<const uint8_t>> parts,
                          std::span<const int> fds = {});

// Receives one datagram into buf. EOF (peer closed) is reported as
// Error{ECONNRESET}. EINTR is retried.
Result<ReceivedMessage> recv_message(int sock, std::span<uint8_t> buf);

// Like recv_message, but first polls with MSG_DONTWAIT and sched_yield() for
// up to spin_us microseconds before blocking. Used on the call path: on a
// 2-vCPU VM a blocking cross-vCPU wake-up costs ~55 us, a yield-spin hand-off
// a few us. spin_us == 0 blocks at once. The spin is bounded: never unbounded
// busy-waiting on two vCPUs.
Result<ReceivedMessage> recv_message_spin(int sock, std::span<uint8_t> buf, unsigned spin_us);

// recv_message_spin with the budget chosen by the waiter's AdaptiveSpin
// (common/adaptive_spin.h), which then learns how long this wait took. The
// call-path waiters use this one: a waiter whose answers keep coming later
// than its budget stops spinning for them.
Result<ReceivedMessage> recv_message_spin(int sock, std::span<uint8_t> buf, AdaptiveSpin& spin);

// Spin budget for call-path receives: $SWTEE_SPIN_US, default 20.
unsigned call_path_spin_us();

// Creates a SOCK_SEQPACKET socketpair (CLOEXEC).
Result<std::pair<UniqueFd, UniqueFd>> seqpacket_pair();

// Listening socket at path (unlinks a stale socket first), mode applied with
// fchmod before bind is impossible for AF_UNIX, so the caller's umask and the
// directory mode decide access; `mode` is chmod'ed after bind.
Result<UniqueFd> seqpacket_listen(const std::string& path, unsigned mode, int backlog = 64);
Result<UniqueFd> seqpacket_connect(const std::string& path);

struct PeerCred {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};
// Identity of the peer as the kernel recorded it at connect time (SO_PEERCRED).
Result<PeerCred> peer_cred(int sock);

}  // namespace swtee
