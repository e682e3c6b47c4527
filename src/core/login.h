// Client identity for OPEN_SESSION, computed from the socket's credentials
// (never from message fields), with the kernel's rules:
//   PUBLIC -> nil; USER -> uuid_v5(ns, "uid=%x"); GROUP -> the gid in
//   clnt_uuid[0..3] (native endian) must be the peer's gid or one of its
//   groups, else EPERM, -> uuid_v5(ns, "gid=%x"); REE_KERNEL range -> EPERM;
//   APPLICATION* and anything else -> EINVAL.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/seqpacket.h"
#include "common/uuid.h"

namespace swtee::core {

// 58ac9ca0-2086-4683-a1b8-ec4bc08e01b6
Uuid tee_client_uuid_ns();

Result<Uuid> client_uuid_for_login(uint32_t login, std::span<const uint8_t, 16> clnt_uuid, const PeerCred& peer,
                                   std::span<const gid_t> groups);

// A guest's context (Context::guest_id() != 0): the guest's core computed
// the identity with the rules above from its own client's credentials, and
// the host takes it as given — the guest id keeps guests apart. Only the
// methods that core can produce are accepted: PUBLIC (nil uuid), USER and
// GROUP; anything else EINVAL.
Result<Uuid> guest_client_uuid(uint32_t login, std::span<const uint8_t, 16> clnt_uuid);

}  // namespace swtee::core
