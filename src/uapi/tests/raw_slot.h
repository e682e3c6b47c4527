// A request slot driven by hand, as a hostile client would drive it: frames
// are written and rung directly in the shared page (any words, any fd
// count), replies are read with a DoorbellEnd. For tests of swteed's slot
// handling (the core's with fakes, the stack's in the xtest suite).
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>
#include <utility>
#include <vector>

#include "common/doorbell.h"
#include "common/shm_file.h"
#include "uapi/slot_codec.h"
#include "uapi/slot_wire.h"
#include "uapi/uapi_client.h"
#include "uapi/uapi_codec.h"

namespace swtee::uapi::testing {

class RawSlot {
 public:
  // Asks for a slot over `socket_client`'s socket (use Transport::SocketOnly:
  // the client's own calls then never use a slot of their own).
  static Result<RawSlot> open(UapiClient& socket_client) {
    ASSIGN_OR_RETURN(Reply r,
                     socket_client.call(SWTEE_IOC_SLOT_OPEN, encode_struct(swtee_ioctl_slot_open_arg{})));
    if (r.rc != 0) return Error{-r.rc, "SLOT_OPEN refused"};
    if (r.fds.size() != 1) return Error{EPROTO, "SLOT_OPEN without a memfd"};
    RawSlot s;
    ASSIGN_OR_RETURN(s.map_, Mapping::map(r.fds[0].get(), kSlotSize));
    s.end_ = std::make_unique<DoorbellEnd>(s.pair(), DoorbellEnd::Role::Client, socket_client.socket_fd(), 0,
                                           kDoorbellCheckMs, DoorbellEnd::SideFds::Refuse);
    return s;
  }

  DoorbellPair* pair() const { return reinterpret_cast<DoorbellPair*>(map_.data() + kSlotBellOffset); }
  std::span<uint8_t> arg() const { return {map_.data() + kSlotArgOffset, kSlotArgSize}; }

  // Rings the server with raw frame words and a raw fd count.
  void ring(const DoorbellFrame& f, uint32_t fds = 0) {
    DoorbellBox& box = pair()->to_server;
    for (size_t i = 0; i < kDoorbellWords; ++i) box.words[i].store(f[i]);
    box.fds.store(fds);
    box.seq.store(++seq_);
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&box.seq), FUTEX_WAKE, 1, nullptr, nullptr, 0);
  }
  Status request(uint32_t cmd, std::span<const uint8_t> a) {
    ASSIGN_OR_RETURN(DoorbellFrame f, encode_slot_request(arg(), cmd, a));
    ring(f);
    return ok_status();
  }
  // The next reply: rc and argument.
  Result<std::pair<int32_t, std::vector<uint8_t>>> reply() {
    ASSIGN_OR_RETURN(DoorbellMessage m, end_->wait());
    ASSIGN_OR_RETURN(SlotMessage msg, decode_slot_message(m.frame, arg()));
    ASSIGN_OR_RETURN(int32_t rc, slot_reply_rc(msg));
    return std::pair<int32_t, std::vector<uint8_t>>{rc, std::move(msg.arg)};
  }
  // The reply's rc, or -9999 if there was none.
  int32_t reply_rc() {
    auto r = reply();
    return r.ok() ? r->first : -9999;
  }

 private:
  RawSlot() = default;
  Mapping map_;
  std::unique_ptr<DoorbellEnd> end_;  // points into map_
  uint32_t seq_ = 0;
};

}  // namespace swtee::uapi::testing
