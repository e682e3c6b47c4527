#include "cli/runtime_dir.h"

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace swtee::cli {

std::string default_runtime_base() {
  const char* x = std::getenv("XDG_RUNTIME_DIR");
  struct stat st {};
  if (x != nullptr && x[0] == '/' && ::stat(x, &st) == 0 && S_ISDIR(st.st_mode) && ::access(x, W_OK | X_OK) == 0)
    return x;
  return "/tmp";
}

Result<RuntimeDir> RuntimeDir::create(const std::string& base) {
  std::string tmpl = (base.empty() ? default_runtime_base() : base) + "/swtee-run-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) return Error::from_errno("mkdtemp");  // mode 0700
  return RuntimeDir(std::move(tmpl));
}

RuntimeDir& RuntimeDir::operator=(RuntimeDir&& o) noexcept {
  if (this != &o) {
    remove();
    path_ = std::move(o.path_);
    o.path_.clear();
  }
  return *this;
}

void RuntimeDir::remove() {
  if (path_.empty()) return;
  (void)remove_tree(path_);
  path_.clear();
}

Status remove_tree(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT ? ok_status() : Error::from_errno("lstat");
  int r = ::nftw(
      path.c_str(), [](const char* f, const struct stat*, int, FTW*) { return ::remove(f); }, 16,
      FTW_DEPTH | FTW_PHYS);
  if (r != 0) return Error::from_errno("remove_tree");
  return ok_status();
}

}  // namespace swtee::cli
