#include "uapi/uapi_codec.h"

#include <gtest/gtest.h>

namespace swtee::uapi {
namespace {

std::vector<uint8_t> framed(uint32_t cmd, uint32_t tag, std::vector<uint8_t> arg, uint32_t flags = 0) {
  swtee_uapi_req_hdr h = make_request_header(cmd, tag, arg.size());
  h.flags = flags;
  std::vector<uint8_t> m(sizeof(h));
  std::memcpy(m.data(), &h, sizeof(h));
  m.insert(m.end(), arg.begin(), arg.end());
  return m;
}

TEST(UapiCodec, CommandTableRoundTrips) {
  for (size_t i = 0; i < kNumUapiCmds; ++i) {
    auto c = static_cast<UapiCmd>(i);
    auto back = uapi_cmd_from_number(uapi_cmd_number(c));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, c);
    EXPECT_NE(std::string(uapi_cmd_name(c)), "");
  }
  EXPECT_EQ(uapi_cmd_number(UapiCmd::OpenSession), 0x8010a402u);
  EXPECT_FALSE(uapi_cmd_from_number(0x8010a40a).has_value());
}

TEST(UapiCodec, RequestFrame) {
  auto m = framed(TEE_IOC_VERSION, 9, {});
  auto f = decode_request_frame(m);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->hdr.tag, 9u);
  EXPECT_TRUE(f->arg.empty());
  EXPECT_EQ(*peek_request_tag(m), 9u);

  EXPECT_FALSE(decode_request_frame(framed(TEE_IOC_VERSION, 9, {}, 1)).ok());  // flags
  auto bad_len = framed(TEE_IOC_VERSION, 9, {1, 2});
  bad_len.pop_back();
  EXPECT_FALSE(decode_request_frame(bad_len).ok());
  EXPECT_FALSE(decode_request_frame(framed(TEE_IOC_VERSION, 9, std::vector<uint8_t>(TEE_MAX_ARG_SIZE + 1))).ok());
  EXPECT_TRUE(decode_request_frame(framed(TEE_IOC_VERSION, 9, std::vector<uint8_t>(TEE_MAX_ARG_SIZE))).ok());
  std::vector<uint8_t> tiny(15);
  EXPECT_EQ(decode_request_frame(tiny).error().code, EINVAL);
  EXPECT_FALSE(peek_request_tag(tiny).has_value());
}

TEST(UapiCodec, ReplyFrame) {
  swtee_uapi_resp_hdr h = make_reply_header(-EINVAL, 3, 4);
  std::vector<uint8_t> m(sizeof(h) + 4);
  std::memcpy(m.data(), &h, sizeof(h));
  auto f = decode_reply_frame(m);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->hdr.rc, -EINVAL);
  EXPECT_EQ(f->arg.size(), 4u);
  h.rc = 5;  // positive rc is not a valid reply
  std::memcpy(m.data(), &h, sizeof(h));
  EXPECT_FALSE(decode_reply_frame(m).ok());
}

TEST(UapiCodec, FixedArgumentsNeedExactLengthAndZeroFlags) {
  tee_ioctl_shm_alloc_data a{4096, 0, 0};
  EXPECT_TRUE(decode_shm_alloc(encode_struct(a)).ok());
  a.flags = 1;
  EXPECT_EQ(decode_shm_alloc(encode_struct(a)).error().code, EINVAL);
  auto shorter = encode_struct(tee_ioctl_cancel_arg{1, 2});
  shorter.pop_back();
  EXPECT_FALSE(decode_cancel(shorter).ok());
  EXPECT_TRUE(decode_close_session(encode_struct(tee_ioctl_close_session_arg{3})).ok());
  EXPECT_TRUE(decode_version({}).ok());
  EXPECT_TRUE(decode_version(std::vector<uint8_t>(12)).ok());
  EXPECT_FALSE(decode_version(std::vector<uint8_t>(11)).ok());
  tee_ioctl_shm_register_fd_data r{-1, 0, 2, 0};
  EXPECT_FALSE(decode_shm_register_fd(encode_struct(r)).ok());
  EXPECT_TRUE(decode_shm_release(encode_struct(swtee_ioctl_shm_release_arg{4})).ok());
}

TEST(UapiCodec, BufArgumentsNeedHeaderPlusNParams) {
  tee_ioctl_invoke_arg inv{};
  std::vector<tee_ioctl_param> ps(2, tee_ioctl_param{1, 2, 3, 4});
  auto buf = encode_buf_arg(inv, ps);
  EXPECT_EQ(buf.size(), 24u + 64u);
  auto d = decode_invoke(buf);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->hdr.num_params, 2u);
  EXPECT_EQ(d->params[1].c, 4u);
  buf.push_back(0);
  EXPECT_FALSE(decode_invoke(buf).ok());

  // num_params that would overflow a 32-bit multiply.
  inv.num_params = 0x08000001;
  std::vector<uint8_t> huge(sizeof(inv));
  std::memcpy(huge.data(), &inv, sizeof(inv));
  EXPECT_FALSE(decode_invoke(huge).ok());

  // Limits: 30 params fit an open_session, 31 do not.
  tee_ioctl_open_session_arg os{};
  EXPECT_TRUE(decode_open_session(encode_buf_arg(os, std::vector<tee_ioctl_param>(30))).ok());
  EXPECT_FALSE(decode_open_session(encode_buf_arg(os, std::vector<tee_ioctl_param>(31))).ok());
  tee_iocl_supp_recv_arg rv{};
  EXPECT_TRUE(decode_supp_recv(encode_buf_arg(rv, std::vector<tee_ioctl_param>(31))).ok());

  // SUPPL_SEND accepts a longer buffer, never a shorter one.
  tee_iocl_supp_send_arg sd{};
  auto s = encode_buf_arg(sd, std::vector<tee_ioctl_param>(2));
  s.resize(s.size() + 40);
  EXPECT_TRUE(decode_supp_send(s).ok());
  s.resize(8 + 63);
  EXPECT_FALSE(decode_supp_send(s).ok());
  EXPECT_FALSE(decode_supp_send(std::vector<uint8_t>(7)).ok());
}

}  // namespace
}  // namespace swtee::uapi
