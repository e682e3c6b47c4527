// The client UUID a TA sees for a login, given the UUID the client's core
// computed for it (the kernel's formula): the same on a local stack.
// Through a guest — remote/guest_suite.sh sets SWTEE_XTEST_GUEST_ID to the
// id its host gives the guest — the host's swtee-os gives the TA the
// guest's own identity (protocol/guest_identity.h); PUBLIC stays nil.
#pragma once

#include <tee_client_api.h>

#include <cstdint>
#include <cstdlib>

#include "common/uuid.h"
#include "protocol/guest_identity.h"

namespace xtest {

inline swtee::Uuid identity_seen_by_ta(uint32_t login, const swtee::Uuid& computed) {
  const char* guest = std::getenv("SWTEE_XTEST_GUEST_ID");
  if (guest == nullptr || login == TEEC_LOGIN_PUBLIC) return computed;
  return swtee::guests::guest_client_uuid(static_cast<uint32_t>(std::strtoul(guest, nullptr, 10)), computed);
}

}  // namespace xtest
