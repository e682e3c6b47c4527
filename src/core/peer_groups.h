// Supplementary groups of a Unix socket's peer (SO_PEERGROUPS), as the
// kernel recorded them at connect time.
#pragma once

#include <sys/types.h>

#include <vector>

#include "common/result.h"

namespace swtee::core {

Result<std::vector<gid_t>> peer_groups(int sock);

}  // namespace swtee::core
