// The process tree as /proc shows it, for integration tests that look for
// the stack's own processes. ctest runs several stacks at once, each under
// its own `swtee run`, so a test that scans /proc must keep to its own.
#pragma once

#include <sys/types.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace xtest {

struct ProcStat {
  std::string comm;  // the kernel's name (15 characters at most)
  char state = '?';  // R, S, D, Z, ...
  pid_t ppid = 0;
};

// /proc/PID/stat's name, state and parent; nullopt when the process is gone.
inline std::optional<ProcStat> proc_stat(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string st;
  if (!std::getline(f, st)) return std::nullopt;
  // "PID (COMM) S PPID ...": COMM may hold spaces and parentheses.
  const size_t open = st.find('('), close = st.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 4 >= st.size()) return std::nullopt;
  return ProcStat{st.substr(open + 1, close - open - 1), st[close + 2],
                  static_cast<pid_t>(std::strtol(st.c_str() + close + 4, nullptr, 10))};
}

// Every live process's pid.
inline std::vector<pid_t> all_pids() {
  std::vector<pid_t> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

// Processes whose parent is `parent` and whose name is `comm`, zombies
// included.
inline std::vector<pid_t> children_named(pid_t parent, const std::string& comm) {
  std::vector<pid_t> out;
  for (pid_t pid : all_pids()) {
    auto st = proc_stat(pid);
    if (st && st->comm == comm && st->ppid == parent) out.push_back(pid);
  }
  return out;
}

// The ancestors of `pid`, its parent first, up to (not including) pid 1.
inline std::vector<pid_t> ancestors(pid_t pid) {
  std::vector<pid_t> out;
  for (int depth = 0; depth < 256; ++depth) {
    auto st = proc_stat(pid);
    if (!st || st->ppid <= 1) break;
    out.push_back(st->ppid);
    pid = st->ppid;
  }
  return out;
}

}  // namespace xtest
