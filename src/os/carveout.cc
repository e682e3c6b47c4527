#include "os/carveout.h"

#include "common/checked_math.h"
#include "protocol/conduit.h"

namespace swtee::os {

Result<Carveout> Carveout::adopt(UniqueFd memfd, unsigned channels) {
  if (channels == 0 || channels > conduit::kMaxChannels) return Error{EINVAL, "bad channel count"};
  ASSIGN_OR_RETURN(uint64_t size, seal_and_size(memfd.get()));
  if (size != static_cast<uint64_t>(channels) * conduit::kCarveoutSlotSize)
    return Error{EINVAL, "carve-out size is not channels * slot size"};
  ASSIGN_OR_RETURN(Mapping map, Mapping::map(memfd.get(), size, true));
  return Carveout(std::move(memfd), std::move(map), channels);
}

std::span<uint8_t> Carveout::slot(unsigned channel) const {
  if (channel >= channels_) return {};
  return map_.bytes().subspan(channel * conduit::kCarveoutSlotSize, conduit::kCarveoutSlotSize);
}

Result<size_t> Carveout::arg_offset(unsigned channel, uint64_t phys) const {
  if (channel >= channels_) return Error{EFAULT, "no such channel"};
  const uint64_t slot_base = conduit::kCarveoutPhysBase + uint64_t{channel} * conduit::kCarveoutSlotSize;
  if (phys < slot_base) return Error{EFAULT, "arg below the channel's slot"};
  const uint64_t off = phys - slot_base;
  if (off % alignof(uint64_t) != 0) return Error{EFAULT, "arg not aligned"};
  constexpr uint64_t kMinRoom = sizeof(optee::MsgArg) + optee::msg_arg_size(optee::kRpcMaxParams);
  if (!range_fits(off, kMinRoom, conduit::kCarveoutSlotSize)) return Error{EFAULT, "arg outside the slot"};
  return static_cast<size_t>(off);
}

}  // namespace swtee::os
