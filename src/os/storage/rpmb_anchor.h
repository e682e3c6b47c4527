// RollbackAnchor on the RPMB device (rpmb_client.h): the first `blocks`
// 256-byte blocks of the partition hold 10 slots each {TA tag (16 B),
// counter (8 B, LE)}. Reads and writes are authenticated by the device
// protocol (HUK-derived key, write counter, nonces), so the normal world
// can neither forge nor replay a slot. A device write is atomic per block,
// so a torn write leaves the previous value.
//
// What it stops and what it cannot (README.md): rolling back or editing any
// other file of the state directory is detected. The device is emulated by
// the supplicant in a file; restoring or deleting that file together with
// everything else is not detectable by this side (a real RPMB device
// refuses that), hence protection level 100. A deleted device image reads
// as a blank device (no key), and TaStore refuses stores it cannot vouch
// for.
//
// Group commit: advances from concurrent commits (each TA commits under its
// own lock, so they come from different TAs) queue their {slot, value}; the
// thread that gets the device next writes everything queued by then, one
// device write per touched block, and the others find their value already
// there. No window opens: every advance returns only once a device write
// that carries its value has landed.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

#include "common/thread_annotations.h"
#include "os/storage/rollback_anchor.h"
#include "os/storage/rpmb_client.h"

namespace swtee::os::storage {

inline constexpr size_t kAnchorSlotSize = kTaTagSize + 8;
inline constexpr size_t kAnchorBlockSize = 256;
inline constexpr size_t kAnchorSlotsPerBlock = kAnchorBlockSize / kAnchorSlotSize;

struct RpmbAnchorOptions {
  uint16_t first_block = 0;
  uint16_t blocks = 64;  // 640 TAs
};

class RpmbAnchor final : public RollbackAnchor {
 public:
  RpmbAnchor(const SecretKey& rpmb_key, RpmbAnchorOptions opts) : client_(rpmb_key), opts_(opts) {}

  Result<uint64_t> read(FsBackend& fs, const TaTag& slot) override EXCLUDES(mu_);
  Status advance(FsBackend& fs, const TaTag& slot, uint64_t value) override EXCLUDES(mu_, queue_mu_);
  uint32_t protection_level() const override { return 100; }

  // The device's write counter as last seen (tests).
  uint32_t write_counter() const EXCLUDES(mu_);
  // Advances queued and not yet taken by a writer (tests).
  size_t queued() const EXCLUDES(queue_mu_);

 private:
  struct Where {
    uint16_t block;
    uint16_t index;
  };

  Status load(FsBackend& fs) REQUIRES(mu_);
  // A free slot, in the cached blocks as `touched` (block -> new content)
  // changes them; nullopt when the partition is full.
  std::optional<Where> free_slot(const std::map<uint16_t, std::vector<uint8_t>>& touched) const REQUIRES(mu_);
  // The anchored value of `slot` as the device holds it (loaded).
  uint64_t current(const TaTag& slot) const REQUIRES(mu_);
  // Writes `batch` (slot -> value), `first`'s block first; ENOSPC when
  // `first` has no slot left. Other slots that find no room are left out
  // (their own advance reports it).
  Status write_batch(FsBackend& fs, const std::map<TaTag, uint64_t>& batch, const TaTag& first) REQUIRES(mu_);

  // The device and its cached state; held across device I/O.
  mutable Mutex mu_;
  // Advances waiting for a writer: slot -> highest value asked.
  mutable Mutex queue_mu_;  // taken alone, or inside mu_
  std::map<TaTag, uint64_t> queue_ GUARDED_BY(queue_mu_);
  RpmbClient client_ GUARDED_BY(mu_);
  const RpmbAnchorOptions opts_;
  bool loaded_ GUARDED_BY(mu_) = false;
  std::vector<std::vector<uint8_t>> blocks_ GUARDED_BY(mu_);
  std::map<TaTag, Where> index_ GUARDED_BY(mu_);
};

}  // namespace swtee::os::storage
