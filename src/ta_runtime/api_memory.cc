// GP TEE Internal Core API: memory management (TEE_Malloc & co.) and
// instance data. Every exported function is noexcept.
#include <cstdlib>
#include <cstring>

#include "common/checked_math.h"
#include "ta_runtime/runtime_state.h"
#include "tee_internal_api.h"

using swtee::ta::runtime;

namespace {

constexpr uint32_t kKnownHints = TEE_MALLOC_NO_FILL | TEE_MALLOC_NO_SHARE;

void* ta_malloc(size_t size, uint32_t hint) noexcept {
  if ((hint & ~kKnownHints) != 0) {
    EMSG("TEE_Malloc: unknown hint %#x", hint);
    return nullptr;
  }
  // Size 0 still yields a unique pointer that must not be dereferenced (GP).
  const size_t n = size == 0 ? 1 : size;
  if ((hint & TEE_MALLOC_NO_FILL) != 0) return std::malloc(n);
  return std::calloc(1, n);
}

// Constant time in `size`: the position of the first difference is not
// observable through timing. Result sign as memcmp.
int32_t mem_compare(const void* a, const void* b, size_t size) noexcept {
  if (size == 0) return 0;
  if (a == nullptr || b == nullptr) return a == b ? 0 : (a == nullptr ? -1 : 1);
  const auto* pa = static_cast<const volatile uint8_t*>(a);
  const auto* pb = static_cast<const volatile uint8_t*>(b);
  int32_t result = 0;
  for (size_t i = 0; i < size; ++i) {
    const int32_t diff = static_cast<int32_t>(pa[i]) - static_cast<int32_t>(pb[i]);
    const uint32_t have = (static_cast<uint32_t>(result) | (0u - static_cast<uint32_t>(result))) >> 31;
    result |= diff & static_cast<int32_t>(have - 1u);
  }
  return result;
}

TEE_Result check_access(uint32_t flags, void* buffer, size_t size) noexcept {
  constexpr uint32_t kKnown = TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE | TEE_MEMORY_ACCESS_ANY_OWNER;
  if ((flags & ~kKnown) != 0) return TEE_ERROR_ACCESS_DENIED;
  if (size == 0) return TEE_SUCCESS;
  const auto start = reinterpret_cast<uintptr_t>(buffer);
  if (!swtee::checked_add<uintptr_t>(start, size)) return TEE_ERROR_ACCESS_DENIED;
  if (buffer == nullptr) return TEE_ERROR_ACCESS_DENIED;
  return TEE_SUCCESS;
}

}  // namespace

extern "C" {

void* TEE_Malloc(size_t size, uint32_t hint) { return ta_malloc(size, hint); }
void* __GP11_TEE_Malloc(uint32_t size, uint32_t hint) { return ta_malloc(size, hint); }

void* TEE_Realloc(void* buffer, size_t newSize) {
  return std::realloc(buffer, newSize == 0 ? 1 : newSize);
}
void* __GP11_TEE_Realloc(void* buffer, uint32_t newSize) { return TEE_Realloc(buffer, newSize); }

void TEE_Free(void* buffer) { std::free(buffer); }

void* TEE_MemMove(void* dest, const void* src, size_t size) {
  if (size == 0) return dest;
  return std::memmove(dest, src, size);
}
void* __GP11_TEE_MemMove(void* dest, const void* src, uint32_t size) { return TEE_MemMove(dest, src, size); }

int32_t TEE_MemCompare(const void* buffer1, const void* buffer2, size_t size) {
  return mem_compare(buffer1, buffer2, size);
}
int32_t __GP11_TEE_MemCompare(const void* buffer1, const void* buffer2, uint32_t size) {
  return mem_compare(buffer1, buffer2, size);
}

void TEE_MemFill(void* buffer, uint32_t x, size_t size) {
  if (size != 0) std::memset(buffer, static_cast<uint8_t>(x), size);
}
void __GP11_TEE_MemFill(void* buffer, uint32_t x, uint32_t size) { TEE_MemFill(buffer, x, size); }

TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags, void* buffer, size_t size) {
  return check_access(accessFlags, buffer, size);
}
TEE_Result __GP11_TEE_CheckMemoryAccessRights(uint32_t accessFlags, void* buffer, uint32_t size) {
  return check_access(accessFlags, buffer, size);
}

void TEE_SetInstanceData(const void* instanceData) { runtime().instance_data = instanceData; }
const void* TEE_GetInstanceData(void) { return runtime().instance_data; }

}  // extern "C"
