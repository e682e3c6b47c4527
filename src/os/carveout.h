// The carve-out ("reserved shared memory"): one slot of
// conduit::kCarveoutSlotSize bytes per channel, mapped from the memfd the
// driver hands over on fd 3. The normal world writes it concurrently; every
// read of it is a snapshot (see msg_decode.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/shm_file.h"
#include "common/unique_fd.h"

namespace swtee::os {

class Carveout {
 public:
  // Checks the memfd's seals (shrink+grow) and that its size is exactly
  // channels * kCarveoutSlotSize, then maps it. EINVAL otherwise.
  static Result<Carveout> adopt(UniqueFd memfd, unsigned channels);

  unsigned channels() const { return channels_; }
  uint64_t size() const { return map_.size(); }
  std::span<uint8_t> slot(unsigned channel) const;

  // Validates a call's arg "physical address" for `channel`: inside the
  // carve-out, inside that channel's own slot, 8-byte aligned, with room for
  // at least an arg header plus a full RPC arg behind it. Returns the offset
  // of the arg inside the slot; EFAULT otherwise (the caller answers EBADADDR).
  Result<size_t> arg_offset(unsigned channel, uint64_t phys) const;

 private:
  Carveout(UniqueFd fd, Mapping map, unsigned channels)
      : fd_(std::move(fd)), map_(std::move(map)), channels_(channels) {}
  UniqueFd fd_;
  Mapping map_;
  unsigned channels_ = 0;
};

}  // namespace swtee::os
