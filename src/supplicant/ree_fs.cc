#include "supplicant/ree_fs.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>

#include "common/checked_math.h"
#include "protocol/gp_results.h"
#include "protocol/optee_rpc_cmd.h"
#include "supplicant/ree_fs_path.h"

namespace swtee::supp {
namespace {

constexpr int kMaxMissingParents = 2;  // tee-supplicant's CREATE behaviour

int openat_beneath(int dirfd, const std::string& path, int flags, mode_t mode = 0) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags) | O_CLOEXEC;
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  for (;;) {
    long r = ::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof(how));
    if (r >= 0 || errno != EINTR) return static_cast<int>(r);
  }
}

bool fits_off_t(uint64_t v) { return v <= static_cast<uint64_t>(std::numeric_limits<off_t>::max()); }

// Random bits for the handle tag: getrandom, else the clock (a tag only has
// to differ from the previous instance's).
uint64_t random_u64() {
  uint64_t v = 0;
  if (::getrandom(&v, sizeof(v), 0) == static_cast<ssize_t>(sizeof(v))) return v;
  timespec t{};
  ::clock_gettime(CLOCK_BOOTTIME, &t);
  return (static_cast<uint64_t>(t.tv_sec) * 1000000000ull + static_cast<uint64_t>(t.tv_nsec)) ^
         (static_cast<uint64_t>(::getpid()) << 40);
}

uint64_t handle_tag(uint64_t bits) {
  const uint64_t tag = bits >> optee::kFsHandleTagShift;
  return tag != 0 ? tag : 1;
}

}  // namespace

uint32_t teec_from_errno(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return kTeeErrorItemNotFound;
    case ENOSPC:
    case EDQUOT:
      return kTeeErrorStorageNoSpace;
    case EEXIST:
    case ENOTEMPTY:
      return kTeeErrorAccessConflict;
    case EACCES:
    case EPERM:
    case EROFS:
    case ELOOP:
    case EXDEV:
      return kTeeErrorAccessDenied;
    case ENOMEM:
    case EMFILE:
    case ENFILE:
      return kTeeErrorOutOfMemory;
    case EINVAL:
    case EFBIG:
    case ENAMETOOLONG:
    case EISDIR:
      return kTeeErrorBadParameters;
    case EBUSY:
      return kTeeErrorBusy;
    default:
      return kTeeErrorGeneric;
  }
}

Status make_dirs(const std::string& path, unsigned mode) {
  if (path.empty()) return Error{EINVAL, "empty directory path"};
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    std::string prefix = path.substr(0, pos);
    if (prefix.empty() || prefix == "/") continue;
    bool last = pos == std::string::npos;
    if (::mkdir(prefix.c_str(), last ? mode : 0755) != 0 && errno != EEXIST)
      return Error::from_errno("mkdir");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error::from_errno("stat");
  if (!S_ISDIR(st.st_mode)) return Error{ENOTDIR, "not a directory"};
  return ok_status();
}

ReeFs::Dir::~Dir() {
  if (dir != nullptr) ::closedir(dir);
}

ReeFs::ReeFs(ReeFsOptions opts) : opts_(std::move(opts)), tag_(handle_tag(random_u64())) {
  MutexLock l(mu_);
  next_count_ = static_cast<uint32_t>(random_u64());
}

ReeFsHandle ReeFs::next_handle() {
  // Both tables hold at most a few hundred handles: a count in use is
  // skipped, and a wrap (after 2^32 opens) only revisits counts long closed.
  for (;;) {
    const ReeFsHandle h = (tag_ << optee::kFsHandleTagShift) | next_count_++;
    if (files_.count(h) == 0 && dirs_.count(h) == 0) return h;
  }
}
ReeFs::~ReeFs() = default;

