#include "os/session_router.h"

#include <algorithm>

#include "common/log.h"
#include "protocol/guest_identity.h"
#include "protocol/optee_msg.h"

namespace swtee::os {

class SessionRouter::InflightGuard {
 public:
  InflightGuard(SessionRouter& r, uint32_t session, uint32_t cancel_id)
      : r_(r), state_(r.add_inflight(session, cancel_id)) {}
  ~InflightGuard() {
    state_->set_hook({});
    r_.remove_inflight(state_.get());
  }
  InflightGuard(const InflightGuard&) = delete;
  InflightGuard& operator=(const InflightGuard&) = delete;
  CancelState& state() { return *state_; }

 private:
  SessionRouter& r_;
  std::shared_ptr<CancelState> state_;
};

Status SessionRouter::add_pta(std::unique_ptr<PseudoTa> pta) {
  if (!pta) return Error{EINVAL, "null PTA"};
  MutexLock lock(mu_);
  if (find_pta(pta->uuid()) != nullptr) return Error{EEXIST, "PTA uuid already registered"};
  ptas_.push_back(std::move(pta));
  return ok_status();
}

PseudoTa* SessionRouter::find_pta(const Uuid& uuid) const {
  for (const auto& p : ptas_)
    if (p->uuid() == uuid) return p.get();
  return nullptr;
}

uint32_t SessionRouter::next_session_id() {
  // sessions_.size() < max_sessions_ <= 2^32 - 2, so a free id exists.
  for (;;) {
    ++last_id_;
    if (last_id_ == 0) continue;
    if (sessions_.count(last_id_) == 0) return last_id_;
  }
}

std::shared_ptr<CancelState> SessionRouter::add_inflight(uint32_t session, uint32_t cancel_id) {
  auto state = std::make_shared<CancelState>();
  MutexLock lock(mu_);
  inflight_.push_back({session, cancel_id, state});
  return state;
}

void SessionRouter::remove_inflight(const CancelState* c) {
  MutexLock lock(mu_);
  auto it = std::find_if(inflight_.begin(), inflight_.end(),
                         [c](const Inflight& f) { return f.cancel.get() == c; });
  if (it != inflight_.end()) inflight_.erase(it);
}

ClientIdentity guest_client_identity(uint32_t guest, const ClientIdentity& client) {
  if (guest == 0 || client.login == optee::kLoginPublic) return client;
  ClientIdentity mapped = client;
  mapped.uuid = guests::guest_client_uuid(guest, client.uuid);
  return mapped;
}

GpResult SessionRouter::open_session(const Uuid& uuid, const ClientIdentity& caller, uint32_t cancel_id,
                                     OsParams& params, SecureRpc& rpc, uint32_t* session_out) {
  const ClientIdentity client = guest_client_identity(guest_, caller);
  PseudoTa* pta = nullptr;
  {
    MutexLock lock(mu_);
    if (sessions_.size() + opening_ >= max_sessions_) return {kTeeErrorOutOfMemory, kTeeOriginTee};
    ++opening_;
    pta = find_pta(uuid);
  }
  auto session = std::make_shared<Session>();
  session->pta = pta;
  session->uid = client.uid;
  GpResult r;
  {
    InflightGuard inflight(*this, 0, cancel_id);
    CallContext call{rpc, inflight.state(), 0, client.uid};
    if (pta != nullptr) {
      session->pta_session.client = client;
      r = pta->open_session(session->pta_session, params, call);
      if (r.ret != kTeeSuccess && r.origin == 0) r.origin = kTeeOriginTrustedApp;
    } else if (host_ != nullptr) {
      r = host_->open_session(uuid, client, params, call, &session->ta_session);
    } else {
      r = {kTeeErrorItemNotFound, kTeeOriginTee};
    }
  }
  MutexLock lock(mu_);
  --opening_;
  if (r.ret != kTeeSuccess) return r;
  session->id = next_session_id();
  session->pta_session.id = session->id;
  sessions_.emplace(session->id, session);
  *session_out = session->id;
  log::debug("session {} opened ({})", session->id, pta != nullptr ? pta->name() : "user TA");
  return {kTeeSuccess, kTeeOriginTrustedApp};
}

GpResult SessionRouter::invoke(uint32_t session_id, uint32_t cmd, uint32_t cancel_id, OsParams& params,
                               SecureRpc& rpc) {
  std::shared_ptr<Session> s;
  {
    MutexLock lock(mu_);
    auto it = sessions_.find(session_id);
    if (it == sessions_.end()) return {kTeeErrorItemNotFound, kTeeOriginTee};
    s = it->second;
  }
  InflightGuard inflight(*this, session_id, cancel_id);
  CallContext call{rpc, inflight.state(), 0, s->uid};
  if (s->pta != nullptr) {
    GpResult r = s->pta->invoke(s->pta_session, cmd, params, call);
    if (r.origin == 0) r.origin = kTeeOriginTrustedApp;
    return r;
  }
  if (host_ == nullptr) return {kTeeErrorTargetDead, kTeeOriginTee};
  return host_->invoke(s->ta_session, cmd, params, call);
}

GpResult SessionRouter::close_session(uint32_t session_id, SecureRpc* rpc) {
  std::shared_ptr<Session> s;
  {
    MutexLock lock(mu_);
    auto it = sessions_.find(session_id);
    if (it == sessions_.end()) return {kTeeErrorItemNotFound, kTeeOriginTee};
    s = std::move(it->second);
    sessions_.erase(it);
  }
  if (s->pta != nullptr) {
    s->pta->close_session(s->pta_session);
  } else if (host_ != nullptr) {
    host_->close_session(s->ta_session, rpc);
  }
  log::debug("session {} closed", session_id);
  return {kTeeSuccess, kTeeOriginTee};
}

void SessionRouter::cancel(uint32_t session, uint32_t cancel_id) {
  std::vector<std::shared_ptr<CancelState>> hit;
  {
    MutexLock lock(mu_);
    for (const Inflight& f : inflight_)
      if (f.session == session && f.cancel_id == cancel_id) hit.push_back(f.cancel);
  }
  // Hooks run outside the lock: they may call into the TA host.
  for (auto& c : hit) c->request();
}

size_t SessionRouter::session_count() const {
  MutexLock lock(mu_);
  return sessions_.size();
}

size_t SessionRouter::inflight_count() const {
  MutexLock lock(mu_);
  return inflight_.size();
}

}  // namespace swtee::os
