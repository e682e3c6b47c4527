// Leveled logging to stderr, one write() per line. Levels per component
// (common/log_spec.h, docs/logging.md) from $SWTEE_LOG, --log or the
// configuration. Under systemd (stderr is the journal stream named by
// $JOURNAL_STREAM) each line carries a <N> syslog priority prefix instead
// of a pid, which journald stores as the record's priority. Never used on a
// data path at info level or below in a hot loop.
#pragma once

#include <fmt/core.h>

#include <optional>
#include <string>

#include "common/log_spec.h"

namespace swtee::log {

Level current_level();
void set_level(Level l);
// Sets the tag printed before each line ("swteed", "swtee-os", ...).
void set_tag(const char* tag);
// Names this process's component (log_spec.h) and takes its level from the
// spec in force; `tag` (default: the component) starts each line.
void set_component(const char* component, const char* tag = nullptr);
// Parses and applies a spec to this process, and exports it as SWTEE_LOG to
// the processes it starts. The error text on a bad spec (nothing changed).
std::optional<std::string> apply_spec(const std::string& text);
// The level the spec in force gives `component` (e.g. "ta.<uuid>").
Level level_of(const std::string& component);
// Only a level the spec sets for `component` itself (or, for ta.<uuid>, for
// `ta`); nothing when the default applies.
std::optional<Level> explicit_level_of(const std::string& component);
void write(Level l, const std::string& line);

template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... a) {
  write(Level::Error, fmt::format(f, std::forward<Args>(a)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... a) {
  if (current_level() >= Level::Warn) write(Level::Warn, fmt::format(f, std::forward<Args>(a)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... a) {
  if (current_level() >= Level::Info) write(Level::Info, fmt::format(f, std::forward<Args>(a)...));
}
template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... a) {
  if (current_level() >= Level::Debug) write(Level::Debug, fmt::format(f, std::forward<Args>(a)...));
}

}  // namespace swtee::log
