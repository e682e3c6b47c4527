#include "daemon/guest_host_context.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "common/log.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "uapi/uapi_codec.h"

namespace swtee::daemon {
namespace {

using remote::Param;

// Buffers a context keeps for the next calls.
constexpr size_t kPoolSize = 8;
constexpr uint64_t kPage = 4096;

uint64_t round_up(uint64_t n) { return n <= kPage ? kPage : (n + kPage - 1) / kPage * kPage; }

// Output-only ranges start as zeroes: the pages are dropped (shmem hands
// back zero pages), or overwritten if that fails.
Status clear(int fd, uint64_t size) {
  if (size == 0) return ok_status();
  if (::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(size)) == 0)
    return ok_status();
  std::vector<uint8_t> zero(static_cast<size_t>(std::min<uint64_t>(size, 1 << 16)));
  for (uint64_t at = 0; at < size; at += zero.size()) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(zero.size(), size - at));
    if (::pwrite(fd, zero.data(), n, static_cast<off_t>(at)) != static_cast<ssize_t>(n))
      return Error::from_errno("pwrite", "clearing a guest output memref");
  }
  return ok_status();
}

std::vector<uint8_t> failed(uint64_t tag, int err) {
  remote::CallReplyBody b{};
  b.rc = -err;
  return remote::encode_fixed(remote::MsgType::CallReply, tag, b);
}

}  // namespace

Result<std::unique_ptr<HostContext>> HostContext::open(core::Core& core, const std::string& device,
                                                       uint32_t guest_id) {
  ASSIGN_OR_RETURN(auto pair, seqpacket_pair());
  TRY_STATUS(core.adopt(device, std::move(pair.first), guest_id));
  // The socket only: the guest's calls run on a pool of short-lived worker
  // threads, each of which would otherwise open a request slot (shared
  // memory, a doorbell) on every host context it touches.
  ASSIGN_OR_RETURN(uapi::UapiClient c, uapi::UapiClient::adopt(std::move(pair.second),
                                                               {.transport = uapi::Transport::SocketOnly}));
  return std::unique_ptr<HostContext>(new HostContext(std::move(c)));
}

HostContext::~HostContext() { disconnect(); }

void HostContext::disconnect() { ::shutdown(client_.socket_fd(), SHUT_RDWR); }

Result<HostContext::Buffer> HostContext::take(uint64_t size) {
  {
    MutexLock l(mu_);
    size_t best = free_.size();
    for (size_t i = 0; i < free_.size(); ++i)
      if (free_[i].size >= size && (best == free_.size() || free_[i].size < free_[best].size)) best = i;
    if (best != free_.size()) {
      Buffer b = std::move(free_[best]);
      free_.erase(free_.begin() + static_cast<ptrdiff_t>(best));
      return b;
    }
  }
  tee_ioctl_shm_alloc_data a{round_up(size), 0, 0};
  ASSIGN_OR_RETURN(uapi::Reply r, client_.call(TEE_IOC_SHM_ALLOC, uapi::encode_struct(a)));
  if (r.rc < 0) return Error{-r.rc, "SHM_ALLOC", "guest memref"};
  if (r.fds.size() != 1 || r.arg.size() != sizeof(a)) return Error{EPROTO, "SHM_ALLOC reply"};
  std::memcpy(&a, r.arg.data(), sizeof(a));
  return Buffer{a.id, std::move(r.fds[0]), a.size};
}

void HostContext::give(Buffer b) {
  {
    MutexLock l(mu_);
    if (free_.size() < kPoolSize) {
      free_.push_back(std::move(b));
      return;
    }
  }
  swtee_ioctl_shm_release_arg rel{b.id};
  (void)client_.call(SWTEE_IOC_SHM_RELEASE, uapi::encode_struct(rel));
}

