// Minimal leveled logging to stderr. The level comes from SWTEE_LOG
// (error|warn|info|debug; default warn). Never used on a data path at
// info level or below in a hot loop.
#pragma once

#include <fmt/core.h>

namespace swtee::log {

enum class Level : int { Error = 0, Warn = 1, Info = 2, Debug = 3 };

Level current_level();
void set_level(Level l);
// Sets the tag printed before each line ("swteed", "swtee-os", ...).
void set_tag(const char* tag);
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
