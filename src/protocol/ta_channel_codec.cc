#include "protocol/ta_channel_codec.h"

#include <array>
#include <cstring>

#include "common/seqpacket.h"

namespace swtee::tachan {
namespace {

const Error kProto{EPROTO, "malformed TA channel message"};

// Exact body size of each fixed-size message kind; Log is variable.
constexpr std::array<size_t, kNumTaMsgKinds> kBodySize = {
    sizeof(TaHello),    // Hello
    sizeof(TaReply),    // Reply
    sizeof(TaPanic),    // Panic
    sizeof(TaLog),      // Log (minimum)
    sizeof(TaSyscall),  // Syscall (minimum)
};

}  // namespace

bool is_known_param_type(uint32_t t) {
  return t == 0 || t == 1 || t == 2 || t == 3 || t == 5 || t == 6 || t == 7;
}
bool is_memref_type(uint32_t t) { return t >= 5 && t <= 7; }
bool is_value_type(uint32_t t) { return t >= 1 && t <= 3; }
bool is_output_type(uint32_t t) { return t == 2 || t == 3 || t == 6 || t == 7; }
size_t window_dir(uint32_t t) { return t == 5 ? 0 : 1; }

Result<TaMessage> decode_ta_message(std::span<const uint8_t> bytes) {
  TaMsgHeader h;
  if (bytes.size() < sizeof(h)) return kProto;
  std::memcpy(&h, bytes.data(), sizeof(h));
  if (h.magic != kMsgMagic || h.kind >= kNumTaMsgKinds) return kProto;
  auto body = bytes.subspan(sizeof(h));
  if (body.size() != h.body_len) return kProto;
  TaMessage m;
  m.kind = static_cast<TaMsgKind>(h.kind);
  m.seq = h.seq;
  size_t fixed = kBodySize[h.kind];
  if (body.size() < fixed) return kProto;
  switch (m.kind) {
    case TaMsgKind::Hello:
      if (body.size() != fixed) return kProto;
      std::memcpy(&m.hello, body.data(), fixed);
      break;
    case TaMsgKind::Reply:
      if (body.size() != fixed) return kProto;
      std::memcpy(&m.reply, body.data(), fixed);
      if ((m.reply.flags & ~kRepKnownFlags) != 0) return kProto;
      break;
    case TaMsgKind::Panic:
      if (body.size() != fixed) return kProto;
      std::memcpy(&m.panic, body.data(), fixed);
      break;
    case TaMsgKind::Log: {
      TaLog l;
      std::memcpy(&l, body.data(), sizeof(l));
      if (l.len > kMaxLogText || body.size() != sizeof(l) + l.len) return kProto;
      m.log_level = l.level;
      m.log_text.assign(reinterpret_cast<const char*>(body.data() + sizeof(l)), l.len);
      break;
    }
    case TaMsgKind::Syscall: {
      std::memcpy(&m.syscall, body.data(), sizeof(TaSyscall));
      const TaSyscall& sc = m.syscall;
      if (sc.family >= kNumSysFamilies || sc.num_fds > kMaxSyscallFds || sc.in_len > kMaxSyscallInline ||
          body.size() != sizeof(TaSyscall) + sc.in_len)
        return kProto;
      m.syscall_in = body.subspan(sizeof(TaSyscall));
      break;
    }
  }
  return m;
}

Result<SyscallReplyView> decode_syscall_reply(std::span<const uint8_t> bytes, size_t num_fds) {
  SyscallReplyView v;
  if (num_fds != 0 || bytes.size() < sizeof(v.reply)) return kProto;
  std::memcpy(&v.reply, bytes.data(), sizeof(v.reply));
  if (v.reply.magic != kSysReplyMagic || v.reply.out_len > kMaxSyscallInline ||
      bytes.size() != sizeof(v.reply) + v.reply.out_len)
    return kProto;
  v.out = bytes.subspan(sizeof(v.reply));
  return v;
}

Status send_syscall(ChannelLink& link, const TaSyscall& sc, std::span<const uint8_t> in,
                    std::span<const int> fds) {
  if (sc.in_len != in.size() || sc.num_fds != fds.size() || in.size() > kMaxSyscallInline ||
      fds.size() > kMaxSyscallFds)
    return Error{EINVAL, "syscall lengths"};
  TaMsgHeader h{kMsgMagic, static_cast<uint32_t>(TaMsgKind::Syscall), 0,
                static_cast<uint32_t>(sizeof(sc) + in.size())};
  std::array<std::span<const uint8_t>, 3> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&h), sizeof(h)),
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&sc), sizeof(sc)), in};
  return link.send(parts, fds);
}

Status send_syscall_reply(ChannelLink& link, const TaSyscallReply& rep, std::span<const uint8_t> out) {
  if (rep.out_len != out.size() || out.size() > kMaxSyscallInline)
    return Error{EINVAL, "syscall reply length"};
  std::array<std::span<const uint8_t>, 2> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&rep), sizeof(rep)), out};
  return link.send(parts);
}

Result<TaRequest> decode_request(std::span<const uint8_t> bytes, size_t num_fds) {
  TaRequest r;
  if (bytes.size() != sizeof(r)) return kProto;
  std::memcpy(&r, bytes.data(), sizeof(r));
  if (r.magic != kRequestMagic || r.op >= kNumTaOps) return kProto;
  if ((r.flags & ~kReqKnownFlags) != 0) return kProto;
  if ((r.flags & kReqCreateFirst) != 0 && r.op != static_cast<uint32_t>(TaOp::OpenSession)) return kProto;
  if (!is_valid_cpu_hint(r.cpu)) return kProto;
  size_t flagged = 0;
  for (const TaWireParam& p : r.params) {
    if (!is_known_param_type(p.type) || (p.flags & ~kParamKnownFlags) != 0) return kProto;
    if (is_value_type(p.type) && (p.a > UINT32_MAX || p.b > UINT32_MAX)) return kProto;
    if (is_memref_type(p.type) && (p.a != 0 || p.present > 1)) return kProto;
    if ((p.flags & kParamFdAttached) != 0) {
      if (!is_memref_type(p.type) || p.present == 0) return kProto;
      ++flagged;
    }
  }
  if (flagged != num_fds) return kProto;
  return r;
}

Status send_ta_message(ChannelLink& link, TaMsgKind kind, uint32_t seq, std::span<const uint8_t> body,
                       std::span<const uint8_t> tail) {
  TaMsgHeader h{kMsgMagic, static_cast<uint32_t>(kind), seq,
                static_cast<uint32_t>(body.size() + tail.size())};
  std::array<std::span<const uint8_t>, 3> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&h), sizeof(h)), body, tail};
  return link.send(parts);
}

}  // namespace swtee::tachan
