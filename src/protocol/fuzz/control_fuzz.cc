// libFuzzer target for the control-socket codec (control_codec.h): what a
// local client sends swteed, and what `swtee status` accepts as replies,
// the OS status report inside them included.
#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/control_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  (void)swtee::control::decode_request(in);
  if (auto s = swtee::control::decode_status_reply(in);
      s.ok() && s->devices.size() > swtee::control::kMaxDevices)
    __builtin_trap();
  if (auto c = swtee::control::decode_calls_reply(in); c.ok()) {
    for (const auto& f : c->inflight)
      if (f.device >= c->devices.size()) __builtin_trap();
  }
  auto check = [](const swtee::osstat::OsStatus& s) {
    if (s.tas.size() > swtee::osstat::kMaxTas) __builtin_trap();
    size_t n = 0;
    for (const auto& t : s.tas) {
      n += t.instances.size();
      for (const auto& i : t.instances)
        if (i.pid <= 0) __builtin_trap();
    }
    if (n > swtee::osstat::kMaxInstances) __builtin_trap();
    // What decodes re-encodes to the same length.
    if (swtee::osstat::encoded_size(s) > swtee::osstat::kMaxReportBytes) __builtin_trap();
  };
  if (auto s = swtee::control::decode_os_reply(in); s.ok()) check(*s);
  if (auto s = swtee::osstat::decode(in); s.ok()) {
    check(*s);
    if (swtee::osstat::encoded_size(*s) != size) __builtin_trap();
  }
  return 0;
}
