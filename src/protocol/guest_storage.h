// Where a guest's trusted storage lives in the REE FS (the state directory
// the supplicant serves). swtee-os builds every REE FS name of guest n's
// storage under guest_storage_root(n) and sends its RPMB requests with
// dev_id n; the supplicant keeps that emulated device's image in the same
// tree. Guest 0 (the host's own clients) is the REE FS root unchanged.
#pragma once

#include <cstdint>
#include <string>

namespace swtee::guests {

// The directory of every guest's tree, below the state directory.
inline constexpr const char* kGuestsDir = "guests";

// "" for guest 0, else "guests/<n>/" (n in decimal).
inline std::string guest_storage_root(uint32_t guest) {
  if (guest == 0) return {};
  return std::string(kGuestsDir) + "/" + std::to_string(guest) + "/";
}

}  // namespace swtee::guests