uint32_t ReeFs::root(int* fd) {
  if (!root_) {
    if (!make_dirs(opts_.root, 0700).ok()) return kTeeErrorStorageNotAvailable;
    UniqueFd r(::open(opts_.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!r) return kTeeErrorStorageNotAvailable;
    root_ = std::move(r);
  }
  *fd = root_.get();
  return kTeeSuccess;
}

uint32_t ReeFs::resolve_parent(std::string_view name, bool make_parents, Parent* out) {
  auto parts = split_fs_name(name);
  if (!parts) return kTeeErrorBadParameters;
  int rootfd = -1;
  if (uint32_t r = root(&rootfd); r != kTeeSuccess) return r;
  UniqueFd cur(::fcntl(rootfd, F_DUPFD_CLOEXEC, 0));
  if (!cur) return teec_from_errno(errno);
  int missing = 0;
  for (size_t i = 0; i + 1 < parts->size(); ++i) {
    const std::string& comp = (*parts)[i];
    int fd = openat_beneath(cur.get(), comp, O_RDONLY | O_DIRECTORY);
    if (fd < 0 && errno == ENOENT && make_parents && missing < kMaxMissingParents) {
      ++missing;
      if (::mkdirat(cur.get(), comp.c_str(), 0700) != 0 && errno != EEXIST) return teec_from_errno(errno);
      sync_dir(cur.get());
      fd = openat_beneath(cur.get(), comp, O_RDONLY | O_DIRECTORY);
    }
    if (fd < 0) return teec_from_errno(errno);
    cur.reset(fd);
  }
  out->dirfd = std::move(cur);
  out->base = parts->back();
  return kTeeSuccess;
}

void ReeFs::sync_dir(int dirfd) const {
  if (!opts_.fast_storage) (void)::fsync(dirfd);
}

uint32_t ReeFs::open_common(std::string_view name, bool create, ReeFsHandle* handle) {
  MutexLock l(mu_);
  if (files_.size() >= opts_.max_files) return kTeeErrorOutOfMemory;
  Parent p;
  if (uint32_t r = resolve_parent(name, create, &p); r != kTeeSuccess) return r;
  // O_DSYNC: each write is durable with what is needed to read it back (size,
  // allocation), without a journal commit for mtime alone (O_SYNC).
  const int sync = opts_.fast_storage ? 0 : O_DSYNC;
  const int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | sync | (create ? (O_CREAT | O_TRUNC) : 0);
  UniqueFd fd(::openat(p.dirfd.get(), p.base.c_str(), flags, 0600));
  if (!fd && !create && errno == EROFS)  // read-only file system: read-only handle
    fd.reset(::openat(p.dirfd.get(), p.base.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return teec_from_errno(errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return teec_from_errno(errno);
  if (!S_ISREG(st.st_mode)) return kTeeErrorAccessDenied;
  if (create) sync_dir(p.dirfd.get());
  auto f = std::make_shared<File>();
  f->fd = std::move(fd);
  const ReeFsHandle h = next_handle();
  files_.emplace(h, std::move(f));
  *handle = h;
  return kTeeSuccess;
}

uint32_t ReeFs::open(std::string_view name, ReeFsHandle* handle) { return open_common(name, false, handle); }
uint32_t ReeFs::create(std::string_view name, ReeFsHandle* handle) { return open_common(name, true, handle); }

uint32_t ReeFs::close(ReeFsHandle handle) {
  MutexLock l(mu_);
  return files_.erase(handle) == 1 ? kTeeSuccess : kTeeErrorBadParameters;
}

std::shared_ptr<ReeFs::File> ReeFs::file(ReeFsHandle handle) {
  MutexLock l(mu_);
  auto it = files_.find(handle);
  return it == files_.end() ? nullptr : it->second;
}

uint32_t ReeFs::read(ReeFsHandle handle, uint64_t offset, std::span<uint8_t> out, size_t* got) {
  *got = 0;
  auto f = file(handle);
  if (!f) return kTeeErrorBadParameters;
  if (!fits_off_t(offset) || !range_fits(offset, out.size(), std::numeric_limits<off_t>::max()))
    return kTeeErrorBadParameters;
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(f->fd.get(), out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return teec_from_errno(errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  *got = done;
  return kTeeSuccess;
}

uint32_t ReeFs::write(ReeFsHandle handle, uint64_t offset, std::span<const uint8_t> in) {
  auto f = file(handle);
  if (!f) return kTeeErrorBadParameters;
  if (!fits_off_t(offset) || !range_fits(offset, in.size(), std::numeric_limits<off_t>::max()))
    return kTeeErrorBadParameters;
  size_t done = 0;
  while (done < in.size()) {
    ssize_t n = ::pwrite(f->fd.get(), in.data() + done, in.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return teec_from_errno(errno);
    }
    done += static_cast<size_t>(n);
  }
  return kTeeSuccess;
}

uint32_t ReeFs::truncate(ReeFsHandle handle, uint64_t length) {
  auto f = file(handle);
  if (!f) return kTeeErrorBadParameters;
  if (!fits_off_t(length)) return kTeeErrorBadParameters;
  if (::ftruncate(f->fd.get(), static_cast<off_t>(length)) != 0) return teec_from_errno(errno);
  if (!opts_.fast_storage) (void)::fdatasync(f->fd.get());
  return kTeeSuccess;
}

uint32_t ReeFs::remove(std::string_view name) {
  MutexLock l(mu_);
  Parent p;
  if (uint32_t r = resolve_parent(name, false, &p); r != kTeeSuccess) return r;
  if (::unlinkat(p.dirfd.get(), p.base.c_str(), 0) != 0) return teec_from_errno(errno);
  sync_dir(p.dirfd.get());
  // Drop the parent directory if this left it empty (tee-supplicant does).
  const size_t slash = name.rfind('/');
  if (slash != std::string_view::npos) {
    Parent pp;
    if (resolve_parent(name.substr(0, slash), false, &pp) == kTeeSuccess &&
        ::unlinkat(pp.dirfd.get(), pp.base.c_str(), AT_REMOVEDIR) == 0)
      sync_dir(pp.dirfd.get());
  }
  return kTeeSuccess;
}

uint32_t ReeFs::rename(std::string_view from, std::string_view to, bool overwrite) {
  MutexLock l(mu_);
  Parent a, b;
  if (uint32_t r = resolve_parent(from, false, &a); r != kTeeSuccess) return r;
  if (uint32_t r = resolve_parent(to, false, &b); r != kTeeSuccess) return r;
  const unsigned flags = overwrite ? 0 : RENAME_NOREPLACE;
  if (::renameat2(a.dirfd.get(), a.base.c_str(), b.dirfd.get(), b.base.c_str(), flags) != 0)
    return teec_from_errno(errno);
  sync_dir(b.dirfd.get());
  sync_dir(a.dirfd.get());
  return kTeeSuccess;
}

uint32_t ReeFs::opendir(std::string_view name, ReeFsHandle* handle) {
  MutexLock l(mu_);
  if (dirs_.size() >= opts_.max_dirs) return kTeeErrorOutOfMemory;
  UniqueFd fd;
  if (name.empty()) {
    int rootfd = -1;
    if (uint32_t r = root(&rootfd); r != kTeeSuccess) return r;
    fd.reset(openat_beneath(rootfd, ".", O_RDONLY | O_DIRECTORY));
  } else {
    Parent p;
    if (uint32_t r = resolve_parent(name, false, &p); r != kTeeSuccess) return r;
    fd.reset(openat_beneath(p.dirfd.get(), p.base, O_RDONLY | O_DIRECTORY));
  }
  if (!fd) return teec_from_errno(errno);
  auto d = std::make_unique<Dir>();
  d->dir = ::fdopendir(fd.get());
  if (d->dir == nullptr) return teec_from_errno(errno);
  (void)fd.release();  // now owned by d->dir
  const ReeFsHandle h = next_handle();
  dirs_.emplace(h, std::move(d));
  *handle = h;
  return kTeeSuccess;
}

uint32_t ReeFs::closedir(ReeFsHandle handle) {
  MutexLock l(mu_);
  return dirs_.erase(handle) == 1 ? kTeeSuccess : kTeeErrorBadParameters;
}

uint32_t ReeFs::readdir(ReeFsHandle handle, std::span<uint8_t> out, size_t* size) {
  MutexLock l(mu_);
  *size = 0;
  auto it = dirs_.find(handle);
  if (it == dirs_.end()) return kTeeErrorBadParameters;
  DIR* d = it->second->dir;
  for (;;) {
    const long pos = ::telldir(d);
    errno = 0;
    const dirent* e = ::readdir(d);
    if (e == nullptr) return errno == 0 ? kTeeErrorItemNotFound : teec_from_errno(errno);
    if (e->d_name[0] == '.') continue;
    const size_t need = std::strlen(e->d_name) + 1;
    *size = need;
    if (out.size() < need) {
      ::seekdir(d, pos);  // keep the entry for the retry with a larger buffer
      return kTeeErrorShortBuffer;
    }
    std::memcpy(out.data(), e->d_name, need);
    return kTeeSuccess;
  }
}

size_t ReeFs::open_files() const {
  MutexLock l(mu_);
  return files_.size();
}

size_t ReeFs::open_dirs() const {
  MutexLock l(mu_);
  return dirs_.size();
}

}  // namespace swtee::supp
