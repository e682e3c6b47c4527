// libFuzzer target for the TA channel decoders: TA -> OS messages (what a
// hostile TA can send to swtee-os) and OS -> TA requests.
#include <cstddef>
#include <cstdint>
#include <span>

#include "ta_runtime/ta_channel_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  auto m = swtee::tachan::decode_ta_message(in);
  if (m.ok() && m->kind == swtee::tachan::TaMsgKind::Log && m->log_text.size() > swtee::tachan::kMaxLogText)
    __builtin_trap();
  // The fd count rides in the first byte so both accept and reject paths run.
  if (size > 0) (void)swtee::tachan::decode_request(in.subspan(1), data[0] % 6);
  return 0;
}
