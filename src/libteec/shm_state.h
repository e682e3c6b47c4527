// The library side of one TEEC_SharedMemory block.
//
// Three kinds, all backed by a swteed shm id:
//  - Allocated: no copy on this side. SHM_ALLOC's sealed memfd is mapped
//    and the mapping is the client's `buffer` (the TA gets a copy of each
//    memref: os/ta_manager/memref_windows.h).
//  - Shadowed (TEEC_RegisterSharedMemory): swteed cannot pin another
//    process's pages, so the caller's buffer is shadowed by an allocated
//    memfd; memrefs copy into it before and out of it after each call, for
//    the directions and the range the memref uses.
//  - FdRegistered (TEEC_RegisterSharedMemoryFileDescriptor): the caller's
//    own memfd, registered with SHM_REGISTER_FD; nothing mapped here.
//
// Size, flags and the caller's buffer are snapshotted at registration. The
// size here bounds every memref; a call reads the public struct's `size` and
// `flags` again, as OP-TEE does (operation_marshal.cc), and refuses a size
// beyond this one. The destructor unmaps and releases the id. Holds its
// context alive.
#pragma once

#include <cstdint>
#include <memory>

#include "common/result.h"
#include "common/shm_file.h"
#include "libteec/context_state.h"

namespace swtee::teec {

enum class ShmKind : uint8_t { Allocated, Shadowed, FdRegistered };

class ShmState {
 public:
  // `size` 0 is allocated as 8 bytes (OP-TEE); size() stays 0.
  static Result<std::shared_ptr<ShmState>> allocate(std::shared_ptr<ContextState> ctx, uint64_t size,
                                                    uint32_t flags);
  static Result<std::shared_ptr<ShmState>> shadow(std::shared_ptr<ContextState> ctx, void* user_buffer,
                                                  uint64_t size, uint32_t flags);
  // The caller keeps `fd`; swteed takes its own reference.
  static Result<std::shared_ptr<ShmState>> register_fd(std::shared_ptr<ContextState> ctx, int fd,
                                                       uint32_t flags);
  ~ShmState();
  ShmState(const ShmState&) = delete;
  ShmState& operator=(const ShmState&) = delete;

  const ContextState* context() const { return ctx_.get(); }
  int id() const { return id_; }
  ShmKind kind() const { return kind_; }
  uint64_t size() const { return size_; }
  uint32_t flags() const { return flags_; }
  // Allocated: the client's buffer. Shadowed: the shadow. Else nullptr.
  uint8_t* mapped() const { return map_.data(); }
  size_t mapped_size() const { return map_.size(); }
  // Shadowed: the caller's registered buffer. Else nullptr.
  uint8_t* user_buffer() const { return user_; }

  // Shadowed only (no-ops otherwise): copy [offset, offset+len) between the
  // caller's buffer and the shadow. The range was validated against size().
  void copy_in(uint64_t offset, uint64_t len) const;
  void copy_out(uint64_t offset, uint64_t len) const;

 private:
  ShmState(std::shared_ptr<ContextState> ctx, int id, ShmKind kind, uint64_t size, uint32_t flags,
           Mapping map, uint8_t* user);

  std::shared_ptr<ContextState> ctx_;
  int id_;
  ShmKind kind_;
  uint64_t size_;
  uint32_t flags_;
  Mapping map_;
  uint8_t* user_;
};

}  // namespace swtee::teec
