#include "drivers/optee/supp_queue.h"

#include "core/shm.h"
#include "protocol/gp_results.h"

namespace swtee::optee {

using core::ParamType;

Status SuppQueue::attach(const core::Context* ctx) {
  MutexLock l(mu_);
  if (aborted_) return Error{ENODEV, "driver shutting down"};
  if (supp_ != nullptr) return Error{EBUSY, "a supplicant is already attached"};
  supp_ = ctx;
  mode_ = Mode::Unset;
  sync_id_ = 0;
  return ok_status();
}

void SuppQueue::detach(const core::Context* ctx) {
  MutexLock l(mu_);
  if (supp_ != ctx) return;
  supp_ = nullptr;
  mode_ = Mode::Unset;
  sync_id_ = 0;
  fail_all_locked();
  recv_cv_.notify_all();
}

bool SuppQueue::attached() const {
  MutexLock l(mu_);
  return supp_ != nullptr;
}

void SuppQueue::complete_locked(SuppRequest& req, uint32_t ret) {
  if (req.done) return;
  req.ret = ret;
  req.done = true;
  req.cv.notify_all();
}

void SuppQueue::fail_all_locked() {
  for (auto& r : queue_) complete_locked(*r, kTeeErrorCommunication);
  for (auto& [id, r] : in_flight_) complete_locked(*r, kTeeErrorCommunication);
  queue_.clear();
  in_flight_.clear();
}

uint32_t SuppQueue::alloc_id_locked() {
  for (;;) {
    uint32_t id = next_id_++;
    if (next_id_ == 0 || next_id_ > 0x7FFFFFFF) next_id_ = 1;
    if (id != 0 && in_flight_.find(id) == in_flight_.end()) return id;
  }
}

uint32_t SuppQueue::submit(const std::shared_ptr<SuppRequest>& req) {
  MutexLock l(mu_);
  if (aborted_ || supp_ == nullptr) return kTeeErrorCommunication;
  if (queue_.size() >= kMaxQueued) return kTeeErrorBusy;
  queue_.push_back(req);
  recv_cv_.notify_one();
  while (!req->done) req->cv.wait(mu_);
  return req->ret;
}

Status SuppQueue::recv(const core::Context* ctx, uint32_t& func, core::TeeParams& params,
                       const std::function<bool()>& still_there) {
  if (params.empty()) return Error{EINVAL, "no param slots"};
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].type != ParamType::None) return Error{EINVAL, "RECV slots must be NONE"};
    if (params[i].meta && i != 0) return Error{EINVAL, "META only in the first slot"};
  }
  const size_t num_meta = params[0].meta ? 1 : 0;
  const size_t room = params.size() - num_meta;

  MutexLock l(mu_);
  // Not (or no longer) attached: the connection closed under this call.
  if (supp_ != ctx) return Error{EINTR, "supplicant detached"};
  const Mode want = num_meta ? Mode::Async : Mode::Sync;
  if (mode_ != Mode::Unset && mode_ != want) return Error{EINVAL, "supplicant mixes META and non-META"};
  mode_ = want;
  if (want == Mode::Sync && sync_id_ != 0) {
    // RECV while a SEND is owed: the supplicant restarted; that request
    // cannot be answered any more.
    auto it = in_flight_.find(sync_id_);
    if (it != in_flight_.end()) {
      complete_locked(*it->second, kTeeErrorCommunication);
      in_flight_.erase(it);
    }
    sync_id_ = 0;
  }

  std::shared_ptr<SuppRequest> req;
  for (;;) {
    if (aborted_ || supp_ != ctx) return Error{EINTR, "supplicant detached"};
    if (!queue_.empty()) {
      auto& head = queue_.front();
      if (head->params.size() > room) return Error{EINVAL, "too few param slots for the request"};
      req = head;
      queue_.pop_front();
      // Memrefs must name shms of this supplicant context. A dead
      // supplicant's buffer (kept by the secure world across a restart) is
      // told by the owner's context id: the new context may well live at
      // the old one's address, and the old id may name another buffer of
      // the new supplicant by now.
      bool foreign = false;
      for (const auto& p : req->params) {
        if (core::is_memref(p.type) && p.memref.shm && p.memref.shm->owner_id() != ctx->id()) foreign = true;
      }
      if (foreign) {
        complete_locked(*req, kTeeErrorCommunication);
        req.reset();
        continue;
      }
      break;
    }
    auto deadline = std::chrono::steady_clock::now() + kRecvSlice;
    if (!recv_cv_.wait_until(mu_, deadline) && queue_.empty() && still_there && !still_there()) {
      return Error{EINTR, "supplicant gone"};
    }
  }

  uint32_t id = alloc_id_locked();
  in_flight_.emplace(id, req);
  if (want == Mode::Sync) sync_id_ = id;

  func = req->func;
  core::TeeParams out;
  out.reserve(num_meta + req->params.size());
  if (num_meta) {
    core::TeeParam m;
    m.type = ParamType::ValueInout;
    m.meta = true;
    m.value = {id, 0, 0};
    out.push_back(std::move(m));
  }
  for (const auto& p : req->params) out.push_back(p);
  params = std::move(out);
  return ok_status();
}

