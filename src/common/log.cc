#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace swtee::log {
namespace {

Level level_from_env() {
  const char* e = std::getenv("SWTEE_LOG");
  if (e == nullptr) return Level::Warn;
  if (std::strcmp(e, "error") == 0) return Level::Error;
  if (std::strcmp(e, "info") == 0) return Level::Info;
  if (std::strcmp(e, "debug") == 0) return Level::Debug;
  return Level::Warn;
}

std::atomic<int> g_level{static_cast<int>(level_from_env())};
std::atomic<const char*> g_tag{"swtee"};

}  // namespace

Level current_level() { return static_cast<Level>(g_level.load(std::memory_order_relaxed)); }
void set_level(Level l) { g_level.store(static_cast<int>(l), std::memory_order_relaxed); }
void set_tag(const char* tag) { g_tag.store(tag, std::memory_order_relaxed); }

void write(Level l, const std::string& line) {
  static const char* names[] = {"E", "W", "I", "D"};
  std::string out = fmt::format("{}[{}] {}: {}\n", g_tag.load(), ::getpid(), names[static_cast<int>(l)], line);
  // One write() per line so lines from several processes do not interleave.
  (void)!::write(STDERR_FILENO, out.data(), out.size());
}

}  // namespace swtee::log
