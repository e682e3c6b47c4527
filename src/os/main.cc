// swtee-os: the reference GP trusted OS. Spawned by the OP-TEE driver in
// swteed as its "firmware" (protocol/conduit.h): fd 3 is the carve-out,
// fds 4..4+C-1 the channels, fd 4+C the doorbell block. Exits when every
// channel was hung up or reached EOF.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/doorbell.h"
#include "common/install_layout.h"
#include "common/log.h"
#include "common/seqpacket.h"
#include "common/version.h"
#include "os/carveout.h"
#include "os/conduit_server.h"
#include "os/fs_rpc.h"
#include "os/guests.h"
#include "os/msg_entry.h"
#include "os/os_counters.h"
#include "os/pta/invoke_tests_pta.h"
#include "os/pta/stats_pta.h"
#include "os/pta/system_pta.h"
#include "os/session_router.h"
#include "os/shm_registry.h"
#include "os/syscalls/storage_family.h"
#include "os/syscalls/ta_session_family.h"
#include "os/syscalls/time_family.h"
#include "os/ta_host.h"
#include "os/ta_manager/call_limits.h"
#include "os/ta_manager/syscalls.h"
#include "os/thread_rpc.h"
#include "protocol/conduit.h"

namespace {

using namespace swtee;
using namespace swtee::os;

// Largest PEM file accepted as a TA signing key.
constexpr std::streamsize kMaxPemSize = 64 * 1024;

struct Options {
  unsigned channels = 0;
  unsigned threads = 0;
  std::string ta_host;
  std::vector<std::string> debug_tas;  // UUIDs (os/ta_manager/debug_image.h)
  std::string debug_dir;
  std::string preload;  // LD_PRELOAD of the TA host (a sanitizer runtime), --debug-ta only
  std::vector<std::string> ta_pubkeys;
  std::string log_spec;  // empty: $SWTEE_LOG
  int huk_fd = -1;
  bool storage_verify_always = false;
  unsigned cancel_grace_ms = 2000;
  std::vector<std::string> ta_call_limits;  // UUID=MS
};

// --ta-call-limit UUID=MS into the per-TA table.
Result<CallLimits> parse_call_limits(const Options& opt) {
  CallLimits l;
  l.cancel_grace = std::chrono::milliseconds(opt.cancel_grace_ms);
  for (const auto& item : opt.ta_call_limits) {
    const auto eq = item.find('=');
    auto uuid = eq == std::string::npos ? std::nullopt : Uuid::parse(std::string_view(item).substr(0, eq));
    char* end = nullptr;
    const unsigned long ms = uuid ? std::strtoul(item.c_str() + eq + 1, &end, 10) : 0;
    if (!uuid || end == item.c_str() + eq + 1 || *end != '\0' || ms == 0 || ms > 24ul * 3600 * 1000) {
      log::error("--ta-call-limit {}: expected UUID=MS (1 ms .. 24 h)", item);
      return Error{EINVAL, "bad --ta-call-limit"};
    }
    l.per_ta[*uuid] = std::chrono::milliseconds(ms);
  }
  return l;
}

Result<std::string> read_pem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ENOENT, "cannot open TA public key"};
  std::string text(static_cast<size_t>(kMaxPemSize) + 1, '\0');
  in.read(text.data(), kMaxPemSize + 1);
  if (in.gcount() > kMaxPemSize) return Error{EFBIG, "TA public key file too large"};
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.find("-----BEGIN") == std::string::npos) return Error{EINVAL, "TA public key is not PEM"};
  return text;
}

