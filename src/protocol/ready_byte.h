// The ready byte: a stack part writes one byte on its --ready-fd once it
// serves, and the CLI (cli/stack.h) waits for it. swteed tells with it
// whether it is a guest (its tee0 is served by a host's TEE through the
// remote driver, docs/remote.md): a guest has no teepriv0, so no
// supplicant is started for it.
#pragma once

namespace swtee::ready {

inline constexpr char kServing = 'R';  // swteed with its own TEE, and the supplicant
inline constexpr char kGuest = 'G';    // swteed as a guest: no supplicant

}  // namespace swtee::ready
