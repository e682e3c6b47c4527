#include "protocol/remote_codec.h"

#include <gtest/gtest.h>

#include <cstring>

#include "protocol/remote_auth.h"

namespace swtee::remote {
namespace {

std::span<const uint8_t> body_of(const std::vector<uint8_t>& frame) {
  return std::span<const uint8_t>(frame).subspan(sizeof(FrameHeader));
}

FrameHeader header_of(const std::vector<uint8_t>& frame) {
  auto h = decode_header(std::span<const uint8_t>(frame).first(sizeof(FrameHeader)));
  EXPECT_TRUE(h.ok());
  return h.ok() ? *h : FrameHeader{};
}

TEST(RemoteCodec, InvokeRoundTripsWithInputDataOnly) {
  const std::vector<uint8_t> in = {1, 2, 3, 4, 5};
  std::vector<Param> params = {
      Param{kParamValueInout, 0, 7, 8, 9, {}},
      Param{kParamMemrefInput, 0, in.size(), in.size(), 0, in},
      Param{kParamMemrefOutput, 0, 100, 0, 0, {}},
      Param{kParamMemrefInout, kParamFlagNull, 33, 0, 0, {}},
  };
  InvokeBody b{42, 3, 0x10, 77, static_cast<uint32_t>(params.size())};
  auto frame = encode_fixed(MsgType::Invoke, 9, b, params);
  FrameHeader h = header_of(frame);
  EXPECT_EQ(h.tag, 9u);
  EXPECT_EQ(h.type, static_cast<uint16_t>(MsgType::Invoke));
  EXPECT_EQ(h.body_len, frame.size() - sizeof(FrameHeader));
  auto m = decode_invoke(body_of(frame));
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(m->fixed.context, 42u);
  EXPECT_EQ(m->fixed.session, 3u);
  ASSERT_EQ(m->params.size(), 4u);
  EXPECT_EQ(m->params[0].c, 9u);
  EXPECT_EQ(std::vector<uint8_t>(m->params[1].data.begin(), m->params[1].data.end()), in);
  EXPECT_EQ(m->params[2].a, 100u);
  EXPECT_TRUE(m->params[2].data.empty());
  EXPECT_EQ(m->params[3].flags, kParamFlagNull);
}

TEST(RemoteCodec, FillsRoomForDataInPlace) {
  std::vector<Param> params = {Param{kParamMemrefInput, 0, 4, 4, 0, {}}};
  std::vector<size_t> at;
  InvokeBody b{1, 1, 1, 0, 1};
  auto frame = encode_fixed(MsgType::Invoke, 1, b, params, &at);
  ASSERT_EQ(at.size(), 1u);
  std::memcpy(frame.data() + at[0], "abcd", 4);
  auto m = decode_invoke(body_of(frame));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::memcmp(m->params[0].data.data(), "abcd", 4), 0);
}

TEST(RemoteCodec, RequestsCarryExactlyTheirInputs) {
  // An output memref carrying bytes, an input carrying fewer than its size.
  for (auto [type, a, b] : {std::tuple{kParamMemrefOutput, 4u, 4u}, std::tuple{kParamMemrefInput, 8u, 4u}}) {
    std::vector<uint8_t> data(b, 0);
    InvokeBody ib{1, 1, 1, 0, 1};
    std::vector<Param> p = {Param{type, 0, a, b, 0, data}};
    auto frame = encode_fixed(MsgType::Invoke, 1, ib, p);
    EXPECT_EQ(decode_invoke(body_of(frame)).error().code, EPROTO);
  }
}

TEST(RemoteCodec, LimitsEveryLength) {
  InvokeBody ib{1, 1, 1, 0, kMaxParams + 1};
  std::vector<Param> p(kMaxParams + 1);
  EXPECT_EQ(decode_invoke(body_of(encode_fixed(MsgType::Invoke, 1, ib, p))).error().code, EPROTO);
  // Output memrefs count towards what the host holds for the call.
  InvokeBody one{1, 1, 1, 0, 2};
  std::vector<Param> big = {Param{kParamMemrefOutput, 0, kMaxMemrefBytes, 0, 0, {}},
                            Param{kParamMemrefOutput, 0, 1, 0, 0, {}}};
  EXPECT_EQ(decode_invoke(body_of(encode_fixed(MsgType::Invoke, 1, one, big))).error().code, EPROTO);
  // Sizes that wrap a uint64_t.
  std::vector<Param> wrap = {Param{kParamMemrefOutput, 0, UINT64_MAX, 0, 0, {}},
                             Param{kParamMemrefOutput, 0, 2, 0, 0, {}}};
  EXPECT_EQ(decode_invoke(body_of(encode_fixed(MsgType::Invoke, 1, one, wrap))).error().code, EPROTO);
  // A header announcing a body over the limit, or over its type's size.
  FrameHeader h{kMagic, static_cast<uint16_t>(MsgType::Invoke), 0, static_cast<uint32_t>(kMaxBody + 1), 0, 1};
  std::vector<uint8_t> raw(sizeof(h));
  std::memcpy(raw.data(), &h, sizeof(h));
  EXPECT_EQ(decode_header(raw).error().code, EPROTO);
  h.type = static_cast<uint16_t>(MsgType::Cancel);
  h.body_len = sizeof(CancelBody) + 1;
  std::memcpy(raw.data(), &h, sizeof(h));
  EXPECT_EQ(decode_header(raw).error().code, EPROTO);
  h.body_len = sizeof(CancelBody);
  h.type = 999;
  std::memcpy(raw.data(), &h, sizeof(h));
  EXPECT_EQ(decode_header(raw).error().code, EPROTO);
  h.type = static_cast<uint16_t>(MsgType::Cancel);
  h.magic = 0;
  std::memcpy(raw.data(), &h, sizeof(h));
  EXPECT_EQ(decode_header(raw).error().code, EPROTO);
}

TEST(RemoteCodec, RejectsMalformedParams) {
  InvokeBody ib{1, 1, 1, 0, 1};
  auto one = [&](Param p) {
    return decode_invoke(body_of(encode_fixed(MsgType::Invoke, 1, ib, std::vector{p})));
  };
  EXPECT_EQ(one(Param{4, 0, 0, 0, 0, {}}).error().code, EPROTO);                              // unknown type
  EXPECT_EQ(one(Param{kParamValueInput, kParamFlagNull, 0, 0, 0, {}}).error().code, EPROTO);  // NULL value
  EXPECT_EQ(one(Param{kParamMemrefInput, 2, 0, 0, 0, {}}).error().code, EPROTO);              // unknown flag
  EXPECT_EQ(one(Param{kParamNone, 0, 1, 0, 0, {}}).error().code, EPROTO);          // NONE with a value
  EXPECT_EQ(one(Param{kParamMemrefOutput, 0, 4, 0, 5, {}}).error().code, EPROTO);  // memref c
  EXPECT_TRUE(one(Param{kParamMemrefInput, kParamFlagNull, 4, 0, 0, {}}).ok());    // NULL: no bytes
  // Trailing bytes after the data.
  auto frame = encode_fixed(MsgType::Invoke, 1, ib, std::vector{Param{kParamValueInput, 0, 1, 2, 3, {}}});
  frame.push_back(0);
  EXPECT_EQ(decode_invoke(body_of(frame)).error().code, EPROTO);
}

TEST(RemoteCodec, RepliesCarryOutputsThatFitOnly) {
  const std::vector<uint8_t> out = {9, 9, 9};
  CallReplyBody rb{0, 0, 4, 0, 2, 0};
  std::vector<Param> p = {Param{kParamMemrefOutput, 0, 3, 3, 0, out},
                          Param{kParamMemrefInout, 0, 50, 0, 0, {}}};
  auto m = decode_call_reply(body_of(encode_fixed(MsgType::CallReply, 5, rb, p)));
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(m->params[0].data.size(), 3u);
  EXPECT_EQ(m->params[1].a, 50u);
  // An input memref never carries bytes back; an output carries all or nothing.
  std::vector<Param> bad_in = {Param{kParamMemrefInput, 0, 3, 3, 0, out}};
  rb.num_params = 1;
  EXPECT_EQ(decode_call_reply(body_of(encode_fixed(MsgType::CallReply, 5, rb, bad_in))).error().code, EPROTO);
  std::vector<Param> partial = {Param{kParamMemrefOutput, 0, 4, 3, 0, out}};
  EXPECT_EQ(decode_call_reply(body_of(encode_fixed(MsgType::CallReply, 5, rb, partial))).error().code,
            EPROTO);
  // A failure has no params; rc is 0 or an errno.
  CallReplyBody fail{-EBUSY, 0, 0, 0, 1, 0};
  EXPECT_EQ(
      decode_call_reply(body_of(encode_fixed(MsgType::CallReply, 5, fail, std::vector{p[0]}))).error().code,
      EPROTO);
  CallReplyBody weird{5, 0, 0, 0, 0, 0};
  EXPECT_EQ(decode_call_reply(body_of(encode_fixed(MsgType::CallReply, 5, weird))).error().code, EPROTO);
}

TEST(RemoteCodec, HelloNameIsPrintableAndBounded) {
  auto frame = encode_hello(std::string(100, 'x') + "\n");
  auto h = decode_hello(body_of(frame));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(hello_name(*h), std::string(kNameLen - 1, 'x'));
  HelloBody raw{};
  raw.version = kVersion;
  std::memset(raw.name, 'a', sizeof(raw.name));  // no NUL
  EXPECT_EQ(decode_hello(body_of(encode_fixed(MsgType::Hello, 0, raw))).error().code, EPROTO);
  raw.name[3] = '\0';  // a byte after the NUL
  EXPECT_EQ(decode_hello(body_of(encode_fixed(MsgType::Hello, 0, raw))).error().code, EPROTO);
  raw = HelloBody{};
  raw.version = kVersion + 1;
  EXPECT_EQ(decode_hello(body_of(encode_fixed(MsgType::Hello, 0, raw))).error().code, EPROTONOSUPPORT);
}

TEST(RemoteCodec, RefusedCarriesAnErrno) {
  EXPECT_EQ(decode_refused(body_of(encode_fixed(MsgType::Refused, 0, RefusedBody{EACCES, 0})))->err, EACCES);
  EXPECT_FALSE(decode_refused(body_of(encode_fixed(MsgType::Refused, 0, RefusedBody{0, 0}))).ok());
  EXPECT_FALSE(decode_refused(body_of(encode_fixed(MsgType::Refused, 0, RefusedBody{-1, 0}))).ok());
}

TEST(RemoteAuth, MacDependsOnKeyNonceAndName) {
  const std::vector<uint8_t> k1(32, 1), k2(32, 2);
  Nonce n1{}, n2{};
  n2[0] = 1;
  auto m = *auth_mac(k1, n1, "vm1");
  EXPECT_TRUE(mac_equal(m, *auth_mac(k1, n1, "vm1")));
  EXPECT_FALSE(mac_equal(m, *auth_mac(k2, n1, "vm1")));
  EXPECT_FALSE(mac_equal(m, *auth_mac(k1, n2, "vm1")));
  EXPECT_FALSE(mac_equal(m, *auth_mac(k1, n1, "vm2")));
  auto a = make_nonce(), b = make_nonce();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace swtee::remote
