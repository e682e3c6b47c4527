#include "ta_runtime/syscall.h"

#include <unistd.h>

#include <array>
#include <cstring>
#include <string_view>

#include "common/adaptive_spin.h"
#include "common/doorbell.h"
#include "protocol/ta_channel_codec.h"
#include "ta_runtime/dispatcher.h"
#include "ta_runtime/runtime_state.h"

namespace swtee::ta {
namespace {

[[noreturn]] void channel_exit(std::string_view why) {
  Runtime& rt = runtime();
  tachan::TaLog l{1, static_cast<uint32_t>(std::min(why.size(), tachan::kMaxLogText))};
  (void)tachan::send_ta_message(*rt.link, tachan::TaMsgKind::Log, 0,
                                {reinterpret_cast<const uint8_t*>(&l), sizeof(l)},
                                {reinterpret_cast<const uint8_t*>(why.data()), l.len});
  ::_exit(kExitProtocol);
}

// The TA channel: send, then wait for the one reply.
class ChannelTransport final : public SyscallTransport {
 public:
  TEE_Result call(const SysCall& c, std::span<uint8_t> out, SysResult* res) noexcept override {
    Runtime& rt = runtime();
    if (rt.current_seq == 0) channel_exit("syscall outside an entry point");
    tachan::TaSyscall sc{};
    sc.family = static_cast<uint32_t>(c.family);
    sc.fn = c.fn;
    sc.num_fds = static_cast<uint32_t>(c.fds.size());
    sc.in_len = static_cast<uint32_t>(c.in.size());
    std::memcpy(sc.args, c.args.data(), sizeof(sc.args));
    if (c.in.size() > tachan::kMaxSyscallInline || c.fds.size() > tachan::kMaxSyscallFds)
      channel_exit("syscall too large");
    if (!tachan::send_syscall(*rt.link, sc, c.in, c.fds).ok()) ::_exit(kExitNormal);  // the OS is gone

    auto m = rt.link->recv(buf_, &spin_);
    if (!m.ok()) {
      if (m.error().code == ECONNRESET) ::_exit(kExitNormal);
      channel_exit(m.error().code == EPROTO ? "malformed syscall reply" : "syscall reply receive failed");
    }
    auto v = tachan::decode_syscall_reply({buf_.data(), m->length}, m->fds.size());
    if (!v.ok() || v->reply.family != sc.family || v->reply.fn != sc.fn)
      channel_exit("malformed syscall reply");
    if (v->out.size() > out.size()) channel_exit("syscall reply longer than its buffer");
    if (!v->out.empty()) std::memcpy(out.data(), v->out.data(), v->out.size());
    res->ret = v->reply.ret;
    res->origin = v->reply.origin;
    std::memcpy(res->vals.data(), v->reply.vals, sizeof(v->reply.vals));
    res->out_len = v->out.size();
    return res->ret;
  }

 private:
  alignas(8) std::array<uint8_t, tachan::kMaxOsMessage> buf_;  // the reply, copied out of the block once
  AdaptiveSpin spin_{tachan::ta_channel_spin_us()};  // syscall replies (apart from request waits); one thread
};

ChannelTransport& channel_transport() {
  static ChannelTransport t;
  return t;
}

SyscallTransport* g_override = nullptr;

}  // namespace

SyscallTransport& syscall_transport() noexcept {
  return g_override != nullptr ? *g_override : channel_transport();
}

void set_syscall_transport(SyscallTransport* t) noexcept { g_override = t; }

}  // namespace swtee::ta
