#include "ta_runtime/zygote.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/log.h"
#include "common/seqpacket.h"
#include "common/uuid.h"
#include "protocol/zygote_wire.h"
#include "ta_runtime/capabilities.h"
#include "ta_runtime/crypto/evp_cache.h"
#include "ta_runtime/fork_heap.h"
#include "ta_runtime/landlock.h"
#include "ta_runtime/runtime_state.h"
#include "ta_runtime/sandbox.h"
#include "ta_runtime/ta_process.h"
#include "ta_runtime/ta_stdio.h"

namespace swtee::ta {
namespace {

void preinit_openssl() {
  if (OPENSSL_init_crypto(
          OPENSSL_INIT_LOAD_CONFIG | OPENSSL_INIT_ADD_ALL_CIPHERS | OPENSSL_INIT_ADD_ALL_DIGESTS, nullptr) !=
      1)
    log::warn("OPENSSL_init_crypto failed");
  // One loader of providers (the EVP cache's, which keeps their handles for
  // the life of the process); loaded here, before the sandbox, so every TA
  // forked from the zygote inherits them.
  crypto::ensure_providers();
  if (OSSL_PROVIDER_available(nullptr, "default") == 0) log::warn("OpenSSL default provider not loaded");
  // Legacy algorithms (DES, MD5-based, ...) GP TAs may ask for; optional.
  if (OSSL_PROVIDER_available(nullptr, "legacy") == 0) log::info("OpenSSL legacy provider not available");
  std::array<unsigned char, 32> prime{};
  if (RAND_bytes(prime.data(), static_cast<int>(prime.size())) != 1) log::warn("RAND_bytes failed");
  OPENSSL_cleanse(prime.data(), prime.size());
}

int trace_level_from_env() {
  const char* e = std::getenv("SWTEE_TA_LOG_LEVEL");
  if (e == nullptr) return 2;
  long v = std::strtol(e, nullptr, 10);
  return v < 0 ? 0 : v > 4 ? 4 : static_cast<int>(v);
}

void reap_children() {
  for (;;) {
    siginfo_t si{};
    if (::waitid(P_ALL, 0, &si, WEXITED | WNOHANG) != 0 || si.si_pid == 0) return;
  }
}

void reply(int ctl, uint64_t id, int error, pid_t pid, int pidfd) {
  tachan::ZygoteReply r{tachan::kZygoteMagic, error, id, pid, 0};
  std::array<int, 1> fds{pidfd};
  std::span<const int> f = pidfd >= 0 ? std::span<const int>(fds) : std::span<const int>();
  (void)send_message(ctl, {reinterpret_cast<const uint8_t*>(&r), sizeof(r)}, f);
}

// Handles one request. Returns false when the control socket is gone.
bool serve_one(int ctl, const SandboxPrograms& sandbox, TaStdioSinks& stdio) {
  tachan::ZygoteRequest req{};
  auto m = recv_message(ctl, {reinterpret_cast<uint8_t*>(&req), sizeof(req)});
  if (!m.ok()) {
    if (m.error().code != EMSGSIZE) return false;  // EOF or a dead socket: swtee-os is gone
    reply(ctl, 0, EPROTO, -1, -1);
    return true;
  }
  if (m->length != sizeof(req) || req.magic != tachan::kZygoteMagic ||
      req.op != static_cast<uint32_t>(tachan::ZygoteOp::Spawn) || m->fds.size() != tachan::kSpawnFds) {
    reply(ctl, req.id, EPROTO, -1, -1);
    return true;
  }
  // The TA's stdout and stderr: a pipe only we read (ta_stdio.h).
  int pfd[2];
  if (::pipe2(pfd, O_CLOEXEC) != 0) {
    reply(ctl, req.id, errno, -1, -1);
    return true;
  }
  UniqueFd out_read(pfd[0]), out_write(pfd[1]);
  const pid_t self = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    reply(ctl, req.id, errno, -1, -1);
    return true;
  }
  if (pid == 0) {
    restore_default_heap();
    out_read.reset();
    run_ta_process(self, sandbox, std::move(m->fds[0]), std::move(m->fds[1]), std::move(m->fds[2]),
                   std::move(out_write));
  }
  out_write.reset();
  Uuid uuid;
  std::memcpy(uuid.octets.data(), req.uuid, sizeof(req.uuid));
  stdio.add(std::move(out_read), uuid.to_string());
  // The child cannot have been reaped yet (we reap only in the loop), so the
  // pidfd names exactly it.
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd) {
    ::kill(pid, SIGKILL);
    reply(ctl, req.id, errno, -1, -1);
    return true;
  }
  reply(ctl, req.id, 0, pid, pidfd.get());
  return true;
}

}  // namespace

int run_zygote(int control_fd, const ZygoteOptions& opt) {
  keep_heap_consolidated();  // before the allocations every TA process inherits
  log::set_component("ta-host", "swtee-ta-zygote");
  runtime().trace_level = trace_level_from_env();
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, nullptr);
  UniqueFd sfd(::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!sfd) {
    log::error("{}", Error::from_errno("signalfd"));
    return 1;
  }
  preinit_openssl();
  runtime().allow_without_landlock = opt.allow_without_landlock;
  if (landlock_abi() == 0) {
    if (opt.allow_without_landlock)
      log::warn(
          "this kernel has no Landlock: a TA's ELF constructors, which run before its final sandbox, "
          "can read any file this user can (drivers.optee.ta_without_landlock = \"allow\"; "
          "docs/sandbox.md)");
    else
      log::error(
          "this kernel has no Landlock: every TA is refused, since a TA's ELF constructors could read "
          "any file this user can; drivers.optee.ta_without_landlock = \"allow\" runs them anyway "
          "(docs/sandbox.md)");
  }
  auto sandbox = SandboxPrograms::build();
  if (!sandbox.ok()) {
    log::error("cannot compile the TA sandbox: {}", sandbox.error());
    return 1;
  }
  if (Status st = drop_all_capabilities(); !st.ok()) {
    log::error("cannot drop the zygote's capabilities: {}", st.error());
    return 1;
  }
  TaStdioSinks stdio(STDERR_FILENO);
  std::vector<pollfd> p;
  for (;;) {
    p.assign({pollfd{control_fd, POLLIN, 0}, pollfd{sfd.get(), POLLIN, 0}});
    stdio.poll_set(p);
    if (::poll(p.data(), p.size(), -1) < 0) {
      if (errno == EINTR) continue;
      log::error("{}", Error::from_errno("poll"));
      return 1;
    }
    stdio.service(p);
    if (p[1].revents & POLLIN) {
      signalfd_siginfo si;
      while (::read(sfd.get(), &si, sizeof(si)) == sizeof(si)) {
      }
      reap_children();
    }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!serve_one(control_fd, *sandbox, stdio)) return 0;
    }
  }
}

}  // namespace swtee::ta
