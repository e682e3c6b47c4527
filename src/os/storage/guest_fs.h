// The REE FS as one guest's trusted storage sees it (os/guests.h): every
// name lives under guests::guest_storage_root(id) of the REE FS root
// (protocol/guest_storage.h), and every RPMB request goes to the guest's
// own emulated device (dev_id = the guest id; the supplicant keeps its
// image in the guest's tree). swtee-os builds every name itself, so a
// guest's storage can neither name nor reach another guest's tree or the
// host's. Guest 0 (the host's own clients) is the REE FS root unchanged:
// the host's layout stays as it was before guests existed.
#pragma once

#include <cstdint>
#include <string>

#include "os/storage/fs_backend.h"

namespace swtee::os::storage {

class GuestFs final : public FsBackend {
 public:
  // `base`: the REE FS root (the calling secure thread's path).
  GuestFs(FsBackend& base, uint32_t guest);

  uint32_t guest() const { return guest_; }

  Result<FsHandle> open(std::string_view name) override { return base_.open(path(name)); }
  // Makes the guest's root first when its tree is new (the REE FS makes at
  // most two missing parents per CREATE).
  Result<FsHandle> create(std::string_view name) override;
  Status close(FsHandle h) override { return base_.close(h); }
  Result<size_t> read(FsHandle h, uint64_t offset, std::span<uint8_t> out) override {
    return base_.read(h, offset, out);
  }
  Status write(FsHandle h, uint64_t offset, std::span<const uint8_t> in) override {
    return base_.write(h, offset, in);
  }
  Status truncate(FsHandle h, uint64_t length) override { return base_.truncate(h, length); }
  Status remove(std::string_view name) override { return base_.remove(path(name)); }
  Status rename(std::string_view from, std::string_view to, bool overwrite) override {
    return base_.rename(path(from), path(to), overwrite);
  }
  Result<FsHandle> opendir(std::string_view name) override;
  Status closedir(FsHandle h) override { return base_.closedir(h); }
  Result<std::optional<std::string>> readdir(FsHandle h) override { return base_.readdir(h); }
  bool can_keep(FsHandle h) const override { return base_.can_keep(h); }
  FsBackend& ree() override { return base_.ree(); }
  // The request with its dev_id set to the guest's device.
  Result<std::vector<uint8_t>> rpmb(std::span<const uint8_t> req, size_t resp_size) override;

 private:
  std::string path(std::string_view name) const { return root_ + std::string(name); }

  FsBackend& base_;
  const uint32_t guest_;
  const std::string root_;
};

}  // namespace swtee::os::storage
