#include "os/storage/rpmb_anchor.h"

#include <algorithm>
#include <cstring>

#include "os/storage/wire.h"

namespace swtee::os::storage {
namespace {

bool is_free(const uint8_t* slot) {
  return std::all_of(slot, slot + kTaTagSize, [](uint8_t b) { return b == 0; });
}

}  // namespace

Status RpmbAnchor::load(FsBackend& fs) {
  if (loaded_) return ok_status();
  // All slot blocks in one device read.
  ASSIGN_OR_RETURN(std::optional<std::vector<uint8_t>> all,
                   client_.read(fs, opts_.first_block, opts_.blocks));
  std::vector<std::vector<uint8_t>> blocks(opts_.blocks, std::vector<uint8_t>(kAnchorBlockSize, 0));
  std::map<TaTag, Where> index;
  if (all) {
    for (uint16_t b = 0; b < opts_.blocks; ++b) {
      std::memcpy(blocks[b].data(), all->data() + size_t{b} * kAnchorBlockSize, kAnchorBlockSize);
      for (uint16_t i = 0; i < kAnchorSlotsPerBlock; ++i) {
        const uint8_t* s = blocks[b].data() + size_t{i} * kAnchorSlotSize;
        if (is_free(s)) continue;
        TaTag tag;
        std::memcpy(tag.data(), s, tag.size());
        index.emplace(tag, Where{b, i});
      }
    }
  }
  blocks_ = std::move(blocks);
  index_ = std::move(index);
  loaded_ = true;
  return ok_status();
}

Result<uint64_t> RpmbAnchor::read(FsBackend& fs, const TaTag& slot) {
  MutexLock l(mu_);
  TRY_STATUS(load(fs));
  auto it = index_.find(slot);
  if (it == index_.end()) return uint64_t{0};
  return get_le(blocks_[it->second.block], size_t{it->second.index} * kAnchorSlotSize + kTaTagSize, 8);
}

Status RpmbAnchor::advance(FsBackend& fs, const TaTag& slot, uint64_t value) {
  MutexLock l(mu_);
  TRY_STATUS(load(fs));
  Where w{};
  auto it = index_.find(slot);
  if (it != index_.end()) {
    w = it->second;
    if (get_le(blocks_[w.block], size_t{w.index} * kAnchorSlotSize + kTaTagSize, 8) >= value)
      return ok_status();
  } else {
    bool found = false;
    for (uint16_t b = 0; b < blocks_.size() && !found; ++b)
      for (uint16_t i = 0; i < kAnchorSlotsPerBlock && !found; ++i)
        if (is_free(blocks_[b].data() + size_t{i} * kAnchorSlotSize)) {
          w = {b, i};
          found = true;
        }
    if (!found) return Error{ENOSPC, "RPMB anchor full"};
  }
  std::vector<uint8_t> data = blocks_[w.block];
  std::memcpy(data.data() + size_t{w.index} * kAnchorSlotSize, slot.data(), slot.size());
  put_le(data, size_t{w.index} * kAnchorSlotSize + kTaTagSize, value, 8);
  auto s = client_.write(fs, static_cast<uint16_t>(opts_.first_block + w.block), data);
  if (!s.ok()) {
    loaded_ = false;  // the device's state is unknown: read it again next time
    return s;
  }
  blocks_[w.block] = std::move(data);
  index_[slot] = w;
  return ok_status();
}

uint32_t RpmbAnchor::write_counter() const {
  MutexLock l(mu_);
  return client_.write_counter();
}

}  // namespace swtee::os::storage
