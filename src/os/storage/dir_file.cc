#include "os/storage/dir_file.h"

#include <cstring>
#include <set>

#include "common/checked_math.h"
#include "os/storage/storage_errors.h"

namespace swtee::os::storage {
namespace {

constexpr size_t align8(size_t n) { return (n + 7) & ~size_t{7}; }

std::vector<uint8_t> aad_for(const DirHeader& h, const Uuid& uuid) {
  std::vector<uint8_t> aad(sizeof(h) + uuid.octets.size());
  std::memcpy(aad.data(), &h, sizeof(h));
  std::memcpy(aad.data() + sizeof(h), uuid.octets.data(), uuid.octets.size());
  return aad;
}

DirEntryWire to_wire(const DirEntry& e) {
  DirEntryWire w{};
  if (!e.id.empty()) std::memcpy(w.id, e.id.data(), e.id.size());  // GP allows an empty id
  w.id_len = static_cast<uint8_t>(e.id.size());
  w.slot = e.slot;
  w.meta_len = e.version.meta_len;
  w.generation = e.version.generation;
  w.data_len = e.version.data_len;
  std::memcpy(w.uid, e.version.uid.data(), kUidSize);
  std::memcpy(w.salt, e.version.salt.data(), kSaltSize);
  w.phys[0] = e.phys[0];
  w.phys[1] = e.phys[1];
  w.inline_off = e.inline_off;
  w.inline_len = e.inline_len;
  return w;
}

// The plaintext is authenticated, but a HUK holder's bug must still not
// make us index out of range: validate every field before use.
Result<DirEntry> from_wire(const DirEntryWire& w, uint32_t payload_len) {
  if (w.id_len > kMaxObjectIdLen || w.slot > 1 || w.reserved != 0 || w.reserved2 != 0)
    return corrupt("directory entry");
  DirEntry e;
  e.id.assign(w.id, w.id + w.id_len);
  e.slot = w.slot;
  e.version.meta_len = w.meta_len;
  e.version.generation = w.generation;
  e.version.data_len = w.data_len;
  std::memcpy(e.version.uid.data(), w.uid, kUidSize);
  std::memcpy(e.version.salt.data(), w.salt, kSaltSize);
  e.phys[0] = w.phys[0];
  e.phys[1] = w.phys[1];
  e.inline_off = w.inline_off;
  e.inline_len = w.inline_len;
  auto size = object_file_size(e.version);
  if (!size) return corrupt("directory entry size");
  if (e.inline_len != 0 && (e.inline_len != *size || !range_fits(e.inline_off, e.inline_len, payload_len)))
    return corrupt("directory entry inline range");
  return e;
}

// One copy at `off`, or an error (kErrCorrupt when it does not authenticate).
Result<DirCommit> open_copy(const TaKeys& ta, uint16_t slot, Bytes file, size_t off) {
  if (!range_fits(off, kDirPrefix, file.size())) return corrupt("directory copy short");
  DirHeader h;
  std::memcpy(&h, file.data() + off, sizeof(h));  // snapshot once
  if (h.magic != kDirMagic || h.format != kDirFormat || h.slot != slot || (h.counter & 1) != slot ||
      h.counter == 0)
    return corrupt("directory header");
  if (h.entries > kMaxDirEntries || uint64_t{h.ct_len} != uint64_t{h.entries} * sizeof(DirEntryWire) ||
      !range_fits(off + kDirPrefix, h.ct_len, file.size()) || h.payload_len > kMaxDirPayload ||
      align8(h.payload_len) > off)
    return corrupt("directory length");
  Tag tag{};
  std::memcpy(tag.data(), file.data() + off + sizeof(h), tag.size());
  Nonce nonce{};
  std::memcpy(nonce.data(), h.nonce, nonce.size());
  std::vector<uint8_t> plain(h.ct_len);
  TRY_STATUS(
      gcm_open(ta.dir_key, nonce, aad_for(h, ta.uuid), file.subspan(off + kDirPrefix, h.ct_len), tag, plain));
  ASSIGN_OR_RETURN(Mac hash, sha256(file.subspan(0, h.payload_len)));
  if (!equal_ct(hash, Bytes(h.payload_hash, sizeof(h.payload_hash)))) return corrupt("directory payload");
  DirCommit c;
  c.state.counter = h.counter;
  c.state.entries.reserve(h.entries);
  std::set<std::vector<uint8_t>> ids;
  std::set<ObjectUid> uids;
  for (uint32_t i = 0; i < h.entries; ++i) {
    DirEntryWire w;
    std::memcpy(&w, plain.data() + size_t{i} * sizeof(w), sizeof(w));
    ASSIGN_OR_RETURN(DirEntry e, from_wire(w, h.payload_len));
    if (!ids.insert(e.id).second || !uids.insert(e.version.uid).second) return corrupt("duplicate entry");
    c.state.entries.push_back(std::move(e));
  }
  c.payload.assign(file.begin(), file.begin() + h.payload_len);
  return c;
}

bool plausible_header(Bytes file, size_t off) {
  uint32_t magic = 0;
  uint16_t format = 0;
  std::memcpy(&magic, file.data() + off, sizeof(magic));
  std::memcpy(&format, file.data() + off + offsetof(DirHeader, format), sizeof(format));
  return magic == kDirMagic && format == kDirFormat;
}

}  // namespace

Result<std::vector<uint8_t>> seal_dir(const TaKeys& ta, const DirState& d, Bytes payload) {
  if (d.entries.size() > kMaxDirEntries) return Error{ENOSPC, "too many objects"};
  if (payload.size() > kMaxDirPayload) return Error{ENOSPC, "directory payload too large"};
  std::vector<uint8_t> plain(d.entries.size() * sizeof(DirEntryWire));
  for (size_t i = 0; i < d.entries.size(); ++i) {
    const DirEntry& e = d.entries[i];
    if (e.id.size() > kMaxObjectIdLen) return Error{EINVAL, "object id length"};
    if (e.inline_len != 0 && !range_fits(e.inline_off, e.inline_len, payload.size()))
      return Error{EINVAL, "inline version outside the payload"};
    const DirEntryWire w = to_wire(e);
    std::memcpy(plain.data() + i * sizeof(w), &w, sizeof(w));
  }
  ASSIGN_OR_RETURN(Mac hash, sha256(payload));
  const size_t copy_len = kDirPrefix + plain.size();
  const size_t first = align8(payload.size());
  std::vector<uint8_t> out(first + 2 * copy_len);
  if (!payload.empty()) std::memcpy(out.data(), payload.data(), payload.size());
  for (int copy = 0; copy < 2; ++copy) {
    DirHeader h{};
    h.magic = kDirMagic;
    h.format = kDirFormat;
    h.slot = static_cast<uint16_t>(d.counter & 1);
    h.counter = d.counter;
    h.ct_len = static_cast<uint32_t>(plain.size());
    h.entries = static_cast<uint32_t>(d.entries.size());
    h.payload_len = static_cast<uint32_t>(payload.size());
    std::memcpy(h.payload_hash, hash.data(), hash.size());
    Nonce nonce{};
    TRY_STATUS(random_bytes(nonce));
    std::memcpy(h.nonce, nonce.data(), nonce.size());
    const size_t off = first + static_cast<size_t>(copy) * copy_len;
    std::memcpy(out.data() + off, &h, sizeof(h));
    Tag tag{};
    TRY_STATUS(gcm_seal(ta.dir_key, nonce, aad_for(h, ta.uuid), plain,
                        std::span<uint8_t>(out).subspan(off + kDirPrefix, plain.size()), &tag));
    std::memcpy(out.data() + off + sizeof(h), tag.data(), tag.size());
  }
  return out;
}

Result<DirCommit> open_dir(const TaKeys& ta, uint16_t slot, Bytes file) {
  // Every 8-aligned offset that looks like a header is tried: a file
  // rewritten in place may also carry copies of an older, longer commit
  // past the newest one, so the valid copy with the larger counter wins.
  std::optional<DirCommit> best;
  int valid = 0;
  Error last = corrupt("no directory copy");
  for (size_t off = 0; off + kDirPrefix <= file.size(); off += 8) {
    if (!plausible_header(file, off)) continue;
    auto c = open_copy(ta, slot, file, off);
    if (!c.ok()) {
      if (c.error().code != kErrCorrupt) return c.error();
      last = c.error();
      continue;
    }
    if (best && c->state.counter == best->state.counter) {
      ++valid;
      continue;
    }
    if (!best || c->state.counter > best->state.counter) {
      best = std::move(*c);
      valid = 1;
    }
  }
  if (!best) return last;
  best->valid_copies = valid;
  return std::move(*best);
}

std::optional<uint64_t> peek_dir_counter(Bytes file) {
  std::optional<uint64_t> best;
  for (size_t off = 0; off + kDirPrefix <= file.size(); off += 8) {
    if (!plausible_header(file, off)) continue;
    DirHeader h;
    std::memcpy(&h, file.data() + off, sizeof(h));
    if (h.counter == 0 || (h.counter & 1) != h.slot || h.slot > 1) continue;
    if (!best || h.counter > *best) best = h.counter;
  }
  return best;
}

}  // namespace swtee::os::storage
