// The private runtime directory of `swtee run`: mkdtemp under
// $XDG_RUNTIME_DIR (else /tmp), mode 0700, removed with everything in it
// (sockets, a temporary state dir) when the owner goes.
#pragma once

#include <string>

#include "common/result.h"

namespace swtee::cli {

class RuntimeDir {
 public:
  // `base` empty: $XDG_RUNTIME_DIR if it is a usable directory, else /tmp.
  static Result<RuntimeDir> create(const std::string& base = "");
  RuntimeDir() = default;
  ~RuntimeDir() { remove(); }
  RuntimeDir(RuntimeDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  RuntimeDir& operator=(RuntimeDir&& o) noexcept;
  RuntimeDir(const RuntimeDir&) = delete;
  RuntimeDir& operator=(const RuntimeDir&) = delete;

  const std::string& path() const { return path_; }
  // Removes the tree now (idempotent).
  void remove();

 private:
  explicit RuntimeDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

// The base directory create() uses when given none.
std::string default_runtime_base();

// rm -r without following symlinks; a missing path is success.
Status remove_tree(const std::string& path);

}  // namespace swtee::cli
