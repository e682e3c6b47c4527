// How TA-channel messages travel (ta_channel_wire.h): datagrams on the
// instance's socket during set-up, then the instance's ChannelBlock.
//
// Attached, a send copies the message into this side's buffer of the block
// and rings the doorbell with its length (fds go ahead on the socket); a
// receive waits for the peer's ring, copies the peer's message out of the
// block into the caller's buffer once, and returns that copy: the caller
// decodes and validates only its private bytes, so a peer rewriting the
// block after it rang garbles nothing but its own message. A frame whose
// length does not fit the buffers, or whose other words are not zero, is
// malformed (EPROTO), like a malformed datagram.
//
// One thread uses a link at a time (the instance's caller on the OS side,
// the TA's only thread); interrupt() may come from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "common/adaptive_spin.h"
#include "common/doorbell.h"
#include "common/result.h"
#include "common/seqpacket.h"
#include "protocol/ta_channel_wire.h"

namespace swtee::tachan {

// The TA side's doorbell check interval. A TA does not need it to notice
// that the OS is gone (PR_SET_PDEATHSIG kills it with the zygote, and the OS
// kills every instance it lets go), so it is long: an idle instance wakes
// once a second, which keeps many idle instances cheap.
inline constexpr unsigned kTaSideCheckMs = 1000;

// Spin budget of both ends' waits: $SWTEE_SPIN_US (default 20 µs), the
// budget this hop had on the socket. The doorbell default (200 µs) made
// four spinners of one call on 2 vCPUs and measured worse here
// (docs/performance.md, "The TA hop on the doorbell").
inline unsigned ta_channel_spin_us() { return call_path_spin_us(); }

class ChannelLink {
 public:
  enum class Side { Os, Ta };

  // Unattached: datagrams on `sock` (borrowed; it outlives the link).
  explicit ChannelLink(int sock) : sock_(sock) {}
  ChannelLink(const ChannelLink&) = delete;
  ChannelLink& operator=(const ChannelLink&) = delete;

  // From now on through `block` (shared, outliving the link). The OS side
  // watches the TA's life word, so its waits end as soon as the TA dies.
  void attach(ChannelBlock* block, Side side, unsigned spin_us, unsigned check_ms);
  bool attached() const { return bell_.has_value(); }
  int sock() const { return sock_; }

  // Sends one message made of `parts` (header, body, ...) with `fds`
  // (at most kDoorbellMaxFds). EMSGSIZE if it exceeds this side's buffer,
  // ECONNRESET if the peer is gone.
  Status send(std::span<const std::span<const uint8_t>> parts, std::span<const int> fds = {});
  // The peer's next message, copied into `buf`. `spin`: the adaptive spin
  // state of this kind of wait (null: the link's own). Errors: ECONNRESET
  // (peer gone), ECANCELED (interrupt()), EPROTO (malformed; consumed).
  Result<ReceivedMessage> recv(std::span<uint8_t> buf, AdaptiveSpin* spin = nullptr);
  // Ends a wait of this link now and every later one (ECANCELED).
  void interrupt();

 private:
  int sock_;
  uint8_t* tx_ = nullptr;
  size_t tx_cap_ = 0;
  const uint8_t* rx_ = nullptr;
  size_t rx_cap_ = 0;
  std::optional<DoorbellEnd> bell_;
};

}  // namespace swtee::tachan
