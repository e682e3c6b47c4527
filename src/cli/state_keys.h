// The HUK of a state directory (cli/state_dir.h) and the check that the key
// is the one its objects were written with. Storage fails closed: a state
// dir that holds objects but whose HUK is missing, or is not the key its
// `huk.check` records, is refused before the stack starts, and only an
// explicit `swtee storage wipe|rekey` changes that (os/storage/README.md).
//
//   <state>/huk        32 random bytes, 0600 (created here on first start)
//   <state>/huk.check  hex HKDF(HUK, "swtee/huk-check/v1"): names the key, reveals nothing of it
#pragma once

#include <string>

#include "common/result.h"

namespace swtee::cli {

inline constexpr const char* kHukCheckFile = "huk.check";

// True when the state dir holds anything a HUK protects: an object tree
// with content, or an RPMB partition.
bool state_has_storage(const std::string& dir);

// At stack start: creates the HUK (and its check) in a dir without
// storage; otherwise the HUK must exist and match huk.check
// (EKEYREJECTED, with what to do, when it does not).
Status check_state_keys(const std::string& dir);

// Records huk.check for the HUK now in `dir` (`fresh`: a new random HUK
// first). Used by `swtee storage wipe|rekey` after the objects are gone.
Status adopt_state_key(const std::string& dir, bool fresh);

}  // namespace swtee::cli
