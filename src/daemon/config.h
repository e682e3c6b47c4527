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

struct DaemonConfig {
  std::string runtime_dir;
  std::string huk_file;
  std::string os_binary;
  std::string log;  // SWTEE_LOG syntax
  std::optional<unsigned> threads;
  std::optional<unsigned> channels;
  std::vector<std::string> ta_pubkeys;
  bool storage_verify_always = false;
  DeviceAccess tee0;
  DeviceAccess teepriv0;
  core::CoreLimits limits;
};

// Reads `path` into `cfg` (keys the file lacks keep their value). Returns the
// error text on failure; `cfg` is then unspecified.
std::optional<std::string> load_config(const std::string& path, DaemonConfig& cfg);
// The same from text, `name` standing for the file in messages (tests).
std::optional<std::string> parse_config(std::string_view text, const std::string& name, DaemonConfig& cfg);

}  // namespace swtee::daemon
