// A memfd the TA fills (or the OS fills) to pass more than an inline
// syscall can carry: TA-to-TA memrefs, large storage reads and writes.
// Created MFD_ALLOW_SEALING so the OS can fix its size before mapping it.
// Move-only; unmaps and closes on destruction.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/shm_file.h"
#include "common/unique_fd.h"

namespace swtee::ta {

class BulkBuffer {
 public:
  // size 0..kMaxSyscallBulk; a 0-byte buffer has an fd but no mapping.
  // ENOMEM/EMFILE when the process cannot make one, EINVAL over the limit.
  [[nodiscard]] static Result<BulkBuffer> create(uint64_t size);

  BulkBuffer(BulkBuffer&&) noexcept = default;
  BulkBuffer& operator=(BulkBuffer&&) noexcept = default;
  BulkBuffer(const BulkBuffer&) = delete;
  BulkBuffer& operator=(const BulkBuffer&) = delete;

  int fd() const { return fd_.get(); }
  uint64_t size() const { return size_; }
  std::span<uint8_t> bytes() const { return {map_.data(), static_cast<size_t>(size_)}; }

 private:
  BulkBuffer(UniqueFd fd, Mapping map, uint64_t size)
      : fd_(std::move(fd)), map_(std::move(map)), size_(size) {}
  UniqueFd fd_;
  Mapping map_;
  uint64_t size_ = 0;
};

}  // namespace swtee::ta
