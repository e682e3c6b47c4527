#include "supplicant/install_paths.h"

#include <limits.h>
#include <unistd.h>

namespace swtee::supp {

std::string self_exe_dir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string p(buf, static_cast<size_t>(n));
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}

std::string default_ta_dir() { return self_exe_dir() + "/../ta"; }

}  // namespace swtee::supp
