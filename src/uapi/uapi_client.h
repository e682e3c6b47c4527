// Client end of the UAPI socket: one connection = one context. Used by
// libteec and swtee-supplicant (and tests). Thread-safe: several threads may
// have calls in flight at once; each request carries a tag and the reply
// with the same tag goes back to its caller, in whatever order replies come.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
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

// How calls travel. Slots: each thread that calls gets its own request slot
// (SWTEE_IOC_SLOT_OPEN, uapi/slot_wire.h) the first time it makes a call
// that may use one, and its later such calls go through shared memory and a
// futex doorbell; calls with fds, and every call of a thread whose slot was
// refused, use the socket. SocketOnly: the socket for everything.
// $SWTEE_UAPI_SLOTS=0 turns Slots into SocketOnly for a whole process.
enum class Transport : uint8_t { Slots, SocketOnly };

struct ClientOptions {
  Transport transport = Transport::Slots;
  // Largest spin budget of a slot wait (µs); default: the doorbells' own
  // ($SWTEE_DOORBELL_SPIN_US). Tests set 0 (block at once) or a large one.
  std::optional<unsigned> slot_spin_us;
};

class UapiClient {
 public:
  // Connects to <runtime_dir>/<device>, e.g. device "tee0" or "teepriv0".
  // runtime_dir empty: $SWTEE_RUNTIME_DIR, else /run/swtee.
  static Result<UapiClient> connect(const std::string& device, const std::string& runtime_dir = "",
                                    ClientOptions options = {});
  // Speaks on an already connected socket (swteed's guest acceptor: the
  // other end is a context the core adopted).
  static Result<UapiClient> adopt(UniqueFd sock, ClientOptions options = {});
  UapiClient(UapiClient&&) noexcept;
  UapiClient& operator=(UapiClient&&) noexcept;
  ~UapiClient();

  // Sends {cmd, arg} (+ fds) and waits for the matching reply. A transport
  // failure (daemon gone) is an Error; an ioctl failure is Reply::rc < 0.
  Result<Reply> call(uint32_t cmd, std::span<const uint8_t> arg, std::span<const int> fds = {});

  int socket_fd() const;
  // Whether the calling thread has a request slot on this connection (for
  // tests and the bench).
  bool thread_has_slot() const;

 private:
  struct State;
  explicit UapiClient(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// Resolves the runtime directory: $SWTEE_RUNTIME_DIR, else /run/swtee.
std::string runtime_dir_from_env();

}  // namespace swtee::uapi
