// swteed: the generic TEE core with its drivers ("the kernel" of swtee).
// Wires the OP-TEE driver explicitly: probe -> tee0 + teepriv0 -> serve
// until SIGTERM/SIGINT -> clean shutdown.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/dir_trust.h"
#include "common/log.h"
#include "common/unique_fd.h"
#include "core/core.h"
#include "daemon/control_server.h"
#include "drivers/optee/optee_driver.h"
#include "protocol/conduit.h"
#include "protocol/control_wire.h"
#include "uapi/uapi_client.h"

namespace swtee::daemon {
namespace {

struct Options {
  std::string runtime_dir;
  std::string os_binary;
  unsigned threads = 4;
  int channels = -1;  // default threads + 4
  int ready_fd = -1;
  std::string huk_file;  // storage HUK, opened here and inherited by swtee-os
  std::vector<std::string> os_args;
  unsigned uid_share_percent = 25;
};

// swteed's exit status when its secure world (swtee-os) died.
constexpr int kExitSecureWorldDied = 3;

// mkdir -p with mode 0755 for the components it creates.
Status make_dirs(const std::string& dir) {
  if (dir.empty()) return Error{EINVAL, "empty runtime dir"};
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) return Error::from_errno("mkdir");
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Error{ENOTDIR, "runtime dir is not a directory"};
  return ok_status();
}

// The core's pools sized to this process's fd limit (raised to its hard
// maximum): every connection and every shm holds an fd, and kFdReserve
// stay free for everything else (channels, TA images, logs, accept's
// refusals), so the pools fill before the fd table does.
core::CoreLimits core_limits(unsigned uid_share_percent) {
  constexpr uint64_t kFdReserve = 256;
  core::CoreLimits l;
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0) {
    if (r.rlim_cur < r.rlim_max) {
      r.rlim_cur = r.rlim_max;
      (void)::setrlimit(RLIMIT_NOFILE, &r);
      (void)::getrlimit(RLIMIT_NOFILE, &r);
    }
    const uint64_t budget = r.rlim_cur > 2 * kFdReserve ? r.rlim_cur - kFdReserve : kFdReserve;
    l.max_contexts_per_device =
        static_cast<uint32_t>(std::min<uint64_t>(l.max_contexts_per_device, budget / 4));
    l.max_shms = std::min<uint64_t>(l.max_shms, budget - l.max_contexts_per_device);
  }
  l.uid_share_percent = uid_share_percent;
  log::info("pools: {} connections, {} shm objects, {} sessions; one uid may hold {}% of each",
            l.max_contexts_per_device, l.max_shms, l.max_sessions, l.uid_share_percent);
  return l;
}

std::string default_os_binary() {
  std::string exe(4096, '\0');
  ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  if (n <= 0) return "swtee-os";
  exe.resize(static_cast<size_t>(n));
  auto slash = exe.rfind('/');
  return (slash == std::string::npos ? std::string(".") : exe.substr(0, slash)) + "/swtee-os";
}

void signal_ready(int fd) {
  if (fd < 0) return;
  const char r = 'R';
  while (::write(fd, &r, 1) < 0 && errno == EINTR) {
  }
  ::close(fd);
}

