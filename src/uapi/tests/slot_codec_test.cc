#include "uapi/slot_codec.h"

#include <gtest/gtest.h>

#include <array>
#include <cerrno>

#include "uapi/uapi_codec.h"

namespace swtee::uapi {
namespace {

TEST(SlotCodec, RequestAndReplyRoundTrip) {
  std::array<uint8_t, kSlotArgSize> buf{};
  const std::vector<uint8_t> arg{1, 2, 3, 4};
  auto f = encode_slot_request(buf, TEE_IOC_INVOKE, arg);
  ASSERT_TRUE(f.ok());
  auto m = decode_slot_message(*f, buf);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->word0, TEE_IOC_INVOKE);
  EXPECT_EQ(m->arg, arg);
  auto r = encode_slot_reply(buf, -ENOMEM, {});
  ASSERT_TRUE(r.ok());
  auto back = decode_slot_message(*r, buf);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->arg.empty());
  ASSERT_TRUE(slot_reply_rc(*back).ok());
  EXPECT_EQ(*slot_reply_rc(*back), -ENOMEM);
}

TEST(SlotCodec, TheArgumentIsCopiedOnce) {
  std::array<uint8_t, kSlotArgSize> buf{};
  auto f = encode_slot_request(buf, TEE_IOC_VERSION, std::vector<uint8_t>{7, 7});
  ASSERT_TRUE(f.ok());
  auto m = decode_slot_message(*f, buf);
  ASSERT_TRUE(m.ok());
  buf[0] = 9;  // the peer writes again: the copy keeps what was read
  EXPECT_EQ(m->arg, (std::vector<uint8_t>{7, 7}));
}

TEST(SlotCodec, MalformedFramesAreRefused) {
  std::array<uint8_t, kSlotArgSize> buf{};
  EXPECT_FALSE(encode_slot_request(buf, TEE_IOC_VERSION, std::vector<uint8_t>(kSlotArgSize + 1)).ok());
  DoorbellFrame f{};
  f[kSlotWordLen] = kSlotArgSize + 1;
  EXPECT_EQ(decode_slot_message(f, buf).error().code, EINVAL);
  f[kSlotWordLen] = ~uint64_t{0};
  EXPECT_EQ(decode_slot_message(f, buf).error().code, EINVAL);
  f[kSlotWordLen] = 0;
  f[kDoorbellWords - 1] = 1;
  EXPECT_EQ(decode_slot_message(f, buf).error().code, EINVAL);
  f[kDoorbellWords - 1] = 0;
  f[kSlotWordCmd] = uint64_t{1} << 32;
  EXPECT_EQ(decode_slot_message(f, buf).error().code, EINVAL);
  // A shorter buffer than the frame claims.
  f[kSlotWordCmd] = 0;
  f[kSlotWordLen] = 8;
  EXPECT_FALSE(decode_slot_message(f, std::span<const uint8_t>(buf.data(), 4)).ok());
}

TEST(SlotCodec, ReplyRcMustBeAnErrno) {
  for (int32_t rc : {1, -4096, INT32_MIN}) {
    SlotMessage m;
    m.word0 = static_cast<uint32_t>(rc);
    EXPECT_EQ(slot_reply_rc(m).error().code, EPROTO) << rc;
  }
}

TEST(SlotCodec, OnlyCommandsWithoutFdsTravelInSlots) {
  EXPECT_TRUE(uapi_cmd_via_slot(UapiCmd::Invoke));
  EXPECT_TRUE(uapi_cmd_via_slot(UapiCmd::OpenSession));
  EXPECT_TRUE(uapi_cmd_via_slot(UapiCmd::Cancel));
  EXPECT_FALSE(uapi_cmd_via_slot(UapiCmd::ShmAlloc));
  EXPECT_FALSE(uapi_cmd_via_slot(UapiCmd::ShmRegisterFd));
  EXPECT_FALSE(uapi_cmd_via_slot(UapiCmd::SlotOpen));
  EXPECT_EQ(uapi_cmd_number(UapiCmd::SlotOpen), SWTEE_IOC_SLOT_OPEN);
}

}  // namespace
}  // namespace swtee::uapi
