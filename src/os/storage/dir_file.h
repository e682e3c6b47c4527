// The per-TA directory file: the list of a TA's objects and, for each, the
// version that is current. It is the single commit point of every update,
// and the one synchronous write an update needs (README.md, "Atomicity").
//
// Two files, "d0" and "d1" in the TA's directory, are rewritten in turn:
// commit n goes to d(n & 1), so a torn write only ever hits the older
// commit. Each file holds one commit:
//
//   payload ‖ copy ‖ copy
//
// - payload: the sealed object versions this commit carries inline (the
//   journal part: an update writes the object's new version and the
//   directory change together). Each is an object file image
//   (object_file.h), authenticated by its directory entry like a file.
// - copy: DirHeader (72 B, plain) ‖ tag (16 B) ‖ AES-256-GCM(entries),
//   key = dir key of the TA, nonce = random (a crash can reuse a counter),
//   AAD = header ‖ TA UUID. The header carries the payload's length and
//   SHA-256, so a copy that authenticates vouches for the payload too.
//   Both copies hold the same directory: one damaged copy loses nothing.
//
// The payload comes first, so a write torn before a copy is complete leaves
// no copy that authenticates. Readers find the copies by their header
// (8-byte aligned), so damage to one copy's length fields does not hide
// the other.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "os/storage/key_chain.h"
#include "os/storage/object_file.h"

namespace swtee::os::storage {

inline constexpr uint32_t kDirMagic = 0x52445753;  // "SWDR"
inline constexpr uint16_t kDirFormat = 2;
inline constexpr size_t kMaxObjectIdLen = 64;
inline constexpr uint32_t kMaxDirEntries = 16384;
inline constexpr uint32_t kMaxDirPayload = 1u << 20;

struct DirHeader {
  uint32_t magic;
  uint16_t format;
  uint16_t slot;
  uint64_t counter;
  uint32_t ct_len;
  uint32_t entries;
  uint8_t nonce[kNonceSize];
  uint32_t payload_len;
  uint8_t payload_hash[kMacSize];
};
static_assert(sizeof(DirHeader) == 72);
static_assert(offsetof(DirHeader, counter) == 8 && offsetof(DirHeader, nonce) == 24);
static_assert(offsetof(DirHeader, payload_len) == 36 && offsetof(DirHeader, payload_hash) == 40);

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
  uint64_t inline_off;  // where the version sits in the payload (inline_len != 0)
  uint32_t inline_len;  // 0: the version is in object file "<uid>.<slot>"
  uint32_t reserved2;
};
static_assert(sizeof(DirEntryWire) == 152);
static_assert(offsetof(DirEntryWire, meta_len) == 68 && offsetof(DirEntryWire, generation) == 72);
static_assert(offsetof(DirEntryWire, uid) == 88 && offsetof(DirEntryWire, phys) == 120);
static_assert(offsetof(DirEntryWire, inline_off) == 136 && offsetof(DirEntryWire, inline_len) == 144);

inline constexpr size_t kDirPrefix = sizeof(DirHeader) + kTagSize;
static_assert(kDirPrefix % 8 == 0 && sizeof(DirEntryWire) % 8 == 0);

struct DirEntry {
  std::vector<uint8_t> id;
  ObjectVersion version;
  uint8_t slot = 0;           // which object file ("<uid>.0" / ".1") holds (or will hold) `version`
  uint64_t phys[2] = {0, 0};  // bytes last written to each object file (for truncation)
  uint64_t inline_off = 0;    // inline_len != 0: `version` is payload[inline_off, +inline_len)
  uint32_t inline_len = 0;
};

struct DirState {
  uint64_t counter = 0;  // 0: nothing committed yet
  std::vector<DirEntry> entries;
};

struct DirCommit {
  DirState state;
  std::vector<uint8_t> payload;  // the inline versions the entries point into
  int valid_copies = 0;          // 1 or 2
};

// The bytes of d(d.counter & 1): payload, then two sealed copies of `d`.
// Every inline entry must lie inside `payload`.
Result<std::vector<uint8_t>> seal_dir(const TaKeys& ta, const DirState& d, Bytes payload);
// `slot`: which file the bytes came from. kErrCorrupt when no copy
// authenticates (or the one that does is not consistent with the payload).
Result<DirCommit> open_dir(const TaKeys& ta, uint16_t slot, Bytes file);
// The counter a copy's plain header claims, without authenticating it (the
// operator's anchor reset, which has no TA keys). nullopt: no plausible copy.
std::optional<uint64_t> peek_dir_counter(Bytes file);

}  // namespace swtee::os::storage
