// Serves <runtime>/swteed.ctl (mode 0600) per control_wire.h: one request
// datagram, one reply datagram. Control plane only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "core/core.h"
#include "core/os_thread.h"

namespace swtee::daemon {

class ControlServer {
 public:
  using OsAlive = std::function<bool()>;
  // Listens at `path`; serving starts at once on its own thread.
  static Result<std::unique_ptr<ControlServer>> start(const std::string& path, const core::Core& core,
                                                      OsAlive os_alive);
  // Stops serving and removes the socket.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  ControlServer(std::string path, const core::Core& core, OsAlive os_alive, UniqueFd listener, UniqueFd wake);
  void loop();
  void serve_client(int sock);
  void send_calls(int sock);

  const std::string path_;
  const core::Core& core_;
  const OsAlive os_alive_;
  UniqueFd listener_;
  UniqueFd wake_;
  const uint64_t started_ms_;
  core::OsThread thread_;
};

}  // namespace swtee::daemon
