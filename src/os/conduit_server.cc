#include "os/conduit_server.h"

#include <thread>

#include "common/log.h"
#include "common/seqpacket.h"
#include "os/thread_rpc.h"
#include "protocol/optee_smc.h"

namespace swtee::os {

using conduit::SmcRegs;

Result<std::unique_ptr<ConduitServer>> ConduitServer::create(Carveout carveout, std::vector<UniqueFd> channels,
                                                             uint32_t threads, unsigned spin_us,
                                                             MsgEntry& entry) {
  if (channels.empty() || channels.size() != carveout.channels()) return Error{EINVAL, "channel count"};
  if (threads == 0 || threads > channels.size()) return Error{EINVAL, "thread count"};
  for (const auto& c : channels)
    if (!c) return Error{EBADF, "bad channel fd"};
  return std::unique_ptr<ConduitServer>(
      new ConduitServer(std::move(carveout), std::move(channels), threads, spin_us, entry));
}

ConduitServer::ConduitServer(Carveout carveout, std::vector<UniqueFd> channels, uint32_t threads,
                             unsigned spin_us, MsgEntry& entry)
    : carveout_(std::move(carveout)),
      channels_(std::move(channels)),
      spin_us_(spin_us),
      fast_{threads, carveout_.size()},
      tokens_(threads),
      entry_(entry) {}

void ConduitServer::run() {
  std::vector<std::thread> threads;
  threads.reserve(channels_.size());
  for (unsigned ch = 0; ch < channels_.size(); ++ch) threads.emplace_back([this, ch] { serve_channel(ch); });
  for (auto& t : threads) t.join();
}

void ConduitServer::serve_channel(unsigned ch) {
  const int fd = channels_[ch].get();
  for (;;) {
    SmcRegs call{};
    auto msg = recv_message_spin(fd, std::span<uint8_t>(reinterpret_cast<uint8_t*>(&call), sizeof(call)), spin_us_);
    SmcRegs answer{};
    if (!msg.ok()) {
      if (msg.error().code != EMSGSIZE) {
        if (msg.error().code != ECONNRESET) log::warn("channel {}: receive failed: {}", ch, msg.error().what);
        break;
      }
      answer = smc_result(optee::kSmcReturnEBadCmd);  // oversized frame (its fds are closed)
    } else if (msg->length != sizeof(call)) {
      answer = smc_result(optee::kSmcReturnEBadCmd);
    } else {
      answer = handle_frame(ch, call, std::move(msg->fds));
    }
    auto sent = send_message(fd, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&answer), sizeof(answer)));
    if (!sent.ok()) break;
  }
  log::debug("channel {} closed", ch);
}

SmcRegs ConduitServer::handle_frame(unsigned ch, const SmcRegs& call, std::vector<UniqueFd> fds) {
  if (call.a[0] == optee::kSmcCallWithRpcArg) return yielding_call(ch, call, std::move(fds));
  if (auto fast = answer_fast_call(call, fast_)) {
    if (!fds.empty()) return smc_result(optee::kSmcReturnEBadCmd);  // fast calls carry no fds
    return *fast;
  }
  switch (call.a[0]) {
    case optee::kSmcReturnFromRpc:  // no RPC outstanding on this channel
    case optee::kSmcCallWithArg:    // swtee-os requires the RPC_ARG form
    case optee::kSmcCallWithRegdArg:
      return smc_result(optee::kSmcReturnEBadCmd);
    default:
      return smc_result(optee::kSmcReturnUnknownFunction);
  }
}

SmcRegs ConduitServer::yielding_call(unsigned ch, const SmcRegs& call, std::vector<UniqueFd> fds) {
  ThreadToken token = tokens_.try_acquire();
  if (!token.valid()) return smc_result(optee::kSmcReturnEThreadLimit);
  if (call.a[1] > UINT32_MAX || call.a[2] > UINT32_MAX) return smc_result(optee::kSmcReturnEBadAddr);
  const uint64_t phys = call.a[1] << 32 | call.a[2];
  auto off = carveout_.arg_offset(ch, phys);
  if (!off.ok()) return smc_result(optee::kSmcReturnEBadAddr);

  ThreadRpc rpc(ChannelIo{channels_[ch].get(), spin_us_, fast_}, token.id());
  entry_.handle(carveout_.slot(ch).subspan(*off), std::move(fds), rpc);
  return smc_result(optee::kSmcReturnOk);
}

}  // namespace swtee::os
