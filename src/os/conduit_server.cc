#include "os/conduit_server.h"

#include <thread>

#include "common/log.h"
#include "os/thread_rpc.h"
#include "protocol/optee_smc.h"

namespace swtee::os {

using conduit::SmcRegs;

Result<std::unique_ptr<ConduitServer>> ConduitServer::create(Carveout carveout,
                                                             std::vector<UniqueFd> channels,
                                                             UniqueFd doorbell, uint32_t threads,
                                                             unsigned spin_us, Guests& guests) {
  if (channels.empty() || channels.size() != carveout.channels()) return Error{EINVAL, "channel count"};
  if (threads == 0 || threads > channels.size()) return Error{EINVAL, "thread count"};
  for (const auto& c : channels)
    if (!c) return Error{EBADF, "bad channel fd"};
  if (!doorbell) return Error{EBADF, "bad doorbell fd"};
  ASSIGN_OR_RETURN(uint64_t size, seal_and_size(doorbell.get()));
  if (size != channels.size() * conduit::kDoorbellChannelSize)
    return Error{EINVAL, "doorbell block size is not channels * kDoorbellChannelSize"};
  ASSIGN_OR_RETURN(Mapping map, Mapping::map(doorbell.get(), size, true));
  return std::unique_ptr<ConduitServer>(
      new ConduitServer(std::move(carveout), std::move(channels), std::move(map), threads, spin_us, guests));
}

ConduitServer::ConduitServer(Carveout carveout, std::vector<UniqueFd> channels, Mapping doorbell,
                             uint32_t threads, unsigned spin_us, Guests& guests)
    : carveout_(std::move(carveout)),
      channels_(std::move(channels)),
      doorbell_(std::move(doorbell)),
      shm_caches_(channels_.size()),
      after_answers_(channels_.size()),
      fast_{threads, carveout_.size(), guests.virtualization()},
      tokens_(threads),
      guests_(guests) {
  for (unsigned i = 0; i < channels_.size(); ++i) {
    auto* pair = reinterpret_cast<DoorbellPair*>(doorbell_.data() + i * conduit::kDoorbellChannelSize);
    bells_.push_back(
        std::make_unique<DoorbellEnd>(pair, DoorbellEnd::Role::Server, channels_[i].get(), spin_us));
  }
}

void ConduitServer::run() {
  std::vector<std::thread> threads;
  threads.reserve(channels_.size());
  for (unsigned ch = 0; ch < channels_.size(); ++ch) threads.emplace_back([this, ch] { serve_channel(ch); });
  for (auto& t : threads) t.join();
}

void ConduitServer::serve_channel(unsigned ch) {
  DoorbellEnd& bell = *bells_[ch];
  for (;;) {
    auto msg = bell.wait();
    SmcRegs answer{};
    if (!msg.ok()) {
      if (msg.error().code != EPROTO) {
        if (msg.error().code != ECONNRESET) log::warn("channel {}: wait failed: {}", ch, msg.error());
        break;
      }
      answer = smc_result(optee::kSmcReturnEBadCmd);  // malformed frame (e.g. a claimed fd that never came)
    } else {
      std::vector<UniqueFd> fds;
      fds = std::move(msg->fds);
      answer = handle_frame(ch, conduit::to_regs(msg->frame), std::move(fds));
    }
    const bool posted = bell.post(conduit::to_frame(answer)).ok();
    after_answers_[ch].run();
    if (!posted) break;
  }
  log::debug("channel {} closed", ch);
}

SmcRegs ConduitServer::handle_frame(unsigned ch, const SmcRegs& call, std::vector<UniqueFd> fds) {
  if (call.a[0] == optee::kSmcCallWithRpcArg) return yielding_call(ch, call, std::move(fds));
  if (auto vm = guests_.answer_vm_call(call)) {
    if (!fds.empty()) return smc_result(optee::kSmcReturnEBadCmd);
    return *vm;
  }
  // A fast call from a client id that is not live, as OP-TEE answers it.
  if (!guests_.find(call.a[optee::kSmcClientIdReg])) return smc_result(optee::kSmcReturnENotAvail);
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
  if (call.a[1] > UINT32_MAX || call.a[2] > UINT32_MAX) return smc_result(optee::kSmcReturnEBadAddr);
  const uint64_t phys = call.a[1] << 32 | call.a[2];
  auto off = carveout_.arg_offset(ch, phys);
  if (!off.ok()) return smc_result(optee::kSmcReturnEBadAddr);
  const uint64_t client_id = call.a[optee::kSmcClientIdReg];
  auto guest = guests_.find(client_id);
  if (!guest) return smc_result(optee::kSmcReturnENotAvail);
  // A guest's call needs a thread of its share first, then one of all.
  ThreadTokens* share = guest->partition ? guest->partition->thread_share() : nullptr;
  ThreadToken own = share != nullptr ? share->try_acquire() : ThreadToken();
  ThreadToken token = share == nullptr || own.valid() ? tokens_.try_acquire() : ThreadToken();
  if (!token.valid()) {
    if (guest->entry->handle_cancel_without_thread(carveout_.slot(ch).subspan(*off), !fds.empty()))
      return smc_result(optee::kSmcReturnOk);
    return smc_result(optee::kSmcReturnEThreadLimit);
  }

  ThreadRpc rpc(ChannelIo{bells_[ch].get(), fast_, &shm_caches_[ch], static_cast<uint32_t>(client_id),
                          &after_answers_[ch]},
                token.id());
  guest->entry->handle(carveout_.slot(ch).subspan(*off), std::move(fds), rpc);
  return smc_result(optee::kSmcReturnOk);
}

}  // namespace swtee::os
