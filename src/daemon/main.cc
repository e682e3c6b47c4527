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
#include <optional>
#include <string>
#include <vector>

#include "common/dir_trust.h"
#include "common/install_layout.h"
#include "common/instance_lock.h"
#include "common/log.h"
#include "common/unique_fd.h"
#include "common/version.h"
#include "core/call_trace.h"
#include "core/core.h"
#include "daemon/config.h"
#include "daemon/control_server.h"
#include "daemon/guest_acceptor.h"
#include "daemon/service_manager.h"
#include "drivers/optee/optee_driver.h"
#include "drivers/remote/remote_driver.h"
#include "protocol/conduit.h"
#include "protocol/control_wire.h"
#include "protocol/ready_byte.h"
#include "uapi/uapi_client.h"

namespace swtee::daemon {
namespace {

// The configuration file's settings with the command line applied on top.
struct Options {
  DaemonConfig cfg;
  bool trace = false;  // one line per completed call on stderr (core/call_trace.h)
  int ready_fd = -1;
  std::vector<std::string> os_args;
};

// Name of the lock file that makes one swteed per runtime directory.
constexpr const char* kLockName = "swteed.lock";
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
core::CoreLimits core_limits(core::CoreLimits l) {
  constexpr uint64_t kFdReserve = 256;
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
  log::info("pools: {} connections, {} shm objects, {} sessions; one uid may hold {}% of each",
            l.max_contexts_per_device, l.max_shms, l.max_sessions, l.uid_share_percent);
  return l;
}

void signal_ready(int fd, char r) {
  if (fd < 0) return;
  while (::write(fd, &r, 1) < 0 && errno == EINTR) {
  }
  ::close(fd);
}

// Sets a socket's group and mode as configured (non-activated sockets; the
// socket units set them for activated ones).
bool apply_access(const std::string& path, const DeviceAccess& a, unsigned default_mode) {
  if (a.group.empty() && !a.mode) return true;
  if (Status st = set_socket_access(path, a.group, a.mode.value_or(default_mode)); !st.ok()) {
    log::error("{}: group {}: {}", path, a.group.empty() ? "(unchanged)" : a.group, st.error());
    return false;
  }
  return true;
}

// A guest's driver: the link to its host, up before anything is served
// (the host's VERSION is the device's).
Result<std::unique_ptr<remote::RemoteDriver>> make_remote_driver(const RemoteConfig& rc) {
  remote::LinkConfig lc;
  ASSIGN_OR_RETURN(lc.address, parse_stream_address(rc.address));
  lc.name = rc.name;
  if (lc.name.empty()) {
    char host[64] = {};
    (void)::gethostname(host, sizeof(host) - 1);
    lc.name = host;
  }
  if (!rc.key_file.empty()) {
    ASSIGN_OR_RETURN(lc.key, remote::read_key_file(rc.key_file));
  }
  if (rc.connect_timeout_ms) lc.first_connect_timeout = std::chrono::milliseconds(*rc.connect_timeout_ms);
  ASSIGN_OR_RETURN(auto link, remote::RemoteLink::start(std::move(lc)));
  return std::make_unique<remote::RemoteDriver>(std::move(link));
}

// The host's guest acceptor from [guests]; keys are read now, so a bad
// key file stops swteed at start.
Result<std::unique_ptr<GuestAcceptor>> start_guests(const GuestsConfig& gc, core::Core& core) {
  AcceptorConfig ac;
  for (const auto& a : gc.listen) {
    ASSIGN_OR_RETURN(StreamAddress addr, parse_stream_address(a));
    ac.listeners.push_back(std::move(addr));
  }
  for (const auto& g : gc.guests) {
    GuestIdentity id;
    id.id = g.id;
    id.name = g.name.empty() ? fmt::format("guest{}", g.id) : g.name;
    id.unix_uid = g.unix_uid;
    id.vsock_cid = g.vsock_cid;
    if (!g.key_file.empty()) {
      ASSIGN_OR_RETURN(id.key, remote::read_key_file(g.key_file));
    }
    ac.guests.push_back(std::move(id));
  }
  return GuestAcceptor::start(core, std::move(ac));
}

int run(const Options& opt) {
  const DaemonConfig& c = opt.cfg;
  const bool guest = !c.remote.address.empty();
  const unsigned threads = c.threads.value_or(4);
  if (threads == 0 || threads > conduit::kMaxChannels) {
    log::error("--threads must be 1..{}", conduit::kMaxChannels);
    return 2;
  }
  const unsigned channels = c.channels.value_or(threads + 4);
  if (channels < threads || channels > conduit::kMaxChannels) {
    log::error("--channels must be >= --threads and <= {}", conduit::kMaxChannels);
    return 2;
  }
  const std::string runtime = c.runtime_dir.empty() ? uapi::runtime_dir_from_env() : c.runtime_dir;
  if (Status st = make_dirs(runtime); !st.ok()) {
    log::error("runtime dir {}: {}", runtime, st.error());
    return 1;
  }
  // Another user's runtime dir could hand our clients their own tee0.
  if (!check_trusted_dir(runtime, "runtime dir").ok()) return 1;
  // One swteed per runtime directory: the lock is taken before any socket
  // is touched, so a second instance never replaces or removes the live
  // sockets of the first.
  const std::string lock_path = runtime + "/" + kLockName;
  auto lock = InstanceLock::acquire(lock_path);
  if (!lock.ok()) {
    if (lock.error().code == EWOULDBLOCK) {
      const pid_t holder = InstanceLock::holder_pid(lock_path);
      log::error("another swteed{} is already serving {}; refusing to start (lock {})",
                 holder > 0 ? fmt::format(" (pid {})", holder) : std::string(), runtime, lock_path);
    } else {
      log::error("lock {}: {}", lock_path, lock.error());
    }
    return 1;
  }
  if (opt.trace) core::trace::enable(STDERR_FILENO);
  auto activated = guest ? take_activated_sockets({"tee0"}) : take_activated_sockets({"tee0", "teepriv0"});
  if (!activated.ok()) {
    log::error("socket activation: {}", activated.error());
    return 1;
  }

  // Signals are taken synchronously by this thread; every thread created
  // from here on inherits the mask.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  (void)::signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<optee::OpteeDriver> optee_drv;
  std::unique_ptr<remote::RemoteDriver> remote_drv;
  if (guest) {
    auto d = make_remote_driver(c.remote);
    if (!d.ok()) {
      log::error("remote driver: {}", d.error());
      return 1;
    }
    remote_drv = std::move(d).value();
  } else {
    // The HUK file (os/storage/README.md): created 0600 if missing; swtee-os
    // fills an empty one. Only swtee-os gets the fd (the supplicant never).
    UniqueFd huk;
    if (!c.huk_file.empty()) {
      huk = UniqueFd(::open(c.huk_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
      if (!huk) {
        log::error("HUK file {}: {}", c.huk_file, Error::from_errno("open"));
        return 1;
      }
    }
    optee::OpteeConfig cfg;
    cfg.huk_fd = huk.get();
    cfg.os_binary = c.os_binary.empty() ? layout::program_path("swtee-os") : c.os_binary;
    for (const auto& k : c.ta_pubkeys) {
      cfg.os_args.push_back("--ta-pubkey");
      cfg.os_args.push_back(k);
    }
    if (c.storage_verify_always) cfg.os_args.push_back("--storage-verify-always");
    if (c.ta_image_trust_ms) {
      cfg.os_args.push_back("--ta-image-trust-ms");
      cfg.os_args.push_back(std::to_string(*c.ta_image_trust_ms));
    }
    if (c.spare_idle_ms) {
      cfg.os_args.push_back("--spare-idle-ms");
      cfg.os_args.push_back(std::to_string(*c.spare_idle_ms));
    }
    for (const auto& [flag, v] : {std::pair{"--ta-follow-cpu", &c.ta_follow_cpu},
                                  {"--ta-without-landlock", &c.ta_without_landlock}}) {
      if (v->empty()) continue;
      cfg.os_args.push_back(flag);
      cfg.os_args.push_back(*v);
    }
    // swtee-os splits its own pools (TA instances, PTA waits) by the same
    // share, by the uid the driver names with each open.
    cfg.os_args.push_back("--uid-share");
    cfg.os_args.push_back(std::to_string(c.limits.uid_share_percent));
    for (const auto& [flag, v] : {std::pair{"--guest-sessions", c.guests.limits.sessions},
                                  {"--guest-ta-instances", c.guests.limits.ta_instances},
                                  {"--guest-shm", c.guests.limits.shm},
                                  {"--guest-threads", c.guests.limits.threads}}) {
      if (!v) continue;
      cfg.os_args.push_back(flag);
      cfg.os_args.push_back(std::to_string(*v));
    }
    cfg.os_args.insert(cfg.os_args.end(), opt.os_args.begin(), opt.os_args.end());
    cfg.threads = threads;
    cfg.channels = channels;
    auto driver = optee::OpteeDriver::probe(cfg);
    huk.reset();  // swtee-os has its own copy
    if (!driver.ok()) {
      log::error("OP-TEE driver probe failed ({}): {}", cfg.os_binary, driver.error());
      return 1;
    }
    optee_drv = std::move(driver).value();
  }

  auto core = core::Core::create(core_limits(c.limits));
  if (!core.ok()) {
    log::error("core: {}", core.error());
    return 1;
  }
  // A guest has tee0 only: it runs no supplicant.
  std::vector<core::DeviceDesc> devices;
  if (guest) {
    devices.push_back({"tee0", false, remote_drv.get()});
  } else {
    devices.push_back({"tee0", false, &optee_drv->client_ops()});
    devices.push_back({"teepriv0", true, &optee_drv->supp_ops()});
  }
  const bool socket_activated = !activated->empty();
  for (const core::DeviceDesc& d : devices) {
    Status st = ok_status();
    if (socket_activated) {
      auto it = activated->find(d.name);
      if (it == activated->end()) {
        log::error("socket activation: no socket named {} was passed (FileDescriptorName={})", d.name,
                   d.name);
        return 1;
      }
      st = (*core)->add_device_listener(d, std::move(it->second));
    } else {
      st = (*core)->add_device(d, runtime);
      if (st.ok() && !apply_access(runtime + "/" + d.name, d.privileged ? c.teepriv0 : c.tee0, 0660))
        return 1;
    }
    if (!st.ok()) {
      log::error("device {}: {}", d.name, st.error());
      return 1;
    }
  }
  if (Status st = (*core)->start(); !st.ok()) {
    log::error("core start: {}", st.error());
    return 1;
  }
  // A guest's "TEE is up" is its link to the host.
  auto ctl = guest ? ControlServer::start(runtime + "/" + control::kSocketName, **core,
                                          [&remote_drv] { return remote_drv->connected(); })
                   : ControlServer::start(
                         runtime + "/" + control::kSocketName, **core,
                         [&optee_drv] { return optee_drv->os_alive(); },
                         [&optee_drv] { return optee_drv->os_status(); });
  if (!ctl.ok()) log::warn("control socket: {}; continuing without it", ctl.error());
  std::unique_ptr<GuestAcceptor> guests;
  if (!c.guests.listen.empty()) {
    auto g = start_guests(c.guests, **core);
    if (!g.ok()) {
      log::error("guests: {}", g.error());
      if (ctl.ok()) ctl->reset();
      (void)(*core)->stop(std::chrono::seconds(3));
      return 1;
    }
    guests = std::move(g).value();
  }
  if (guest)
    log::info("serving {}/tee0 for the host at {}{}", runtime, c.remote.address,
              socket_activated ? " (socket-activated)" : "");
  else
    log::info("serving {}/tee0 and {}/teepriv0{}", runtime, runtime,
              socket_activated ? " (socket-activated)" : "");
  signal_ready(opt.ready_fd, guest ? ready::kGuest : ready::kServing);
  notify_ready(guest ? fmt::format("serving {} for the host at {}", runtime, c.remote.address)
                     : fmt::format("serving {} with {} secure threads", runtime, threads));

  // Supervision policy (docs/architecture.md): if swtee-os dies, the calls
  // in flight end TARGET_DEAD, and swteed exits with kExitSecureWorldDied
  // so `swtee daemon` / `swtee run` exit non-zero and systemd restarts the
  // whole stack (sessions cannot outlive the OS that held them).
  int rc = 0;
  for (;;) {
    timespec tick{0, 200L * 1000 * 1000};
    int sig = ::sigtimedwait(&sigs, nullptr, &tick);
    if (sig == SIGTERM || sig == SIGINT) break;
    if (optee_drv && !optee_drv->os_alive()) {
      log::error("swtee-os died: every session is TARGET_DEAD; exiting (status {}) for a restart",
                 kExitSecureWorldDied);
      rc = kExitSecureWorldDied;
      break;
    }
  }

  log::info("shutting down");
  notify_stopping();
  if (ctl.ok()) ctl->reset();
  guests.reset();  // every guest's contexts are closed through the core
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
  using namespace swtee;
  log::set_component("swteed");
  daemon::Options opt;
  std::string config_file;
  // Flags: each one given overrides the configuration file.
  std::string runtime_dir, os_binary, huk_file, log_spec, tee_group, teepriv_group;
  std::optional<unsigned> threads, channels;
  CLI::App app{"swteed: the swtee generic TEE core and its OP-TEE driver"};
  app.set_version_flag("--version", std::string("swteed ") + kVersion);
  app.add_option("--config", config_file,
                 "TOML configuration file (docs/configuration.md); flags override it");
  app.add_option("--runtime-dir", runtime_dir, "Socket directory (default $SWTEE_RUNTIME_DIR or /run/swtee)");
  app.add_option("--os-binary", os_binary,
                 "swtee-os binary (default: the installed one, or beside swteed in a build tree)");
  app.add_option("--threads", threads, "Secure threads in swtee-os (default 4)")->check(CLI::Range(1u, 64u));
  app.add_option("--channels", channels, "Conduit channels (default threads + 4)")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--ready-fd", opt.ready_fd,
                 "Write 'R' ('G' as a guest) to this fd and close it once the sockets listen");
  app.add_option("--huk-file", huk_file, "HUK file for swtee-os trusted storage (created 0600)");
  app.add_option("--log", log_spec, "log levels, e.g. info,os=debug,ta.<uuid>=debug (docs/logging.md)");
  app.add_flag("--trace", opt.trace, "print one line per completed TEE call on stderr (docs/debugging.md)");
  app.add_option("--tee-group", tee_group, "group of the tee0 socket (mode 0660), e.g. teeclnt");
  app.add_option("--teepriv-group", teepriv_group, "group of the teepriv0 socket (mode 0660), e.g. tee");
  std::optional<unsigned> uid_share;
  app.add_option("--uid-share", uid_share,
                 "Percent of each pool one uid may hold: swteed's (connections, shm objects and bytes, "
                 "sessions, sessions of one TA, request slots) and swtee-os's (TA instances, PTA waits); "
                 "default 25 (limits.uid_share_percent)")
      ->check(CLI::Range(1u, 100u));
  std::string remote_addr, guest_name;
  app.add_option("--remote", remote_addr,
                 "Be a guest: serve tee0 through the host swteed at ADDR (unix:PATH, tcp:HOST:PORT, "
                 "vsock:CID:PORT; docs/remote.md)");
  app.add_option("--guest-name", guest_name, "This guest's name in the host's logs (default: the host name)");
  app.add_option("os-args", opt.os_args, "Arguments for swtee-os (after --)");
  CLI11_PARSE(app, argc, argv);

  daemon::DaemonConfig& c = opt.cfg;
  if (!config_file.empty()) {
    if (auto err = daemon::load_config(config_file, c)) {
      log::error("{}", *err);
      return 2;
    }
  }
  if (!runtime_dir.empty()) c.runtime_dir = runtime_dir;
  if (!os_binary.empty()) c.os_binary = os_binary;
  if (!huk_file.empty()) c.huk_file = huk_file;
  if (!log_spec.empty()) c.log = log_spec;
  if (!tee_group.empty()) c.tee0.group = tee_group;
  if (!teepriv_group.empty()) c.teepriv0.group = teepriv_group;
  if (!remote_addr.empty()) {
    if (auto a = parse_stream_address(remote_addr); !a.ok()) {
      log::error("--remote: {}", a.error());
      return 2;
    }
    c.remote.address = remote_addr;
    c.guests.listen.clear();
  }
  if (!guest_name.empty()) c.remote.name = guest_name;
  if (threads) c.threads = threads;
  if (uid_share) c.limits.uid_share_percent = *uid_share;
  if (channels) c.channels = channels;
  if (!c.log.empty()) {
    if (auto err = log::apply_spec(c.log)) {
      log::error("--log {}: {}", c.log, *err);
      return 2;
    }
  }
  return daemon::run(opt);
}
