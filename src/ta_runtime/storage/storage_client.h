// The TA side of the Storage syscall family (protocol/syscalls/storage_abi.h):
// one function per StorageFn, moving data inline or through a BulkBuffer.
// Results are the OS's TEE_Result; CORRUPT_OBJECT on a handle means the OS
// closed that handle (the caller frees its Object).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "protocol/syscalls/storage_abi.h"
#include "tee_internal_api.h"

namespace swtee::ta::storage {

struct OpenResult {
  uint64_t handle = 0;
  uint64_t data_size = 0;
  std::vector<uint8_t> meta;  // caller wipes (MetaBlob)
};

TEE_Result sys_open(uint32_t storage_id, std::span<const uint8_t> id, uint32_t flags,
                    OpenResult* out) noexcept;
TEE_Result sys_create(uint32_t storage_id, std::span<const uint8_t> id, uint32_t flags,
                      std::span<const uint8_t> meta, std::span<const uint8_t> data,
                      uint64_t* handle) noexcept;
void sys_close(uint64_t handle) noexcept;
// Reads up to out.size() bytes at `pos`; *count = bytes read (fewer only at the end).
TEE_Result sys_read(uint64_t handle, uint64_t pos, std::span<uint8_t> out, size_t* count) noexcept;
TEE_Result sys_write(uint64_t handle, uint64_t pos, std::span<const uint8_t> data) noexcept;
TEE_Result sys_truncate(uint64_t handle, uint64_t size) noexcept;
TEE_Result sys_data_size(uint64_t handle, uint64_t* size) noexcept;
TEE_Result sys_close_and_delete(uint64_t handle) noexcept;
TEE_Result sys_rename(uint64_t handle, std::span<const uint8_t> new_id) noexcept;
TEE_Result sys_set_meta(uint64_t handle, std::span<const uint8_t> meta) noexcept;

struct EnumResult {
  bool end = true;
  std::vector<uint8_t> id;
  uint64_t data_size = 0;
  std::vector<uint8_t> meta_prefix;
};
// The first object after `*cursor` (from the start when `cursor` is null;
// an empty *cursor is the zero-length object id).
TEE_Result sys_enum_next(uint32_t storage_id, const std::vector<uint8_t>* cursor, EnumResult* out) noexcept;

}  // namespace swtee::ta::storage