Status SuppQueue::send(const core::Context* ctx, uint32_t ret, const core::TeeParams& params,
                       const std::function<void(SuppRequest&, const core::TeeParams&)>& on_answer) {
  std::shared_ptr<SuppRequest> req;
  size_t num_meta = 0;
  {
    MutexLock l(mu_);
    if (supp_ != ctx) return Error{EINVAL, "not the attached supplicant"};
    uint32_t id = 0;
    if (!params.empty() && params[0].meta) {
      if (mode_ == Mode::Sync) return Error{EINVAL, "supplicant mixes META and non-META"};
      if (params[0].type != ParamType::ValueInout) return Error{EINVAL, "META slot must be VALUE_INOUT"};
      if (params[0].value.a > UINT32_MAX) return Error{ENOENT, "unknown request id"};
      id = static_cast<uint32_t>(params[0].value.a);
      num_meta = 1;
    } else {
      if (mode_ == Mode::Async) return Error{EINVAL, "supplicant mixes META and non-META"};
      id = sync_id_;
    }
    auto it = in_flight_.find(id);
    if (id == 0 || it == in_flight_.end()) return Error{ENOENT, "unknown request id"};
    if (params.size() - num_meta != it->second->params.size()) return Error{EINVAL, "param count mismatch"};
    req = it->second;
    in_flight_.erase(it);
    if (num_meta == 0) sync_id_ = 0;
    if (req->done) return ok_status();  // failed meanwhile: accept and ignore
  }

  // Copy back only OUTPUT/INOUT values and memref sizes. `req` is ours
  // alone now (popped), so this needs no lock.
  core::TeeParams answer(params.begin() + static_cast<std::ptrdiff_t>(num_meta), params.end());
  for (size_t n = 0; n < req->params.size(); ++n) {
    auto& p = req->params[n];
    const auto& a = answer[n];
    switch (p.type) {
      case ParamType::ValueOutput:
      case ParamType::ValueInout:
        p.value = a.value;
        break;
      case ParamType::MemrefOutput:
      case ParamType::MemrefInout:
        p.memref.size = core::is_memref(a.type) ? a.memref.size : a.value.b;
        break;
      case ParamType::None:
      case ParamType::ValueInput:
      case ParamType::MemrefInput:
        break;
    }
  }
  if (on_answer) on_answer(*req, answer);

  MutexLock l(mu_);
  complete_locked(*req, ret);
  return ok_status();
}

void SuppQueue::abort() {
  MutexLock l(mu_);
  aborted_ = true;
  fail_all_locked();
  recv_cv_.notify_all();
}

size_t SuppQueue::queued() const {
  MutexLock l(mu_);
  return queue_.size();
}

size_t SuppQueue::in_flight() const {
  MutexLock l(mu_);
  return in_flight_.size();
}

}  // namespace swtee::optee