int serve(const Options& opt) {
  auto limits = parse_call_limits(opt);
  if (!limits.ok()) {
    log::error("{}", limits.error().what);
    return 2;
  }
  set_call_limits(std::move(*limits));
  TaHostConfig host_cfg;
  host_cfg.ta_host_binary = opt.ta_host.empty() ? layout::program_path("swtee-ta-host") : opt.ta_host;
  std::vector<std::string> key_files = opt.ta_pubkeys;
  if (key_files.empty()) {
    // A build tree's development key; an installed swtee-os trusts only
    // the keys it is given.
    const std::string dflt = layout::build_tree_dev_pubkey();
    std::error_code ec;
    if (!dflt.empty() && std::filesystem::exists(dflt, ec)) key_files.push_back(dflt);
  }
  for (const auto& f : key_files) {
    auto pem = read_pem(f);
    if (!pem.ok()) {
      log::error("{}: {}", f, pem.error());
      return 1;
    }
    host_cfg.ta_pubkey_pems.push_back(std::move(*pem));
  }
  if (host_cfg.ta_pubkey_pems.empty()) log::warn("no TA signing key: user TAs will not load");

  // Adopt the inherited fds before anything can fail, so every path closes them.
  UniqueFd carveout_fd(conduit::kCarveoutFd);
  UniqueFd doorbell_fd(conduit::doorbell_fd(opt.channels));
  UniqueFd huk_fd(opt.huk_fd);  // read once when storage opens; TA processes never inherit it
  if (huk_fd) (void)::fcntl(huk_fd.get(), F_SETFD, FD_CLOEXEC);
  std::vector<UniqueFd> channels;
  for (unsigned i = 0; i < opt.channels; ++i)
    channels.emplace_back(conduit::kFirstChannelFd + static_cast<int>(i));
  for (const auto& c : channels) {
    if (::fcntl(c.get(), F_GETFD) < 0) {
      log::error("channel fd {} is not open", c.get());
      return 1;
    }
    (void)::fcntl(c.get(), F_SETFD, FD_CLOEXEC);  // TA host children must not inherit channels
  }
  (void)::fcntl(carveout_fd.get(), F_SETFD, FD_CLOEXEC);
  (void)::fcntl(doorbell_fd.get(), F_SETFD, FD_CLOEXEC);

  auto carveout = Carveout::adopt(std::move(carveout_fd), opt.channels);
  if (!carveout.ok()) {
    log::error("carve-out: {}", carveout.error());
    return 1;
  }
  // TA system calls (os/ta_manager/syscalls.h): built before the host,
  // which hands the table to every instance; read-only once serving.
  // The TA-to-TA router learns the host and the PTAs below, before the
  // first call.
  StorageServiceConfig storage_cfg;
  storage_cfg.huk_fd = huk_fd.get();
  storage_cfg.verify_every_access = opt.storage_verify_always;
  auto storage = open_storage_service(storage_cfg);
  huk_fd.reset();
  if (!storage.ok()) {
    log::error("trusted storage: {}", storage.error());
    return 1;
  }
  auto callees = std::make_shared<HostCalleeRouter>();
  auto ta_sessions = std::make_shared<TaSessionFamily>(callees);
  auto syscalls = std::make_shared<SyscallTable>();
  syscalls->set(tachan::SysFamily::Time, make_time_family(*storage));
  syscalls->set(tachan::SysFamily::TaSession, ta_sessions);
  syscalls->set(tachan::SysFamily::Storage, make_storage_family(*storage));
  host_cfg.syscalls = syscalls;
  for (const auto& s : opt.debug_tas) {
    auto u = Uuid::parse(s);
    if (!u) {
      log::error("--debug-ta {}: not a UUID", s);
      return 2;
    }
    host_cfg.debug_tas.push_back(*u);
  }
  host_cfg.debug_dir = opt.debug_dir;
  if (!opt.preload.empty()) {
    if (host_cfg.debug_tas.empty()) {
      log::error("--ta-host-preload is for --debug-ta only");
      return 2;
    }
    // Only the TA host is exec'd from here on: it alone gets the library.
    ::setenv("LD_PRELOAD", opt.preload.c_str(), 1);
  }
  if (!host_cfg.debug_tas.empty() && host_cfg.debug_dir.empty()) {
    log::error("--debug-ta needs --debug-ta-dir");
    return 2;
  }

  auto host = create_process_ta_host(host_cfg);
  if (!host.ok()) {
    log::error("TA host: {}", host.error());
    return 1;
  }
  // Whatever way serve() ends, instances going with the host must not
  // reach a host that is being destroyed through TA sessions they hold.
  struct DetachHost {
    HostCalleeRouter& r;
    ~DetachHost() { r.set_host(nullptr); }
  };

  ShmRegistry registry;
  SessionRouter router(host->get());
  TaHost* host_ptr = host->get();
  callees->set_host(host_ptr);
  DetachHost detach{*callees};
  auto counts = [&router, &registry, host_ptr] {
    OsCounts c;
    c.sessions = router.session_count();
    c.ta_instances = host_ptr->instance_count();
    c.registered_shm = registry.size();
    c.inflight_calls = router.inflight_count();
    return c;
  };
  auto status = [counts, host_ptr] {
    const OsCounts c = counts();
    const OsCounters& k = os_counters();
    osstat::OsStatus s;
    s.counts.sessions = static_cast<uint32_t>(std::min<uint64_t>(c.sessions, UINT32_MAX));
    s.counts.ta_instances = static_cast<uint32_t>(std::min<uint64_t>(c.ta_instances, UINT32_MAX));
    s.counts.registered_shm = static_cast<uint32_t>(std::min<uint64_t>(c.registered_shm, UINT32_MAX));
    s.counts.inflight = static_cast<uint32_t>(std::min<uint64_t>(c.inflight_calls, UINT32_MAX));
    s.counts.rpcs = k.rpcs.load(std::memory_order_relaxed);
    s.counts.storage_read_bytes = k.storage_read_bytes.load(std::memory_order_relaxed);
    s.counts.storage_written_bytes = k.storage_written_bytes.load(std::memory_order_relaxed);
    s.tas = host_ptr->ta_stats();
    for (const auto& t : s.tas) s.counts.ta_panics += t.panics;
    return s;
  };
  auto stats = std::make_unique<StatsPta>(counts, status);
  auto invoke_tests = std::make_unique<InvokeTestsPta>();
  auto system =
      std::make_unique<SystemPta>([storage = *storage](const Uuid& ta, std::span<const uint8_t> extra,
                                                       std::span<uint8_t> out, CallContext& call) -> Status {
        ThreadRpc* tr = call.rpc.thread_rpc();
        if (tr == nullptr) return Error{EIO, "no normal-world path for the storage key chain"};
        CallFs fs(*tr, *storage);
        ASSIGN_OR_RETURN(storage::SecretKey k,
                         storage->ta_unique_key(fs.fs(), ta, extra, static_cast<uint8_t>(out.size())));
        std::memcpy(out.data(), k.bytes().data(), out.size());
        return ok_status();
      });
  // The router owns the PTAs for the life of the process; TAs reach them too.
  callees->add_pta(stats.get());
  callees->add_pta(invoke_tests.get());
  callees->add_pta(system.get());
  if (auto st = router.add_pta(std::move(stats)); !st.ok()) return 1;
  if (auto st = router.add_pta(std::move(invoke_tests)); !st.ok()) return 1;
  if (auto st = router.add_pta(std::move(system)); !st.ok()) return 1;

  MsgEntry entry(router, registry);
  // Guest partitions (os/guests.h) come with per-guest isolation; until
  // then swtee-os serves the host's clients (client id 0) only.
  Guests guests(entry);
  auto server = ConduitServer::create(std::move(*carveout), std::move(channels), std::move(doorbell_fd),
                                      opt.threads, doorbell_spin_us(), guests);
  if (!server.ok()) {
    log::error("conduit: {}", server.error());
    return 1;
  }
  log::info("serving {} channels with {} secure threads", opt.channels, opt.threads);
  (*server)->run();
  log::info("all channels closed; shutting down");
  return 0;  // the TA host (and its children) goes with `host`
}

}  // namespace

