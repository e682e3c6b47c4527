// Memfd-backed shared memory and its mappings.
//
// Every shared-memory object in swtee is a memfd that is zero-filled (fresh
// memfd pages are zero) and sealed with F_SEAL_SHRINK | F_SEAL_GROW before
// any other process can map it, so no peer can make another take SIGBUS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee {

// Seals every shm memfd must carry before a peer maps it.
inline constexpr int kShmRequiredSeals = 0x0002 /*F_SEAL_SHRINK*/ | 0x0004 /*F_SEAL_GROW*/;

// Creates a memfd of `size` bytes (size may be 0), sealed against shrink/grow
// and against further sealing changes of those bits. CLOEXEC.
Result<UniqueFd> create_sealed_memfd(const char* name, uint64_t size);

// Checks that `fd` is a memfd whose size is fixed: it must already carry
// kShmRequiredSeals, or allow adding them (then they are added). Returns the
// size. Anything else (a regular file, a pipe, a memfd sealed against sealing
// but growable) is EINVAL.
Result<uint64_t> seal_and_size(int fd);

// Copies a whole range out of / into a memfd at `offs` (pread/pwrite until
// done, EINTR retried). A short file is EIO; `what` names the range in
// errors.
Status shm_pread(int fd, std::span<uint8_t> out, uint64_t offs, const char* what);
Status shm_pwrite(int fd, std::span<const uint8_t> in, uint64_t offs, const char* what);

// Move-only owner of an mmap'ed region.
class Mapping {
 public:
  Mapping() = default;
  ~Mapping() { reset(); }
  Mapping(Mapping&& o) noexcept;
  Mapping& operator=(Mapping&& o) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  // Maps [0, size) of fd shared, read-write or read-only. size 0 gives an
  // empty, valid mapping with data() == nullptr.
  static Result<Mapping> map(int fd, uint64_t size, bool writable = true);

  uint8_t* data() const { return static_cast<uint8_t*>(addr_); }
  size_t size() const { return size_; }
  std::span<uint8_t> bytes() const { return {data(), size_}; }
  void reset();

 private:
  void* addr_ = nullptr;
  size_t size_ = 0;
};

}  // namespace swtee
