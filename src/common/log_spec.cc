#include "common/log_spec.h"

namespace swtee::log {
namespace {

std::optional<Level> level_named(std::string_view s) {
  if (s == "error") return Level::Error;
  if (s == "warn" || s == "warning") return Level::Warn;
  if (s == "info") return Level::Info;
  if (s == "debug") return Level::Debug;
  return std::nullopt;
}

bool valid_component(std::string_view c) {
  if (c.empty()) return false;
  for (char ch : c)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_'))
      return false;
  return true;
}

}  // namespace

ParsedSpec parse_spec(std::string_view text) {
  ParsedSpec out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      auto l = level_named(item);
      if (!l) {
        out.error =
            "'" + std::string(item) + "': expected a level (error, warn, info, debug) or component=level";
        return out;
      }
      out.spec.fallback = *l;
      continue;
    }
    std::string_view comp = item.substr(0, eq);
    auto l = level_named(item.substr(eq + 1));
    if (!valid_component(comp)) {
      out.error = "'" + std::string(item) +
                  "': expected a component name (cli, swteed, os, supplicant, ta-host, ta, ta.<uuid>)";
      return out;
    }
    if (!l) {
      out.error = "'" + std::string(item) + "': expected a level (error, warn, info, debug) after '='";
      return out;
    }
    out.spec.components.emplace_back(std::string(comp), *l);
  }
  return out;
}

std::optional<Level> explicit_level_for(const LogSpec& spec, std::string_view component) {
  std::optional<Level> family;
  for (const auto& [c, l] : spec.components) {
    if (c == component) return l;
    if (component.starts_with("ta.") && c == "ta") family = l;
  }
  return family;
}

Level level_for(const LogSpec& spec, std::string_view component) {
  return explicit_level_for(spec, component).value_or(spec.fallback);
}

}  // namespace swtee::log