Result<std::vector<tee_ioctl_param>> HostContext::stage(const std::vector<Param>& in,
                                                        std::vector<Buffer>& bufs) {
  std::vector<tee_ioctl_param> out(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const Param& p = in[i];
    tee_ioctl_param& u = out[i];
    u.attr = p.type;
    if (!remote::param_is_memref(p.type)) {
      if (remote::param_is_value(p.type)) u = {p.type, p.a, p.b, p.c};
      continue;
    }
    if ((p.flags & remote::kParamFlagNull) != 0) {
      u = {p.type, 0, p.a, TEE_MEMREF_NULL};
      continue;
    }
    ASSIGN_OR_RETURN(Buffer b, take(p.a));
    if (remote::param_is_input(p.type)) {
      TRY_STATUS(shm_pwrite(b.fd.get(), p.data, 0, "guest memref"));
    } else {
      TRY_STATUS(clear(b.fd.get(), p.a));
    }
    u = {p.type, 0, p.a, static_cast<uint64_t>(b.id)};
    bufs.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<uint8_t>> HostContext::reply(uint64_t tag, const std::vector<Param>& in,
                                                std::span<const tee_ioctl_param> out,
                                                const std::vector<Buffer>& bufs, uint32_t ret,
                                                uint32_t origin, uint32_t session) {
  if (out.size() != in.size()) return Error{EPROTO, "host reply", "param count"};
  std::vector<Param> rp(in.size());
  std::vector<int> fds;  // memref buffers, in order, for the data to read
  size_t k = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const Param& p = in[i];
    Param& r = rp[i];
    r.type = p.type;
    r.flags = p.flags;
    if (remote::param_is_value(p.type)) {
      r.a = out[i].a;
      r.b = out[i].b;
      r.c = out[i].c;
      continue;
    }
    if (!remote::param_is_memref(p.type)) continue;
    const bool null = (p.flags & remote::kParamFlagNull) != 0;
    const int fd = null ? -1 : bufs[k++].fd.get();
    r.a = remote::param_is_output(p.type) ? out[i].b : p.a;
    // Bytes come back only for an output that fits the guest's range.
    if (!null && remote::param_is_output(p.type) && r.a <= p.a && r.a > 0) {
      r.b = r.a;
      fds.push_back(fd);
    }
  }
  remote::CallReplyBody b{0, ret, origin, session, static_cast<uint32_t>(rp.size()), 0};
  std::vector<size_t> data_at;
  std::vector<uint8_t> frame = remote::encode_fixed(remote::MsgType::CallReply, tag, b, rp, &data_at);
  k = 0;
  for (const Param& r : rp) {
    if (!remote::param_is_memref(r.type) || r.b == 0) continue;
    TRY_STATUS(
        shm_pread(fds[k], std::span(frame).subspan(data_at[k], static_cast<size_t>(r.b)), 0, "guest memref"));
    ++k;
  }
  return frame;
}

template <typename Hdr>
std::vector<uint8_t> HostContext::call(uint32_t cmd, uint64_t tag, Hdr hdr, const std::vector<Param>& in) {
  std::vector<Buffer> bufs;
  auto finish = [&](std::vector<uint8_t> frame) {
    for (Buffer& b : bufs) give(std::move(b));
    return frame;
  };
  auto params = stage(in, bufs);
  if (!params.ok()) return finish(failed(tag, params.error().code));
  auto r = client_.call(cmd, uapi::encode_buf_arg(hdr, *params));
  if (!r.ok()) return finish(failed(tag, r.error().code));
  if (r->rc < 0) return finish(failed(tag, -r->rc));
  if (r->arg.size() != sizeof(Hdr) + params->size() * sizeof(tee_ioctl_param))
    return finish(failed(tag, EPROTO));
  std::memcpy(&hdr, r->arg.data(), sizeof(Hdr));
  std::vector<tee_ioctl_param> out(params->size());
  if (!out.empty())
    std::memcpy(out.data(), r->arg.data() + sizeof(Hdr), out.size() * sizeof(tee_ioctl_param));
  uint32_t session = 0;
  if constexpr (std::is_same_v<Hdr, tee_ioctl_open_session_arg>) session = hdr.session;
  auto frame = reply(tag, in, out, bufs, hdr.ret, hdr.ret_origin, session);
  if (!frame.ok()) {
    // The session exists on the host but the guest will never hear of it.
    if (session != 0) (void)close_session(0, session);
    return finish(failed(tag, frame.error().code));
  }
  return finish(std::move(frame).value());
}

std::vector<uint8_t> HostContext::open_session(uint64_t tag, const remote::OpenSessionMsg& m) {
  tee_ioctl_open_session_arg h{};
  std::memcpy(h.uuid, m.fixed.uuid, sizeof(h.uuid));
  std::memcpy(h.clnt_uuid, m.fixed.clnt_uuid, sizeof(h.clnt_uuid));
  h.clnt_login = m.fixed.clnt_login;
  h.cancel_id = m.fixed.cancel_id;
  return call(TEE_IOC_OPEN_SESSION, tag, h, m.params);
}

std::vector<uint8_t> HostContext::invoke(uint64_t tag, const remote::InvokeMsg& m) {
  tee_ioctl_invoke_arg h{};
  h.func = m.fixed.func;
  h.session = m.fixed.session;
  h.cancel_id = m.fixed.cancel_id;
  return call(TEE_IOC_INVOKE, tag, h, m.params);
}

std::vector<uint8_t> HostContext::close_session(uint64_t tag, uint32_t session) {
  tee_ioctl_close_session_arg a{session};
  auto r = client_.call(TEE_IOC_CLOSE_SESSION, uapi::encode_struct(a));
  remote::CloseReplyBody b{};
  b.rc = !r.ok() ? -r.error().code : r->rc;
  return remote::encode_fixed(remote::MsgType::CloseReply, tag, b);
}

void HostContext::cancel(uint32_t session, uint32_t cancel_id) {
  tee_ioctl_cancel_arg a{cancel_id, session};
  (void)client_.call(TEE_IOC_CANCEL, uapi::encode_struct(a));
}

}  // namespace swtee::daemon
