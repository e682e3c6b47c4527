// GP TEE Internal Core API: memory management (TEE_Malloc & co.), access
// rights and instance data. Every exported function is noexcept.
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common/checked_math.h"
#include "ta_runtime/heap_account.h"
#include "ta_runtime/memory_probe.h"
#include "ta_runtime/runtime_state.h"
#include "ta_runtime/shared_ranges.h"
#include "tee_api_defines_extensions.h"
#include "tee_internal_api.h"
#include "tee_internal_api_extensions.h"

using swtee::ta::runtime;

namespace swtee::ta {

HeapAccount& heap_account() {
  static HeapAccount a;
  return a;
}

size_t heap_limit() {
  const struct swtee_ta_info* info = runtime().info;
  return info != nullptr ? info->data_size : SIZE_MAX;
}

}  // namespace swtee::ta

namespace {

using swtee::ta::heap_account;
using swtee::ta::heap_limit;
using swtee::ta::RangeOwner;
using swtee::ta::SharedRange;

// GP hints plus OP-TEE's legacy "no fill" hint. Other values: NULL (as
// OP-TEE; GP reserves them). NO_FILL alone panics, as in OP-TEE's
// TEE_Malloc (only NO_FILL | NO_SHARE, or the legacy hint, skip the fill).
// NO_SHARE needs no special placement: every TEE_Malloc block is private to
// the TA process, and TA-to-TA memrefs are copied into separate bulk
// buffers, never mapped from the TA's heap. (OP-TEE answers NULL to
// NO_SHARE unless the TA set TA_NO_SHARE_DATA_SIZE; here it always has
// memory.)
constexpr uint32_t kKnownHints = TEE_MALLOC_NO_FILL | TEE_MALLOC_NO_SHARE;

bool fits_heap(size_t freed, size_t wanted) noexcept {
  const size_t base = heap_account().used >= freed ? heap_account().used - freed : 0;
  const auto total = swtee::checked_add<size_t>(base, wanted);
  return total && *total <= heap_limit();
}

void charge(void* p) noexcept { heap_account().used += ::malloc_usable_size(p); }

void credit(void* p) noexcept {
  const size_t n = ::malloc_usable_size(p);
  // A TA may TEE_Free() a pointer it got from plain malloc (OP-TEE allows
  // it: same heap). Never underflow.
  heap_account().used = heap_account().used >= n ? heap_account().used - n : 0;
}

// TEE_Malloc(0): OP-TEE's non-NULL pointers that fault when touched (the
// first page is never mapped), one per sharing hint. TEE_Free ignores them
// and TEE_Realloc treats them as NULL.
void* const kNullSizedVa = reinterpret_cast<void*>(uintptr_t{1});
void* const kNullSizedNoShareVa = reinterpret_cast<void*>(uintptr_t{2});

bool is_null_sized(const void* p) noexcept { return p == kNullSizedVa || p == kNullSizedNoShareVa; }

void* ta_malloc(size_t size, uint32_t hint) noexcept {
  if (hint == TEE_MALLOC_NO_FILL) TEE_Panic(0);
  bool fill = (hint & TEE_MALLOC_NO_FILL) == 0;
  if (hint == TEE_USER_MEM_HINT_NO_FILL_ZERO) {
    fill = false;
  } else if ((hint & ~kKnownHints) != 0) {
    EMSG("TEE_Malloc: unknown hint %#x", hint);
    return nullptr;
  }
  if (size == 0) return (hint & TEE_MALLOC_NO_SHARE) != 0 ? kNullSizedNoShareVa : kNullSizedVa;
  const size_t n = size;
  if (!fits_heap(0, n)) return nullptr;
  void* p = fill ? std::calloc(1, n) : std::malloc(n);
  if (p == nullptr) return nullptr;
  if (!fits_heap(0, ::malloc_usable_size(p))) {  // allocator slack crossed the limit
    std::free(p);
    return nullptr;
  }
  charge(p);
  return p;
}

// GP: NULL buffer acts as TEE_Malloc(newSize, FILL_ZERO); on failure the
// old block is untouched and NULL is returned. Grown bytes are zeroed so no
// stale heap content reaches the TA.
void* ta_realloc(void* buffer, size_t new_size) noexcept {
  if (buffer == nullptr || is_null_sized(buffer)) return ta_malloc(new_size, TEE_MALLOC_FILL_ZERO);
  if (new_size == 0) {  // as OP-TEE: the block goes, the null-sized pointer comes back
    credit(buffer);
    std::free(buffer);
    return kNullSizedVa;
  }
  const size_t n = new_size;
  const size_t old = ::malloc_usable_size(buffer);
  if (!fits_heap(old, n)) return nullptr;
  void* p = std::realloc(buffer, n);
  if (p == nullptr) return nullptr;
  const size_t usable = ::malloc_usable_size(p);
  heap_account().used = (heap_account().used >= old ? heap_account().used - old : 0) + usable;
  if (n > old) std::memset(static_cast<uint8_t*>(p) + old, 0, n - old);
  return p;
}

void ta_free(void* buffer) noexcept {
  if (buffer == nullptr || is_null_sized(buffer)) return;
  credit(buffer);
  std::free(buffer);
}

// Constant time in `size`: the position of the first difference is not
// observable through timing. Result sign as memcmp.
int32_t mem_compare(const void* a, const void* b, size_t size) noexcept {
  if (size == 0) return 0;
  if (a == nullptr || b == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
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

// The instance's shared memory (the parameter page, then the channel
// block) is the OS's: registered on first use (the runtime maps it before
// any entry point runs). The TA's own code may only read it.
void register_os_pages() noexcept {
  static const void* registered = nullptr;
  const void* page = runtime().page;
  if (page == nullptr || page == registered) return;
  if (swtee::ta::shared_ranges()
          .add(page, swtee::tachan::kInstanceShmSize, /*writable=*/false, RangeOwner::Os)
          .ok())
    registered = page;
}

// A part of the range that lies in a registered shared range.
bool shared_part_ok(const SharedRange& r, uint32_t flags) noexcept {
  if ((flags & TEE_MEMORY_ACCESS_ANY_OWNER) == 0) return false;  // GP: not the TA's own
  if ((flags & TEE_MEMORY_ACCESS_WRITE) != 0 && !r.writable) return false;
  const bool nonsecure = r.owner == RangeOwner::Client;
  if ((flags & TEE_MEMORY_ACCESS_SECURE) != 0 && nonsecure) return false;
  if ((flags & TEE_MEMORY_ACCESS_NONSECURE) != 0 && !nonsecure) return false;
  return true;
}

// GP 1.3.1 TEE_CheckMemoryAccessRights: every byte must allow the access;
// without ANY_OWNER no byte may be shared with a client or another TA.
// OP-TEE's SECURE/NONSECURE extensions: NONSECURE = client memory only,
// SECURE = no client memory. As in OP-TEE, an empty range is SUCCESS
// whatever the flags, and flag bits nobody defines are ignored.
TEE_Result check_access(uint32_t flags, const void* buffer, size_t size) noexcept {
  if (size == 0) return TEE_SUCCESS;
  if ((flags & TEE_MEMORY_ACCESS_SECURE) != 0 && (flags & TEE_MEMORY_ACCESS_NONSECURE) != 0)
    return TEE_ERROR_ACCESS_DENIED;
  const auto start = reinterpret_cast<uintptr_t>(buffer);
  const auto end = swtee::checked_add<uintptr_t>(start, size);
  if (!end || buffer == nullptr) return TEE_ERROR_ACCESS_DENIED;
  register_os_pages();
  const bool write = (flags & TEE_MEMORY_ACCESS_WRITE) != 0;
  uintptr_t at = start;
  while (at < *end) {
    const auto shared = swtee::ta::shared_ranges().first_overlap(at, *end);
    if (shared && shared->start <= at) {
      if (!shared_part_ok(*shared, flags)) return TEE_ERROR_ACCESS_DENIED;
      at = shared->end() < *end ? shared->end() : *end;
      continue;
    }
    // TA-private memory up to the next shared range (or the end).
    const uintptr_t stop = shared ? shared->start : *end;
    if ((flags & TEE_MEMORY_ACCESS_NONSECURE) != 0) return TEE_ERROR_ACCESS_DENIED;
    if (!swtee::ta::probe_memory(at, stop - at, write)) return TEE_ERROR_ACCESS_DENIED;
    at = stop;
  }
  return TEE_SUCCESS;
}

void* mem_move(void* dest, const void* src, size_t size) noexcept {
  if (size == 0) return dest;
  if (dest == nullptr || src == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  return std::memmove(dest, src, size);
}

void mem_fill(void* buffer, uint32_t x, size_t size) noexcept {
  if (size == 0) return;
  if (buffer == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  std::memset(buffer, static_cast<uint8_t>(x), size);
}

}  // namespace

extern "C" {

void* TEE_Malloc(size_t size, uint32_t hint) { return ta_malloc(size, hint); }
void* __GP11_TEE_Malloc(uint32_t size, uint32_t hint) { return ta_malloc(size, hint); }

void* TEE_Realloc(void* buffer, size_t newSize) { return ta_realloc(buffer, newSize); }
void* __GP11_TEE_Realloc(void* buffer, uint32_t newSize) { return ta_realloc(buffer, newSize); }

void TEE_Free(void* buffer) { ta_free(buffer); }

void* TEE_MemMove(void* dest, const void* src, size_t size) { return mem_move(dest, src, size); }
void* __GP11_TEE_MemMove(void* dest, const void* src, uint32_t size) { return mem_move(dest, src, size); }

int32_t TEE_MemCompare(const void* buffer1, const void* buffer2, size_t size) {
  return mem_compare(buffer1, buffer2, size);
}
int32_t __GP11_TEE_MemCompare(const void* buffer1, const void* buffer2, uint32_t size) {
  return mem_compare(buffer1, buffer2, size);
}

void TEE_MemFill(void* buffer, uint32_t x, size_t size) { mem_fill(buffer, x, size); }
void __GP11_TEE_MemFill(void* buffer, uint32_t x, uint32_t size) { mem_fill(buffer, x, size); }

TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags, void* buffer, size_t size) {
  return check_access(accessFlags, buffer, size);
}
TEE_Result __GP11_TEE_CheckMemoryAccessRights(uint32_t accessFlags, void* buffer, uint32_t size) {
  return check_access(accessFlags, buffer, size);
}

void TEE_SetInstanceData(const void* instanceData) { runtime().instance_data = instanceData; }
const void* TEE_GetInstanceData(void) { return runtime().instance_data; }

// OP-TEE extensions (tee_internal_api_extensions.h).
void tee_user_mem_mark_heap(void) { heap_account().mark = heap_account().used; }
size_t tee_user_mem_check_heap(void) {
  const auto& a = heap_account();
  return a.used > a.mark ? a.used - a.mark : 0;
}

}  // extern "C"
