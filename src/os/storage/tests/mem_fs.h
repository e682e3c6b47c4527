// In-memory FsBackend with the supplicant's semantics, for tests. Counts
// every call, can fail the N-th call ("crash": that call and all later ones
// fail; a failing WRITE may land a prefix of its bytes first, like a torn
// write), and exposes the files for tampering.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "os/storage/fs_backend.h"

namespace swtee::os::storage::testing {

class MemFs final : public FsBackend {
 public:
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
  // Handles are never reused: with keep_handles a store may keep them.
  bool can_keep(FsHandle h) const override { return keep_handles && handles_.count(h) == 1; }
  // The supplicant's RPMB emulator with its image in files["rpmb.emu"].
  Result<std::vector<uint8_t>> rpmb(std::span<const uint8_t> req, size_t resp_size) override;

  // Fail call number `n` (0-based, counted from now) and every later one.
  // `torn`: a failing WRITE first lands this fraction (0..1) of its bytes.
  void crash_at(uint64_t n, double torn = 0.0) {
    crash_at_ = calls_ + n;
    torn_ = torn;
  }
  void revive() { crash_at_.reset(); }
  bool crashed() const { return crash_at_ && calls_ > *crash_at_; }

  uint64_t calls() const { return calls_; }
  uint64_t writes() const { return writes_; }  // WRITE calls (each one synchronous write)
  size_t open_files() const { return handles_.size(); }
  size_t open_dirs() const { return dirs_.size(); }

  std::map<std::string, std::vector<uint8_t>> files;  // path → content
  std::set<std::string> dirs;                         // existing directories
  bool keep_handles = false;                          // can_keep() says yes

 private:
  bool fail_now();
  bool parent_exists(const std::string& path) const;

  uint64_t calls_ = 0;
  uint64_t writes_ = 0;
  std::optional<uint64_t> crash_at_;
  double torn_ = 0;
  FsHandle next_ = 1;
  std::map<FsHandle, std::string> handles_;
  std::map<FsHandle, std::vector<std::string>> dirs_;
};

}  // namespace swtee::os::storage::testing
