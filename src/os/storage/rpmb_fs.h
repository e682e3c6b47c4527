// The file system of TEE_STORAGE_PRIVATE_RPMB: a small FsBackend on the
// RPMB device's data blocks (after the anchor's), so the same TaStore
// (directory commits, inline versions, AES-GCM under the TA's keys) runs
// on it. The device makes every block write authenticated and fresh (key,
// write counter, nonces; rpmb_client.h), so this store needs no rollback
// anchor: the normal world can neither change nor roll back a block.
//
// Layout from `first_block`: a table of `kRpmbFsEntries` 128-byte entries
// {used, size, name} (2 per block), then one fixed slot of `slot_blocks`
// blocks per entry. Files are small (a slot is 3,328 B by default), as on a
// real RPMB partition; larger writes are ENOSPC. The table is cached once
// read; every change goes to the device before the call returns.
//
// RpmbFsDevice is shared (one per ObjectStore) and serialises operations;
// RpmbFs is a per-call view that reaches the device through the call's own
// RPC path (FsBackend::rpmb of that path).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "os/storage/fs_backend.h"
#include "os/storage/rpmb_client.h"

namespace swtee::os::storage {

inline constexpr size_t kRpmbFsEntries = 32;
inline constexpr size_t kRpmbFsEntrySize = 128;
inline constexpr size_t kRpmbFsNameMax = kRpmbFsEntrySize - 8 - 1;

struct RpmbFsLayout {
  uint16_t first_block = 64;  // after RpmbAnchorOptions' 64 blocks
  uint16_t slot_blocks = 13;  // 32 slots: blocks 80..495 of 512
};

class RpmbFsDevice {
 public:
  RpmbFsDevice(const SecretKey& rpmb_key, RpmbFsLayout layout) : client_(rpmb_key), layout_(layout) {}

 private:
  friend class RpmbFs;
  struct Entry {
    bool used = false;
    uint32_t size = 0;
    std::string name;
  };
  Status load(FsBackend& ree) REQUIRES(mu_);
  Status store_entry(FsBackend& ree, size_t i) REQUIRES(mu_);
  uint64_t slot_bytes() const { return uint64_t{layout_.slot_blocks} * 256; }
  uint16_t slot_block(size_t i) const {
    return static_cast<uint16_t>(layout_.first_block + kRpmbFsEntries * kRpmbFsEntrySize / 256 +
                                 i * layout_.slot_blocks);
  }

  Mutex mu_;
  RpmbClient client_ GUARDED_BY(mu_);
  const RpmbFsLayout layout_;
  std::optional<std::array<Entry, kRpmbFsEntries>> table_ GUARDED_BY(mu_);
};

class RpmbFs final : public FsBackend {
 public:
  RpmbFs(RpmbFsDevice& dev, FsBackend& ree) : dev_(dev), ree_(ree) {}

  Result<FsHandle> open(std::string_view name) override;
  Result<FsHandle> create(std::string_view name) override;
  Status close(FsHandle h) override;
  Result<size_t> read(FsHandle h, uint64_t offset, std::span<uint8_t> out) override;
  Status write(FsHandle h, uint64_t offset, std::span<const uint8_t> in) override;
  Status truncate(FsHandle h, uint64_t length) override;
  Status remove(std::string_view name) override;
  Status rename(std::string_view from, std::string_view to, bool overwrite) override;
  Result<FsHandle> opendir(std::string_view name) override;
  Status closedir(FsHandle h) override;
  Result<std::optional<std::string>> readdir(FsHandle h) override;

 private:
  std::optional<size_t> find(std::string_view name) REQUIRES(dev_.mu_);
  Result<size_t> entry_of(FsHandle h) REQUIRES(dev_.mu_);

  RpmbFsDevice& dev_;
  FsBackend& ree_;
  uint32_t next_ = 1;
  std::map<FsHandle, std::string> files_;  // handle → name (entries may move on rename)
  std::map<FsHandle, std::vector<std::string>> dirs_;
};

}  // namespace swtee::os::storage
