// Client end of the UAPI socket: one connection = one context. Used by
// libteec and swtee-supplicant (and tests). Thread-safe: several threads may
// have calls in flight at once; each request carries a tag and the reply
// with the same tag goes back to its caller, in whatever order replies come.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee::uapi {

struct Reply {
  int32_t rc = 0;                // 0 or -errno, as the ioctl would return
  std::vector<uint8_t> arg;      // the argument as the ioctl leaves it
  std::vector<UniqueFd> fds;     // fds the reply carried (SHM_ALLOC: the memfd)
};

class UapiClient {
 public:
  // Connects to <runtime_dir>/<device>, e.g. device "tee0" or "teepriv0".
  // runtime_dir empty: $SWTEE_RUNTIME_DIR, else /run/swtee.
  static Result<UapiClient> connect(const std::string& device, const std::string& runtime_dir = "");
  UapiClient(UapiClient&&) noexcept;
  UapiClient& operator=(UapiClient&&) noexcept;
  ~UapiClient();

  // Sends {cmd, arg} (+ fds) and waits for the matching reply. A transport
  // failure (daemon gone) is an Error; an ioctl failure is Reply::rc < 0.
  Result<Reply> call(uint32_t cmd, std::span<const uint8_t> arg, std::span<const int> fds = {});

  int socket_fd() const;

 private:
  struct State;
  explicit UapiClient(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// Resolves the runtime directory: $SWTEE_RUNTIME_DIR, else /run/swtee.
std::string runtime_dir_from_env();

}  // namespace swtee::uapi
