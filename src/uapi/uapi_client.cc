#include "uapi/uapi_client.h"

#include <swtee/uapi/tee.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/adaptive_spin.h"
#include "common/doorbell.h"
#include "common/log.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "common/thread_annotations.h"
#include "uapi/slot_codec.h"
#include "uapi/uapi_codec.h"

namespace swtee::uapi {
namespace {

std::atomic<uint64_t> g_next_client_id{1};

bool slots_allowed_by_env() {
  static const bool v = [] {
    const char* e = std::getenv("SWTEE_UAPI_SLOTS");
    return e == nullptr || std::string(e) != "0";
  }();
  return v;
}

// A thread's request slot on one connection. Owned by the thread (its
// thread_local table); the connection keeps a weak reference to end it when
// it closes first. Hanging up makes swteed's slot thread exit.
struct ClientSlot {
  Mapping map;
  std::unique_ptr<DoorbellEnd> end;  // borrows the connection's socket
  std::atomic<bool> dead{false};     // the connection is gone: never used again

  std::span<uint8_t> arg() { return {map.data() + kSlotArgOffset, kSlotArgSize}; }
  ~ClientSlot() {
    if (end) end->hang_up();
  }
};

// The calling thread's slots, by connection id (ids are never reused). A
// null slot: swteed refused one, this thread uses the socket.
struct ThreadSlots {
  struct Entry {
    uint64_t client;
    std::shared_ptr<ClientSlot> slot;
  };
  std::vector<Entry> entries;

  Entry* find(uint64_t client) {
    for (auto& e : entries)
      if (e.client == client) return &e;
    return nullptr;
  }
  void add(uint64_t client, std::shared_ptr<ClientSlot> slot) {
    // Entries of connections that have closed since are dropped here.
    std::erase_if(entries, [](const Entry& e) { return e.slot && e.slot->dead.load(); });
    entries.push_back({client, std::move(slot)});
  }
};
thread_local ThreadSlots t_slots;

}  // namespace

// Reply demultiplexing: every caller registers its tag, sends, then either
// becomes the one reader (if nobody reads) or waits on `cv`. The reader
// stores replies for other tags in `ready` and wakes everyone; when it gets
// its own reply it steps down and another waiter takes over reading.
struct UapiClient::State {
  UniqueFd sock;
  const uint64_t id = g_next_client_id.fetch_add(1, std::memory_order_relaxed);
  // Defaults for a State made without connect()'s options.
  Transport transport = slots_allowed_by_env() ? Transport::Slots : Transport::SocketOnly;
  unsigned slot_spin_us = doorbell_spin_us();
  // Every slot a thread opened on this connection, to end them with it.
  std::vector<std::weak_ptr<ClientSlot>> slots GUARDED_BY(mu);
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
  Error fail(const Error& e) EXCLUDES(mu) {
    MutexLock l(mu);
    if (!dead) dead = e;
    return transport_error(*dead);
  }

  ~State() {
    MutexLock l(mu);
    for (auto& w : slots) {
      if (auto slot = w.lock()) {
        slot->dead.store(true);
        slot->end->hang_up();
      }
    }
  }

