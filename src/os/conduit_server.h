// The secure side of the conduit (protocol/conduit.h): one server thread per
// channel waits on the channel's doorbell (server end), answers fast calls
// inline and serves yielding calls (CALL_WITH_RPC_ARG) while holding one of
// the T secure-thread tokens. Each frame's client id (a7) picks the guest
// partition that serves it (os/guests.h); an unknown one gets ENOTAVAIL. A channel's thread stops when the
// normal world hangs up or its channel socket reads EOF (swteed gone); run() returns when all have.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/doorbell.h"
#include "common/result.h"
#include "common/shm_file.h"
#include "common/unique_fd.h"
#include "os/carveout.h"
#include "os/fast_calls.h"
#include "os/guests.h"
#include "os/msg_entry.h"
#include "os/thread_rpc.h"
#include "os/thread_tokens.h"
#include "protocol/conduit.h"

namespace swtee::os {

class ConduitServer {
 public:
  // One channel socket per carve-out slot; `doorbell` is the doorbell block
  // memfd (sealed, channels * kDoorbellChannelSize bytes); 1 <= threads <=
  // channels. `spin_us` bounds the yield-spin of a doorbell wait.
  static Result<std::unique_ptr<ConduitServer>> create(Carveout carveout, std::vector<UniqueFd> channels,
                                                       UniqueFd doorbell, uint32_t threads, unsigned spin_us,
                                                       Guests& guests);
  ConduitServer(const ConduitServer&) = delete;
  ConduitServer& operator=(const ConduitServer&) = delete;

  // Serves every channel on its own thread until each hits EOF.
  void run();

  const ThreadTokens& tokens() const { return tokens_; }

 private:
  ConduitServer(Carveout carveout, std::vector<UniqueFd> channels, Mapping doorbell, uint32_t threads,
                unsigned spin_us, Guests& guests);
  void serve_channel(unsigned ch);
  // The answer to one well-formed frame.
  conduit::SmcRegs handle_frame(unsigned ch, const conduit::SmcRegs& call, std::vector<UniqueFd> fds);
  conduit::SmcRegs yielding_call(unsigned ch, const conduit::SmcRegs& call, std::vector<UniqueFd> fds);

  Carveout carveout_;
  std::vector<UniqueFd> channels_;
  Mapping doorbell_;
  std::vector<std::unique_ptr<DoorbellEnd>> bells_;  // server ends, one per channel
  std::vector<RpcShmCache> shm_caches_;              // one per channel, used by its thread only
  std::vector<AfterAnswer> after_answers_;           // one per channel, used by its thread only
  FastCallConfig fast_;
  ThreadTokens tokens_;
  Guests& guests_;
};

}  // namespace swtee::os
