#include "cli/state_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string>

#include "cli/state_keys.h"
#include "common/dir_trust.h"
#include "common/unique_fd.h"
#include "protocol/guest_storage.h"

namespace swtee::cli {
namespace {

Status mkdir_p(const std::string& dir, mode_t mode) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    const std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), mode) != 0 && errno != EEXIST) return Error::from_errno("mkdir");
  }
  return ok_status();
}

// VERSION's content, or ENOENT.
Result<std::string> read_version(const std::string& dir) {
  UniqueFd fd(::open((dir + "/" + kStateVersionFile).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return Error::from_errno("open VERSION");
  char buf[32];
  ssize_t n = ::read(fd.get(), buf, sizeof(buf));
  if (n < 0) return Error::from_errno("read VERSION");
  return std::string(buf, static_cast<size_t>(n));
}

Status write_version(const std::string& dir) {
  const std::string tmp = dir + "/" + kStateVersionFile + ".new";
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return Error::from_errno("create VERSION");
  const std::string text = std::to_string(kStateFormat) + "\n";
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::fsync(fd.get()) != 0)
    return Error::from_errno("write VERSION");
  if (::rename(tmp.c_str(), (dir + "/" + kStateVersionFile).c_str()) != 0)
    return Error::from_errno("rename VERSION");
  return ok_status();
}

Status check(const std::string& dir, bool create) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return Error::from_errno("state dir");
  if (!S_ISDIR(st.st_mode)) return Error{ENOTDIR, "state dir is not a directory"};
  TRY_STATUS(check_trusted_dir(dir, "state dir"));
  if ((st.st_mode & 077) != 0) return Error{EPERM, "state dir is accessible to group/other (chmod 700 it)"};
  auto v = read_version(dir);
  if (v.ok() && *v == std::to_string(kStateFormat) + "\n") return ok_status();
  if (!v.ok() && v.error().code != ENOENT) return v.error();
  // No VERSION: new, or written before VERSION existed (format 1).
  const bool format1 = !v.ok() || *v == "1\n";
  if (!format1) return Error{EPROTO, "unsupported state dir format (VERSION)"};
  if (state_has_storage(dir))
    return Error{
        EPROTO,
        "format 1 (written by an older swtee) holds objects this version cannot read: `swtee storage "
        "wipe` deletes them and upgrades the directory"};
  if (!create) return ok_status();
  return write_version(dir);
}

}  // namespace

Status prepare_state_dir(const std::string& dir) {
  TRY_STATUS(mkdir_p(dir, 0700));
  return check(dir, true);
}

Status check_state_dir(const std::string& dir) { return check(dir, false); }

Status stamp_state_dir(const std::string& dir) { return write_version(dir); }

std::vector<uint32_t> state_guests(const std::string& dir) {
  std::vector<uint32_t> ids;
  std::error_code ec;
  const std::filesystem::path root = std::filesystem::path(dir) / guests::kGuestsDir;
  for (auto it = std::filesystem::directory_iterator(root, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!it->is_directory() || name.empty() || name.size() > 5 || name[0] == '0' ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    const unsigned long n = std::stoul(name);
    if (n >= 1 && n <= 65535) ids.push_back(static_cast<uint32_t>(n));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace swtee::cli
