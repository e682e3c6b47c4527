// The secure-storage state directory (`swtee run --state`, `swtee daemon
// --state`, `swtee storage`): its layout and format version.
//
//   <state>/VERSION   "1\n": the format of everything below (checked at start)
//   <state>/huk       the HUK file, 0600, opened by swteed for swtee-os only
//   <state>/rpmb.emu  the emulated RPMB partition (rollback anchor)
//   <state>/sst.v1/   the object tree (os/storage/README.md)
//
// The supplicant's REE FS root is <state> itself.
#pragma once

#include <string>

#include "common/result.h"

namespace swtee::cli {

inline constexpr int kStateFormat = 1;
inline constexpr const char* kStateVersionFile = "VERSION";
inline constexpr const char* kHukFile = "huk";

// Creates `dir` (0700) if missing and writes VERSION into a new or
// pre-VERSION (format 1) directory; refuses another format (EPROTO) or a
// directory that group/other can access (EPERM).
Status prepare_state_dir(const std::string& dir);
// As prepare_state_dir, but never creates anything (ENOENT when absent).
Status check_state_dir(const std::string& dir);

}  // namespace swtee::cli
