#include "os/storage/dir_file.h"

#include <cstring>
#include <set>

#include "common/checked_math.h"
#include "os/storage/storage_errors.h"

namespace swtee::os::storage {
namespace {

std::vector<uint8_t> aad_for(const DirHeader& h, const Uuid& uuid) {
  std::vector<uint8_t> aad(sizeof(h) + uuid.octets.size());
  std::memcpy(aad.data(), &h, sizeof(h));
  std::memcpy(aad.data() + sizeof(h), uuid.octets.data(), uuid.octets.size());
  return aad;
}

DirEntryWire to_wire(const DirEntry& e) {
  DirEntryWire w{};
  std::memcpy(w.id, e.id.data(), e.id.size());
  w.id_len = static_cast<uint8_t>(e.id.size());
  w.slot = e.slot;
  w.meta_len = e.version.meta_len;
  w.generation = e.version.generation;
  w.data_len = e.version.data_len;
  std::memcpy(w.uid, e.version.uid.data(), kUidSize);
  std::memcpy(w.salt, e.version.salt.data(), kSaltSize);
  w.phys[0] = e.phys[0];
  w.phys[1] = e.phys[1];
  return w;
}

// The plaintext is authenticated, but a HUK holder's bug must still not
// make us index out of range: validate every field before use.
Result<DirEntry> from_wire(const DirEntryWire& w) {
  if (w.id_len == 0 || w.id_len > kMaxObjectIdLen || w.slot > 1) return corrupt("directory entry");
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
  if (!object_file_size(e.version)) return corrupt("directory entry size");
  return e;
}

}  // namespace

Result<std::vector<uint8_t>> seal_dir(const TaKeys& ta, const DirState& d) {
  if (d.entries.size() > kMaxDirEntries) return Error{ENOSPC, "too many objects"};
  std::vector<uint8_t> plain(d.entries.size() * sizeof(DirEntryWire));
  for (size_t i = 0; i < d.entries.size(); ++i) {
    const DirEntry& e = d.entries[i];
    if (e.id.empty() || e.id.size() > kMaxObjectIdLen) return Error{EINVAL, "object id length"};
    const DirEntryWire w = to_wire(e);
    std::memcpy(plain.data() + i * sizeof(w), &w, sizeof(w));
  }
  DirHeader h{};
  h.magic = kDirMagic;
  h.format = kDirFormat;
  h.slot = static_cast<uint16_t>(d.counter & 1);
  h.counter = d.counter;
  h.ct_len = static_cast<uint32_t>(plain.size());
  h.entries = static_cast<uint32_t>(d.entries.size());
  Nonce nonce{};
  TRY_STATUS(random_bytes(nonce));
  std::memcpy(h.nonce, nonce.data(), nonce.size());
  std::vector<uint8_t> out(kDirPrefix + plain.size());
  std::memcpy(out.data(), &h, sizeof(h));
  Tag tag{};
  TRY_STATUS(gcm_seal(ta.dir_key, nonce, aad_for(h, ta.uuid), plain,
                      std::span<uint8_t>(out).subspan(kDirPrefix), &tag));
  std::memcpy(out.data() + sizeof(h), tag.data(), tag.size());
  return out;
}

Result<DirState> open_dir(const TaKeys& ta, uint16_t slot, Bytes file) {
  if (file.size() < kDirPrefix) return corrupt("directory file short");
  DirHeader h;
  std::memcpy(&h, file.data(), sizeof(h));  // snapshot once
  if (h.magic != kDirMagic || h.format != kDirFormat || h.slot != slot || (h.counter & 1) != slot ||
      h.counter == 0 || h.reserved != 0)
    return corrupt("directory header");
  if (h.entries > kMaxDirEntries || uint64_t{h.ct_len} != uint64_t{h.entries} * sizeof(DirEntryWire) ||
      !range_fits(kDirPrefix, h.ct_len, file.size()))
    return corrupt("directory length");
  Tag tag{};
  std::memcpy(tag.data(), file.data() + sizeof(h), tag.size());
  Nonce nonce{};
  std::memcpy(nonce.data(), h.nonce, nonce.size());
  std::vector<uint8_t> plain(h.ct_len);
  TRY_STATUS(gcm_open(ta.dir_key, nonce, aad_for(h, ta.uuid), file.subspan(kDirPrefix, h.ct_len), tag, plain));
  DirState d;
  d.counter = h.counter;
  d.entries.reserve(h.entries);
  std::set<std::vector<uint8_t>> ids;
  std::set<ObjectUid> uids;
  for (uint32_t i = 0; i < h.entries; ++i) {
    DirEntryWire w;
    std::memcpy(&w, plain.data() + size_t{i} * sizeof(w), sizeof(w));
    ASSIGN_OR_RETURN(DirEntry e, from_wire(w));
    if (!ids.insert(e.id).second || !uids.insert(e.version.uid).second) return corrupt("duplicate entry");
    d.entries.push_back(std::move(e));
  }
  return d;
}

}  // namespace swtee::os::storage
