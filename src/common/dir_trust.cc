#include "common/dir_trust.h"

#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"

namespace swtee {
namespace {

Status check_one(const std::string& path, const std::string& dir, const char* what, bool is_target) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    Error e = Error::from_errno("stat", path);
    log::error("{} {}: {}", what, dir, e);
    return e;
  }
  if (!S_ISDIR(st.st_mode)) {
    log::error("{} {}: {} is not a directory", what, dir, path);
    return Error{ENOTDIR, "not a directory"};
  }
  const uid_t me = ::geteuid();
  if (st.st_uid != me && st.st_uid != 0) {
    log::error(
        "{} {}: {} is owned by uid {}, not by uid {} (this process) or root; refusing it "
        "(remove it, or chown it to uid {})",
        what, dir, path, st.st_uid, me, me);
    return Error{EPERM, "directory owned by another user"};
  }
  const bool others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  if (others_write && (is_target || (st.st_mode & S_ISVTX) == 0)) {
    log::error("{} {}: {} is writable by group or others (mode {:04o}); refusing it (chmod go-w it)", what,
               dir, path, st.st_mode & 07777);
    return Error{EPERM, "directory writable by others"};
  }
  return ok_status();
}

}  // namespace

Status check_trusted_dir(const std::string& dir, const char* what) {
  if (dir.empty() || dir[0] != '/') {
    log::error("{} '{}' must be an absolute path", what, dir);
    return Error{EINVAL, "directory path not absolute"};
  }
  // Ancestors first, from the root down, then the directory itself.
  for (size_t pos = 1; pos < dir.size(); ++pos) {
    if (dir[pos] != '/') continue;
    TRY_STATUS(check_one(dir.substr(0, pos), dir, what, false));
  }
  TRY_STATUS(check_one("/", dir, what, false));
  std::string target = dir;
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  return check_one(target, dir, what, true);
}

}  // namespace swtee
