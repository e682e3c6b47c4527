// The emulated RPMB device behind OPTEE_RPC_CMD_RPMB (protocol/optee_rpmb.h),
// as tee-supplicant's RPMB_EMU, but kept in a file so it persists: the
// authentication key (programmed once, never readable through the
// protocol), the write counter and 512 blocks of 256 B (128 KiB).
// Authenticated writes must carry the current counter and a valid MAC;
// reads and the counter come back MACed with the key and the caller's nonce.
//
// Image layout (RpmbImage, "rpmb.emu" in the REE FS root):
//   [0, 256)   the key record, twice (magic ‖ key ‖ SHA-256), written once
//   [256, ...) per block two records {be32 counter ‖ data ‖ SHA-256}; a
//              write replaces the older record, so a torn write keeps the
//              block's previous content. The device counter is the largest
//              counter of any valid record.
// The file is not secret to the REE (nothing in an emulation can be): the
// secure side's protection level stays 100 (os/storage/README.md).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"

namespace swtee::supp {

class ReeFs;

class RpmbImage {
 public:
  virtual ~RpmbImage() = default;
  // The whole image (empty when it does not exist yet).
  virtual Result<std::vector<uint8_t>> load() = 0;
  // Durable when it returns.
  virtual Status store(uint64_t offset, std::span<const uint8_t> bytes) = 0;
};

// The image as a file of the REE FS (O_SYNC unless --fast-storage).
class ReeFsRpmbImage final : public RpmbImage {
 public:
  ReeFsRpmbImage(ReeFs& fs, std::string name) : fs_(fs), name_(std::move(name)) {}
  Result<std::vector<uint8_t>> load() override;
  Status store(uint64_t offset, std::span<const uint8_t> bytes) override;

 private:
  ReeFs& fs_;
  const std::string name_;
};

inline constexpr uint16_t kRpmbEmuBlocks = 512;
// The device image in the REE FS root (the state directory).
inline constexpr const char* kRpmbImageFile = "rpmb.emu";

// Device 0 is `image`. With `guests_fs`, dev_id n (1..65535) is guest n's
// own device (protocol/guest_storage.h), its image kImageFile in the
// guest's tree, made on first use; without, other dev_ids are not found.
class RpmbEmu {
 public:
  explicit RpmbEmu(RpmbImage& image, ReeFs* guests_fs = nullptr);
  ~RpmbEmu();
  // Serves one request (RpmbReq ‖ frames) into `resp`; a TEEC result.
  uint32_t handle(std::span<const uint8_t> req, std::span<uint8_t> resp) EXCLUDES(mu_, guests_mu_);

 private:
  struct GuestDevice;
  uint32_t handle_own(std::span<const uint8_t> req, std::span<uint8_t> resp) EXCLUDES(mu_);

  RpmbImage& image_;
  ReeFs* const guests_fs_;
  Mutex mu_;  // one request at a time, as a device
  Mutex guests_mu_;
  std::map<uint16_t, std::unique_ptr<GuestDevice>> guests_ GUARDED_BY(guests_mu_);
};

// One request served in-process by the device in `fs` (operator tools and
// tests that use the REE FS without the RPC hop); errors as EIO/EINVAL.
Result<std::vector<uint8_t>> rpmb_in_process(ReeFs& fs, std::span<const uint8_t> req, size_t resp_size);
// The same over any image.
Result<std::vector<uint8_t>> rpmb_in_process(RpmbImage& image, std::span<const uint8_t> req,
                                             size_t resp_size);

}  // namespace swtee::supp
