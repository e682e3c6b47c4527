#include "core/login.h"

#include <algorithm>
#include <cstring>

#include <fmt/core.h>
#include <swtee/uapi/tee.h>

namespace swtee::core {

Uuid tee_client_uuid_ns() {
  static const Uuid ns = *Uuid::parse("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6");
  return ns;
}

Result<Uuid> client_uuid_for_login(uint32_t login, std::span<const uint8_t, 16> clnt_uuid, const PeerCred& peer,
                                   std::span<const gid_t> groups) {
  if (login >= TEE_IOCTL_LOGIN_REE_KERNEL_MIN && login <= TEE_IOCTL_LOGIN_REE_KERNEL_MAX)
    return Error{EPERM, "REE kernel login from user space"};
  switch (login) {
    case TEE_IOCTL_LOGIN_PUBLIC:
      return Uuid::nil();
    case TEE_IOCTL_LOGIN_USER:
      return uuid_v5(tee_client_uuid_ns(), fmt::format("uid={:x}", static_cast<uint32_t>(peer.uid)));
    case TEE_IOCTL_LOGIN_GROUP: {
      gid_t gid = 0;
      static_assert(sizeof(gid) == 4);
      std::memcpy(&gid, clnt_uuid.data(), sizeof(gid));
      const bool member = gid == peer.gid || std::find(groups.begin(), groups.end(), gid) != groups.end();
      if (!member) return Error{EPERM, "not a member of the login group"};
      return uuid_v5(tee_client_uuid_ns(), fmt::format("gid={:x}", static_cast<uint32_t>(gid)));
    }
    default:
      // APPLICATION, USER_APPLICATION, GROUP_APPLICATION and unknown methods.
      return Error{EINVAL, "unsupported login method"};
  }
}

Result<Uuid> guest_client_uuid(uint32_t login, std::span<const uint8_t, 16> clnt_uuid) {
  Uuid u;
  std::memcpy(u.octets.data(), clnt_uuid.data(), u.octets.size());
  switch (login) {
    case TEE_IOCTL_LOGIN_PUBLIC:
      if (u != Uuid::nil()) return Error{EINVAL, "PUBLIC login with a client uuid"};
      return u;
    case TEE_IOCTL_LOGIN_USER:
    case TEE_IOCTL_LOGIN_GROUP:
      return u;
    default:
      return Error{EINVAL, "login method a guest's core cannot produce"};
  }
}

}  // namespace swtee::core
