#include "cli/file_io.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/unique_fd.h"

namespace swtee::cli {

Result<std::vector<uint8_t>> read_file(const std::string& path, uint64_t max_size) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno("open");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno("fstat");
  if (!S_ISREG(st.st_mode)) return Error{EINVAL, "not a regular file"};
  if (static_cast<uint64_t>(st.st_size) > max_size) return Error{EFBIG, "file too large"};
  std::vector<uint8_t> buf(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < buf.size()) {
    ssize_t n = ::read(fd.get(), buf.data() + done, buf.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("read");
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  buf.resize(done);
  return buf;
}

Status write_file_atomic(const std::string& path, std::span<const uint8_t> data, unsigned mode, bool exclusive) {
  std::string tmp = path + ".tmp-XXXXXX";
  UniqueFd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (!fd) return Error::from_errno("mkostemp");
  struct Unlink {
    std::string* p;
    ~Unlink() {
      if (p) ::unlink(p->c_str());
    }
  } guard{&tmp};
  if (::fchmod(fd.get(), mode) != 0) return Error::from_errno("fchmod");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("write");
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return Error::from_errno("fsync");
  fd.reset();
  const unsigned flags = exclusive ? RENAME_NOREPLACE : 0;
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), flags) != 0) return Error::from_errno("rename");
  guard.p = nullptr;
  return ok_status();
}

}  // namespace swtee::cli
