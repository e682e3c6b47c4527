// The `swtee` subcommands. Each returns the process exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace swtee::cli {

// How long TA calls may run (swtee-os --cancel-grace-ms / --ta-call-limit).
struct CallLimitOptions {
  std::optional<unsigned> cancel_grace_ms;
  std::vector<std::string> ta_call_limits;  // UUID=MS
};

struct RunOptions {
  std::string bindir;     // where swteed / swtee-supplicant live; empty: next to this binary
  std::string state_dir;  // empty: a temporary dir inside the runtime dir, deleted afterwards
  std::vector<std::string> ta_dirs;
  std::vector<std::string> ta_pubkeys;
  std::optional<unsigned> threads;
  std::optional<unsigned> uid_share;   // swteed --uid-share (its pools and swtee-os's)
  bool fast_storage = false;           // no fsync in the supplicant (implied without --state)
  bool storage_verify_always = false;  // swtee-os re-authenticates every storage read (tamper tests)
  bool trace = false;                  // swteed prints one line per completed call
  std::vector<std::string> debug_tas;  // TA UUIDs run for a debugger (docs/debugging.md)
  std::string ta_host_preload;         // e.g. the ASan runtime, with debug_tas
  CallLimitOptions call_limits;
  std::string plugin_dir;  // supplicant --plugin-path; empty: no plugins
  std::string remote;      // a guest stack: swteed --remote ADDR, no supplicant (docs/remote.md)
  std::string config;      // swteed --config (e.g. a host config accepting guests)
  std::vector<std::string> command;
};
int cmd_run(const RunOptions& o);

struct DaemonOptions {
  std::string bindir;  // empty: next to this binary
  std::string runtime_dir;
  std::string state_dir;
  std::vector<std::string> ta_dirs;
  std::vector<std::string> ta_pubkeys;
  std::optional<unsigned> threads;
  std::optional<unsigned> uid_share;  // swteed --uid-share (its pools and swtee-os's)
  std::string config;                 // swteed --config
  bool trace = false;
  CallLimitOptions call_limits;
};
int cmd_daemon(const DaemonOptions& o);

struct SignOptions {
  bool gen_key = false;
  std::string key;
  std::string pub;
  std::string in;
  std::string out;
  std::string uuid;
  std::optional<uint32_t> flags;
  std::string out_dir;              // many TAs: each into <out_dir>/<uuid>.ta
  std::vector<std::string> inputs;  // with out_dir
};
int cmd_sign(const SignOptions& o);

struct StatusOptions {
  std::string runtime_dir;
  std::vector<std::string> ta_dirs;
  bool json = false;
};
int cmd_status(const StatusOptions& o);

struct StorageOptions {
  std::string action;  // "ls", "wipe", "rekey" or "reset-anchor"
  std::string state_dir;
  std::string ta;  // UUID; empty: every TA (ls: no names)
};
int cmd_storage(const StorageOptions& o);

}  // namespace swtee::cli
