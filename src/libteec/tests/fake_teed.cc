#include "libteec/tests/fake_teed.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "common/seqpacket.h"
#include "uapi/uapi_codec.h"

namespace swtee::teec::testing {

namespace {
constexpr int32_t kDropConnection = INT32_MIN;

template <typename T>
std::vector<uint8_t> bytes_of(const T& v) {
  return uapi::encode_struct(v);
}
}  // namespace

FakeTeed::FakeTeed(FakeOptions opts) : opts_(opts) {
  char tmpl[] = "/tmp/teec_test_XXXXXX";
  const char* d = ::mkdtemp(tmpl);
  if (d == nullptr) std::abort();
  dir_ = d;
  ::setenv(SWTEE_RUNTIME_DIR_ENV, dir_.c_str(), 1);
  if (!opts_.create_socket) return;
  auto l = seqpacket_listen(dir_ + "/tee0", 0600);
  if (!l.ok()) std::abort();
  listen_ = std::move(*l);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeTeed::~FakeTeed() {
  stopping_ = true;
  if (listen_.valid()) ::shutdown(listen_.get(), SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    MutexLock l(mu_);
    for (int s : socks_) ::shutdown(s, SHUT_RDWR);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void FakeTeed::set_handler(Handler h) {
  MutexLock l(mu_);
  handler_ = std::move(h);
}

void FakeTeed::fail_shm_alloc(int err) {
  MutexLock l(mu_);
  shm_alloc_errno_ = err;
}

void FakeTeed::accept_loop() {
  while (!stopping_) {
    int s = ::accept4(listen_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (s < 0) {
      if (errno == EINTR) continue;
      return;
    }
    MutexLock l(mu_);
    ++connections_;
    socks_.push_back(s);
    workers_.emplace_back([this, s] { serve(s); });
  }
}

void FakeTeed::serve(int sock) {
  UniqueFd own(sock);
  std::vector<uint8_t> buf(SWTEE_UAPI_MAX_MSG);
  for (;;) {
    auto msg = recv_message(sock, buf);
    if (!msg.ok()) break;
    auto frame = uapi::decode_request_frame(std::span<const uint8_t>(buf.data(), msg->length));
    if (!frame.ok()) break;
    std::vector<UniqueFd> fds_out;
    int32_t rc = 0;
    std::vector<uint8_t> arg = dispatch(frame->hdr.cmd, frame->arg, msg->fds, fds_out, rc);
    if (rc == kDropConnection) break;
    swtee_uapi_resp_hdr hdr = uapi::make_reply_header(rc, frame->hdr.tag, arg.size());
    std::array<std::span<const uint8_t>, 2> parts{
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&hdr), sizeof(hdr)), arg};
    std::vector<int> raw;
    for (auto& f : fds_out) raw.push_back(f.get());
    if (!send_message_parts(sock, parts, raw).ok()) break;
  }
  MutexLock l(mu_);
  ++disconnections_;
  std::erase(socks_, sock);
  cv_.notify_all();
  (void)own;  // closes after the socket left socks_
}

std::vector<uint8_t> FakeTeed::dispatch(uint32_t cmd, std::span<const uint8_t> arg,
                                        std::vector<UniqueFd>& fds_in, std::vector<UniqueFd>& fds_out,
                                        int32_t& rc) {
  switch (cmd) {
    case TEE_IOC_VERSION: {
      tee_ioctl_version_data v{opts_.impl_id, opts_.impl_caps, opts_.gen_caps};
      return bytes_of(v);
    }
    case TEE_IOC_SHM_ALLOC: {
      auto a = uapi::decode_shm_alloc(arg);
      if (!a.ok()) break;
      {
        MutexLock l(mu_);
        if (shm_alloc_errno_ != 0) {
          rc = -shm_alloc_errno_;
          return {};
        }
      }
      auto fd = create_sealed_memfd("fake-shm", a->size);
      if (!fd.ok()) break;
      auto map = Mapping::map(fd->get(), a->size);
      if (!map.ok()) break;
      MutexLock l(mu_);
      a->id = next_id_++;
      shms_[a->id] = std::make_shared<Mapping>(std::move(*map));
      ++allocs_;
      fds_out.push_back(std::move(*fd));
      return bytes_of(*a);
    }
    case TEE_IOC_SHM_REGISTER_FD: {
      auto a = uapi::decode_shm_register_fd(arg);
      if (!a.ok() || fds_in.size() != 1) break;
      auto size = seal_and_size(fds_in[0].get());
      if (!size.ok()) break;
      auto map = Mapping::map(fds_in[0].get(), *size);
      if (!map.ok()) break;
      MutexLock l(mu_);
      a->id = next_id_++;
      a->size = *size;
      shms_[a->id] = std::make_shared<Mapping>(std::move(*map));
      return bytes_of(*a);
    }
    case SWTEE_IOC_SHM_RELEASE: {
      auto a = uapi::decode_shm_release(arg);
      if (!a.ok()) break;
      MutexLock l(mu_);
      if (shms_.erase(a->id) == 0) break;
      ++releases_;
      return {};
    }
    case TEE_IOC_OPEN_SESSION: {
      auto a = uapi::decode_open_session(arg);
      if (!a.ok()) break;
      CallRecord r;
      r.open = true;
      std::memcpy(r.uuid.data(), a->hdr.uuid, 16);
      std::memcpy(r.clnt_uuid.data(), a->hdr.clnt_uuid, 16);
      r.login = a->hdr.clnt_login;
      r.cancel_id = a->hdr.cancel_id;
      r.params = a->params;
      r.ret = 0;
      Handler h;
      {
        MutexLock l(mu_);
        r.session = next_session_++;
        h = handler_;
      }
      if (h) h(r);
      {
        MutexLock l(mu_);
        calls_.push_back(r);
      }
      rc = r.drop_connection ? kDropConnection : r.rc;
      if (rc != 0) return {};
      a->hdr.session = r.session;
      a->hdr.ret = r.ret;
      a->hdr.ret_origin = r.ret_origin;
      return uapi::encode_buf_arg(a->hdr, r.params);
    }
    case TEE_IOC_INVOKE: {
      auto a = uapi::decode_invoke(arg);
      if (!a.ok()) break;
      CallRecord r;
      r.func = a->hdr.func;
      r.session = a->hdr.session;
      r.cancel_id = a->hdr.cancel_id;
      r.params = a->params;
      Handler h;
      {
        MutexLock l(mu_);
        h = handler_;
      }
      if (h) h(r);
      {
        MutexLock l(mu_);
        calls_.push_back(r);
      }
      rc = r.drop_connection ? kDropConnection : r.rc;
      if (rc != 0) return {};
      a->hdr.ret = r.ret;
      a->hdr.ret_origin = r.ret_origin;
      return uapi::encode_buf_arg(a->hdr, r.params);
    }
    case TEE_IOC_CANCEL: {
      auto a = uapi::decode_cancel(arg);
      if (!a.ok()) break;
      MutexLock l(mu_);
      cancels_.push_back(*a);
      return bytes_of(*a);
    }
    case TEE_IOC_CLOSE_SESSION: {
      auto a = uapi::decode_close_session(arg);
      if (!a.ok()) break;
      MutexLock l(mu_);
      closed_.push_back(a->session);
      return bytes_of(*a);
    }
    default:
      break;
  }
  rc = -EINVAL;
  return {};
}

std::span<uint8_t> FakeTeed::shm_bytes(int id) {
  MutexLock l(mu_);
  auto it = shms_.find(id);
  if (it == shms_.end()) return {};
  return it->second->bytes();
}

bool FakeTeed::shm_live(int id) {
  MutexLock l(mu_);
  return shms_.count(id) != 0;
}

std::vector<CallRecord> FakeTeed::calls() {
  MutexLock l(mu_);
  return calls_;
}

CallRecord FakeTeed::last_call() {
  MutexLock l(mu_);
  return calls_.empty() ? CallRecord{} : calls_.back();
}

std::vector<tee_ioctl_cancel_arg> FakeTeed::cancels() {
  MutexLock l(mu_);
  return cancels_;
}

std::vector<uint32_t> FakeTeed::closed_sessions() {
  MutexLock l(mu_);
  return closed_;
}

int FakeTeed::allocs() {
  MutexLock l(mu_);
  return allocs_;
}

int FakeTeed::releases() {
  MutexLock l(mu_);
  return releases_;
}

size_t FakeTeed::live_shms() {
  MutexLock l(mu_);
  return shms_.size();
}

int FakeTeed::connections() {
  MutexLock l(mu_);
  return connections_;
}

int FakeTeed::disconnections() {
  MutexLock l(mu_);
  return disconnections_;
}

bool FakeTeed::wait_disconnections(int n) {
  // Not a timed assertion: the bound only turns a hang into a failure.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  MutexLock l(mu_);
  while (disconnections_ < n) {
    if (!cv_.wait_until(mu_, deadline)) return disconnections_ >= n;
  }
  return true;
}

}  // namespace swtee::teec::testing
