// swteed's end of one request slot (uapi/slot_wire.h): the sealed memfd it
// creates for a client thread, its own mapping of it, the server end of the
// doorbell and the share of the slot pool it holds (uid_quotas.h).
//
// The doorbell's side socket is the connection's own socket, used only to
// notice that the client is gone (SideFds::Refuse: the socket's datagrams
// belong to the UAPI, and a frame announcing an fd is malformed). An idle
// slot thread looks at it once a second; the connection's reader also ends
// every slot at EOF (Connection).
#pragma once

#include <memory>
#include <span>

#include "common/doorbell.h"
#include "common/result.h"
#include "common/shm_file.h"
#include "common/unique_fd.h"
#include "core/uid_quotas.h"
#include "uapi/slot_wire.h"

namespace swtee::core {

// How often an idle slot thread checks that its client is still there.
inline constexpr unsigned kSlotServerCheckMs = 1000;

class RequestSlot {
 public:
  static Result<std::unique_ptr<RequestSlot>> create(int conn_sock, QuotaCharge charge);
  RequestSlot(const RequestSlot&) = delete;
  RequestSlot& operator=(const RequestSlot&) = delete;

  // The memfd for the client (sent once with the SLOT_OPEN reply).
  UniqueFd take_memfd() { return std::move(memfd_); }
  DoorbellEnd& bell() { return *bell_; }
  std::span<uint8_t> arg() { return {map_.data() + uapi::kSlotArgOffset, uapi::kSlotArgSize}; }

 private:
  RequestSlot() = default;
  UniqueFd memfd_;
  Mapping map_;
  std::unique_ptr<DoorbellEnd> bell_;  // points into map_
  QuotaCharge charge_;
};

}  // namespace swtee::core
