#include "protocol/remote_codec.h"

#include <cstring>

#include "common/checked_math.h"

namespace swtee::remote {
namespace {

template <typename T>
Result<T> exact(std::span<const uint8_t> body, const char* what) {
  T v;
  if (body.size() != sizeof(T)) return Error{EPROTO, what, "wrong body length"};
  std::memcpy(&v, body.data(), sizeof(T));
  return v;
}

enum class Dir : uint8_t { Request, Reply };

bool known_type(uint32_t t) { return t == kParamNone || param_is_value(t) || param_is_memref(t); }

// Decodes `n` params and their data from `rest` (what follows the fixed
// body), which they must consume exactly.
Result<std::vector<Param>> decode_params(std::span<const uint8_t> rest, uint32_t n, Dir dir) {
  if (n > kMaxParams) return Error{EPROTO, "params", "too many"};
  const size_t table = size_t{n} * sizeof(WireParam);
  if (rest.size() < table) return Error{EPROTO, "params", "truncated param table"};
  std::vector<Param> out(n);
  uint64_t carried = 0;  // bytes of data the params claim
  uint64_t held = 0;     // request: sizes of the non-NULL memrefs
  for (uint32_t i = 0; i < n; ++i) {
    WireParam w;
    std::memcpy(&w, rest.data() + size_t{i} * sizeof(WireParam), sizeof(w));
    if (!known_type(w.type)) return Error{EPROTO, "params", "unknown type"};
    const bool memref = param_is_memref(w.type);
    if ((w.flags & ~kParamFlagNull) != 0 || (!memref && w.flags != 0))
      return Error{EPROTO, "params", "flags"};
    const bool null = (w.flags & kParamFlagNull) != 0;
    if (!memref) {
      if (w.type == kParamNone && (w.a | w.b | w.c) != 0) return Error{EPROTO, "params", "NONE with a value"};
    } else {
      if (w.c != 0) return Error{EPROTO, "params", "memref c"};
      uint64_t want;
      if (dir == Dir::Request) {
        want = (!null && param_is_input(w.type)) ? w.a : 0;
        if (w.b != want) return Error{EPROTO, "params", "request memref data length"};
        if (!null) {
          auto h = checked_add(held, w.a);
          if (!h || *h > kMaxMemrefBytes) return Error{EPROTO, "params", "memrefs larger than the limit"};
          held = *h;
        }
      } else {
        const bool may_carry = !null && param_is_output(w.type);
        if (w.b != 0 && (!may_carry || w.b != w.a))
          return Error{EPROTO, "params", "reply memref data length"};
      }
      auto c = checked_add(carried, w.b);
      if (!c || *c > kMaxMemrefBytes) return Error{EPROTO, "params", "data larger than the limit"};
      carried = *c;
    }
    out[i] = Param{w.type, w.flags, w.a, w.b, w.c, {}};
  }
  if (rest.size() - table != carried) return Error{EPROTO, "params", "data length mismatch"};
  size_t at = table;
  for (Param& p : out) {
    if (!param_is_memref(p.type) || p.b == 0) continue;
    p.data = rest.subspan(at, static_cast<size_t>(p.b));
    at += static_cast<size_t>(p.b);
  }
  return out;
}

template <typename Fixed>
Result<std::pair<Fixed, std::vector<Param>>> with_params(std::span<const uint8_t> body, Dir dir,
                                                         const char* what) {
  Fixed f;
  if (body.size() < sizeof(Fixed)) return Error{EPROTO, what, "short body"};
  std::memcpy(&f, body.data(), sizeof(Fixed));
  auto params = decode_params(body.subspan(sizeof(Fixed)), f.num_params, dir);
  if (!params.ok()) return params.error().in(what);
  return std::pair<Fixed, std::vector<Param>>{f, std::move(params).value()};
}

}  // namespace

uint64_t max_body(MsgType type) {
  switch (type) {
    case MsgType::Hello:
      return sizeof(HelloBody);
    case MsgType::Challenge:
      return sizeof(ChallengeBody);
    case MsgType::Auth:
      return sizeof(AuthBody);
    case MsgType::Welcome:
      return sizeof(WelcomeBody);
    case MsgType::Refused:
      return sizeof(RefusedBody);
    case MsgType::OpenSession:
    case MsgType::Invoke:
    case MsgType::CallReply:
      return kMaxBody;
    case MsgType::CloseSession:
      return sizeof(CloseSessionBody);
    case MsgType::Cancel:
      return sizeof(CancelBody);
    case MsgType::CloseContext:
      return sizeof(CloseContextBody);
    case MsgType::GuestBye:
      return 0;
    case MsgType::CloseReply:
      return sizeof(CloseReplyBody);
  }
  return 0;
}

Result<FrameHeader> decode_header(std::span<const uint8_t> bytes) {
  FrameHeader h;
  if (bytes.size() != sizeof(h)) return Error{EPROTO, "frame header", "wrong length"};
  std::memcpy(&h, bytes.data(), sizeof(h));
  if (h.magic != kMagic) return Error{EPROTO, "frame header", "bad magic"};
  if (h.flags != 0 || h.reserved != 0) return Error{EPROTO, "frame header", "reserved bits set"};
  const auto type = static_cast<MsgType>(h.type);
  const uint64_t limit = max_body(type);
  if (limit == 0 && type != MsgType::GuestBye) return Error{EPROTO, "frame header", "unknown type"};
  if (h.body_len > limit) return Error{EPROTO, "frame header", "body longer than its type allows"};
  return h;
}

uint64_t data_bytes(std::span<const Param> params) {
  uint64_t n = 0;
  for (const Param& p : params)
    if (param_is_memref(p.type)) n += p.b;
  return n;
}

std::vector<uint8_t> encode_frame(MsgType type, uint64_t tag, std::span<const uint8_t> fixed,
                                  std::span<const Param> params, std::vector<size_t>* data_at) {
  const size_t table = params.size() * sizeof(WireParam);
  const size_t body = fixed.size() + table + static_cast<size_t>(data_bytes(params));
  std::vector<uint8_t> out(sizeof(FrameHeader) + body);
  FrameHeader h{kMagic, static_cast<uint16_t>(type), 0, static_cast<uint32_t>(body), 0, tag};
  std::memcpy(out.data(), &h, sizeof(h));
  uint8_t* p = out.data() + sizeof(h);
  if (!fixed.empty()) std::memcpy(p, fixed.data(), fixed.size());
  p += fixed.size();
  uint8_t* data = p + table;
  for (const Param& in : params) {
    WireParam w{in.type, in.flags, in.a, in.b, in.c};
    std::memcpy(p, &w, sizeof(w));
    p += sizeof(w);
    if (!param_is_memref(in.type) || in.b == 0) continue;
    if (!in.data.empty())
      std::memcpy(data, in.data.data(), static_cast<size_t>(in.b));
    else if (data_at != nullptr)
      data_at->push_back(static_cast<size_t>(data - out.data()));
    data += in.b;
  }
  return out;
}

std::vector<uint8_t> encode_hello(std::string_view name) {
  HelloBody h{};
  h.version = kVersion;
  size_t n = 0;
  for (char ch : name) {
    if (n + 1 >= kNameLen) break;
    h.name[n++] = (ch >= 0x20 && ch < 0x7f) ? ch : '?';
  }
  return encode_fixed(MsgType::Hello, 0, h);
}

Result<HelloBody> decode_hello(std::span<const uint8_t> body) {
  ASSIGN_OR_RETURN(HelloBody h, exact<HelloBody>(body, "hello"));
  if (h.version != kVersion) return Error{EPROTONOSUPPORT, "hello", "protocol version"};
  if (h.flags != 0) return Error{EPROTO, "hello", "flags"};
  bool ended = false;
  for (char ch : h.name) {
    if (ch == '\0') {
      ended = true;
    } else if (ended || ch < 0x20 || ch >= 0x7f) {
      return Error{EPROTO, "hello", "name not printable and NUL-padded"};
    }
  }
  if (!ended) return Error{EPROTO, "hello", "name not NUL-terminated"};
  return h;
}

std::string hello_name(const HelloBody& h) { return std::string(h.name, strnlen(h.name, kNameLen)); }

Result<ChallengeBody> decode_challenge(std::span<const uint8_t> body) {
  return exact<ChallengeBody>(body, "challenge");
}

Result<AuthBody> decode_auth(std::span<const uint8_t> body) { return exact<AuthBody>(body, "auth"); }

Result<WelcomeBody> decode_welcome(std::span<const uint8_t> body) {
  ASSIGN_OR_RETURN(WelcomeBody w, exact<WelcomeBody>(body, "welcome"));
  if (w.version != kVersion) return Error{EPROTONOSUPPORT, "welcome", "protocol version"};
  if (w.reserved != 0) return Error{EPROTO, "welcome", "reserved"};
  return w;
}

Result<RefusedBody> decode_refused(std::span<const uint8_t> body) {
  ASSIGN_OR_RETURN(RefusedBody r, exact<RefusedBody>(body, "refused"));
  if (r.err <= 0 || r.err > 4095 || r.reserved != 0) return Error{EPROTO, "refused", "not an errno"};
  return r;
}

Result<OpenSessionMsg> decode_open_session(std::span<const uint8_t> body) {
  ASSIGN_OR_RETURN(auto v, with_params<OpenSessionBody>(body, Dir::Request, "open session"));
  if (v.first.reserved != 0) return Error{EPROTO, "open session", "reserved"};
  return OpenSessionMsg{v.first, std::move(v.second)};
}

Result<InvokeMsg> decode_invoke(std::span<const uint8_t> body) {
  ASSIGN_OR_RETURN(auto v, with_params<InvokeBody>(body, Dir::Request, "invoke"));
  return InvokeMsg{v.first, std::move(v.second)};
}

Result<CloseSessionBody> decode_close_session(std::span<const uint8_t> body) {
  ASSIGN_OR_RETURN(CloseSessionBody b, exact<CloseSessionBody>(body, "close session"));
  if (b.reserved != 0) return Error{EPROTO, "close session", "reserved"};
  return b;
}

Result<CancelBody> decode_cancel(std::span<const uint8_t> body) { return exact<CancelBody>(body, "cancel"); }

Result<CloseContextBody> decode_close_context(std::span<const uint8_t> body) {
  return exact<CloseContextBody>(body, "close context");
}

Result<CallReplyMsg> decode_call_reply(std::span<const uint8_t> body) {
  ASSIGN_OR_RETURN(auto v, with_params<CallReplyBody>(body, Dir::Reply, "call reply"));
  const CallReplyBody& f = v.first;
  if (f.reserved != 0) return Error{EPROTO, "call reply", "reserved"};
  if (f.rc > 0 || f.rc < -4095) return Error{EPROTO, "call reply", "rc not 0 or -errno"};
  if (f.rc != 0 && f.num_params != 0) return Error{EPROTO, "call reply", "params with a failure"};
  return CallReplyMsg{f, std::move(v.second)};
}

Result<CloseReplyBody> decode_close_reply(std::span<const uint8_t> body) {
  ASSIGN_OR_RETURN(CloseReplyBody b, exact<CloseReplyBody>(body, "close reply"));
  if (b.rc > 0 || b.rc < -4095 || b.reserved != 0) return Error{EPROTO, "close reply", "rc not 0 or -errno"};
  return b;
}

}  // namespace swtee::remote
