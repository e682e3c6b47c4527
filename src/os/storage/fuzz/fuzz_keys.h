// The fixed TA keys the storage fuzz targets (and their seed corpus) use, so
// seeds can be valid sealed files that mutations start from.
#pragma once

#include <array>
#include <cstdint>

#include "common/uuid.h"
#include "os/storage/key_chain.h"

namespace swtee::os::storage::fuzz {

inline const TaKeys& keys() {
  static const TaKeys* k = [] {
    std::array<uint8_t, kHukSize> b{};
    for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(0x40 + i);
    auto chain = KeyChain::create(*Huk::from_bytes(b));
    Uuid u;
    for (size_t i = 0; i < u.octets.size(); ++i) u.octets[i] = static_cast<uint8_t>(i * 11);
    return new TaKeys(*chain->for_ta(u));
  }();
  return *k;
}

}  // namespace swtee::os::storage::fuzz
