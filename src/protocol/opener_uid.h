// swtee's extension of OPTEE_MSG_CMD_OPEN_SESSION: the uid of the client
// opening the session. OPEN_SESSION's first meta param holds the TA's UUID
// in value.a and value.b; OP-TEE leaves its value.c unused (Linux's driver
// sends 0 there, OP-TEE ignores it). swteed's driver puts the opener's uid
// there, flagged, so swtee-os can give each uid a share of its own pools
// (docs/architecture.md, "Per-uid shares"). A real OP-TEE ignores the word.
//
//   0                        no uid: a driver that does not know it (Linux's),
//                            a guest's client, swteed's own status query
//   kOpenerUidPresent | uid  the opener's uid (0 .. 2^32 - 2)
//
// Anything else is malformed: swtee-os answers BAD_PARAMETERS.
#pragma once

#include <cstdint>
#include <optional>

namespace swtee::optee {

inline constexpr uint64_t kOpenerUidPresent = 1ull << 32;
inline constexpr uint32_t kNoUid = 0xffffffffu;  // (uid_t)-1: never a uid

// The value.c word of OPEN_SESSION's first meta param.
constexpr uint64_t opener_uid_word(std::optional<uint32_t> uid) { return uid ? kOpenerUidPresent | *uid : 0; }

struct OpenerUid {
  bool valid = false;
  std::optional<uint32_t> uid;  // nullopt: none given
};

constexpr OpenerUid decode_opener_uid(uint64_t word) {
  if (word == 0) return {true, std::nullopt};
  if ((word >> 32) != (kOpenerUidPresent >> 32)) return {};
  const auto uid = static_cast<uint32_t>(word);
  if (uid == kNoUid) return {};
  return {true, uid};
}

}  // namespace swtee::optee
