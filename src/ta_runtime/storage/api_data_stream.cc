// GP TEE Internal Core API: data stream access (GP 1.3.1 §5.9). The data
// position lives in the handle (PersistentState); the OS gets it with every
// read and write. Positions never exceed TEE_DATA_MAX_POSITION.
#include <algorithm>
#include <cstring>

#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/object.h"
#include "ta_runtime/storage/persistent.h"
#include "ta_runtime/storage/storage_client.h"
#include "tee_internal_api.h"

namespace swtee::ta::storage {
namespace {

using crypto::crypto_panic;
using crypto::Object;
using namespace os::storage_abi;

// A persistent handle opened with `access`, or a panic (GP's reasons).
Object& stream_or_panic(TEE_ObjectHandle h, uint32_t access, const char* func) noexcept {
  Object* o = crypto::object_or_panic(h, func);
  if (!o->persistent) crypto_panic(func, "object is not persistent");
  if ((o->persistent->flags & access) != access)
    crypto_panic(func, "object not opened with the needed access right");
  return *o;
}

// Read cache bounds: objects up to 64 KiB, 4 MiB per TA process.
constexpr uint64_t kCacheMaxObject = 64 * 1024;
constexpr uint64_t kCacheBudget = 4ull << 20;
uint64_t g_cache_bytes = 0;

bool cacheable(const PersistentState& st) noexcept { return (st.flags & TEE_DATA_FLAG_SHARE_WRITE) == 0; }

// Fills the cache of a cacheable handle with the whole data when it is
// small and the budget allows; errors just leave it empty.
TEE_Result fill_cache(PersistentState& st) noexcept {
  uint64_t size = 0;
  TEE_Result res = sys_data_size(st.handle, &size);
  if (res != TEE_SUCCESS || size > kCacheMaxObject || g_cache_bytes + size > kCacheBudget) return res;
  if (!st.cache.resize(static_cast<size_t>(size))) return TEE_SUCCESS;
  size_t got = 0;
  res = size == 0 ? TEE_SUCCESS : sys_read(st.handle, 0, {st.cache.data(), st.cache.size()}, &got);
  if (res != TEE_SUCCESS || got != size) {
    st.cache.wipe();
    return res;
  }
  st.cached = true;
  g_cache_bytes += size;
  return TEE_SUCCESS;
}

TEE_Result after(Object& o, TEE_Result res) noexcept {
  if (res == TEE_ERROR_CORRUPT_OBJECT) on_corrupt(o);
  return res;
}

template <typename SizeT>
TEE_Result read_data(TEE_ObjectHandle object, void* buffer, size_t size, SizeT* count,
                     const char* func) noexcept {
  Object& o = stream_or_panic(object, TEE_DATA_FLAG_ACCESS_READ, func);
  if (count == nullptr) crypto_panic(func, "count is NULL");
  if (size != 0 && buffer == nullptr) crypto_panic(func, "buffer is NULL");
  *count = 0;
  PersistentState& st = *o.persistent;
  if (kept_corrupt(o)) return TEE_ERROR_CORRUPT_OBJECT;
  if (size == 0) return TEE_SUCCESS;
  if (cacheable(st) && !st.cached) {
    const TEE_Result res = fill_cache(st);
    if (res != TEE_SUCCESS) return after(o, res);
  }
  if (st.cached) {
    const uint64_t have = st.cache.size();
    const size_t n =
        st.position >= have ? 0 : static_cast<size_t>(std::min<uint64_t>(size, have - st.position));
    if (n != 0) std::memcpy(buffer, st.cache.data() + st.position, n);
    st.position += n;
    *count = static_cast<SizeT>(n);
    return TEE_SUCCESS;
  }
  size_t want = size;
  if (want > kMaxInlineData) {
    // Size the transfer to what is there (a large buffer costs a memfd).
    uint64_t have = 0;
    const TEE_Result res = sys_data_size(st.handle, &have);
    if (res != TEE_SUCCESS) return after(o, res);
    if (st.position >= have) return TEE_SUCCESS;
    want = static_cast<size_t>(std::min<uint64_t>(want, have - st.position));
  }
  size_t got = 0;
  const TEE_Result res = sys_read(st.handle, st.position, {static_cast<uint8_t*>(buffer), want}, &got);
  if (res != TEE_SUCCESS) return after(o, res);
  st.position += got;
  *count = static_cast<SizeT>(got);
  return TEE_SUCCESS;
}

TEE_Result write_data(TEE_ObjectHandle object, const void* buffer, size_t size, const char* func) noexcept {
  Object& o = stream_or_panic(object, TEE_DATA_FLAG_ACCESS_WRITE, func);
  if (size != 0 && buffer == nullptr) crypto_panic(func, "buffer is NULL");
  PersistentState& st = *o.persistent;
  if (kept_corrupt(o)) return TEE_ERROR_CORRUPT_OBJECT;
  if (size > kMaxDataPosition || st.position > kMaxDataPosition - size) return TEE_ERROR_OVERFLOW;
  if (size == 0) return TEE_SUCCESS;
  drop_cache(st);
  const TEE_Result res = sys_write(st.handle, st.position, {static_cast<const uint8_t*>(buffer), size});
  if (res != TEE_SUCCESS) return after(o, res);
  st.position += size;
  return TEE_SUCCESS;
}

TEE_Result truncate_data(TEE_ObjectHandle object, size_t size, const char* func) noexcept {
  Object& o = stream_or_panic(object, TEE_DATA_FLAG_ACCESS_WRITE, func);
  if (kept_corrupt(o)) return TEE_ERROR_CORRUPT_OBJECT;
  if (size > kMaxDataPosition) return TEE_ERROR_STORAGE_NO_SPACE;
  drop_cache(*o.persistent);
  return after(o, sys_truncate(o.persistent->handle, size));
}

TEE_Result seek_data(TEE_ObjectHandle object, intmax_t offset, TEE_Whence whence, const char* func) noexcept {
  Object& o = stream_or_panic(object, 0, func);
  PersistentState& st = *o.persistent;
  intmax_t base = 0;
  switch (whence) {
    case TEE_DATA_SEEK_SET:
      base = 0;
      break;
    case TEE_DATA_SEEK_CUR:
      base = static_cast<intmax_t>(st.position);
      break;
    case TEE_DATA_SEEK_END: {
      uint64_t size = st.cache.size();
      if (!st.cached) {
        const TEE_Result res = sys_data_size(st.handle, &size);
        if (res != TEE_SUCCESS) return after(o, res);
      }
      base = static_cast<intmax_t>(size);
      break;
    }
    default:  // libutee answers ITEM_NOT_FOUND, which it does not allow here
      crypto_panic(func, "invalid whence");
  }
  if (kept_corrupt(o)) return TEE_ERROR_CORRUPT_OBJECT;
  intmax_t pos = 0;
  if (__builtin_add_overflow(base, offset, &pos)) return TEE_ERROR_OVERFLOW;
  // Before the start: the position is 0 (GP: "set to 0"); past the limit: OVERFLOW, unchanged.
  if (pos < 0) pos = 0;
  if (static_cast<uintmax_t>(pos) > kMaxDataPosition) return TEE_ERROR_OVERFLOW;
  st.position = static_cast<uint64_t>(pos);
  return TEE_SUCCESS;
}

}  // namespace

void drop_cache(PersistentState& st) noexcept {
  if (!st.cached) return;
  g_cache_bytes -= st.cache.size();
  st.cache.wipe();
  st.cached = false;
}

PersistentState::~PersistentState() { drop_cache(*this); }

}  // namespace swtee::ta::storage

