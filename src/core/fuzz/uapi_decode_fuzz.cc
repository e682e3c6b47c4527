// libFuzzer target: the UAPI request decoder as swteed runs it on untrusted
// input (framing, per-command argument, parameter validation).
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/fuzz/uapi_fuzz_decode.h"
#include "uapi/uapi_codec.h"

using namespace swtee;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> msg(data, size);
  (void)uapi::peek_request_tag(msg);
  (void)uapi::decode_reply_frame(msg);
  auto f = uapi::decode_request_frame(msg);
  if (!f.ok()) return 0;
  auto cmd = uapi::uapi_cmd_from_number(f->hdr.cmd);
  if (!cmd) return 0;
  fuzz::decode_command(*cmd, f->arg);
  return 0;
}
