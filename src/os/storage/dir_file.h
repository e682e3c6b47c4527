// The per-TA directory file: the list of a TA's objects and, for each, the
// version that is current. It is the single commit point of every update.
//
// Two copies, files "d0" and "d1" in the TA's directory, are rewritten in
// turn: commit n goes to d(n & 1), so a torn write only ever hits the older
// copy. The valid copy with the larger counter is current; the counter is
// also checked against the rollback anchor (rollback_anchor.h).
//
//   DirHeader (40 B, plain) ‖ tag (16 B) ‖ AES-256-GCM(entries)
//   key = dir key of the TA, nonce = random (in the header; a crash can
//   reuse a counter, so nonces are never derived from it), AAD = header ‖
//   TA UUID. The header's slot must match the file it was read from.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "os/storage/key_chain.h"
#include "os/storage/object_file.h"

namespace swtee::os::storage {

inline constexpr uint32_t kDirMagic = 0x52445753;  // "SWDR"
inline constexpr uint16_t kDirFormat = 1;
inline constexpr size_t kMaxObjectIdLen = 64;
inline constexpr uint32_t kMaxDirEntries = 16384;

struct DirHeader {
  uint32_t magic;
  uint16_t format;
  uint16_t slot;
  uint64_t counter;
  uint32_t ct_len;
  uint32_t entries;
  uint8_t nonce[kNonceSize];
  uint32_t reserved;
};
static_assert(sizeof(DirHeader) == 40);
static_assert(offsetof(DirHeader, counter) == 8 && offsetof(DirHeader, nonce) == 24);

struct DirEntryWire {
  uint8_t id[kMaxObjectIdLen];
  uint8_t id_len;
  uint8_t slot;
  uint16_t reserved;
  uint32_t meta_len;
  uint64_t generation;
  uint64_t data_len;
  uint8_t uid[kUidSize];
  uint8_t salt[kSaltSize];
  uint64_t phys[2];
};
static_assert(sizeof(DirEntryWire) == 136);
static_assert(offsetof(DirEntryWire, meta_len) == 68 && offsetof(DirEntryWire, generation) == 72);
static_assert(offsetof(DirEntryWire, uid) == 88 && offsetof(DirEntryWire, phys) == 120);

inline constexpr size_t kDirPrefix = sizeof(DirHeader) + kTagSize;

struct DirEntry {
  std::vector<uint8_t> id;
  ObjectVersion version;
  uint8_t slot = 0;        // which object file ("<uid>.0" / ".1") holds `version`
  uint64_t phys[2] = {0, 0};  // bytes last written to each object file (for truncation)
};

struct DirState {
  uint64_t counter = 0;  // 0: nothing committed yet
  std::vector<DirEntry> entries;
};

Result<std::vector<uint8_t>> seal_dir(const TaKeys& ta, const DirState& d);
// `slot`: which file the bytes came from. Bytes past the sealed length are
// ignored (left by an earlier, longer commit).
Result<DirState> open_dir(const TaKeys& ta, uint16_t slot, Bytes file);

}  // namespace swtee::os::storage
