#include "protocol/ta_channel_link.h"

#include <cstring>

namespace swtee::tachan {

void ChannelLink::attach(ChannelBlock* block, Side side, unsigned spin_us, unsigned check_ms) {
  const bool os = side == Side::Os;
  tx_ = os ? block->to_ta : block->to_os;
  tx_cap_ = os ? sizeof(block->to_ta) : sizeof(block->to_os);
  rx_ = os ? block->to_os : block->to_ta;
  rx_cap_ = os ? sizeof(block->to_os) : sizeof(block->to_ta);
  bell_.emplace(&block->bell, os ? DoorbellEnd::Role::Client : DoorbellEnd::Role::Server, sock_, spin_us,
                check_ms, DoorbellEnd::SideFds::Max);
  if (os) bell_->watch_peer_life(&block->ta_life);
}

Status ChannelLink::send(std::span<const std::span<const uint8_t>> parts, std::span<const int> fds) {
  if (!bell_) return send_message_parts(sock_, parts, fds);
  size_t total = 0;
  for (const auto& p : parts) {
    if (p.size() > tx_cap_ - total) return Error{EMSGSIZE, "TA channel message too large"};
    total += p.size();
  }
  size_t at = 0;
  for (const auto& p : parts) {
    if (!p.empty()) std::memcpy(tx_ + at, p.data(), p.size());
    at += p.size();
  }
  DoorbellFrame f{};
  f[kFrameLengthWord] = total;
  return bell_->post(f, fds);
}

Result<ReceivedMessage> ChannelLink::recv(std::span<uint8_t> buf, AdaptiveSpin* spin) {
  if (!bell_) return recv_message(sock_, buf);
  ASSIGN_OR_RETURN(DoorbellMessage m, spin != nullptr ? bell_->wait(*spin) : bell_->wait());
  const uint64_t len = m.frame[kFrameLengthWord];
  for (size_t i = 0; i < m.frame.size(); ++i)
    if (i != kFrameLengthWord && m.frame[i] != 0) return Error{EPROTO, "TA channel frame: reserved words"};
  if (len > rx_cap_ || len > buf.size()) return Error{EPROTO, "TA channel frame: length"};
  // The one read of the message from shared memory.
  if (len != 0) std::memcpy(buf.data(), rx_, len);
  ReceivedMessage r;
  r.length = static_cast<size_t>(len);
  r.fds = std::move(m.fds);
  return r;
}

void ChannelLink::interrupt() {
  if (bell_) bell_->interrupt();
}

}  // namespace swtee::tachan
