// Control protocol between the TA manager (in swtee-os) and the zygote
// (swtee-ta-host, exec'd once). One SOCK_SEQPACKET socketpair; the zygote
// serves one request at a time, in order.
//
// Spawn: ZygoteRequest + 3 fds (SCM_RIGHTS, this order): the sealed payload
// memfd (the TA's ELF), the TA end of a fresh channel socketpair, the
// instance's parameter page memfd. The zygote forks a TA process and
// answers ZygoteReply + (on success) 1 fd: a pidfd of the new process.
// The request names the TA (uuid) so the zygote can prefix the lines the
// process writes to its stdout/stderr (ta_stdio.h).
#pragma once

#include <cstddef>
#include <cstdint>

namespace swtee::tachan {

inline constexpr uint32_t kZygoteMagic = 0x5A475453;  // "STGZ"
inline constexpr size_t kSpawnFds = 3;

enum class ZygoteOp : uint32_t {
  Spawn = 0,
};

struct ZygoteRequest {
  uint32_t magic;    // kZygoteMagic
  uint32_t op;       // ZygoteOp
  uint64_t id;       // echoed
  uint8_t uuid[16];  // the TA the process will load (log prefix only)
};
static_assert(sizeof(ZygoteRequest) == 32);

struct ZygoteReply {
  uint32_t magic;  // kZygoteMagic
  int32_t error;   // 0 or a positive errno
  uint64_t id;     // the request's id
  int32_t pid;     // the TA process (informational; use the pidfd)
  uint32_t reserved;
};
static_assert(sizeof(ZygoteReply) == 24);

}  // namespace swtee::tachan
