// gpd.tee.deviceID (property_sets.h): computed once, at process start.
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "common/uuid.h"
#include "ta_runtime/property_sets.h"

namespace swtee::ta {
namespace {

// Namespace of swtee device IDs (a random UUIDv4, fixed forever).
constexpr const char* kDeviceIdNamespace = "3a7c5e1f-6b2d-4f8e-9a41-0c5d7e2b8f63";
// Used only when neither the machine-id nor the host name can be read.
constexpr TEE_UUID kFallbackDeviceId = {
    0x9b0e5a2c, 0x3f1d, 0x5c6a, {0x8e, 0x41, 0x73, 0x77, 0x74, 0x65, 0x65, 0x31}};

std::string read_small_file(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[128];
  const ssize_t n = ::read(fd, buf, sizeof(buf));
  ::close(fd);
  if (n <= 0) return {};
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEE_UUID compute_device_id() {
  std::string name = read_small_file("/etc/machine-id");
  if (name.empty()) name = read_small_file("/var/lib/dbus/machine-id");
  if (name.empty()) {
    char host[256] = {};
    if (::gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0') name = std::string("host:") + host;
  }
  const auto ns = Uuid::parse(kDeviceIdNamespace);
  if (name.empty() || !ns) return kFallbackDeviceId;
  return uuid_to_gp<TEE_UUID>(uuid_v5(*ns, name));
}

// Computed during static initialisation of swtee-ta-host, i.e. in the
// zygote before it forks TA processes and before any seccomp filter: a
// sandboxed TA cannot open files.
const TEE_UUID g_device_id = compute_device_id();

}  // namespace

TEE_UUID device_id() { return g_device_id; }

}  // namespace swtee::ta
