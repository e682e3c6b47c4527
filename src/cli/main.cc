// swtee: the command-line entry point (run, daemon, sign, status).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/stack_defaults.h"
#include "common/log.h"
#include "common/uuid.h"
#include "common/version.h"
#include "uapi/uapi_client.h"

int main(int argc, char** argv) {
  swtee::log::set_component("cli", "swtee");
  // Everything after the first "--" is the command of `swtee run`; CLI11 never
  // sees it, so the command's own options cannot be mistaken for ours.
  int ours = argc;
  std::vector<std::string> trailing;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) {
      ours = i;
      trailing.assign(argv + i + 1, argv + argc);
      break;
    }
  }

  CLI::App app{"swtee: a user-space Linux TEE subsystem with an OP-TEE driver and a reference GP trusted OS"};
  // Not require_subcommand(): CLI11 would report a missing subcommand before
  // naming an unknown flag; the check is done after parsing instead.
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("swtee ") + swtee::kVersion);

  // swtee-os call limits, the same for `run` and `daemon`.
  unsigned run_grace = 0, daemon_grace = 0;
  auto add_call_limits = [](CLI::App* sub, swtee::cli::CallLimitOptions& o, unsigned& grace) {
    sub->add_option(
        "--cancel-grace-ms", grace,
        "kill a TA whose cancelled call has not returned after this long (default 2000; 0: never)");
    sub->add_option("--ta-call-limit", o.ta_call_limits,
                    "UUID=MS: kill that TA's instance when one call runs longer (repeatable)");
  };

  swtee::cli::RunOptions run;
  unsigned run_threads = 0;
  auto* r =
      app.add_subcommand("run", "run a command against a private swtee stack: swtee run [options] -- CMD...");
  r->add_option("--state", run.state_dir,
                "keep secure storage in DIR (default: a temporary dir, deleted afterwards)");
  r->add_option("--ta-dir", run.ta_dirs,
                "TA directory, repeatable, searched in order (default <bindir>/../ta)");
  r->add_option("--ta-pubkey", run.ta_pubkeys,
                "extra PEM public key accepted for TA signatures (repeatable)");
  r->add_option("--threads", run_threads, "secure threads in swteed")->check(CLI::Range(1u, 64u));
  r->add_option("--uid-share", run.uid_share,
                "percent of each pool one uid may hold, swteed's and swtee-os's (default 25; "
                "limits.uid_share_percent)")
      ->check(CLI::Range(1u, 100u));
  r->add_flag(
      "--fast-storage", run.fast_storage,
      "no fsync in the REE FS: fast, but a crash can lose or roll back storage (always on without --state)");
  r->add_option("--plugin-dir", run.plugin_dir,
                "supplicant plugins (*.plugin) serving TAs' tee_invoke_supp_plugin() (default: none)");
  r->add_flag("--storage-verify-always", run.storage_verify_always,
              "swtee-os re-reads and re-authenticates stored objects on every access (tamper tests)");
  std::string log_spec;
  r->add_option("--log", log_spec, "log levels for the whole stack, e.g. info,os=debug,ta.<uuid>=debug");
  r->add_option("--debug-ta", run.debug_tas,
                "run this TA (UUID, repeatable) for gdb/sanitizers: loaded from a real file, seccomp off")
      ->check(
          [](const std::string& s) { return swtee::Uuid::parse(s) ? std::string() : "not a UUID: " + s; });
  r->add_option("--ta-host-preload", run.ta_host_preload,
                "with --debug-ta: a library preloaded into the TA host, e.g. the ASan runtime "
                "(clang -print-file-name=libclang_rt.asan-x86_64.so)");
  r->add_option("--remote", run.remote,
                "a guest stack: tee0 is served by the host swteed at ADDR (unix:PATH, tcp:HOST:PORT, "
                "vsock:CID:PORT); no supplicant (docs/remote.md)");
  r->add_option("--config", run.config, "swteed configuration file (TOML, docs/configuration.md)");
  r->add_flag("--trace", run.trace,
              "print one line per completed TEE call (pid, session, TA, cmd, params, time, result)");

  add_call_limits(r, run.call_limits, run_grace);

  swtee::cli::DaemonOptions daemon;
  daemon.runtime_dir = swtee::uapi::runtime_dir_from_env();
  daemon.state_dir = "/var/lib/swtee";
  unsigned daemon_threads = 0;
  auto* d = app.add_subcommand("daemon", "run the swtee stack in the foreground until SIGTERM/SIGINT");
  d->add_option("--runtime-dir", daemon.runtime_dir, "sockets directory")->capture_default_str();
  d->add_option("--state", daemon.state_dir, "secure storage root (created 0700)")->capture_default_str();
  d->add_option("--ta-dir", daemon.ta_dirs, "TA directory, repeatable (default <bindir>/../ta)");
  d->add_option("--ta-pubkey", daemon.ta_pubkeys, "extra PEM public key for TA signatures (repeatable)");
  d->add_option("--threads", daemon_threads, "secure threads in swteed")->check(CLI::Range(1u, 64u));
  d->add_option("--uid-share", daemon.uid_share,
                "percent of each pool one uid may hold, swteed's and swtee-os's (default 25; "
                "limits.uid_share_percent)")
      ->check(CLI::Range(1u, 100u));
  d->add_option("--config", daemon.config, "swteed configuration file (TOML, docs/configuration.md)");
  d->add_option("--log", log_spec, "log levels for the whole stack, e.g. info,os=debug");
  d->add_flag("--trace", daemon.trace, "print one line per completed TEE call");
  add_call_limits(d, daemon.call_limits, daemon_grace);

  swtee::cli::SignOptions sign;
  std::string flags_text;
  auto* s = app.add_subcommand(
      "sign", "sign a TA into <uuid>.ta (or many, --out-dir), or make a key pair with --gen-key");
  s->add_flag("--gen-key", sign.gen_key,
              "generate an RSA-3072 key pair (private 0600); existing files are kept");
  s->add_option("--key", sign.key, "private key (PEM)");
  s->add_option("--pub", sign.pub, "public key output (PEM), with --gen-key");
  s->add_option("--in", sign.in, "the TA shared object");
  s->add_option("--out", sign.out, "the signed image to write (atomically)");
  s->add_option("--out-dir", sign.out_dir,
                "sign every TA.so given into DIR/<uuid>.ta (progress on a terminal)");
  s->add_option("tas", sign.inputs, "TA shared objects, with --out-dir");
  s->add_option("--uuid", sign.uuid, "expected TA UUID (checked against the TA's own)");
  s->add_option("--flags", flags_text, "expected TA flags (checked; decimal or 0x hex)");

  swtee::cli::StatusOptions status;
  status.runtime_dir = swtee::uapi::runtime_dir_from_env();
  auto* st =
      app.add_subcommand("status", "devices, drivers, counters and calls in flight of a running swteed");
  st->add_option("--runtime-dir", status.runtime_dir, "sockets directory")->capture_default_str();
  st->add_option("--ta-dir", status.ta_dirs, "also list the TAs in DIR (repeatable)");
  st->add_flag("--json", status.json, "print the same as one JSON object");

  swtee::cli::StorageOptions storage;
  storage.state_dir = "/var/lib/swtee";
  auto* sto = app.add_subcommand(
      "storage", "inspect, wipe, re-key or re-anchor a secure-storage state directory (stack stopped)");
  sto->require_subcommand(1);
  const std::vector<std::pair<const char*, const char*>> storage_actions = {
      {"ls", "per-TA object counts and sizes; ids too with --ta"},
      {"wipe", "delete every object (or one TA's, with --ta) and the anchor; the HUK stays"},
      {"rekey", "delete every object and the anchor, and make a new HUK"},
      {"reset-anchor", "accept the stored state as it is now after the rollback anchor was lost or reset"},
  };
  for (const auto& [action, help] : storage_actions) {
    auto* a = sto->add_subcommand(action, help);
    a->add_option("--state", storage.state_dir, "state directory")->capture_default_str();
    if (std::string(action) == "ls" || std::string(action) == "wipe")
      a->add_option("--ta", storage.ta, "TA UUID: open that TA's store with the HUK");
    a->callback([&storage, action = action] { storage.action = action; });
  }

  try {
    app.parse(ours, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!log_spec.empty()) {
    if (auto err = swtee::log::apply_spec(log_spec)) {
      swtee::log::error("--log {}: {}", log_spec, *err);
      return 2;
    }
  }
  if (!trailing.empty() && !r->parsed()) {
    swtee::log::error("only `swtee run` takes a command after --");
    return 2;
  }
  if (r->parsed()) {
    run.command = std::move(trailing);
    if (run_threads != 0) run.threads = run_threads;
    if (r->count("--cancel-grace-ms") != 0) run.call_limits.cancel_grace_ms = run_grace;
    return swtee::cli::cmd_run(run);
  }
  if (d->parsed()) {
    if (daemon_threads != 0) daemon.threads = daemon_threads;
    if (d->count("--cancel-grace-ms") != 0) daemon.call_limits.cancel_grace_ms = daemon_grace;
    return swtee::cli::cmd_daemon(daemon);
  }
  if (s->parsed()) {
    if (!flags_text.empty()) {
      char* end = nullptr;
      errno = 0;
      unsigned long v = std::strtoul(flags_text.c_str(), &end, 0);
      if (errno != 0 || end == flags_text.c_str() || *end != '\0' || v > 0xffffffffUL) {
        swtee::log::error("--flags {}: not a 32-bit number", flags_text);
        return 2;
      }
      sign.flags = static_cast<uint32_t>(v);
    }
    return swtee::cli::cmd_sign(sign);
  }
  if (sto->parsed()) {
    storage.state_dir = swtee::cli::absolute_path(storage.state_dir);
    return swtee::cli::cmd_storage(storage);
  }
  if (st->parsed()) return swtee::cli::cmd_status(status);
  std::fputs(app.help().c_str(), stderr);
  swtee::log::error("a subcommand is required (run, daemon, status, sign, storage)");
  return 2;
}
