#include "supplicant/ta_dirs.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace swtee::supp {

std::optional<std::string> ta_dirs_problem(const std::vector<std::string>& dirs) {
  if (dirs.empty()) return "no TA directory given";
  for (const auto& d : dirs) {
    if (d.empty()) return "--ta-dir \"\": a TA directory needs a path";
    struct stat st {};
    if (::stat(d.c_str(), &st) != 0) return "TA directory " + d + ": " + std::strerror(errno);
    if (!S_ISDIR(st.st_mode)) return "TA directory " + d + ": not a directory";
  }
  return std::nullopt;
}

}  // namespace swtee::supp
