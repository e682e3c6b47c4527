// The GP persistent-object semantics of the Storage syscall family, apart
// from the syscall plumbing so that tests drive it with plain arguments
// (a Uuid, an instance's handle set, an FsBackend): storage_family.cc only
// adapts SyscallContext/SyscallArgs to this.
//
// GP rules owned here (TEE Internal Core §5.7–5.9): sharing and access
// rights (StorageOpenTable), OVERWRITE, the data position limit, delete and
// rename needing WRITE_META, storage ids, CORRUPT_OBJECT handling (an object
// found corrupt is deleted and its handle kept, marked corrupt, until the TA
// closes it: every other call on it answers CORRUPT_OBJECT, and it still
// counts against the instance's handles and holds the id; a store found
// rolled back is reported but never "repaired" by deleting), enumeration in
// id order. Whether the TA's handle stays open after CORRUPT_OBJECT
// (TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT) is the TA runtime's call:
// without the flag it closes the handle at once.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "os/storage/fs_backend.h"
#include "os/syscalls/storage_family.h"
#include "os/syscalls/storage_open_table.h"
#include "os/ta_manager/syscalls.h"
#include "protocol/syscalls/storage_abi.h"

namespace swtee::os {

// The persistent objects one TA instance has open. Destroying it (the
// instance's process went) releases every handle.
class StorageHandles final : public SyscallState {
 public:
  struct Handle {
    uint32_t flags = 0;
    std::vector<uint8_t> id;
    bool rpmb = false;     // TEE_STORAGE_PRIVATE_RPMB, not the REE FS store
    bool corrupt = false;  // the object was found corrupt and deleted
  };
  explicit StorageHandles(std::shared_ptr<StorageOpenTable> table) : table_(std::move(table)) {}
  ~StorageHandles() override;
  StorageHandles(const StorageHandles&) = delete;
  StorageHandles& operator=(const StorageHandles&) = delete;

  Handle* find(uint64_t h) {
    auto it = open_.find(h);
    return it == open_.end() ? nullptr : &it->second;
  }
  size_t size() const { return open_.size(); }
  void add(uint64_t token, Handle h) { open_.emplace(token, std::move(h)); }
  void close(uint64_t h);
  StorageOpenTable& table() { return *table_; }

 private:
  std::shared_ptr<StorageOpenTable> table_;
  std::map<uint64_t, Handle> open_;
};

struct StorageRequest {
  uint32_t fn = 0;
  std::array<uint64_t, tachan::kNumSyscallArgs> args{};
  std::span<const uint8_t> in;
  // The mapped memfd of fds[0], when one came (shared with the TA: read once).
  std::span<uint8_t> bulk;
  bool has_bulk = false;
};

class StorageCore {
 public:
  StorageCore(std::shared_ptr<StorageService> service, std::shared_ptr<StorageOpenTable> table,
              bool verify_every_access = false)
      : service_(std::move(service)), table_(std::move(table)), verify_(verify_every_access) {}

  // The instance's handle set, created on first use in `slot`.
  StorageHandles& handles(std::unique_ptr<SyscallState>& slot);

  // Serves one request. `fs` is null when the call has no RPC path (then
  // anything that touches the store answers STORAGE_NOT_AVAILABLE).
  void handle(const Uuid& ta, StorageHandles& handles, storage::FsBackend* fs, const StorageRequest& req,
              SyscallOut& out);

  const std::shared_ptr<StorageOpenTable>& table() const { return table_; }

 private:
  using Fn = storage_abi::StorageFn;
  struct Ctx {
    const Uuid& ta;
    StorageHandles& handles;
    storage::FsBackend* fs;
    const StorageRequest& req;
    SyscallOut& out;
    std::unique_ptr<storage::FsBackend> rpmb_fs = nullptr;  // the RPMB store's view of `fs`
  };
  // The TA's store (the RPMB one when `rpmb`, which also points ctx.fs at
  // the RPMB device), or an error result already set in ctx.out.
  std::shared_ptr<storage::TaStore> ta_store(Ctx& c, bool rpmb);
  // The instance's handle args[0]; an unknown one kills the instance.
  StorageHandles::Handle* handle_arg(Ctx& c);
  // Sets out from a store error; CORRUPT_OBJECT on an open object deletes
  // the object and marks `handle` (0: none) corrupt.
  void fail(Ctx& c, const Error& e, storage::TaStore* store, std::span<const uint8_t> id, uint64_t handle);
  // True, with CORRUPT_OBJECT set in ctx.out, when `h` is marked corrupt.
  static bool answered_corrupt(Ctx& c, const StorageHandles::Handle& h);

  void open(Ctx& c);
  void create(Ctx& c);
  void close(Ctx& c);
  void read(Ctx& c);
  void write(Ctx& c);
  void truncate(Ctx& c);
  void data_size(Ctx& c);
  void close_and_delete(Ctx& c);
  void rename(Ctx& c);
  void set_meta(Ctx& c);
  void enum_next(Ctx& c);

  const std::shared_ptr<StorageService> service_;
  const std::shared_ptr<StorageOpenTable> table_;
  const bool verify_;
};

// True for a storage id this TEE serves (PRIVATE and OP-TEE's PRIVATE_REE;
// PRIVATE_RPMB is the store on the RPMB device).
bool storage_id_served(uint64_t storage_id);

}  // namespace swtee::os