int main(int argc, char** argv) {
  swtee::log::set_component("os", "swtee-os");
  Options opt;
  CLI::App app{"swtee-os: the reference GP trusted OS (spawned by swteed)"};
  app.add_option("--channels", opt.channels, "conduit channels (fds 4..4+C-1)")
      ->required()
      ->check(CLI::Range(1u, swtee::conduit::kMaxChannels));
  app.add_option("--threads", opt.threads, "secure threads (1..channels)")
      ->required()
      ->check(CLI::Range(1u, swtee::conduit::kMaxChannels));
  app.add_option("--debug-ta", opt.debug_tas, "run this TA (UUID) for a debugger: real file, no seccomp");
  app.add_option("--ta-host-preload", opt.preload, "library preloaded into the TA host (--debug-ta only)");
  app.add_option("--debug-ta-dir", opt.debug_dir, "where --debug-ta TAs are written (0700 directory)");
  app.add_option("--ta-host", opt.ta_host, "TA host binary (default: swtee-ta-host beside swtee-os)");
  app.add_option("--ta-pubkey", opt.ta_pubkeys, "PEM public key accepted for TA signatures (repeatable)");
  app.set_version_flag("--version", std::string("swtee-os ") + swtee::kVersion);
  app.add_option("--log", opt.log_spec, "log levels, SWTEE_LOG syntax (docs/logging.md)");
  app.add_option("--huk-fd", opt.huk_fd,
                 "inherited fd of the HUK file (storage/README.md); none: the key lives in the REE FS")
      ->check(CLI::Range(0, 1 << 20));
  app.add_flag("--storage-verify-always", opt.storage_verify_always,
               "re-authenticate stored objects on every access, no plaintext cache (tamper tests)");
  app.add_option("--cancel-grace-ms", opt.cancel_grace_ms,
                 "kill a TA instance whose cancelled call has not returned after this long (0: never)")
      ->capture_default_str();
  app.add_option("--ta-call-limit", opt.ta_call_limits,
                 "UUID=MS: kill that TA's instance when one call runs longer than MS (repeatable)");
  CLI11_PARSE(app, argc, argv);
  if (opt.threads > opt.channels) {
    std::fprintf(stderr, "swtee-os: --threads must not exceed --channels\n");
    return 2;
  }
  if (!opt.log_spec.empty()) {
    if (auto err = swtee::log::apply_spec(opt.log_spec)) {
      swtee::log::error("--log: {}", *err);
      return 2;
    }
  }
  return serve(opt);
}
