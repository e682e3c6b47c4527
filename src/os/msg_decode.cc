#include "os/msg_decode.h"

#include <algorithm>
#include <cstring>

#include "common/checked_math.h"
#include "os/shm_registry.h"
#include "protocol/opener_uid.h"

namespace swtee::os {
namespace {

using optee::MsgCmd;

constexpr GpResult kOk{kTeeSuccess, 0};
constexpr GpResult kBad{kTeeErrorBadParameters, kTeeOriginTee};

// Meta params of OPEN_SESSION ([0] TA uuid, [1] client uuid + login).
constexpr uint32_t kOpenMetaParams = 2;

using DecodeFn = GpResult (*)(const ArgSnapshot&, const ShmRegistry&, DecodedMsg*);

struct CmdRule {
  MsgCmd cmd;
  uint32_t min_params;
  uint32_t max_params;
  DecodeFn decode;  // nullptr: command not offered (NOT_IMPLEMENTED)
};

Uuid uuid_from_words(uint64_t a, uint64_t b) {
  // OPTEE_MSG carries the 16 octets raw in the a and b words.
  Uuid u;
  std::memcpy(u.octets.data(), &a, sizeof(a));
  std::memcpy(u.octets.data() + sizeof(a), &b, sizeof(b));
  return u;
}

bool known_login(uint64_t login) {
  switch (login) {
    case optee::kLoginPublic:
    case optee::kLoginUser:
    case optee::kLoginGroup:
    case optee::kLoginApplication:
    case optee::kLoginApplicationUser:
    case optee::kLoginApplicationGroup:
    case optee::kLoginReeKernel:
      return true;
    default:
      return false;
  }
}

bool is_meta_value_input(const RawParam& p) {
  return p.attr == (optee::kAttrMeta | optee::kAttrTypeValueInput);
}

GpResult decode_open(const ArgSnapshot& s, const ShmRegistry& reg, DecodedMsg* m) {
  if (!is_meta_value_input(s.params[0]) || !is_meta_value_input(s.params[1])) return kBad;
  if (!known_login(s.params[1].c)) return kBad;
  // value.c of the TA-UUID param: the opener's uid (swtee's extension).
  const optee::OpenerUid uid = optee::decode_opener_uid(s.params[0].c);
  if (!uid.valid) return kBad;
  m->ta_uuid = uuid_from_words(s.params[0].a, s.params[0].b);
  m->client.uid = uid.uid;
  m->client.uuid = uuid_from_words(s.params[1].a, s.params[1].b);
  m->client.login = static_cast<uint32_t>(s.params[1].c);
  m->first_user_param = kOpenMetaParams;
  m->num_user_params = s.num_params - kOpenMetaParams;
  return decode_user_params({s.params.data() + kOpenMetaParams, m->num_user_params}, reg, &m->params);
}

GpResult decode_invoke(const ArgSnapshot& s, const ShmRegistry& reg, DecodedMsg* m) {
  m->first_user_param = 0;
  m->num_user_params = s.num_params;
  return decode_user_params({s.params.data(), s.num_params}, reg, &m->params);
}

GpResult decode_no_params(const ArgSnapshot&, const ShmRegistry&, DecodedMsg*) { return kOk; }

GpResult decode_register_shm(const ArgSnapshot& s, const ShmRegistry&, DecodedMsg* m) {
  const RawParam& p = s.params[0];
  if (p.attr != optee::kAttrTypeTmemInput || p.a != 0 || p.c == 0) return kBad;
  m->shm_cookie = p.c;
  m->shm_size = p.b;
  return kOk;
}

GpResult decode_unregister_shm(const ArgSnapshot& s, const ShmRegistry&, DecodedMsg* m) {
  const RawParam& p = s.params[0];
  if (p.attr != optee::kAttrTypeRmemInput || p.a != 0 || p.b != 0 || p.c == 0) return kBad;
  m->shm_cookie = p.c;
  return kOk;
}

constexpr std::array<CmdRule, optee::kMsgCmdCount> kRules{{
    {MsgCmd::OpenSession, kOpenMetaParams, kOpenMetaParams + kNumGpParams, decode_open},
    {MsgCmd::InvokeCommand, 0, kNumGpParams, decode_invoke},
    {MsgCmd::CloseSession, 0, 0, decode_no_params},
    {MsgCmd::Cancel, 0, 0, decode_no_params},
    {MsgCmd::RegisterShm, 1, 1, decode_register_shm},
    {MsgCmd::UnregisterShm, 1, 1, decode_unregister_shm},
    // Asynchronous notification is not offered (no ASYNC_NOTIF capability).
    {MsgCmd::DoBottomHalf, 0, 0, nullptr},
    {MsgCmd::StopAsyncNotif, 0, 0, nullptr},
}};

constexpr bool rules_indexed_by_cmd() {
  for (size_t i = 0; i < kRules.size(); ++i)
    if (static_cast<size_t>(kRules[i].cmd) != i) return false;
  return true;
}
static_assert(rules_indexed_by_cmd(), "kRules must be indexed by MsgCmd value");

}  // namespace

std::optional<ArgSnapshot> snapshot_arg(std::span<const uint8_t> area) {
  if (area.size() < sizeof(optee::MsgArg) + kRpcArgRoom) return std::nullopt;
  optee::MsgArg hdr;
  std::memcpy(&hdr, area.data(), sizeof(hdr));
  const size_t room = (area.size() - kRpcArgRoom - sizeof(optee::MsgArg)) / sizeof(optee::MsgParam);
  const size_t max_params = std::min<size_t>(conduit::kMaxArgParams, room);
  if (hdr.num_params > max_params) return std::nullopt;
  ArgSnapshot s;
  s.cmd = hdr.cmd;
  s.func = hdr.func;
  s.session = hdr.session;
  s.cancel_id = hdr.cancel_id;
  s.num_params = hdr.num_params;
  std::memcpy(s.params.data(), area.data() + kArgParamsOffset, size_t{hdr.num_params} * sizeof(RawParam));
  return s;
}

GpResult decode_user_params(std::span<const RawParam> raw, const ShmRegistry& registry, OsParams* out) {
  if (raw.size() > kNumGpParams) return kBad;
  *out = OsParams{};
  for (size_t i = 0; i < raw.size(); ++i) {
    const RawParam& p = raw[i];
    OsParam& o = (*out)[i];
    // Only the type byte may be set: META belongs to OPEN_SESSION's first two
    // params, NONCONTIG and cache attributes are not offered.
    if ((p.attr & ~optee::kAttrTypeMask) != 0) return kBad;
    switch (p.attr) {
      case optee::kAttrTypeNone:
        o.type = OsParamType::None;
        break;
      case optee::kAttrTypeValueInput:
      case optee::kAttrTypeValueOutput:
      case optee::kAttrTypeValueInout:
        // GP values are 32-bit; OPTEE_MSG carries u64 words and the upper
        // halves are ignored, as OP-TEE does.
        o.type = static_cast<OsParamType>(p.attr);
        o.a = static_cast<uint32_t>(p.a);
        o.b = static_cast<uint32_t>(p.b);
        break;
      case optee::kAttrTypeRmemInput:
      case optee::kAttrTypeRmemOutput:
      case optee::kAttrTypeRmemInout: {
        auto shm = registry.find(p.c);
        if (!shm) return kBad;
        if (!range_fits(p.a, p.b, shm->size)) return kBad;
        o.type = static_cast<OsParamType>(p.attr - optee::kAttrTypeRmemInput +
                                          static_cast<uint64_t>(OsParamType::MemrefInput));
        o.shm = std::move(shm);
        o.offset = p.a;
        o.size = p.b;
        break;
      }
      case optee::kAttrTypeTmemInput:
      case optee::kAttrTypeTmemOutput:
      case optee::kAttrTypeTmemInout:
        // Only a NULL memref: no buffer, no shm; the size may be a size query.
        if (p.a != 0 || p.c != 0) return kBad;
        o.type = static_cast<OsParamType>(p.attr - optee::kAttrTypeTmemInput +
                                          static_cast<uint64_t>(OsParamType::MemrefInput));
        o.size = p.b;
        break;
      default:
        return kBad;
    }
  }
  return kOk;
}

GpResult decode_msg(const ArgSnapshot& snap, const ShmRegistry& registry, DecodedMsg* out) {
  if (snap.cmd >= kRules.size()) return kBad;
  const CmdRule& rule = kRules[snap.cmd];
  if (rule.decode == nullptr) return {kTeeErrorNotImplemented, kTeeOriginTee};
  if (snap.num_params < rule.min_params || snap.num_params > rule.max_params) return kBad;
  *out = DecodedMsg{};
  out->cmd = rule.cmd;
  out->func = snap.func;
  out->session = snap.session;
  out->cancel_id = snap.cancel_id;
  out->num_params = snap.num_params;
  GpResult r = rule.decode(snap, registry, out);
  if (r.ret != kTeeSuccess) {
    out->params = OsParams{};  // drop any shm references taken so far
    return r;
  }
  for (size_t i = 0; i < kNumGpParams; ++i) out->in_types[i] = out->params[i].type;
  return kOk;
}

namespace {
void put32(std::span<uint8_t> area, size_t off, uint32_t v) { std::memcpy(area.data() + off, &v, sizeof(v)); }
void put64(std::span<uint8_t> area, size_t off, uint64_t v) { std::memcpy(area.data() + off, &v, sizeof(v)); }
}  // namespace

void write_status(std::span<uint8_t> area, GpResult r) {
  if (area.size() < sizeof(optee::MsgArg)) return;
  put32(area, kArgRetOffset, r.ret);
  put32(area, kArgRetOriginOffset, r.origin);
}

void write_results(std::span<uint8_t> area, const DecodedMsg& msg, GpResult r, uint32_t session) {
  // The snapshot proved msg_arg_size(num_params) fits in the area.
  if (area.size() < optee::msg_arg_size(msg.num_params)) return;
  write_status(area, r);
  if (msg.cmd == optee::MsgCmd::OpenSession && r.ret == kTeeSuccess) put32(area, kArgSessionOffset, session);
  for (uint32_t i = 0; i < msg.num_user_params && i < kNumGpParams; ++i) {
    const OsParamType t = msg.in_types[i];
    if (!is_output(t)) continue;
    const size_t base = kArgParamsOffset + size_t{msg.first_user_param + i} * sizeof(RawParam);
    const OsParam& p = msg.params[i];
    if (is_value(t)) {
      put64(area, base + offsetof(RawParam, a), p.a);
      put64(area, base + offsetof(RawParam, b), p.b);
      put64(area, base + offsetof(RawParam, c), 0);
    } else {
      // rmem.size and tmem.size share the second word.
      put64(area, base + offsetof(RawParam, b), p.size);
    }
  }
}

}  // namespace swtee::os
