// swteed under a service manager, through libsystemd (sd-daemon): socket
// activation (LISTEN_FDS / LISTEN_FDNAMES) and readiness (sd_notify). Both
// are no-ops when swteed is not started by systemd (or by
// systemd-socket-activate, which passes sockets the same way).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee::daemon {

// Takes the listening sockets passed by the service manager, keyed by name.
// Names come from FileDescriptorName= (LISTEN_FDNAMES); sockets without a
// name are given `order`'s names by position. Every socket must be a
// listening AF_UNIX SOCK_SEQPACKET socket (EINVAL otherwise) and every name
// one of `order` (EINVAL). Empty when nothing was passed.
Result<std::map<std::string, UniqueFd>> take_activated_sockets(const std::vector<std::string>& order);

// READY=1 with a STATUS= line; STOPPING=1. Ignored without NOTIFY_SOCKET.
void notify_ready(const std::string& status);
void notify_stopping();

// Gives `path` to group `group` with mode `mode` (the runtime sockets of a
// system stack: tee0 root:teeclnt 0660, teepriv0 root:tee 0660).
Status set_socket_access(const std::string& path, const std::string& group_name, unsigned mode);

}  // namespace swtee::daemon
