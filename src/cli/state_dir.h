// The secure-storage state directory (`swtee run --state`, `swtee daemon
// --state`, `swtee storage`): its layout and format version.
//
//   <state>/VERSION    "2\n": the format of everything below (checked at start)
//   <state>/huk        the HUK file, 0600, opened by swteed for swtee-os only
//   <state>/huk.check  names the HUK (cli/state_keys.h)
//   <state>/rpmb.emu   the emulated RPMB partition (rollback anchor)
//   <state>/sst.v2/    the object tree (os/storage/README.md)
//   <state>/guests/N/  guest N's own rpmb.emu and sst.v2/, under keys
//                      derived from the same HUK (protocol/guest_storage.h)
//
// Format 1 (sst.v1/, one directory copy per file, no huk.check) is not
// read: a format-1 dir that holds objects is refused with what to do
// (`swtee storage wipe` upgrades it); an empty one is upgraded in place.
//
// The supplicant's REE FS root is <state> itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace swtee::cli {

inline constexpr int kStateFormat = 2;
inline constexpr const char* kFormat1Tree = "sst.v1";
inline constexpr const char* kStateVersionFile = "VERSION";
inline constexpr const char* kHukFile = "huk";

// Creates `dir` (0700) if missing and writes VERSION into a new (or empty
// format-1) directory; refuses another format, or format 1 with objects
// (EPROTO), or a directory that group/other can access (EPERM).
Status prepare_state_dir(const std::string& dir);
// As prepare_state_dir, but never creates anything (ENOENT when absent).
Status check_state_dir(const std::string& dir);
// Writes the current VERSION (after `swtee storage wipe` emptied the dir).
Status stamp_state_dir(const std::string& dir);
// The guests that have a tree in `dir` (guests/N with N a canonical decimal
// 1..65535), in ascending order.
std::vector<uint32_t> state_guests(const std::string& dir);

}  // namespace swtee::cli
