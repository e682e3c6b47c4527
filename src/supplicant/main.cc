// swtee-supplicant: serves the secure world's normal-world requests (TA
// loading, REE FS, supplicant shm) on <runtime>/teepriv0.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "common/install_layout.h"
#include "common/log.h"
#include "common/version.h"
#include "supplicant/rpmb_emu.h"
#include "supplicant/supplicant.h"
#include "supplicant/ta_dirs.h"
#include "supplicant/uapi_transport.h"
#include "uapi/uapi_client.h"

namespace {

using namespace swtee;
using namespace swtee::supp;

int run(const std::string& runtime_dir, const std::string& device, std::vector<std::string> ta_dirs,
        const std::string& state_dir, bool fast_storage, uint32_t threads, int ready_fd,
        const std::string& plugin_path, unsigned attach_wait_ms) {
  // Signals are taken synchronously (signalfd); every thread inherits the mask.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGHUP);
  ::pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  UniqueFd sfd(::signalfd(-1, &sigs, SFD_CLOEXEC));
  if (!sfd) {
    log::error("{}", Error::from_errno("signalfd"));
    return 1;
  }

  auto transport = UapiTransport::connect(device, runtime_dir);
  // A supplicant restarted in place may come up before swteed has noticed
  // that its predecessor died (its context is still attached): retry.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(attach_wait_ms);
  while (!transport.ok() && transport.error().code == EBUSY && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    transport = UapiTransport::connect(device, runtime_dir);
  }
  if (!transport.ok()) {
    const std::string where = runtime_dir + "/" + device;
    switch (transport.error().code) {
      case EBUSY:
        log::error("{}: another supplicant is already attached (EBUSY)", where);
        break;
      case ENOENT:
      case ECONNREFUSED:
        log::error("{}: no swteed listening there ({})", where, transport.error());
        break;
      default:
        log::error("{}: cannot attach: {}", where, transport.error());
    }
    return 1;
  }

  // Created up front so a misconfiguration shows at start; FS requests retry
  // (and answer STORAGE_NOT_AVAILABLE) while it cannot be created.
  if (auto s = make_dirs(state_dir, 0700); !s.ok())
    log::warn("storage root {}: {}; secure storage unavailable until it can be created", state_dir,
              s.error());
  ShmTable shms;
  TaStore tas(std::move(ta_dirs));
  ReeFs fs(ReeFsOptions{state_dir, fast_storage});
  ReeFsRpmbImage rpmb_image(fs, kRpmbImageFile);
  RpmbEmu rpmb(rpmb_image, &fs);  // guests' devices in their trees
  PluginSet plugins;
  if (!plugin_path.empty()) {
    auto loaded = PluginSet::load_dir(plugin_path);
    if (!loaded.ok()) {
      log::error("plugins: {}", loaded.error().what);
      return 1;
    }
    plugins = std::move(*loaded);
  }
  RpcEnv env{**transport, shms, tas, fs, &rpmb, &plugins};
  Supplicant supp(env, threads);
  if (auto s = supp.start(); !s.ok()) {
    log::error("cannot start: {}", s.error());
    return 1;
  }
  if (ready_fd >= 0) {
    // Attached (the daemon served VERSION on teepriv0) and serving: tell the
    // starter, e.g. `swtee run`, which waits for this byte.
    UniqueFd rfd(ready_fd);
    const char r = 'R';
    (void)!::write(rfd.get(), &r, 1);
  }
  log::info("attached to {}/{}; storage {}{}", runtime_dir, device, state_dir,
            fast_storage ? " (fast storage: no fsync)" : "");

  pollfd pfds[2] = {{sfd.get(), POLLIN, 0}, {supp.done_fd(), POLLIN, 0}};
  for (;;) {
    int n = ::poll(pfds, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || pfds[0].revents != 0 || pfds[1].revents != 0) break;
  }
  const bool by_signal = pfds[0].revents != 0;
  supp.stop();
  Status st = supp.wait();
  if (by_signal) return 0;
  if (!st.ok()) log::error("swteed went away: {}", st.error());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  swtee::log::set_component("supplicant", "swtee-supplicant");
  CLI::App app{"swtee-supplicant: TA loading and REE file storage for the swtee secure world"};
  app.set_version_flag("--version", std::string("swtee-supplicant ") + swtee::kVersion);
  std::string runtime_dir;
  std::vector<std::string> ta_dirs;
  std::string state_dir = "/var/lib/swtee";
  bool fast_storage = false;
  std::string device = "teepriv0";
  uint32_t threads = Supplicant::kDefaultMaxThreads;
  int ready_fd = -1;
  std::string plugin_path;
  unsigned attach_wait_ms = 0;
  app.add_option("--runtime-dir", runtime_dir,
                 "swteed runtime directory (default $SWTEE_RUNTIME_DIR or /run/swtee)");
  app.add_option("--ta-dir", ta_dirs,
                 "directory holding <uuid>.ta images; repeatable, searched in order "
                 "(default: the installed TA directory, or <build>/ta)");
  app.add_option("--state", state_dir, "REE FS root (created 0700)")->capture_default_str();
  app.add_flag("--fast-storage", fast_storage,
               "do not fsync/O_SYNC storage writes: faster, but a crash may lose or corrupt secure storage; "
               "for tests and throw-away state only");
  app.add_option("--device", device, "privileged device socket name")->capture_default_str();
  app.add_option("--threads", threads, "most worker threads serving requests at once")
      ->check(CLI::Range(1u, 64u))
      ->capture_default_str();
  app.add_option("--ready-fd", ready_fd,
                 "write one byte 'R' to this fd, then close it, once attached and serving")
      ->check(CLI::Range(3, 1 << 20));
  app.add_option("--plugin-path", plugin_path,
                 "directory of supplicant plugins (*.plugin, OP-TEE's tee_plugin_method ABI) serving TAs' "
                 "tee_invoke_supp_plugin(); none by default");
  app.add_option("--attach-wait-ms", attach_wait_ms,
                 "while another supplicant is attached (EBUSY), retry for this long: for a supplicant "
                 "restarted in place, whose predecessor swteed may not have detached yet")
      ->check(CLI::Range(0u, 60000u))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (runtime_dir.empty()) runtime_dir = swtee::uapi::runtime_dir_from_env();
  if (ta_dirs.empty()) ta_dirs.push_back(swtee::layout::default_ta_dir());
  if (auto problem = swtee::supp::ta_dirs_problem(ta_dirs)) {
    swtee::log::error("{}", *problem);
    return 2;
  }
  if (device.empty() || device.find('/') != std::string::npos) {
    swtee::log::error("--device must be a plain socket name such as teepriv0");
    return 2;
  }
  return run(runtime_dir, device, std::move(ta_dirs), state_dir, fast_storage, threads, ready_fd, plugin_path,
             attach_wait_ms);
}
