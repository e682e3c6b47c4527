// Sessions of the OPTEE_MSG interface: ids, routing to a PTA or the TA host,
// and cancellation of in-flight calls.
//
// Session ids are u32, never 0, and never reused while the session lives.
// Every in-flight OPEN_SESSION / INVOKE_COMMAND has a CancelState registered
// under (session, cancel_id); an open in progress is registered under
// session 0, as OPTEE_MSG_CMD_CANCEL names it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "os/os_types.h"
#include "os/pta/pseudo_ta.h"
#include "os/ta_host.h"

namespace swtee::os {

inline constexpr unsigned kDefaultMaxSessions = 1024;

// The identity a TA sees for a client of guest `guest` (os/guests.h): the
// guest's own for guest 0 (the host's clients) and for PUBLIC (nil: no
// identity), else the login kept and the UUID made unique to the guest
// (a v5 UUID of the guest id and the guest's UUID), so a guest's login
// identities never equal the host's or another guest's.
ClientIdentity guest_client_identity(uint32_t guest, const ClientIdentity& client);

class SessionRouter {
 public:
  // `host` may be null (PTAs only; user TAs are then ITEM_NOT_FOUND).
  // `guest`: the client id whose sessions these are (guest_client_identity).
  SessionRouter(TaHost* host, unsigned max_sessions = kDefaultMaxSessions, uint32_t guest = 0)
      : host_(host), max_sessions_(max_sessions), guest_(guest) {}
  SessionRouter(const SessionRouter&) = delete;
  SessionRouter& operator=(const SessionRouter&) = delete;

  // Registers a PTA; EEXIST for a UUID already taken. Before serving only.
  Status add_pta(std::unique_ptr<PseudoTa> pta) EXCLUDES(mu_);

  GpResult open_session(const Uuid& uuid, const ClientIdentity& client, uint32_t cancel_id, OsParams& params,
                        SecureRpc& rpc, uint32_t* session) EXCLUDES(mu_);
  GpResult invoke(uint32_t session, uint32_t cmd, uint32_t cancel_id, OsParams& params, SecureRpc& rpc)
      EXCLUDES(mu_);
  // `rpc`: the closing call's RPC path, lent to the TA's close/destroy
  // entry points (may be null).
  GpResult close_session(uint32_t session, SecureRpc* rpc = nullptr) EXCLUDES(mu_);
  // Requests cancellation of every in-flight call registered under
  // (session, cancel_id). Unknown pairs are ignored (the call may be done).
  void cancel(uint32_t session, uint32_t cancel_id) EXCLUDES(mu_);

  size_t session_count() const EXCLUDES(mu_);
  size_t inflight_count() const EXCLUDES(mu_);

 private:
  struct Session {
    uint32_t id = 0;
    PseudoTa* pta = nullptr;  // null: a user TA served by host_
    PtaSession pta_session;
    uint64_t ta_session = 0;
    std::optional<uint32_t> uid;  // the opener's (ClientIdentity::uid)
  };
  struct Inflight {
    uint32_t session;
    uint32_t cancel_id;
    std::shared_ptr<CancelState> cancel;
  };
  class InflightGuard;

  PseudoTa* find_pta(const Uuid& uuid) const REQUIRES(mu_);
  uint32_t next_session_id() REQUIRES(mu_);
  std::shared_ptr<CancelState> add_inflight(uint32_t session, uint32_t cancel_id) EXCLUDES(mu_);
  void remove_inflight(const CancelState* c) EXCLUDES(mu_);

  TaHost* const host_;
  const unsigned max_sessions_;
  const uint32_t guest_;
  mutable Mutex mu_;
  std::vector<std::unique_ptr<PseudoTa>> ptas_ GUARDED_BY(mu_);
  std::unordered_map<uint32_t, std::shared_ptr<Session>> sessions_ GUARDED_BY(mu_);
  unsigned opening_ GUARDED_BY(mu_) = 0;  // opens in progress (count against the bound)
  uint32_t last_id_ GUARDED_BY(mu_) = 0;
  std::vector<Inflight> inflight_ GUARDED_BY(mu_);
};

}  // namespace swtee::os
