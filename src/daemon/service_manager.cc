#include "daemon/service_manager.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace swtee::daemon {

Result<std::map<std::string, UniqueFd>> take_activated_sockets(const std::vector<std::string>& order) {
  std::map<std::string, UniqueFd> out;
  char** names = nullptr;
  int n = sd_listen_fds_with_names(/*unset_environment=*/1, &names);
  if (n < 0) return Error{-n, "sd_listen_fds"};
  // Own every fd first, so each one is closed whatever fails below.
  std::vector<UniqueFd> fds;
  std::vector<std::string> fd_names;
  for (int i = 0; i < n; ++i) {
    fds.emplace_back(SD_LISTEN_FDS_START + i);
    (void)::fcntl(SD_LISTEN_FDS_START + i, F_SETFD, FD_CLOEXEC);
    std::string name = names != nullptr && names[i] != nullptr ? names[i] : "";
    if (name.empty() || name == "unknown" || name == "stored")
      name = i < static_cast<int>(order.size()) ? order[i] : "";
    fd_names.push_back(std::move(name));
  }
  if (names != nullptr) {
    for (int i = 0; names[i] != nullptr; ++i) std::free(names[i]);
    std::free(names);
  }
  for (int i = 0; i < n; ++i) {
    if (sd_is_socket_unix(fds[i].get(), SOCK_SEQPACKET, /*listening=*/1, nullptr, 0) <= 0)
      return Error{EINVAL, "a passed socket is not a listening AF_UNIX SOCK_SEQPACKET socket"};
    bool known = false;
    for (const auto& o : order) known = known || o == fd_names[i];
    if (!known || out.count(fd_names[i]) != 0)
      return Error{EINVAL, "a passed socket has an unknown or repeated name"};
    out.emplace(fd_names[i], std::move(fds[i]));
  }
  return out;
}

void notify_ready(const std::string& status) {
  (void)sd_notifyf(/*unset_environment=*/0, "READY=1\nSTATUS=%s", status.c_str());
}

void notify_stopping() { (void)sd_notify(0, "STOPPING=1"); }

Status set_socket_access(const std::string& path, const std::string& group_name, unsigned mode) {
  gid_t gid = static_cast<gid_t>(-1);
  if (!group_name.empty()) {
    struct group grp {};
    struct group* found = nullptr;
    std::vector<char> buf(16384);
    int r = ::getgrnam_r(group_name.c_str(), &grp, buf.data(), buf.size(), &found);
    if (r != 0) return Error{r, "getgrnam_r"};
    if (found == nullptr) return Error{ENOENT, "no such group"};
    gid = found->gr_gid;
  }
  if (::chown(path.c_str(), static_cast<uid_t>(-1), gid) != 0) return Error::from_errno("chown");
  if (::chmod(path.c_str(), mode) != 0) return Error::from_errno("chmod");
  return ok_status();
}

}  // namespace swtee::daemon
