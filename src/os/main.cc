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
#include "os/guests.h"
#include "os/partition.h"
#include "os/syscalls/storage_family.h"
#include "os/ta_host.h"
#include "os/ta_manager/call_limits.h"
#include "os/ta_manager/cpu_follow.h"
#include "os/ta_manager/zygote_client.h"
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
  unsigned ta_image_trust_ms = kDefaultImageTrustMs;
  unsigned spare_idle_ms = kDefaultSpareIdleMs;
  std::string ta_follow_cpu = "auto";          // ta_manager/cpu_follow.h
  std::string ta_without_landlock = "refuse";  // ta_runtime/zygote.h
  std::vector<std::string> ta_call_limits;     // UUID=MS
  // Guests (os/guests.h, os/partition.h); max_guests 0: no virtualization.
  unsigned max_guests = kDefaultMaxGuests;
  unsigned guest_sessions = kDefaultGuestSessions;
  unsigned guest_ta_instances = kDefaultGuestTaInstances;
  unsigned guest_shm = kDefaultGuestRegisteredShm;
  unsigned guest_threads = 0;  // 0: default_guest_threads(threads)
  // One uid's share of the TA instances and PTA waits (os/shared_pool.h).
  unsigned uid_share_percent = kDefaultUidSharePercent;
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
  auto follow = parse_cpu_follow_mode(opt.ta_follow_cpu);
  if (!follow.ok()) {
    log::error("--ta-follow-cpu {}: {}", opt.ta_follow_cpu, follow.error().what);
    return 2;
  }
  const unsigned cpus = allowed_cpu_count();
  set_cpu_follow(*follow, cpus);
  log::info("TA processes {} their caller's CPU ({}, {} CPUs)",
            cpu_follow_enabled() ? "follow" : "do not follow", opt.ta_follow_cpu, cpus);
  TaHostConfig host_cfg;
  host_cfg.ta_host_binary = opt.ta_host.empty() ? layout::program_path("swtee-ta-host") : opt.ta_host;
  host_cfg.image_trust_ms = opt.ta_image_trust_ms;
  host_cfg.spare_idle_ms = opt.spare_idle_ms;
  host_cfg.allow_without_landlock = opt.ta_without_landlock == "allow";
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
  StorageServiceConfig storage_cfg;
  storage_cfg.huk_fd = huk_fd.get();
  storage_cfg.verify_every_access = opt.storage_verify_always;
  auto storage = open_storage_service(storage_cfg);
  huk_fd.reset();
  if (!storage.ok()) {
    log::error("trusted storage: {}", storage.error());
    return 1;
  }
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
  // One zygote for every partition, exec'd from the main thread (its
  // PDEATHSIG follows this thread).
  auto zygote = ZygoteClient::start(host_cfg.ta_host_binary, host_cfg.allow_without_landlock);
  if (!zygote.ok()) {
    log::error("TA host: {}", zygote.error());
    return 1;
  }
  host_cfg.zygote = std::move(*zygote);

  // Guests' partitions (os/guests.h, os/partition.h): the same TA host
  // settings (no debug TAs), their own storage and the --guest-* limits.
  Guests* guests_ptr = nullptr;
  PartitionConfig host_part;
  host_part.ta_host = host_cfg;
  host_part.limits.uid_share_percent = opt.uid_share_percent;
  host_part.limits.pta_waits = pta_waits_for_threads(opt.threads);
  log::info("pools: {} TA instances, {} invoke_tests PTA waits; one uid may hold {}% of each",
            host_part.limits.ta_instances, host_part.limits.pta_waits, opt.uid_share_percent);
  host_part.storage = *storage;
  host_part.guest_counts = [&guests_ptr] {
    return guests_ptr != nullptr ? guests_ptr->counts() : GuestCounts{};
  };
  auto host = OsPartition::create(host_part);
  if (!host.ok()) {
    log::error("TA host: {}", host.error());
    return 1;
  }
  PartitionFactory factory;
  if (opt.max_guests > 0) {
    PartitionConfig guest_part;
    guest_part.ta_host = host_cfg;
    guest_part.ta_host.debug_tas.clear();
    guest_part.ta_host.debug_dir.clear();
    guest_part.limits.sessions = opt.guest_sessions;
    guest_part.limits.ta_instances = opt.guest_ta_instances;
    guest_part.limits.registered_shm = opt.guest_shm;
    const unsigned threads = opt.guest_threads != 0 ? opt.guest_threads : default_guest_threads(opt.threads);
    guest_part.limits.threads = std::min(threads, opt.threads);
    guest_part.limits.pta_waits = pta_waits_for_threads(guest_part.limits.threads);
    guest_part.limits.uid_share_percent = opt.uid_share_percent;
    log::info(
        "virtualization: up to {} guests, each with {} sessions, {} TA instances, {} shm, {} secure threads",
        opt.max_guests, opt.guest_sessions, opt.guest_ta_instances, opt.guest_shm, guest_part.limits.threads);
    factory = guest_partition_factory(std::move(guest_part), *storage);
  }
  Guests guests((*host)->entry(), std::move(factory), opt.max_guests);
  guests_ptr = &guests;
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
  app.add_option("--ta-image-trust-ms", opt.ta_image_trust_ms,
                 "use a verified TA image this long after the store last confirmed it, without LOAD_TA "
                 "(0: every new TA instance asks the supplicant)")
      ->check(CLI::Range(0u, kMaxImageTrustMs))
      ->capture_default_str();
  app.add_option("--spare-idle-ms", opt.spare_idle_ms,
                 "kill a TA's spare processes after this long without a cold open that takes one")
      ->check(CLI::Range(kMinSpareIdleMs, kMaxSpareIdleMs))
      ->capture_default_str();
  app.add_option("--ta-follow-cpu", opt.ta_follow_cpu,
                 "auto, on or off: a TA process runs on the CPU of the swtee-os thread calling it "
                 "(auto: when this process may use fewer than 4 CPUs)")
      ->check(CLI::IsMember({"auto", "on", "off"}))
      ->capture_default_str();
  app.add_option("--ta-without-landlock", opt.ta_without_landlock,
                 "refuse or allow: TA processes on a kernel without Landlock, where a TA's ELF "
                 "constructors could read any file this user can (docs/sandbox.md)")
      ->check(CLI::IsMember({"refuse", "allow"}))
      ->capture_default_str();
  app.add_option("--cancel-grace-ms", opt.cancel_grace_ms,
                 "kill a TA instance whose cancelled call has not returned after this long (0: never)")
      ->capture_default_str();
  app.add_option("--ta-call-limit", opt.ta_call_limits,
                 "UUID=MS: kill that TA's instance when one call runs longer than MS (repeatable)");
  app.add_option("--max-guests", opt.max_guests,
                 "guests (OP-TEE virtualization: VM_CREATED) served at once; 0: client id 0 only, "
                 "SEC_CAP_VIRTUALIZATION not advertised")
      ->capture_default_str()
      ->check(CLI::Range(0u, 1024u));
  app.add_option("--guest-sessions", opt.guest_sessions, "open sessions one guest may hold")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1u << 20));
  app.add_option("--guest-ta-instances", opt.guest_ta_instances, "live TA instances one guest may hold")
      ->capture_default_str()
      ->check(CLI::Range(1u, 4096u));
  app.add_option("--guest-shm", opt.guest_shm, "registered shared-memory objects one guest may hold")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1u << 20));
  app.add_option("--guest-threads", opt.guest_threads,
                 "secure threads one guest's calls may hold at once (default: half of --threads, at least 1)")
      ->check(CLI::Range(0u, swtee::conduit::kMaxChannels));
  app.add_option("--uid-share", opt.uid_share_percent,
                 "percent of the TA instances and of the invoke_tests PTA's waits one uid may hold "
                 "(the uid swteed names with each open; swteed --uid-share passes its own)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100u));
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