  Result<Reply> socket_call(uint32_t cmd, std::span<const uint8_t> arg, std::span<const int> fds)
      EXCLUDES(mu);
  // The calling thread's slot, opened on first use; nullptr: use the socket.
  Result<ClientSlot*> thread_slot() EXCLUDES(mu);
  Result<Reply> slot_call(ClientSlot& slot, uint32_t cmd, std::span<const uint8_t> arg) EXCLUDES(mu);
};

Result<ClientSlot*> UapiClient::State::thread_slot() {
  if (auto* e = t_slots.find(id)) return e->slot.get();
  swtee_ioctl_slot_open_arg req{};
  ASSIGN_OR_RETURN(Reply r, socket_call(SWTEE_IOC_SLOT_OPEN, encode_struct(req), {}));
  auto refuse = [&](const char* why) -> Result<ClientSlot*> {
    log::debug("uapi: no request slot for this thread ({}): calls use the socket", why);
    t_slots.add(id, nullptr);
    return nullptr;
  };
  if (r.rc != 0) return refuse("refused");
  swtee_ioctl_slot_open_arg out{};
  if (r.arg.size() != sizeof(out) || r.fds.size() != 1) return refuse("malformed reply");
  std::memcpy(&out, r.arg.data(), sizeof(out));
  auto size = seal_and_size(r.fds[0].get());
  if (out.size != kSlotSize || !size.ok() || *size != kSlotSize) return refuse("wrong size");
  auto map = Mapping::map(r.fds[0].get(), kSlotSize);
  if (!map.ok()) return refuse("cannot map");
  auto slot = std::make_shared<ClientSlot>();
  slot->map = std::move(map).value();
  slot->end = std::make_unique<DoorbellEnd>(
      reinterpret_cast<DoorbellPair*>(slot->map.data() + kSlotBellOffset), DoorbellEnd::Role::Client,
      sock.get(), slot_spin_us, kDoorbellCheckMs, DoorbellEnd::SideFds::Refuse);
  {
    MutexLock l(mu);
    std::erase_if(slots, [](const std::weak_ptr<ClientSlot>& w) { return w.expired(); });
    slots.push_back(slot);
  }
  ClientSlot* p = slot.get();
  t_slots.add(id, std::move(slot));
  return p;
}

Result<Reply> UapiClient::State::slot_call(ClientSlot& slot, uint32_t cmd, std::span<const uint8_t> arg) {
  {
    MutexLock l(mu);
    if (dead) return transport_error(*dead);
  }
  ASSIGN_OR_RETURN(DoorbellFrame f, encode_slot_request(slot.arg(), cmd, arg));
  if (Status st = slot.end->post(f); !st.ok()) return fail(st.error());
  auto m = slot.end->wait();
  if (!m.ok()) return fail(m.error());
  // swteed is trusted, but its reply is still read once and checked.
  auto msg = decode_slot_message(m->frame, slot.arg());
  if (!msg.ok()) return fail(Error{EPROTO, "malformed slot reply"});
  auto rc = slot_reply_rc(*msg);
  if (!rc.ok()) return fail(rc.error());
  Reply r;
  r.rc = *rc;
  r.arg = std::move(msg->arg);
  return r;
}

UapiClient::UapiClient(std::unique_ptr<State> s) : s_(std::move(s)) {}
UapiClient::UapiClient(UapiClient&&) noexcept = default;
UapiClient& UapiClient::operator=(UapiClient&&) noexcept = default;
UapiClient::~UapiClient() = default;

std::string runtime_dir_from_env() {
  const char* e = std::getenv(SWTEE_RUNTIME_DIR_ENV);
  if (e != nullptr && *e != '\0') return e;
  return SWTEE_DEFAULT_RUNTIME_DIR;
}

Result<UapiClient> UapiClient::connect(const std::string& device, const std::string& runtime_dir,
                                       ClientOptions options) {
  if (device.empty() || device.find('/') != std::string::npos) return Error{EINVAL, "bad device name"};
  std::string dir = runtime_dir.empty() ? runtime_dir_from_env() : runtime_dir;
  ASSIGN_OR_RETURN(UniqueFd sock, seqpacket_connect(dir + "/" + device));
  auto st = std::make_unique<State>();
  st->sock = std::move(sock);
  st->transport = slots_allowed_by_env() ? options.transport : Transport::SocketOnly;
  st->slot_spin_us = options.slot_spin_us.value_or(doorbell_spin_us());
  return UapiClient(std::move(st));
}

Result<UapiClient> UapiClient::adopt(UniqueFd sock, ClientOptions options) {
  if (!sock) return Error{EBADF, "no socket"};
  auto st = std::make_unique<State>();
  st->sock = std::move(sock);
  st->transport = slots_allowed_by_env() ? options.transport : Transport::SocketOnly;
  st->slot_spin_us = options.slot_spin_us.value_or(doorbell_spin_us());
  return UapiClient(std::move(st));
}

int UapiClient::socket_fd() const { return s_ ? s_->sock.get() : -1; }

bool UapiClient::thread_has_slot() const {
  if (!s_) return false;
  auto* e = t_slots.find(s_->id);
  return e != nullptr && e->slot != nullptr;
}

Result<Reply> UapiClient::call(uint32_t cmd, std::span<const uint8_t> arg, std::span<const int> fds) {
  if (!s_) return Error{EBADF, "moved-from UapiClient"};
  if (arg.size() > TEE_MAX_ARG_SIZE) return Error{EINVAL, "argument too large"};
  if (fds.size() > kMaxFdsPerMessage) return Error{EINVAL, "too many fds"};
  State& s = *s_;
  if (fds.empty() && s.transport == Transport::Slots) {
    if (auto c = uapi_cmd_from_number(cmd); c && uapi_cmd_via_slot(*c)) {
      ASSIGN_OR_RETURN(ClientSlot * slot, s.thread_slot());
      if (slot != nullptr) return s.slot_call(*slot, cmd, arg);
    }
  }
  return s.socket_call(cmd, arg, fds);
}

Result<Reply> UapiClient::State::socket_call(uint32_t cmd, std::span<const uint8_t> arg,
                                             std::span<const int> fds) {
  State& s = *this;
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
