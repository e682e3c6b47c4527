#include "core/peer_groups.h"

#include <sys/socket.h>

namespace swtee::core {

Result<std::vector<gid_t>> peer_groups(int sock) {
  // NGROUPS_MAX is 65536; start small and grow to what the kernel asks for.
  std::vector<gid_t> groups(64);
  for (int attempt = 0; attempt < 4; ++attempt) {
    socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(sock, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) == 0) {
      groups.resize(len / sizeof(gid_t));
      return groups;
    }
    if (errno != ERANGE) return Error::from_errno("SO_PEERGROUPS");
    groups.resize(len / sizeof(gid_t) + 1);
  }
  return Error{ERANGE, "SO_PEERGROUPS keeps growing"};
}

}  // namespace swtee::core
