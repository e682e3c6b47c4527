// The host's guest acceptor: listens on the configured streams (Unix, TCP,
// AF_VSOCK), learns who each guest is from the transport — the peer uid of
// a Unix socket, the CID of a vsock peer, the key that answered a TCP
// challenge (protocol/remote_auth.h) — and maps that to the guest id the
// host's configuration gives it. Never from what the guest says. A guest
// nobody configured, or one already connected, is refused. Each accepted
// guest is announced to the core (Core::guest_created, which runs the host
// driver's guest op; a driver without guest ops refuses it, ENOTSUP) before
// its Welcome, served by a GuestConn (guest_conn.h) on host contexts that
// carry its id, and retired (Core::guest_destroyed) after its last call.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/stream_socket.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "core/core.h"
#include "core/os_thread.h"
#include "protocol/remote_auth.h"

namespace swtee::daemon {

class GuestConn;

struct GuestIdentity {
  uint32_t id = 0;  // 1..; 0 is the host's own clients
  std::string name;
  std::optional<uid_t> unix_uid;
  std::optional<uint32_t> vsock_cid;
  std::vector<uint8_t> key;  // TCP
};

struct AcceptorConfig {
  std::vector<StreamAddress> listeners;
  std::vector<GuestIdentity> guests;
  std::string device = "tee0";  // the host device guests' contexts open on
  // How long a departure waits for the guest's host contexts to be torn
  // down (Core::guest_destroyed); the id cannot arrive again before that.
  std::chrono::milliseconds departure_grace{5000};
};

// Which configured guest a transport identity names (nullptr: none).
const GuestIdentity* guest_by_uid(const std::vector<GuestIdentity>& g, uid_t uid);
const GuestIdentity* guest_by_cid(const std::vector<GuestIdentity>& g, uint32_t cid);
// The guest whose key made `mac` over (nonce, name); every key is tried.
const GuestIdentity* guest_by_mac(const std::vector<GuestIdentity>& g, const remote::Nonce& nonce,
                                  std::string_view name, const remote::Mac& mac);

class GuestAcceptor {
 public:
  static Result<std::unique_ptr<GuestAcceptor>> start(core::Core& core, AcceptorConfig cfg);
  // Stops listening, disconnects every guest and waits for them to be gone.
  ~GuestAcceptor();
  GuestAcceptor(const GuestAcceptor&) = delete;
  GuestAcceptor& operator=(const GuestAcceptor&) = delete;

  // Guests connected right now.
  size_t connected() const EXCLUDES(mu_);

 private:
  struct Listener {
    StreamAddress address;
    UniqueFd fd;
  };
  GuestAcceptor(core::Core& core, AcceptorConfig cfg) : core_(core), cfg_(std::move(cfg)) {}
  void accept_loop();
  // Handshake, then serve; runs on its own thread.
  void handle(UniqueFd sock, Transport t) EXCLUDES(mu_);
  Result<const GuestIdentity*> identify(int sock, Transport t, const std::string& name);
  void thread_done() EXCLUDES(mu_);

  core::Core& core_;
  const AcceptorConfig cfg_;
  std::vector<Listener> listeners_;
  UniqueFd wake_;
  uint32_t impl_id_ = 0, impl_caps_ = 0, gen_caps_ = 0;  // the host device's VERSION
  core::OsThread acceptor_;

  mutable Mutex mu_;
  CondVar cv_;
  bool stopping_ GUARDED_BY(mu_) = false;
  uint32_t threads_ GUARDED_BY(mu_) = 0;     // handshakes and guests being served
  uint32_t handshakes_ GUARDED_BY(mu_) = 0;  // of those, still in the handshake
  std::map<uint32_t, std::shared_ptr<GuestConn>> guests_ GUARDED_BY(mu_);
  std::map<int, Transport> pending_ GUARDED_BY(mu_);  // sockets in their handshake
};

}  // namespace swtee::daemon
