// SuppTransport over the UAPI socket to swteed (teepriv0), via UapiClient.
#pragma once

#include <string>

#include "supplicant/supp_transport.h"
#include "uapi/uapi_client.h"

namespace swtee::supp {

class UapiTransport final : public SuppTransport {
 public:
  // Connects and checks the device: VERSION must succeed and report the
  // PRIVILEGED capability. EBUSY: another supplicant is attached.
  static Result<std::unique_ptr<UapiTransport>> connect(const std::string& device, const std::string& runtime_dir);

  Result<SuppMessage> recv(std::span<const tee_ioctl_param> offered) override;
  Status send(const SuppMessage& reply) override;
  Result<ShmAllocation> shm_alloc(uint64_t size) override;
  Status shm_release(int32_t id) override;
  void shutdown() override;

 private:
  explicit UapiTransport(uapi::UapiClient c) : client_(std::move(c)) {}
  uapi::UapiClient client_;
};

}  // namespace swtee::supp
