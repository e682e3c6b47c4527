// swteed's configuration file (TOML, read with toml++). Every key is in one
// table (config.cc, kKeys); a key not in it, or a value of the wrong type or
// range, is refused with "<file>:<line>:<column>: <key>: expected <what>".
// Command-line flags override what the file sets. Reference:
// packaging/swteed.toml and docs/configuration.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/limits.h"

namespace swtee::daemon {

struct DeviceAccess {
  std::string group;  // empty: leave the group as created
  std::optional<unsigned> mode;
};

// [[guests.guest]]: one guest the host accepts, named by its transport
// identity (at least one of unix_uid, vsock_cid, key_file).
struct GuestConfig {
  uint32_t id = 0;  // 1..65535, unique
  std::string name;
  std::optional<uint32_t> unix_uid;
  std::optional<uint32_t> vsock_cid;
  std::string key_file;  // TCP: the guest's key (mode 0600)
};

// [guests.limits]: what each guest may hold at once in swtee-os (its
// --guest-* options; unset: swtee-os's defaults, docs/architecture.md).
struct GuestLimits {
  std::optional<unsigned> sessions;
  std::optional<unsigned> ta_instances;
  std::optional<unsigned> shm;
  std::optional<unsigned> threads;
};

// [guests]: the host side of the remote driver (docs/remote.md).
struct GuestsConfig {
  std::vector<std::string> listen;  // unix:PATH, tcp:HOST:PORT, vsock:CID|any:PORT
  std::vector<GuestConfig> guests;
  GuestLimits limits;
};

// [drivers.remote]: this swteed is a guest; its tee0 is served by a host.
struct RemoteConfig {
  std::string address;   // empty: not a guest
  std::string name;      // sent to the host for its logs
  std::string key_file;  // TCP
  std::optional<unsigned> connect_timeout_ms;
};

struct DaemonConfig {
  std::string runtime_dir;
  std::string huk_file;
  std::string os_binary;
  std::string log;  // SWTEE_LOG syntax
  std::optional<unsigned> threads;
  std::optional<unsigned> channels;
  std::vector<std::string> ta_pubkeys;
  bool storage_verify_always = false;
  // swtee-os --ta-image-trust-ms (0..60000); unset: swtee-os's default.
  std::optional<unsigned> ta_image_trust_ms;
  // swtee-os --spare-idle-ms (100..600000); unset: swtee-os's default.
  std::optional<unsigned> spare_idle_ms;
  // swtee-os --ta-follow-cpu (auto, on, off); unset: swtee-os's default (auto).
  std::string ta_follow_cpu;
  // swtee-os --ta-without-landlock (refuse, allow); unset: swtee-os's
  // default (refuse).
  std::string ta_without_landlock;
  DeviceAccess tee0;
  DeviceAccess teepriv0;
  core::CoreLimits limits;
  GuestsConfig guests;
  RemoteConfig remote;
};

// Reads `path` into `cfg` (keys the file lacks keep their value). Returns the
// error text on failure; `cfg` is then unspecified.
std::optional<std::string> load_config(const std::string& path, DaemonConfig& cfg);
// The same from text, `name` standing for the file in messages (tests).
std::optional<std::string> parse_config(std::string_view text, const std::string& name, DaemonConfig& cfg);

}  // namespace swtee::daemon