int run(const Options& opt) {
  log::set_tag("swteed");
  if (opt.threads == 0 || opt.threads > conduit::kMaxChannels) {
    log::error("--threads must be 1..{}", conduit::kMaxChannels);
    return 2;
  }
  const unsigned channels = opt.channels < 0 ? opt.threads + 4 : static_cast<unsigned>(opt.channels);
  if (channels < opt.threads || channels > conduit::kMaxChannels) {
    log::error("--channels must be >= --threads and <= {}", conduit::kMaxChannels);
    return 2;
  }
  const std::string runtime = opt.runtime_dir.empty() ? uapi::runtime_dir_from_env() : opt.runtime_dir;
  if (Status st = make_dirs(runtime); !st.ok()) {
    log::error("runtime dir {}: {}", runtime, st.error());
    return 1;
  }
  // Another user's runtime dir could hand our clients their own tee0.
  if (!check_trusted_dir(runtime, "runtime dir").ok()) return 1;

  // Signals are taken synchronously by this thread; every thread created
  // from here on inherits the mask.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  // The HUK file (os/storage/README.md): created 0600 if missing; swtee-os
  // fills an empty one. Only swtee-os gets the fd (the supplicant never).
  UniqueFd huk;
  if (!opt.huk_file.empty()) {
    huk = UniqueFd(::open(opt.huk_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!huk) {
      log::error("HUK file {}: {}", opt.huk_file, std::strerror(errno));
      return 1;
    }
  }
  optee::OpteeConfig cfg;
  cfg.huk_fd = huk.get();
  cfg.os_binary = opt.os_binary.empty() ? default_os_binary() : opt.os_binary;
  cfg.os_args = opt.os_args;
  cfg.threads = opt.threads;
  cfg.channels = channels;
  auto driver = optee::OpteeDriver::probe(cfg);
  huk.reset();  // swtee-os has its own copy
  if (!driver.ok()) {
    log::error("OP-TEE driver probe failed ({}): {}", cfg.os_binary, driver.error());
    return 1;
  }
  optee::OpteeDriver& drv = **driver;

  auto core = core::Core::create(core_limits(opt.uid_share_percent));
  if (!core.ok()) {
    log::error("core: {}", core.error());
    return 1;
  }
  const core::DeviceDesc tee0{"tee0", false, &drv.client_ops()};
  const core::DeviceDesc teepriv0{"teepriv0", true, &drv.supp_ops()};
  for (const core::DeviceDesc& d : {tee0, teepriv0}) {
    if (Status st = (*core)->add_device(d, runtime); !st.ok()) {
      log::error("device {}: {}", d.name, st.error());
      return 1;
    }
  }
  if (Status st = (*core)->start(); !st.ok()) {
    log::error("core start: {}", st.error());
    return 1;
  }
  auto ctl =
      ControlServer::start(runtime + "/" + control::kSocketName, **core, [&drv] { return drv.os_alive(); });
  if (!ctl.ok()) log::warn("control socket: {}; continuing without it", ctl.error());
  log::info("serving {}/tee0 and {}/teepriv0", runtime, runtime);
  signal_ready(opt.ready_fd);

  // Supervision policy (docs/architecture.md): if swtee-os dies, the calls
  // in flight end TARGET_DEAD, and swteed exits with kExitSecureWorldDied
  // so `swtee daemon` / `swtee run` exit non-zero and systemd restarts the
  // whole stack (sessions cannot outlive the OS that held them).
  int rc = 0;
  for (;;) {
    timespec tick{0, 200 * 1000 * 1000};
    int sig = ::sigtimedwait(&sigs, nullptr, &tick);
    if (sig == SIGTERM || sig == SIGINT) break;
    if (!drv.os_alive()) {
      log::error("swtee-os died: every session is TARGET_DEAD; exiting (status {}) for a restart",
                 kExitSecureWorldDied);
      rc = kExitSecureWorldDied;
      break;
    }
  }

  log::info("shutting down");
  if (ctl.ok()) ctl->reset();
  if (!(*core)->stop(std::chrono::seconds(3))) {
    // Calls still run inside the driver; tearing it down under them is
    // unsafe. The sockets are gone; leave without destructors.
    log::warn("calls still running after 3 s; exiting without waiting");
    std::_Exit(rc);
  }
  return rc;
}

}  // namespace
}  // namespace swtee::daemon

int main(int argc, char** argv) {
  swtee::daemon::Options opt;
  CLI::App app{"swteed: the swtee generic TEE core and its OP-TEE driver"};
  app.add_option("--runtime-dir", opt.runtime_dir,
                 "Socket directory (default $SWTEE_RUNTIME_DIR or /run/swtee)");
  app.add_option("--os-binary", opt.os_binary, "swtee-os binary (default: swtee-os next to swteed)");
  app.add_option("--threads", opt.threads, "Secure threads in swtee-os")->capture_default_str();
  app.add_option("--channels", opt.channels, "Conduit channels (default threads + 4)");
  app.add_option("--ready-fd", opt.ready_fd, "Write 'R' to this fd and close it once the sockets listen");
  app.add_option("--huk-file", opt.huk_file, "HUK file for swtee-os trusted storage (created 0600)");
  app.add_option("--uid-share", opt.uid_share_percent,
                 "Percent of each pool (connections, shm objects and bytes, sessions, sessions of one TA) "
                 "one uid may hold")
      ->check(CLI::Range(1u, 100u))
      ->capture_default_str();
  app.add_option("os-args", opt.os_args, "Arguments for swtee-os (after --)");
  CLI11_PARSE(app, argc, argv);
  return swtee::daemon::run(opt);
}
