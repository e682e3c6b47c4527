// The remote driver: a guest's tee0 served by a host swteed over a stream
// (remote_link.h). A second driver whose model differs from OP-TEE's in
// every way the core cares about: it shares no memory with its TEE (no
// shm_register/shm_unregister: memref ranges are copied per call,
// param_copy.h), it has no supplicant (no supp_recv/supp_send: TA loading
// and storage live on the host), and cancellation and session close are
// messages.
//
// Sessions are the driver's own numbers, each bound to the connection
// (epoch) it was opened on: after the host went away, a call on an old
// session ends TARGET_DEAD (origin COMMS) without reaching the host, and a
// new session never reuses a number the guest's core still holds.
// Failures: a call that cannot reach the host ends COMMUNICATION (origin
// COMMS); a call in flight when the connection ends, TARGET_DEAD (COMMS);
// memrefs over the protocol's limit, EXCESS_DATA (COMMS).
#pragma once

#include <memory>

#include "core/tee_driver.h"
#include "drivers/remote/remote_link.h"

namespace swtee::remote {

class RemoteDriver final : public core::TeeDriver {
 public:
  explicit RemoteDriver(std::unique_ptr<RemoteLink> link) : link_(std::move(link)) {}

  core::VersionInfo get_version() const override;
  Result<std::unique_ptr<core::DriverContextData>> open(core::Context& ctx) override;
  void release(core::Context& ctx) override;
  void close_context(core::Context& ctx) override;
  uint32_t optional_ops() const override;

  Status open_session(core::Context& ctx, core::OpenSessionArg& arg, core::TeeParams& params) override;
  Status close_session(core::Context& ctx, uint32_t session) override;
  Status invoke_func(core::Context& ctx, core::InvokeArg& arg, core::TeeParams& params) override;
  Status cancel_req(core::Context& ctx, uint32_t cancel_id, uint32_t session) override;

  // Whether the link to the host is up (swteed's status).
  bool connected() const { return link_->epoch() != 0; }

 private:
  std::unique_ptr<RemoteLink> link_;
};

}  // namespace swtee::remote
