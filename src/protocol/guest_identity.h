// The client UUID a TA sees for a client of guest n (docs/remote.md, "Who a
// guest is" and "What the host does for a guest"): a v5 UUID, under
// swtee's own namespace, of the guest id and the UUID the guest's core
// computed for the login, so no guest's identity equals the host's or
// another guest's. The host's swtee-os makes it (os::guest_client_identity,
// which also keeps PUBLIC nil and guest 0's identities as they are); the
// integration suite through a guest checks its TAs see exactly this.
#pragma once

#include <fmt/format.h>

#include <cstdint>

#include "common/uuid.h"

namespace swtee::guests {

inline Uuid guest_client_uuid(uint32_t guest, const Uuid& client) {
  // Its own namespace: no name under it is a name of core/login.h's.
  static const Uuid kGuestClientNs = *Uuid::parse("6e2b4a10-7c39-4d58-b1a2-3f4e5d6c7b90");
  return uuid_v5(kGuestClientNs, fmt::format("guest={:x};{}", guest, client.to_string()));
}

}  // namespace swtee::guests
