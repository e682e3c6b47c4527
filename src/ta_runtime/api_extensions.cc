// OP-TEE's memory-related TA extensions (tee_internal_api_extensions.h):
// cache maintenance, zero-initialised mappings and UUID parsing. The heap
// mark/check pair lives with the heap accounting in api_memory.cc.
#include <sys/mman.h>

#include <cstdint>
#include <cstdio>

#include "common/checked_math.h"
#include "common/uuid.h"
#include "tee_internal_api.h"
#include "tee_internal_api_extensions.h"

namespace {

// The TA and its buffers live in ordinary process memory: there is no
// cache to maintain, only the contract that the range is TA-accessible.
TEE_Result cache_op(char* buf, size_t len) noexcept {
  return TEE_CheckMemoryAccessRights(
      TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE | TEE_MEMORY_ACCESS_ANY_OWNER, buf, len);
}

void* map_zi(void* hint, size_t len, uint32_t flags, bool fixed) noexcept {
  if (len == 0 || (flags & ~uint32_t{TEE_MEMORY_ACCESS_ANY_OWNER}) != 0) return nullptr;
  int mflags = MAP_PRIVATE | MAP_ANONYMOUS;
  if (fixed) mflags |= MAP_FIXED_NOREPLACE;  // never clobber an existing mapping
  void* p = ::mmap(hint, len, PROT_READ | PROT_WRITE, mflags, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  if (fixed && p != hint) {  // kernels without MAP_FIXED_NOREPLACE treat it as a hint
    ::munmap(p, len);
    return nullptr;
  }
  return p;
}

}  // namespace

extern "C" {

TEE_Result TEE_CacheClean(char* buf, size_t len) { return cache_op(buf, len); }
TEE_Result TEE_CacheFlush(char* buf, size_t len) { return cache_op(buf, len); }
TEE_Result TEE_CacheInvalidate(char* buf, size_t len) { return cache_op(buf, len); }
TEE_Result __GP11_TEE_CacheClean(char* buf, uint32_t len) { return cache_op(buf, len); }
TEE_Result __GP11_TEE_CacheFlush(char* buf, uint32_t len) { return cache_op(buf, len); }
TEE_Result __GP11_TEE_CacheInvalidate(char* buf, uint32_t len) { return cache_op(buf, len); }

void* tee_map_zi(size_t len, uint32_t flags) { return map_zi(nullptr, len, flags, false); }

void* tee_map_zi_va(uintptr_t va, size_t len, uint32_t flags) {
  if (va == 0) return nullptr;
  return map_zi(reinterpret_cast<void*>(va), len, flags, true);
}

TEE_Result tee_unmap(void* buf, size_t len) {
  if (buf == nullptr || len == 0) return TEE_ERROR_BAD_PARAMETERS;
  if (!swtee::checked_add<uintptr_t>(reinterpret_cast<uintptr_t>(buf), len)) return TEE_ERROR_BAD_PARAMETERS;
  return ::munmap(buf, len) == 0 ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
}

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", either case, nothing after it.
TEE_Result tee_uuid_from_str(TEE_UUID* uuid, const char* s) {
  if (uuid == nullptr || s == nullptr) return TEE_ERROR_BAD_PARAMETERS;
  const auto u = swtee::Uuid::parse(s);
  if (!u) return TEE_ERROR_BAD_FORMAT;
  *uuid = swtee::uuid_to_gp<TEE_UUID>(*u);
  return TEE_SUCCESS;
}

}  // extern "C"
