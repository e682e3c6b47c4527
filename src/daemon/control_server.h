// Serves <runtime>/swteed.ctl (mode 0600) per control_wire.h: one request
// datagram, one reply datagram. Control plane only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "core/core.h"
#include "core/os_thread.h"

namespace swtee::daemon {

class ControlServer {
 public:
  using OsAlive = std::function<bool()>;
  // The trusted OS's status report (protocol/os_status_wire.h), checked.
  using OsStatus = std::function<Result<std::vector<uint8_t>>()>;
  // Listens at `path`; serving starts at once on its own thread. Without
  // `os_status`, the Os request is answered -ENOTSUP.
  static Result<std::unique_ptr<ControlServer>> start(const std::string& path, const core::Core& core,
                                                      OsAlive os_alive, OsStatus os_status = nullptr);
  // Stops serving and removes the socket.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  ControlServer(std::string path, const core::Core& core, OsAlive os_alive, OsStatus os_status,
                UniqueFd listener, UniqueFd wake);
  void loop();
  void serve_client(int sock);
  void send_status(int sock, int32_t rc);
  void send_calls(int sock);
  void send_os(int sock);

  const std::string path_;
  const core::Core& core_;
  const OsAlive os_alive_;
  const OsStatus os_status_;
  UniqueFd listener_;
  UniqueFd wake_;
  const uint64_t started_ms_;
  core::OsThread thread_;
};

}  // namespace swtee::daemon
