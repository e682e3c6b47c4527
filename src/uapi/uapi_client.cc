#include "uapi/uapi_client.h"

#include <swtee/uapi/tee.h>
#include <sys/socket.h>

#include <array>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "common/adaptive_spin.h"
#include "common/log.h"
#include "common/seqpacket.h"
#include "common/thread_annotations.h"
#include "uapi/uapi_codec.h"

namespace swtee::uapi {

// Reply demultiplexing: every caller registers its tag, sends, then either
// becomes the one reader (if nobody reads) or waits on `cv`. The reader
// stores replies for other tags in `ready` and wakes everyone; when it gets
// its own reply it steps down and another waiter takes over reading.
struct UapiClient::State {
  UniqueFd sock;
  AdaptiveSpin reply_spin{call_path_spin_us()};  // used by the one reader (see `reading`)
  Mutex mu;
  CondVar cv;
  uint32_t next_tag GUARDED_BY(mu) = 1;
  bool reading GUARDED_BY(mu) = false;
  std::unordered_set<uint32_t> pending GUARDED_BY(mu);
  std::unordered_map<uint32_t, Reply> ready GUARDED_BY(mu);
  // Transport failure: every later call fails with it.
  std::optional<Error> dead GUARDED_BY(mu);
  // rc of a reply with tag 0: the daemon refusing the context (e.g. EBUSY
  // for a second supplicant) just before it closes the connection.
  int32_t refused_rc GUARDED_BY(mu) = 0;

  uint32_t new_tag() REQUIRES(mu) {
    for (;;) {
      uint32_t t = next_tag++;
      if (t != kUnattributedTag && !pending.contains(t)) return t;
    }
  }
  // The peer has closed: whatever it queued before closing can be read
  // without blocking. Looks for a refusal (tag 0) among it.
  void drain_after_close() REQUIRES(mu) {
    std::array<uint8_t, SWTEE_UAPI_MAX_MSG> buf{};
    for (int i = 0; i < 64; ++i) {
      auto msg = recv_message(sock.get(), buf);
      if (!msg.ok()) return;
      auto frame = decode_reply_frame(std::span<const uint8_t>(buf.data(), msg->length));
      if (frame.ok() && frame->hdr.tag == kUnattributedTag) refused_rc = frame->hdr.rc;
      if (frame.ok() && pending.contains(frame->hdr.tag)) {
        Reply r;
        r.rc = frame->hdr.rc;
        r.arg.assign(frame->arg.begin(), frame->arg.end());
        r.fds = std::move(msg->fds);
        ready.emplace(frame->hdr.tag, std::move(r));
      }
    }
  }
  Error transport_error(const Error& e) REQUIRES(mu) {
    if (refused_rc < 0 && (e.code == ECONNRESET || e.code == EPIPE))
      return Error{-refused_rc, "context refused by swteed"};
    return e;
  }
};

UapiClient::UapiClient(std::unique_ptr<State> s) : s_(std::move(s)) {}
UapiClient::UapiClient(UapiClient&&) noexcept = default;
UapiClient& UapiClient::operator=(UapiClient&&) noexcept = default;
UapiClient::~UapiClient() = default;

std::string runtime_dir_from_env() {
  const char* e = std::getenv(SWTEE_RUNTIME_DIR_ENV);
  if (e != nullptr && *e != '\0') return e;
  return SWTEE_DEFAULT_RUNTIME_DIR;
}

Result<UapiClient> UapiClient::connect(const std::string& device, const std::string& runtime_dir) {
  if (device.empty() || device.find('/') != std::string::npos) return Error{EINVAL, "bad device name"};
  std::string dir = runtime_dir.empty() ? runtime_dir_from_env() : runtime_dir;
  ASSIGN_OR_RETURN(UniqueFd sock, seqpacket_connect(dir + "/" + device));
  auto st = std::make_unique<State>();
  st->sock = std::move(sock);
  return UapiClient(std::move(st));
}

int UapiClient::socket_fd() const { return s_ ? s_->sock.get() : -1; }

Result<Reply> UapiClient::call(uint32_t cmd, std::span<const uint8_t> arg, std::span<const int> fds) {
  if (!s_) return Error{EBADF, "moved-from UapiClient"};
  if (arg.size() > TEE_MAX_ARG_SIZE) return Error{EINVAL, "argument too large"};
  if (fds.size() > kMaxFdsPerMessage) return Error{EINVAL, "too many fds"};
  State& s = *s_;
  uint32_t tag;
  {
    MutexLock l(s.mu);
    if (s.dead) return s.transport_error(*s.dead);
    tag = s.new_tag();
    s.pending.insert(tag);
  }
  swtee_uapi_req_hdr hdr = make_request_header(cmd, tag, arg.size());
  std::array<std::span<const uint8_t>, 2> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&hdr), sizeof(hdr)), arg};
  if (Status st = send_message_parts(s.sock.get(), parts, fds); !st.ok()) {
    MutexLock l(s.mu);
    s.pending.erase(tag);
    if (!s.reading && (st.error().code == EPIPE || st.error().code == ECONNRESET)) s.drain_after_close();
    if (!s.dead) s.dead = st.error();
    return s.transport_error(st.error());
  }

  MutexLock l(s.mu);
  for (;;) {
    if (auto it = s.ready.find(tag); it != s.ready.end()) {
      Reply r = std::move(it->second);
      s.ready.erase(it);
      s.pending.erase(tag);
      return r;
    }
    if (s.dead) {
      s.pending.erase(tag);
      return s.transport_error(*s.dead);
    }
    if (s.reading) {
      s.cv.wait(s.mu);
      continue;
    }
    // Become the reader until our own reply arrives.
    s.reading = true;
    std::array<uint8_t, SWTEE_UAPI_MAX_MSG> buf{};
    for (;;) {
      s.mu.unlock();
      auto msg = recv_message_spin(s.sock.get(), buf, s.reply_spin);
      s.mu.lock();
      if (!msg.ok()) {
        // A peer that closed with our request unread reports ECONNRESET
        // before the datagrams it queued; read those (a refusal) too.
        if (msg.error().code == ECONNRESET) s.drain_after_close();
        s.dead = msg.error();
        break;
      }
      auto frame = decode_reply_frame(std::span<const uint8_t>(buf.data(), msg->length));
      if (!frame.ok()) {
        // A daemon that breaks the framing cannot be trusted further.
        s.dead = frame.error();
        break;
      }
      Reply r;
      r.rc = frame->hdr.rc;
      r.arg.assign(frame->arg.begin(), frame->arg.end());
      r.fds = std::move(msg->fds);
      const uint32_t got = frame->hdr.tag;
      if (got == tag) {
        s.reading = false;
        s.pending.erase(tag);
        s.cv.notify_all();
        return r;
      }
      if (got == kUnattributedTag) {
        s.refused_rc = r.rc;
        log::debug("uapi: unattributed reply rc={}", r.rc);
        continue;
      }
      if (!s.pending.contains(got)) {
        log::warn("uapi: reply for unknown tag {} dropped", got);
        continue;
      }
      s.ready.emplace(got, std::move(r));
      s.cv.notify_all();
    }
    s.reading = false;
    s.cv.notify_all();
    s.pending.erase(tag);
    if (auto it = s.ready.find(tag); it != s.ready.end()) {
      Reply r = std::move(it->second);
      s.ready.erase(it);
      return r;
    }
    return s.transport_error(*s.dead);
  }
}

}  // namespace swtee::uapi
