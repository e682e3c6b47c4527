#include "drivers/optee/optee_driver.h"

#include <string>

#include "common/log.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "drivers/optee/optee_driver_impl.h"
#include "drivers/optee/probe.h"

namespace swtee::optee {

OpteeDriverImpl::OpteeDriverImpl(std::unique_ptr<DriverCore> core, ChildProcess child)
    : child_(std::move(child)), core_(std::move(core)), client_(*core_), supp_(*core_) {}

OpteeDriverImpl::~OpteeDriverImpl() {
  core_->shutdown();
  MutexLock l(child_mu_);
  child_ = ChildProcess();  // SIGKILL + reap if it did not exit on EOF
}

bool OpteeDriverImpl::os_alive() const {
  {
    MutexLock l(child_mu_);
    int status = 0;
    if (child_.valid() && child_.try_wait(&status)) {
      log::error("optee: swtee-os exited (wait status {:#x})", status);
      core_->conduit().mark_dead();
    }
  }
  return core_->conduit().alive();
}

Result<std::unique_ptr<OpteeDriver>> probe_with_conduit(UniqueFd carveout, std::vector<UniqueFd> channels,
                                                        UniqueFd doorbell, ChildProcess child) {
  ASSIGN_OR_RETURN(uint64_t carveout_size, seal_and_size(carveout.get()));
  ASSIGN_OR_RETURN(auto conduit,
                   Conduit::create(std::move(carveout), std::move(channels), std::move(doorbell)));
  auto core = std::make_unique<DriverCore>(std::move(conduit));
  ASSIGN_OR_RETURN(core->info(), handshake(core->path(), carveout_size));
  // Calls wait for a secure thread in the driver, not in a rebound
  // (call_queue.h, "Admission").
  core->queue().set_thread_count(core->info().thread_count);
  core->start_worker();
  return std::unique_ptr<OpteeDriver>(std::make_unique<OpteeDriverImpl>(std::move(core), std::move(child)));
}

Result<std::unique_ptr<OpteeDriver>> OpteeDriver::probe(const OpteeConfig& cfg) {
  if (cfg.threads == 0 || cfg.channels < cfg.threads || cfg.channels > conduit::kMaxChannels) {
    return Error{EINVAL, "need 1 <= threads <= channels <= kMaxChannels"};
  }
  if (cfg.os_binary.empty()) return Error{EINVAL, "no swtee-os binary"};
  const uint64_t carveout_size = uint64_t{cfg.channels} * conduit::kCarveoutSlotSize;
  ASSIGN_OR_RETURN(UniqueFd carveout, create_sealed_memfd("swtee-carveout", carveout_size));
  std::vector<UniqueFd> normal, secure;
  for (unsigned i = 0; i < cfg.channels; ++i) {
    ASSIGN_OR_RETURN(auto pair, seqpacket_pair());
    normal.push_back(std::move(pair.first));
    secure.push_back(std::move(pair.second));
  }
  ASSIGN_OR_RETURN(
      UniqueFd doorbell,
      create_sealed_memfd("swtee-doorbell", uint64_t{cfg.channels} * conduit::kDoorbellChannelSize));
  // fd 3 carve-out, 4..4+C-1 channels, 4+C doorbell block (protocol/conduit.h).
  std::vector<int> keep{carveout.get()};
  for (const auto& s : secure) keep.push_back(s.get());
  keep.push_back(doorbell.get());
  std::vector<std::string> argv{cfg.os_binary, "--channels", std::to_string(cfg.channels), "--threads",
                                std::to_string(cfg.threads)};
  if (cfg.huk_fd >= 0) {  // fd 5+C (protocol/conduit.h)
    keep.push_back(cfg.huk_fd);
    argv.push_back("--huk-fd");
    argv.push_back(std::to_string(conduit::huk_fd(cfg.channels)));
  }
  argv.insert(argv.end(), cfg.os_args.begin(), cfg.os_args.end());
  ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::spawn(cfg.os_binary, argv, keep));
  secure.clear();  // the child has its own copies; EOF on ours means it died
  auto drv =
      probe_with_conduit(std::move(carveout), std::move(normal), std::move(doorbell), std::move(child));
  if (!drv.ok()) {
    log::error("optee: probing {} failed: {}", cfg.os_binary, drv.error());
    return drv.error();
  }
  return drv;
}

}  // namespace swtee::optee
