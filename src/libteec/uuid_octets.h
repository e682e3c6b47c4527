// TEEC_UUID (host-endian fields) <-> the 16 RFC 4122 big-endian octets the
// UAPI carries.
#pragma once

#include <array>
#include <cstdint>

#include "tee_client_api.h"

namespace swtee::teec {

constexpr std::array<uint8_t, 16> uuid_octets(const TEEC_UUID& u) {
  std::array<uint8_t, 16> o{};
  o[0] = static_cast<uint8_t>(u.timeLow >> 24);
  o[1] = static_cast<uint8_t>(u.timeLow >> 16);
  o[2] = static_cast<uint8_t>(u.timeLow >> 8);
  o[3] = static_cast<uint8_t>(u.timeLow);
  o[4] = static_cast<uint8_t>(u.timeMid >> 8);
  o[5] = static_cast<uint8_t>(u.timeMid);
  o[6] = static_cast<uint8_t>(u.timeHiAndVersion >> 8);
  o[7] = static_cast<uint8_t>(u.timeHiAndVersion);
  for (int i = 0; i < 8; ++i) o[8 + i] = u.clockSeqAndNode[i];
  return o;
}

}  // namespace swtee::teec
