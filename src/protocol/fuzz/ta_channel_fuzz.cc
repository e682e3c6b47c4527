// libFuzzer target for the TA channel decoders: TA -> OS messages (what a
// hostile TA can send to swtee-os, syscalls included) and OS -> TA requests
// and syscall replies.
#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/ta_channel_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  auto m = swtee::tachan::decode_ta_message(in);
  if (m.ok() && m->kind == swtee::tachan::TaMsgKind::Log && m->log_text.size() > swtee::tachan::kMaxLogText)
    __builtin_trap();
  if (m.ok() && m->kind == swtee::tachan::TaMsgKind::Syscall &&
      (m->syscall.in_len != m->syscall_in.size() || m->syscall_in.size() > swtee::tachan::kMaxSyscallInline ||
       m->syscall.num_fds > swtee::tachan::kMaxSyscallFds))
    __builtin_trap();
  if (size > 0) {
    auto r = swtee::tachan::decode_syscall_reply(in.subspan(1), data[0] % 2);
    if (r.ok() && (data[0] % 2 != 0 || r->out.size() != r->reply.out_len)) __builtin_trap();
  }
  // The fd count rides in the first byte so both accept and reject paths run.
  if (size > 0) (void)swtee::tachan::decode_request(in.subspan(1), data[0] % 6);
  return 0;
}
