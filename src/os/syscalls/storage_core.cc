#include "os/syscalls/storage_core.h"

#include <algorithm>
#include <cstring>

#include "common/checked_math.h"
#include "os/storage/storage_errors.h"

namespace swtee::os {

using namespace storage_abi;
using storage::Bytes;

namespace {

void set_result(SyscallOut& out, uint32_t ret) {
  out.ret = ret;
  out.origin = kTeeOriginTee;
}

// Zero-length ids are valid object ids (GP; OP-TEE accepts them too).
bool valid_id_len(uint64_t n) { return n <= kMaxObjectIdLen; }

}  // namespace

bool storage_id_served(uint64_t storage_id) {
  // PRIVATE and OP-TEE's PRIVATE_REE are the REE FS store; PRIVATE_RPMB is
  // the store on the RPMB device (storage/rpmb_fs.h), a namespace of its own.
  return storage_id == kStoragePrivate || storage_id == kStoragePrivateRee ||
         storage_id == kStoragePrivateRpmb;
}

namespace {

// The open table's key for `id` in one of the two stores: the same id in
// the REE and in the RPMB store names two different objects.
std::vector<uint8_t> table_id(bool rpmb, std::span<const uint8_t> id) {
  std::vector<uint8_t> k{rpmb ? uint8_t{1} : uint8_t{0}};
  k.insert(k.end(), id.begin(), id.end());
  return k;
}

bool is_rpmb(uint64_t storage_id) { return storage_id == kStoragePrivateRpmb; }

}  // namespace

StorageHandles::~StorageHandles() {
  for (auto& [token, h] : open_) table_->release(token);
}

void StorageHandles::close(uint64_t h) {
  if (open_.erase(h) != 0) table_->release(h);
}

StorageHandles& StorageCore::handles(std::unique_ptr<SyscallState>& slot) {
  if (!slot) slot = std::make_unique<StorageHandles>(table_);
  return static_cast<StorageHandles&>(*slot);
}

std::shared_ptr<storage::TaStore> StorageCore::ta_store(Ctx& c, bool rpmb) {
  if (c.fs == nullptr) {
    set_result(c.out, kTeeErrorStorageNotAvailable);
    return nullptr;
  }
  auto store = service_->store(*c.fs);
  if (!store.ok()) {
    set_result(c.out, storage::gp_result_of(store.error()));
    return nullptr;
  }
  if (rpmb) {
    // This call's store operations go to the RPMB device, over the call's path.
    c.rpmb_fs = (*store)->rpmb_fs(*c.fs);
    c.fs = c.rpmb_fs.get();
  }
  auto ta = rpmb ? (*store)->rpmb_ta(c.ta) : (*store)->ta(c.ta);
  if (!ta.ok()) {
    set_result(c.out, storage::gp_result_of(ta.error()));
    return nullptr;
  }
  if (verify_) (*ta)->drop_cache();
  return *ta;
}

StorageHandles::Handle* StorageCore::handle_arg(Ctx& c) {
  StorageHandles::Handle* h = c.handles.find(c.req.args[0]);
  if (h == nullptr) c.out.kill = true;  // the runtime only sends handles the OS gave it
  return h;
}

void StorageCore::fail(Ctx& c, const Error& e, storage::TaStore* store, std::span<const uint8_t> id,
                       uint64_t handle) {
  const uint32_t ret = storage::gp_result_of(e);
  set_result(c.out, ret);
  if (ret != kTeeErrorCorruptObject) return;
  // GP: a corrupt object is deleted. A rolled-back store is not one corrupt
  // object: keep everything for the operator. The handle stays until the TA
  // closes it (its runtime does so at once unless the TA keeps such handles).
  if (e.code == storage::kErrCorrupt && store != nullptr && c.fs != nullptr) {
    (void)store->remove(*c.fs, id);
  }
  StorageHandles::Handle* h = handle != 0 ? c.handles.find(handle) : nullptr;
  if (h != nullptr) h->corrupt = true;
}

bool StorageCore::answered_corrupt(Ctx& c, const StorageHandles::Handle& h) {
  if (h.corrupt) set_result(c.out, kTeeErrorCorruptObject);
  return h.corrupt;
}

void StorageCore::handle(const Uuid& ta, StorageHandles& handles, storage::FsBackend* fs,
                         const StorageRequest& req, SyscallOut& out) {
  Ctx c{ta, handles, fs, req, out};
  if (req.fn >= kNumStorageFns) {
    out.kill = true;
    return;
  }
  switch (static_cast<Fn>(req.fn)) {
    case Fn::Open:
      return open(c);
    case Fn::Create:
      return create(c);
    case Fn::Close:
      return close(c);
    case Fn::Read:
      return read(c);
    case Fn::Write:
      return write(c);
    case Fn::Truncate:
      return truncate(c);
    case Fn::DataSize:
      return data_size(c);
    case Fn::CloseAndDelete:
      return close_and_delete(c);
    case Fn::Rename:
      return rename(c);
    case Fn::SetMeta:
      return set_meta(c);
    case Fn::EnumNext:
      return enum_next(c);
  }
  out.kill = true;
}

void StorageCore::open(Ctx& c) {
  const uint64_t flags = c.req.args[1];
  if (!valid_id_len(c.req.in.size()) || c.req.has_bulk) {
    c.out.kill = true;  // the runtime panics on these before asking
    return;
  }
  if (!storage_id_served(c.req.args[0])) return set_result(c.out, kTeeErrorItemNotFound);
  if ((flags & ~uint64_t{kOpenFlagsMask}) != 0) return set_result(c.out, kTeeErrorBadParameters);
  if (c.handles.size() >= kMaxHandlesPerInstance) return set_result(c.out, kTeeErrorOutOfMemory);
  const bool rpmb = is_rpmb(c.req.args[0]);
  auto store = ta_store(c, rpmb);
  if (!store) return;
  const std::vector<uint8_t> id(c.req.in.begin(), c.req.in.end());
  auto token = c.handles.table().acquire(c.ta, table_id(rpmb, id), static_cast<uint32_t>(flags));
  if (!token.ok()) return set_result(c.out, kTeeErrorAccessConflict);
  auto meta = store->read_meta(*c.fs, id);
  if (!meta.ok()) {
    c.handles.table().release(*token);
    return fail(c, meta.error(), store.get(), id, 0);
  }
  auto st = store->stat(*c.fs, id);
  if (!st.ok()) {
    c.handles.table().release(*token);
    return fail(c, st.error(), store.get(), id, 0);
  }
  if (meta->size() > kMaxMetaLen) {
    c.handles.table().release(*token);
    return set_result(c.out, kTeeErrorCorruptObject);
  }
  c.handles.add(*token, StorageHandles::Handle{static_cast<uint32_t>(flags), id, rpmb});
  c.out.vals[0] = *token;
  c.out.vals[1] = st->data_len;
  c.out.out = std::move(*meta);
}

void StorageCore::create(Ctx& c) {
  const uint64_t flags = c.req.args[1];
  const uint64_t id_len = c.req.args[2];
  const uint64_t meta_len = c.req.args[3];
  const uint64_t data_len = c.req.args[4];
  const bool bulk = c.req.args[5] != 0;
  if (!valid_id_len(id_len) || meta_len > kMaxMetaLen || bulk != c.req.has_bulk) {
    c.out.kill = true;
    return;
  }
  const uint64_t inline_data = bulk ? 0 : data_len;
  auto total = checked_add(id_len, meta_len);
  if (total) total = checked_add(*total, inline_data);
  if (!total || *total != c.req.in.size() || (bulk && data_len > c.req.bulk.size()) ||
      (!bulk && data_len > kMaxInlineData)) {
    c.out.kill = true;
    return;
  }
  if (!storage_id_served(c.req.args[0])) return set_result(c.out, kTeeErrorItemNotFound);
  if ((flags & ~uint64_t{kCreateFlagsMask}) != 0) return set_result(c.out, kTeeErrorBadParameters);
  if (data_len > kMaxDataPosition) return set_result(c.out, kTeeErrorOverflow);
  if (c.handles.size() >= kMaxHandlesPerInstance) return set_result(c.out, kTeeErrorOutOfMemory);
  const bool rpmb = is_rpmb(c.req.args[0]);
  auto store = ta_store(c, rpmb);
  if (!store) return;
  const auto id = c.req.in.subspan(0, id_len);
  const auto meta = c.req.in.subspan(id_len, meta_len);
  // Snapshot: the memfd stays writable by the TA.
  std::vector<uint8_t> data;
  if (bulk) {
    data.assign(c.req.bulk.begin(), c.req.bulk.begin() + static_cast<ptrdiff_t>(data_len));
  } else {
    data.assign(c.req.in.begin() + static_cast<ptrdiff_t>(id_len + meta_len), c.req.in.end());
  }
  const uint32_t hflags = static_cast<uint32_t>(flags & kOpenFlagsMask);
  auto token = c.handles.table().acquire_exclusive(c.ta, table_id(rpmb, id), hflags);
  if (!token.ok()) return set_result(c.out, kTeeErrorAccessConflict);
  Status s = store->create(*c.fs, id, meta, data, (flags & kOverwrite) != 0);
  if (!s.ok()) {
    c.handles.table().release(*token);
    return set_result(c.out, storage::gp_result_of(s.error()));
  }
  c.handles.add(*token, StorageHandles::Handle{hflags, {id.begin(), id.end()}, rpmb});
  c.out.vals[0] = *token;
}

void StorageCore::close(Ctx& c) {
  if (handle_arg(c) == nullptr) return;
  c.handles.close(c.req.args[0]);
}

void StorageCore::read(Ctx& c) {
  StorageHandles::Handle* h = handle_arg(c);
  if (h == nullptr) return;
  const uint64_t pos = c.req.args[1];
  const uint64_t len = c.req.args[2];
  if ((h->flags & kAccessRead) == 0 || (c.req.has_bulk ? len > c.req.bulk.size() : len > kMaxInlineData)) {
    c.out.kill = true;
    return;
  }
  if (answered_corrupt(c, *h)) return;
  auto store = ta_store(c, h->rpmb);
  if (!store) return;
  auto data = store->read(*c.fs, h->id, pos, len);
  if (!data.ok()) return fail(c, data.error(), store.get(), std::vector<uint8_t>(h->id), c.req.args[0]);
  c.out.vals[0] = data->size();
  if (c.req.has_bulk) {
    if (!data->empty()) std::memcpy(c.req.bulk.data(), data->data(), data->size());
  } else {
    c.out.out = std::move(*data);
  }
}

void StorageCore::write(Ctx& c) {
  StorageHandles::Handle* h = handle_arg(c);
  if (h == nullptr) return;
  const uint64_t pos = c.req.args[1];
  const uint64_t len = c.req.args[2];
  const bool bulk = c.req.args[3] != 0;
  if ((h->flags & kAccessWrite) == 0 || bulk != c.req.has_bulk ||
      (bulk ? len > c.req.bulk.size() || !c.req.in.empty()
            : len != c.req.in.size() || len > kMaxInlineData)) {
    c.out.kill = true;
    return;
  }
  if (answered_corrupt(c, *h)) return;
  auto end = checked_add(pos, len);
  if (!end || *end > kMaxDataPosition) return set_result(c.out, kTeeErrorOverflow);
  auto store = ta_store(c, h->rpmb);
  if (!store) return;
  std::vector<uint8_t> data;
  if (bulk) {
    data.assign(c.req.bulk.begin(), c.req.bulk.begin() + static_cast<ptrdiff_t>(len));
  } else {
    data.assign(c.req.in.begin(), c.req.in.end());
  }
  Status s = store->write(*c.fs, h->id, pos, data);
  if (!s.ok()) return fail(c, s.error(), store.get(), std::vector<uint8_t>(h->id), c.req.args[0]);
}

void StorageCore::truncate(Ctx& c) {
  StorageHandles::Handle* h = handle_arg(c);
  if (h == nullptr) return;
  if ((h->flags & kAccessWrite) == 0 || c.req.has_bulk) {
    c.out.kill = true;
    return;
  }
  if (answered_corrupt(c, *h)) return;
  if (c.req.args[1] > kMaxDataPosition) return set_result(c.out, kTeeErrorOverflow);
  auto store = ta_store(c, h->rpmb);
  if (!store) return;
  Status s = store->truncate(*c.fs, h->id, c.req.args[1]);
  if (!s.ok()) return fail(c, s.error(), store.get(), std::vector<uint8_t>(h->id), c.req.args[0]);
}

void StorageCore::data_size(Ctx& c) {
  StorageHandles::Handle* h = handle_arg(c);
  if (h == nullptr || answered_corrupt(c, *h)) return;
  auto store = ta_store(c, h->rpmb);
  if (!store) return;
  auto st = store->stat(*c.fs, h->id);
  if (!st.ok()) return fail(c, st.error(), store.get(), std::vector<uint8_t>(h->id), c.req.args[0]);
  c.out.vals[0] = st->data_len;
}

void StorageCore::close_and_delete(Ctx& c) {
  StorageHandles::Handle* h = handle_arg(c);
  if (h == nullptr) return;
  if ((h->flags & kAccessWriteMeta) == 0) {
    c.out.kill = true;
    return;
  }
  const uint64_t handle = c.req.args[0];
  if (h->corrupt) return c.handles.close(handle);  // the object is gone already
  const std::vector<uint8_t> id = h->id;
  auto store = ta_store(c, h->rpmb);
  if (!store) {
    c.handles.close(handle);
    return;
  }
  Status s = store->remove(*c.fs, id);
  c.handles.close(handle);
  // Deleting an object that turned out corrupt is what GP asks for anyway.
  if (!s.ok() && s.error().code != storage::kErrCorrupt) set_result(c.out, storage::gp_result_of(s.error()));
}

void StorageCore::rename(Ctx& c) {
  StorageHandles::Handle* h = handle_arg(c);
  if (h == nullptr) return;
  if ((h->flags & kAccessWriteMeta) == 0 || !valid_id_len(c.req.in.size()) || c.req.has_bulk) {
    c.out.kill = true;
    return;
  }
  if (answered_corrupt(c, *h)) return;
  const std::vector<uint8_t> to(c.req.in.begin(), c.req.in.end());
  // Its own id is taken, by this very handle (WRITE_META is exclusive): as
  // OP-TEE, whose syscall_storage_obj_rename reserves the new id with
  // tee_pobj_get and finds the object's own pobj.
  if (to == h->id) return set_result(c.out, kTeeErrorAccessConflict);
  auto store = ta_store(c, h->rpmb);
  if (!store) return;
  // Reserve the new id so nobody opens or creates it meanwhile.
  auto target = c.handles.table().acquire_exclusive(c.ta, table_id(h->rpmb, to), h->flags);
  if (!target.ok()) return set_result(c.out, kTeeErrorAccessConflict);
  Status s = store->rename(*c.fs, h->id, to);
  if (!s.ok()) {
    c.handles.table().release(*target);
    return fail(c, s.error(), store.get(), std::vector<uint8_t>(h->id), c.req.args[0]);
  }
  c.handles.table().rebind(c.req.args[0], *target);
  h->id = to;
}

void StorageCore::set_meta(Ctx& c) {
  StorageHandles::Handle* h = handle_arg(c);
  if (h == nullptr) return;
  if (c.req.in.size() > kMaxMetaLen || c.req.has_bulk) {
    c.out.kill = true;
    return;
  }
  if (answered_corrupt(c, *h)) return;
  auto store = ta_store(c, h->rpmb);
  if (!store) return;
  const std::vector<uint8_t> meta(c.req.in.begin(), c.req.in.end());
  Status s = store->set_meta(*c.fs, h->id, meta);
  if (!s.ok()) return fail(c, s.error(), store.get(), std::vector<uint8_t>(h->id), c.req.args[0]);
}

void StorageCore::enum_next(Ctx& c) {
  const bool resume = c.req.args[1] != 0;
  if (c.req.has_bulk || (resume && !valid_id_len(c.req.in.size())) || (!resume && !c.req.in.empty())) {
    c.out.kill = true;
    return;
  }
  if (!storage_id_served(c.req.args[0])) return set_result(c.out, kTeeErrorItemNotFound);
  auto store = ta_store(c, is_rpmb(c.req.args[0]));
  if (!store) return;
  auto ids = store->list(*c.fs);
  if (!ids.ok()) return set_result(c.out, storage::gp_result_of(ids.error()));
  const std::vector<uint8_t> cursor(c.req.in.begin(), c.req.in.end());
  const std::vector<uint8_t>* next = nullptr;
  for (const auto& id : *ids) {
    if (resume && !(cursor < id)) continue;
    if (next == nullptr || id < *next) next = &id;
  }
  if (next == nullptr) {
    c.out.vals[0] = 0;
    return;
  }
  const std::vector<uint8_t> id = *next;
  c.out.vals[0] = 1;
  storage_abi::EnumEntry e{};
  e.id_len = static_cast<uint32_t>(id.size());
  std::vector<uint8_t> prefix;
  auto st = store->stat(*c.fs, id);
  auto meta = st.ok() ? store->read_meta(*c.fs, id) : Result<std::vector<uint8_t>>(st.error());
  if (!meta.ok()) {
    // The entry still names the object, so the enumeration can go on past it.
    set_result(c.out, storage::gp_result_of(meta.error()));
  } else {
    e.data_size = st->data_len;
    prefix.assign(meta->begin(),
                  meta->begin() + static_cast<ptrdiff_t>(std::min(meta->size(), kEnumMetaPrefix)));
    e.meta_len = static_cast<uint32_t>(prefix.size());
  }
  c.out.out.resize(sizeof(e) + id.size() + prefix.size());
  std::memcpy(c.out.out.data(), &e, sizeof(e));
  if (!id.empty()) std::memcpy(c.out.out.data() + sizeof(e), id.data(), id.size());  // GP allows an empty id
  if (!prefix.empty()) std::memcpy(c.out.out.data() + sizeof(e) + id.size(), prefix.data(), prefix.size());
}

}  // namespace swtee::os