using namespace swtee::ta::storage;

extern "C" {

TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void* buffer, size_t size, size_t* count) {
  return read_data(object, buffer, size, count, __func__);
}

TEE_Result __GP11_TEE_ReadObjectData(TEE_ObjectHandle object, void* buffer, uint32_t size, uint32_t* count) {
  return read_data(object, buffer, size, count, __func__);
}

TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object, const void* buffer, size_t size) {
  return write_data(object, buffer, size, __func__);
}

TEE_Result __GP11_TEE_WriteObjectData(TEE_ObjectHandle object, const void* buffer, uint32_t size) {
  return write_data(object, buffer, size, __func__);
}

TEE_Result TEE_TruncateObjectData(TEE_ObjectHandle object, size_t size) {
  return truncate_data(object, size, __func__);
}

TEE_Result __GP11_TEE_TruncateObjectData(TEE_ObjectHandle object, uint32_t size) {
  return truncate_data(object, size, __func__);
}

TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object, intmax_t offset, TEE_Whence whence) {
  return seek_data(object, offset, whence, __func__);
}

TEE_Result __GP11_TEE_SeekObjectData(TEE_ObjectHandle object, int32_t offset, TEE_Whence whence) {
  return seek_data(object, offset, whence, __func__);
}

}  // extern "C"
