#include "os/storage/huk.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string>

#include <openssl/crypto.h>

#include "common/log.h"
#include "os/storage/fs_util.h"
#include "os/storage/storage_errors.h"

namespace swtee::os::storage {
namespace {

bool all_zero(Bytes b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t v) { return v == 0; });
}

Status pwrite_all(int fd, Bytes b) {
  size_t done = 0;
  while (done < b.size()) {
    ssize_t n = ::pwrite(fd, b.data() + done, b.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::from_errno("HUK write");
    done += static_cast<size_t>(n);
  }
  return ok_status();
}

}  // namespace

Result<Huk> Huk::from_bytes(Bytes b) {
  if (b.size() != kHukSize) return Error{EINVAL, "HUK size"};
  if (all_zero(b)) return Error{EINVAL, "HUK is all zero"};
  return Huk(SecretKey(b));
}

Result<Huk> Huk::from_fd(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Error::from_errno("HUK fstat");
  if (!S_ISREG(st.st_mode)) return Error{EINVAL, "HUK is not a regular file"};
  if ((st.st_mode & 077) != 0) return Error{EPERM, "HUK file is accessible to group/other"};
  std::array<uint8_t, kHukSize> buf{};
  if (st.st_size == 0) {
    TRY_STATUS(random_bytes(buf));
    TRY_STATUS(pwrite_all(fd, buf));
    if (::fsync(fd) != 0) return Error::from_errno("HUK fsync");
    log::info("storage: created a new hardware-unique key");
  } else if (st.st_size != static_cast<off_t>(kHukSize)) {
    return Error{EINVAL, "HUK file size"};
  } else {
    size_t done = 0;
    while (done < buf.size()) {
      ssize_t n = ::pread(fd, buf.data() + done, buf.size() - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Error::from_errno("HUK read");
      done += static_cast<size_t>(n);
    }
  }
  auto huk = from_bytes(buf);
  OPENSSL_cleanse(buf.data(), buf.size());
  return huk;
}

Result<Huk> Huk::through_fs(FsBackend& fs, std::string_view name) {
  std::array<uint8_t, kHukSize> buf{};
  auto h = fs.open(name);
  if (h.ok()) {
    FileCloser closer(fs, *h);
    ASSIGN_OR_RETURN(size_t got, fs.read(*h, 0, buf));
    if (got != buf.size()) return corrupt("HUK file size");
  } else if (h.error().code == ENOENT) {
    TRY_STATUS(random_bytes(buf));
    // Written under a temporary name and renamed: a torn first write never
    // leaves a short key behind.
    std::string tmp = std::string(name) + ".new";
    ASSIGN_OR_RETURN(FsHandle t, fs.create(tmp));
    {
      FileCloser closer(fs, t);
      TRY_STATUS(fs.write(t, 0, buf));
    }
    TRY_STATUS(fs.rename(tmp, name, false));
    log::warn("storage: HUK kept in the REE FS (development mode): the supplicant's user can read it");
  } else {
    return h.error();
  }
  auto huk = from_bytes(buf);
  OPENSSL_cleanse(buf.data(), buf.size());
  return huk;
}

}  // namespace swtee::os::storage
