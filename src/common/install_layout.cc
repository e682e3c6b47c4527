#include "common/install_layout.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string_view>

#include "common/install_dirs.h"

namespace swtee::layout {
namespace {

bool is_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string self_exe_name() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return {};
  std::string_view p(buf, static_cast<size_t>(n));
  size_t slash = p.rfind('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

// Install directory (relative to the prefix) of each of swtee's programs.
const char* install_dir_of(std::string_view name) {
  if (name == "swtee") return dirs::kBin;
  if (name == "swteed" || name == "swtee-supplicant") return dirs::kSbin;
  if (name == "swtee-os" || name == "swtee-ta-host") return dirs::kLibexec;
  return nullptr;
}

}  // namespace

std::string self_exe_dir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string p(buf, static_cast<size_t>(n));
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}

std::string installed_prefix() {
  const char* mine = install_dir_of(self_exe_name());
  if (mine == nullptr) return {};
  const std::string dir = self_exe_dir();
  const std::string suffix = std::string("/") + mine;
  if (dir.size() < suffix.size() || dir.compare(dir.size() - suffix.size(), suffix.size(), suffix) != 0)
    return {};
  std::string prefix = dir.substr(0, dir.size() - suffix.size());
  if (!is_file(prefix + "/" + dirs::kSbin + "/swteed")) return {};
  return prefix.empty() ? "/" : prefix;
}

std::string program_path(const std::string& name) {
  const std::string prefix = installed_prefix();
  const char* dir = install_dir_of(name);
  if (prefix.empty() || dir == nullptr) return self_exe_dir() + "/" + name;
  return (prefix == "/" ? std::string() : prefix) + "/" + dir + "/" + name;
}

std::string default_ta_dir() {
  const std::string prefix = installed_prefix();
  if (prefix.empty()) return self_exe_dir() + "/../ta";
  return (prefix == "/" ? std::string() : prefix) + "/" + dirs::kTa;
}

std::string build_tree_dev_pubkey() {
  if (!installed_prefix().empty()) return {};
  return self_exe_dir() + "/../keys/ta_dev_key.pub.pem";
}

}  // namespace swtee::layout
