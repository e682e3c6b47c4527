// The one log-level scheme of every swtee process (docs/logging.md):
//
//   SWTEE_LOG=<level>[,<component>=<level>]...     e.g. info,os=debug,ta.<uuid>=debug
//
// levels: error, warn, info, debug. Components: cli (swtee), swteed (core
// and OP-TEE driver), os (swtee-os), supplicant, ta-host (the zygote), ta
// (every TA's trace) and ta.<uuid> (one TA). A bare level sets the default
// (warn when none is given). The same text is accepted by `swteed --log`,
// `swtee run --log`, `swtee daemon --log` and `log.level` in swteed.toml.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace swtee::log {

enum class Level : int { Error = 0, Warn = 1, Info = 2, Debug = 3 };

struct LogSpec {
  Level fallback = Level::Warn;
  std::vector<std::pair<std::string, Level>> components;
};

struct ParsedSpec {
  LogSpec spec;
  std::optional<std::string> error;  // what is wrong, naming the bad item
};

ParsedSpec parse_spec(std::string_view text);

// The level of `component`: its own entry, else (for ta.<uuid>) the `ta`
// entry, else the default.
Level level_for(const LogSpec& spec, std::string_view component);
std::optional<Level> explicit_level_for(const LogSpec& spec, std::string_view component);

}  // namespace swtee::log
