#include "common/shm_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace swtee {

Result<UniqueFd> create_sealed_memfd(const char* name, uint64_t size) {
  UniqueFd fd(::memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!fd) return Error::from_errno("memfd_create");
  if (size > 0 && ::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) return Error::from_errno("ftruncate");
  if (::fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) != 0)
    return Error::from_errno("F_ADD_SEALS");
  return fd;
}

Status shm_pread(int fd, std::span<uint8_t> out, uint64_t offs, const char* what) {
  while (!out.empty()) {
    ssize_t n = ::pread(fd, out.data(), out.size(), static_cast<off_t>(offs));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("pread", what);
    if (n == 0) return Error{EIO, "pread", what};
    out = out.subspan(static_cast<size_t>(n));
    offs += static_cast<uint64_t>(n);
  }
  return ok_status();
}

Status shm_pwrite(int fd, std::span<const uint8_t> in, uint64_t offs, const char* what) {
  while (!in.empty()) {
    ssize_t n = ::pwrite(fd, in.data(), in.size(), static_cast<off_t>(offs));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("pwrite", what);
    if (n == 0) return Error{EIO, "pwrite", what};
    in = in.subspan(static_cast<size_t>(n));
    offs += static_cast<uint64_t>(n);
  }
  return ok_status();
}

Result<uint64_t> seal_and_size(int fd) {
  int seals = ::fcntl(fd, F_GET_SEALS);
  if (seals < 0) return Error{EINVAL, "not a sealable memfd"};
  if ((seals & kShmRequiredSeals) != kShmRequiredSeals) {
    if (::fcntl(fd, F_ADD_SEALS, kShmRequiredSeals) != 0) return Error{EINVAL, "cannot seal memfd"};
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Error::from_errno("fstat");
  if (!S_ISREG(st.st_mode) || st.st_size < 0) return Error{EINVAL, "not a memfd"};
  return static_cast<uint64_t>(st.st_size);
}

Mapping::Mapping(Mapping&& o) noexcept
    : addr_(std::exchange(o.addr_, nullptr)), size_(std::exchange(o.size_, 0)) {}

Mapping& Mapping::operator=(Mapping&& o) noexcept {
  if (this != &o) {
    reset();
    addr_ = std::exchange(o.addr_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

Result<Mapping> Mapping::map(int fd, uint64_t size, bool writable) {
  Mapping m;
  if (size == 0) return m;
  if (size > SIZE_MAX) return Error{ENOMEM, "mapping too large"};
  int prot = PROT_READ | (writable ? PROT_WRITE : 0);
  void* p = ::mmap(nullptr, static_cast<size_t>(size), prot, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return Error::from_errno("mmap");
  m.addr_ = p;
  m.size_ = static_cast<size_t>(size);
  return m;
}

void Mapping::reset() {
  if (addr_ != nullptr) ::munmap(addr_, size_);
  addr_ = nullptr;
  size_ = 0;
}

}  // namespace swtee
