// RollbackAnchor on an emulated RPMB partition kept in its own REE FS file
// (default "rpmb.emu", outside the object tree). The file is a sequence of
// RPMB data frames (JEDEC layout, 512 B): each 256-byte block is stored as
// two frames, written alternately, and authenticated like RPMB: HMAC-SHA256
// with a HUK-derived key over frame bytes [228, 512) — data, nonce, write
// counter, address, block count, result, request — where the write counter
// is the partition's, one more on every write. The copy with the larger
// valid counter is current, so a torn frame write leaves the previous one.
// A block holds 10 slots {TA tag (16 B), counter (8 B)}.
//
// What it stops and what it cannot (README.md): rolling back or editing any
// other file of the state directory is detected, and the frames cannot be
// forged without the HUK. Rolling back, or deleting, the rpmb file itself
// together with the rest is not detectable — a real RPMB device (or a TPM
// NV counter) refuses that, a file cannot. Hence protection level 100.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "os/storage/rollback_anchor.h"
#include "os/storage/storage_crypto.h"

namespace swtee::os::storage {

struct RpmbFrame {
  uint8_t stuff[196];
  uint8_t key_mac[32];
  uint8_t data[256];
  uint8_t nonce[16];
  uint8_t write_counter[4];  // big endian, as on the wire
  uint8_t address[2];
  uint8_t block_count[2];
  uint8_t result[2];
  uint8_t req_resp[2];
};
static_assert(sizeof(RpmbFrame) == 512);
static_assert(offsetof(RpmbFrame, key_mac) == 196 && offsetof(RpmbFrame, data) == 228);
static_assert(offsetof(RpmbFrame, nonce) == 484 && offsetof(RpmbFrame, write_counter) == 500);
static_assert(offsetof(RpmbFrame, req_resp) == 510);

inline constexpr size_t kRpmbMacOffset = offsetof(RpmbFrame, data);
inline constexpr uint16_t kRpmbRespWrite = 0x0300;  // authenticated data write response
inline constexpr size_t kAnchorSlotSize = kTaTagSize + 8;
inline constexpr size_t kAnchorSlotsPerBlock = sizeof(RpmbFrame::data) / kAnchorSlotSize;

struct RpmbAnchorOptions {
  std::string file = "rpmb.emu";
  uint16_t blocks = 64;  // 640 TAs
};

class RpmbAnchor final : public RollbackAnchor {
 public:
  RpmbAnchor(const SecretKey& auth_key, RpmbAnchorOptions opts) : key_(auth_key), opts_(std::move(opts)) {}

  Result<uint64_t> read(FsBackend& fs, const TaTag& slot) override EXCLUDES(mu_);
  Status advance(FsBackend& fs, const TaTag& slot, uint64_t value) override EXCLUDES(mu_);
  uint32_t protection_level() const override { return 100; }

  // The partition's write counter (tests).
  uint32_t write_counter() const EXCLUDES(mu_);

 private:
  struct Block {
    std::array<uint8_t, 256> data{};
    uint32_t copy_counter[2] = {0, 0};  // 0: that copy is absent or invalid
  };
  struct Where {
    uint16_t block;
    uint16_t index;
  };

  Status load(FsBackend& fs) REQUIRES(mu_);
  Result<Mac> frame_mac(const RpmbFrame& f) const;

  const SecretKey key_;
  const RpmbAnchorOptions opts_;
  mutable Mutex mu_;
  bool loaded_ GUARDED_BY(mu_) = false;
  uint32_t counter_ GUARDED_BY(mu_) = 0;
  std::vector<Block> blocks_ GUARDED_BY(mu_);
  std::map<TaTag, Where> index_ GUARDED_BY(mu_);
};

}  // namespace swtee::os::storage
