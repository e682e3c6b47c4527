#include "core/device.h"

#include <swtee/uapi/tee.h>

namespace swtee::core {
namespace {

constexpr uint32_t kAllOptionalOps =
    OptionalOp::OpenSession | OptionalOp::CloseSession | OptionalOp::InvokeFunc | OptionalOp::CancelReq |
    OptionalOp::SuppRecv | OptionalOp::SuppSend | OptionalOp::ShmRegister | OptionalOp::ShmUnregister |
    OptionalOp::GuestCreated | OptionalOp::GuestDestroyed;
constexpr uint32_t kGuestOps = OptionalOp::GuestCreated | OptionalOp::GuestDestroyed;

constexpr size_t kMaxDeviceName = 31;  // TEE_MAX_DEV_NAME_LEN - 1

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > kMaxDeviceName || n == "." || n == "..") return false;
  for (char c : n)
    if (c == '/' || c == '\0') return false;
  return true;
}

}  // namespace

Result<std::unique_ptr<Device>> Device::create(const DeviceDesc& desc, const CoreLimits& limits) {
  if (desc.ops == nullptr) return Error{EINVAL, "device without driver ops"};
  if (!valid_name(desc.name)) return Error{EINVAL, "bad device name"};
  const uint32_t ops = desc.ops->optional_ops();
  if ((ops & ~kAllOptionalOps) != 0) return Error{EINVAL, "unknown optional op bits"};
  if ((ops & kGuestOps) != 0 && (ops & kGuestOps) != kGuestOps)
    return Error{EINVAL, "a driver has both guest ops or neither"};
  return std::unique_ptr<Device>(new Device(desc, ops, limits));
}

VersionInfo Device::version() const {
  VersionInfo v = desc_.ops->get_version();
  v.gen_caps &= ~TEE_GEN_CAP_REG_MEM;
  if (desc_.privileged) v.gen_caps |= TEE_GEN_CAP_PRIVILEGED;
  return v;
}

}  // namespace swtee::core
