#include "ta_runtime/storage/storage_client.h"

#include <openssl/crypto.h>

#include <cstring>
#include <new>
#include <optional>

#include "ta_runtime/bulk_buffer.h"
#include "ta_runtime/syscall.h"

namespace swtee::ta::storage {

using namespace os::storage_abi;

namespace {

SysCall make(StorageFn fn) {
  SysCall c;
  c.family = tachan::SysFamily::Storage;
  c.fn = static_cast<uint32_t>(fn);
  return c;
}

// Inline output buffer for replies (one per process: only the dispatcher
// thread makes syscalls).
std::span<uint8_t> reply_buffer() {
  static uint8_t buf[tachan::kMaxSyscallInline];
  return {buf, sizeof(buf)};
}

TEE_Result call(const SysCall& c, SysResult* r) noexcept { return sys_call(c, reply_buffer(), r); }

// Builds `parts` into one inline buffer; false when memory runs out.
bool concat(std::initializer_list<std::span<const uint8_t>> parts, std::vector<uint8_t>* out) noexcept {
  size_t n = 0;
  for (auto p : parts) n += p.size();
  try {
    out->resize(n);
  } catch (const std::bad_alloc&) {
    return false;
  }
  size_t off = 0;
  for (auto p : parts) {
    if (!p.empty()) std::memcpy(out->data() + off, p.data(), p.size());
    off += p.size();
  }
  return true;
}

void wipe(std::vector<uint8_t>& v) {
  if (!v.empty()) OPENSSL_cleanse(v.data(), v.size());
}

TEE_Result bulk_error(const Error& e) {
  return e.code == EINVAL ? TEE_ERROR_STORAGE_NO_SPACE : TEE_ERROR_OUT_OF_MEMORY;
}

}  // namespace

TEE_Result sys_open(uint32_t storage_id, std::span<const uint8_t> id, uint32_t flags,
                    OpenResult* out) noexcept {
  SysCall c = make(StorageFn::Open);
  c.args[0] = storage_id;
  c.args[1] = flags;
  c.in = id;
  SysResult r;
  const TEE_Result res = call(c, &r);
  if (res != TEE_SUCCESS) return res;
  out->handle = r.vals[0];
  out->data_size = r.vals[1];
  try {
    out->meta.assign(reply_buffer().begin(), reply_buffer().begin() + static_cast<ptrdiff_t>(r.out_len));
  } catch (const std::bad_alloc&) {
    sys_close(out->handle);
    return TEE_ERROR_OUT_OF_MEMORY;
  }
  OPENSSL_cleanse(reply_buffer().data(), r.out_len);
  return TEE_SUCCESS;
}

TEE_Result sys_create(uint32_t storage_id, std::span<const uint8_t> id, uint32_t flags,
                      std::span<const uint8_t> meta, std::span<const uint8_t> data,
                      uint64_t* handle) noexcept {
  SysCall c = make(StorageFn::Create);
  c.args[0] = storage_id;
  c.args[1] = flags;
  c.args[2] = id.size();
  c.args[3] = meta.size();
  c.args[4] = data.size();
  std::vector<uint8_t> in;
  std::optional<BulkBuffer> bulk;
  int fd = -1;
  if (data.size() > kMaxInlineData) {
    auto b = BulkBuffer::create(data.size());
    if (!b.ok()) return bulk_error(b.error());
    bulk.emplace(std::move(*b));
    std::memcpy(bulk->bytes().data(), data.data(), data.size());
    fd = bulk->fd();
    c.args[5] = 1;
    if (!concat({id, meta}, &in)) return TEE_ERROR_OUT_OF_MEMORY;
  } else if (!concat({id, meta, data}, &in)) {
    return TEE_ERROR_OUT_OF_MEMORY;
  }
  c.in = in;
  if (fd >= 0) c.fds = std::span<const int>(&fd, 1);
  SysResult r;
  const TEE_Result res = call(c, &r);
  wipe(in);
  if (res == TEE_SUCCESS) *handle = r.vals[0];
  return res;
}

void sys_close(uint64_t handle) noexcept {
  SysCall c = make(StorageFn::Close);
  c.args[0] = handle;
  SysResult r;
  (void)call(c, &r);
}

TEE_Result sys_read(uint64_t handle, uint64_t pos, std::span<uint8_t> out, size_t* count) noexcept {
  SysCall c = make(StorageFn::Read);
  c.args[0] = handle;
  c.args[1] = pos;
  c.args[2] = out.size();
  SysResult r;
  if (out.size() <= kMaxInlineData) {
    const TEE_Result res = call(c, &r);
    if (res != TEE_SUCCESS) return res;
    if (r.vals[0] != r.out_len || r.out_len > out.size()) TEE_Panic(TEE_ERROR_COMMUNICATION);
    if (r.out_len != 0) std::memcpy(out.data(), reply_buffer().data(), r.out_len);
    *count = r.out_len;
    return TEE_SUCCESS;
  }
  auto b = BulkBuffer::create(out.size());
  if (!b.ok()) return bulk_error(b.error());
  const int fd = b->fd();
  c.fds = std::span<const int>(&fd, 1);
  const TEE_Result res = call(c, &r);
  if (res != TEE_SUCCESS) return res;
  if (r.vals[0] > out.size()) TEE_Panic(TEE_ERROR_COMMUNICATION);
  if (r.vals[0] != 0) std::memcpy(out.data(), b->bytes().data(), r.vals[0]);
  *count = r.vals[0];
  return TEE_SUCCESS;
}

TEE_Result sys_write(uint64_t handle, uint64_t pos, std::span<const uint8_t> data) noexcept {
  SysCall c = make(StorageFn::Write);
  c.args[0] = handle;
  c.args[1] = pos;
  c.args[2] = data.size();
  SysResult r;
  if (data.size() <= kMaxInlineData) {
    c.in = data;
    return call(c, &r);
  }
  auto b = BulkBuffer::create(data.size());
  if (!b.ok()) return bulk_error(b.error());
  std::memcpy(b->bytes().data(), data.data(), data.size());
  const int fd = b->fd();
  c.fds = std::span<const int>(&fd, 1);
  c.args[3] = 1;
  return call(c, &r);
}

TEE_Result sys_truncate(uint64_t handle, uint64_t size) noexcept {
  SysCall c = make(StorageFn::Truncate);
  c.args[0] = handle;
  c.args[1] = size;
  SysResult r;
  return call(c, &r);
}

TEE_Result sys_data_size(uint64_t handle, uint64_t* size) noexcept {
  SysCall c = make(StorageFn::DataSize);
  c.args[0] = handle;
  SysResult r;
  const TEE_Result res = call(c, &r);
  if (res == TEE_SUCCESS) *size = r.vals[0];
  return res;
}

TEE_Result sys_close_and_delete(uint64_t handle) noexcept {
  SysCall c = make(StorageFn::CloseAndDelete);
  c.args[0] = handle;
  SysResult r;
  return call(c, &r);
}

TEE_Result sys_rename(uint64_t handle, std::span<const uint8_t> new_id) noexcept {
  SysCall c = make(StorageFn::Rename);
  c.args[0] = handle;
  c.in = new_id;
  SysResult r;
  return call(c, &r);
}

TEE_Result sys_set_meta(uint64_t handle, std::span<const uint8_t> meta) noexcept {
  SysCall c = make(StorageFn::SetMeta);
  c.args[0] = handle;
  c.in = meta;
  SysResult r;
  return call(c, &r);
}

TEE_Result sys_enum_next(uint32_t storage_id, const std::vector<uint8_t>* cursor, EnumResult* out) noexcept {
  SysCall c = make(StorageFn::EnumNext);
  c.args[0] = storage_id;
  c.args[1] = cursor == nullptr ? 0 : 1;
  if (cursor != nullptr) c.in = std::span<const uint8_t>(*cursor);
  SysResult r;
  const TEE_Result res = call(c, &r);
  if (res != TEE_SUCCESS && res != TEE_ERROR_CORRUPT_OBJECT) return res;
  out->end = r.vals[0] == 0;
  if (out->end) return res;
  EnumEntry e{};
  if (r.out_len < sizeof(e)) TEE_Panic(TEE_ERROR_COMMUNICATION);
  std::memcpy(&e, reply_buffer().data(), sizeof(e));
  if (e.id_len > kMaxObjectIdLen || e.meta_len > kEnumMetaPrefix ||
      r.out_len != sizeof(e) + e.id_len + e.meta_len)
    TEE_Panic(TEE_ERROR_COMMUNICATION);
  const uint8_t* p = reply_buffer().data() + sizeof(e);
  try {
    out->id.assign(p, p + e.id_len);
    out->meta_prefix.assign(p + e.id_len, p + e.id_len + e.meta_len);
  } catch (const std::bad_alloc&) {
    return TEE_ERROR_OUT_OF_MEMORY;
  }
  out->data_size = e.data_size;
  return res;
}

}  // namespace swtee::ta::storage
