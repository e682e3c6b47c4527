#include "common/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace swtee::log {
namespace {

// The spec from $SWTEE_LOG (a bad one is reported once and ignored).
LogSpec spec_from_env() {
  const char* e = std::getenv("SWTEE_LOG");
  if (e == nullptr) return {};
  ParsedSpec p = parse_spec(e);
  if (p.error) {
    std::string msg = "swtee: SWTEE_LOG: " + *p.error + "; using warn\n";
    (void)!::write(STDERR_FILENO, msg.data(), msg.size());
    return {};
  }
  return p.spec;
}

// True when stderr is the journal stream systemd connected ($JOURNAL_STREAM
// is "<dev>:<ino>" of that stream).
bool stderr_is_journal() {
  const char* js = std::getenv("JOURNAL_STREAM");
  if (js == nullptr) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(js, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  return ::fstat(STDERR_FILENO, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

std::mutex g_spec_mu;
LogSpec& spec() {
  static LogSpec s = spec_from_env();
  return s;
}

std::atomic<int> g_level{static_cast<int>(level_for(spec(), ""))};
std::atomic<const char*> g_tag{"swtee"};
std::atomic<const char*> g_component{""};
const bool g_journal = stderr_is_journal();

}  // namespace

Level current_level() { return static_cast<Level>(g_level.load(std::memory_order_relaxed)); }
void set_level(Level l) { g_level.store(static_cast<int>(l), std::memory_order_relaxed); }
void set_tag(const char* tag) { g_tag.store(tag, std::memory_order_relaxed); }

void set_component(const char* component, const char* tag) {
  g_component.store(component, std::memory_order_relaxed);
  set_tag(tag != nullptr ? tag : component);
  std::lock_guard<std::mutex> l(g_spec_mu);
  set_level(level_for(spec(), component));
}

std::optional<std::string> apply_spec(const std::string& text) {
  ParsedSpec p = parse_spec(text);
  if (p.error) return p.error;
  std::lock_guard<std::mutex> l(g_spec_mu);
  spec() = p.spec;
  set_level(level_for(spec(), g_component.load(std::memory_order_relaxed)));
  ::setenv("SWTEE_LOG", text.c_str(), 1);
  return std::nullopt;
}

Level level_of(const std::string& component) {
  std::lock_guard<std::mutex> l(g_spec_mu);
  return level_for(spec(), component);
}

std::optional<Level> explicit_level_of(const std::string& component) {
  std::lock_guard<std::mutex> l(g_spec_mu);
  return explicit_level_for(spec(), component);
}

void write(Level l, const std::string& line) {
  static const char* names[] = {"E", "W", "I", "D"};
  static const int syslog_prio[] = {3, 4, 6, 7};  // err, warning, info, debug
  const int i = static_cast<int>(l);
  std::string out = g_journal ? fmt::format("<{}>{}: {}\n", syslog_prio[i], g_tag.load(), line)
                              : fmt::format("{}[{}] {}: {}\n", g_tag.load(), ::getpid(), names[i], line);
  // One write() per line so lines from several processes do not interleave.
  (void)!::write(STDERR_FILENO, out.data(), out.size());
}

}  // namespace swtee::log
