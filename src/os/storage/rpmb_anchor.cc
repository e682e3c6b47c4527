#include "os/storage/rpmb_anchor.h"

#include <algorithm>
#include <cstring>

#include "common/log.h"
#include "os/storage/fs_util.h"
#include "os/storage/storage_errors.h"
#include "os/storage/wire.h"

namespace swtee::os::storage {
namespace {

uint32_t get_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
void put_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
uint16_t get_be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
void put_be16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

bool is_free(const uint8_t* slot) {
  return std::all_of(slot, slot + kTaTagSize, [](uint8_t b) { return b == 0; });
}

uint64_t frame_offset(uint16_t block, int copy) { return (uint64_t{block} * 2 + static_cast<uint64_t>(copy)) * sizeof(RpmbFrame); }

}  // namespace

Result<Mac> RpmbAnchor::frame_mac(const RpmbFrame& f) const {
  const auto* p = reinterpret_cast<const uint8_t*>(&f);
  return hmac(key_, {Bytes(p + kRpmbMacOffset, sizeof(f) - kRpmbMacOffset)});
}

Status RpmbAnchor::load(FsBackend& fs) {
  if (loaded_) return ok_status();
  const size_t size = size_t{opts_.blocks} * 2 * sizeof(RpmbFrame);
  // Only the partition's own extent is read: bytes beyond it (a larger
  // partition configured earlier, or appended junk) are not ours.
  std::vector<uint8_t> file(size);
  auto h = fs.open(opts_.file);
  if (h.ok()) {
    FileCloser closer(fs, *h);
    ASSIGN_OR_RETURN(size_t got, fs.read(*h, 0, file));
    file.resize(got);
  } else if (h.error().code == ENOENT) {
    file.clear();
  } else {
    return h.error();
  }
  std::vector<Block> blocks(opts_.blocks);
  std::map<TaTag, Where> index;
  uint32_t counter = 0;
  for (uint16_t b = 0; b < opts_.blocks; ++b) {
    int best = -1;
    for (int c = 0; c < 2; ++c) {
      const uint64_t off = frame_offset(b, c);
      if (off + sizeof(RpmbFrame) > file.size()) continue;
      RpmbFrame f;
      std::memcpy(&f, file.data() + off, sizeof(f));
      ASSIGN_OR_RETURN(Mac mac, frame_mac(f));
      if (!equal_ct(mac, Bytes(f.key_mac, sizeof(f.key_mac))) || get_be16(f.address) != b ||
          get_be16(f.block_count) != 1 || get_be16(f.req_resp) != kRpmbRespWrite)
        continue;  // torn or forged: that copy does not exist
      const uint32_t wc = get_be32(f.write_counter);
      if (wc == 0) continue;
      blocks[b].copy_counter[c] = wc;
      counter = std::max(counter, wc);
      if (best < 0 || wc > blocks[b].copy_counter[best]) {
        best = c;
        std::memcpy(blocks[b].data.data(), f.data, sizeof(f.data));
      }
    }
    for (uint16_t i = 0; i < kAnchorSlotsPerBlock; ++i) {
      const uint8_t* s = blocks[b].data.data() + size_t{i} * kAnchorSlotSize;
      if (is_free(s)) continue;
      TaTag tag;
      std::memcpy(tag.data(), s, tag.size());
      index.emplace(tag, Where{b, i});
    }
  }
  if (counter == UINT32_MAX) return Error{ENOSPC, "RPMB write counter exhausted"};
  blocks_ = std::move(blocks);
  index_ = std::move(index);
  counter_ = counter;
  loaded_ = true;
  return ok_status();
}

Result<uint64_t> RpmbAnchor::read(FsBackend& fs, const TaTag& slot) {
  MutexLock l(mu_);
  TRY_STATUS(load(fs));
  auto it = index_.find(slot);
  if (it == index_.end()) return uint64_t{0};
  return get_le(blocks_[it->second.block].data, size_t{it->second.index} * kAnchorSlotSize + kTaTagSize, 8);
}

Status RpmbAnchor::advance(FsBackend& fs, const TaTag& slot, uint64_t value) {
  MutexLock l(mu_);
  TRY_STATUS(load(fs));
  Where w{};
  auto it = index_.find(slot);
  if (it != index_.end()) {
    w = it->second;
    if (get_le(blocks_[w.block].data, size_t{w.index} * kAnchorSlotSize + kTaTagSize, 8) >= value)
      return ok_status();
  } else {
    bool found = false;
    for (uint16_t b = 0; b < blocks_.size() && !found; ++b)
      for (uint16_t i = 0; i < kAnchorSlotsPerBlock && !found; ++i)
        if (is_free(blocks_[b].data.data() + size_t{i} * kAnchorSlotSize)) {
          w = {b, i};
          found = true;
        }
    if (!found) return Error{ENOSPC, "RPMB anchor full"};
  }
  if (counter_ == UINT32_MAX - 1) return Error{ENOSPC, "RPMB write counter exhausted"};

  Block& blk = blocks_[w.block];
  std::array<uint8_t, 256> data = blk.data;
  std::memcpy(data.data() + size_t{w.index} * kAnchorSlotSize, slot.data(), slot.size());
  put_le(data, size_t{w.index} * kAnchorSlotSize + kTaTagSize, value, 8);

  RpmbFrame f{};
  std::memcpy(f.data, data.data(), data.size());
  const uint32_t wc = counter_ + 1;
  put_be32(f.write_counter, wc);
  put_be16(f.address, w.block);
  put_be16(f.block_count, 1);
  put_be16(f.req_resp, kRpmbRespWrite);
  ASSIGN_OR_RETURN(Mac mac, frame_mac(f));
  std::memcpy(f.key_mac, mac.data(), mac.size());
  // Overwrite the older copy; the current one stays intact if this tears.
  const int copy = blk.copy_counter[0] <= blk.copy_counter[1] ? 0 : 1;
  blk.copy_counter[copy] = 0;  // unknown until the write is known to have landed
  ASSIGN_OR_RETURN(FsHandle h, open_or_create(fs, opts_.file));
  FileCloser closer(fs, h);
  TRY_STATUS(fs.write(h, frame_offset(w.block, copy),
                      Bytes(reinterpret_cast<const uint8_t*>(&f), sizeof(f))));
  blk.copy_counter[copy] = wc;
  blk.data = data;
  counter_ = wc;
  index_[slot] = w;
  return ok_status();
}

uint32_t RpmbAnchor::write_counter() const {
  MutexLock l(mu_);
  return counter_;
}

}  // namespace swtee::os::storage
