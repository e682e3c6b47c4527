// libFuzzer target for the remote protocol's codec (remote_codec.h): every
// frame a hostile guest can send the host, and every frame a hostile host
// can send a guest. Input: a frame header and its body.
#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/remote_codec.h"

namespace {

using namespace swtee::remote;

// What decodes must respect the limits and consume its body exactly.
template <typename M>
void check(const M& m, size_t body) {
  if (m.params.size() > kMaxParams) __builtin_trap();
  if (data_bytes(m.params) > kMaxMemrefBytes) __builtin_trap();
  for (const Param& p : m.params)
    if (param_is_memref(p.type) && p.data.size() != p.b) __builtin_trap();
  if (sizeof(m.fixed) + m.params.size() * sizeof(WireParam) + data_bytes(m.params) != body) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  if (size < sizeof(FrameHeader)) return 0;
  auto h = decode_header(in.first(sizeof(FrameHeader)));
  std::span<const uint8_t> body = in.subspan(sizeof(FrameHeader));
  if (h.ok()) {
    if (h->body_len > max_body(static_cast<MsgType>(h->type))) __builtin_trap();
    if (body.size() > h->body_len) body = body.first(h->body_len);
  }
  // Every decoder sees every body: the type is the peer's to lie about.
  (void)decode_hello(body);
  (void)decode_challenge(body);
  (void)decode_auth(body);
  (void)decode_welcome(body);
  (void)decode_refused(body);
  (void)decode_close_session(body);
  (void)decode_cancel(body);
  (void)decode_close_context(body);
  (void)decode_close_reply(body);
  if (auto m = decode_open_session(body); m.ok()) check(*m, body.size());
  if (auto m = decode_invoke(body); m.ok()) check(*m, body.size());
  if (auto m = decode_call_reply(body); m.ok()) {
    check(*m, body.size());
    if (m->fixed.rc != 0 && !m->params.empty()) __builtin_trap();
  }
  return 0;
}
