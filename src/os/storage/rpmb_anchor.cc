#include "os/storage/rpmb_anchor.h"

#include <algorithm>
#include <cstring>
#include <optional>

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
  return current(slot);
}

uint64_t RpmbAnchor::current(const TaTag& slot) const {
  auto it = index_.find(slot);
  if (it == index_.end()) return 0;
  return get_le(blocks_[it->second.block], size_t{it->second.index} * kAnchorSlotSize + kTaTagSize, 8);
}

Status RpmbAnchor::advance(FsBackend& fs, const TaTag& slot, uint64_t value) {
  {
    MutexLock q(queue_mu_);
    uint64_t& v = queue_[slot];
    v = std::max(v, value);
  }
  MutexLock l(mu_);
  TRY_STATUS(load(fs));
  // A writer that had the device before us may have carried our value.
  if (current(slot) >= value) return ok_status();
  std::map<TaTag, uint64_t> batch;
  {
    MutexLock q(queue_mu_);
    batch.swap(queue_);
  }
  // Ours may have gone with a batch whose write failed: it is ours to write.
  uint64_t& mine = batch[slot];
  mine = std::max(mine, value);
  return write_batch(fs, batch, slot);
}

std::optional<RpmbAnchor::Where> RpmbAnchor::free_slot(
    const std::map<uint16_t, std::vector<uint8_t>>& touched) const {
  for (uint16_t b = 0; b < blocks_.size(); ++b) {
    const auto t = touched.find(b);
    const std::vector<uint8_t>& data = t != touched.end() ? t->second : blocks_[b];
    for (uint16_t i = 0; i < kAnchorSlotsPerBlock; ++i)
      if (is_free(data.data() + size_t{i} * kAnchorSlotSize)) return Where{b, i};
  }
  return std::nullopt;
}

Status RpmbAnchor::write_batch(FsBackend& fs, const std::map<TaTag, uint64_t>& batch, const TaTag& first) {
  // The new content of each touched block, from the cached blocks.
  std::map<uint16_t, std::vector<uint8_t>> touched;
  std::map<TaTag, Where> placed;
  std::optional<uint16_t> first_block;
  for (const auto& [slot, value] : batch) {
    if (current(slot) >= value) continue;  // never goes down; already carried
    Where w{};
    if (auto it = index_.find(slot); it != index_.end()) {
      w = it->second;
    } else if (auto f = free_slot(touched)) {
      w = *f;
    } else {
      if (slot == first) return Error{ENOSPC, "RPMB anchor full"};
      continue;  // its own advance finds no room and says so
    }
    auto t = touched.try_emplace(w.block, blocks_[w.block]).first;
    std::memcpy(t->second.data() + size_t{w.index} * kAnchorSlotSize, slot.data(), slot.size());
    put_le(t->second, size_t{w.index} * kAnchorSlotSize + kTaTagSize, value, 8);
    placed[slot] = w;
    if (slot == first) first_block = w.block;
  }
  // `first`'s block first: its advance succeeds once that write lands, even
  // if a later block's write fails (those slots' own advances retry).
  std::vector<uint16_t> order;
  if (first_block) order.push_back(*first_block);
  for (const auto& [b, data] : touched)
    if (!first_block || b != *first_block) order.push_back(b);
  for (uint16_t b : order) {
    auto s = client_.write(fs, static_cast<uint16_t>(opts_.first_block + b), touched[b]);
    if (!s.ok()) {
      loaded_ = false;  // the device's state is unknown: read it again next time
      if (first_block && b != *first_block) return ok_status();
      return s;
    }
    blocks_[b] = std::move(touched[b]);
    for (const auto& [slot, w] : placed)
      if (w.block == b) index_[slot] = w;
  }
  return ok_status();
}

size_t RpmbAnchor::queued() const {
  MutexLock q(queue_mu_);
  return queue_.size();
}

uint32_t RpmbAnchor::write_counter() const {
  MutexLock l(mu_);
  return client_.write_counter();
}

}  // namespace swtee::os::storage
