#include "os/msg_decode.h"

#include <gtest/gtest.h>

#include <vector>

#include "os/shm_registry.h"
#include "os/tests/arg_builder.h"
#include "protocol/opener_uid.h"

namespace swtee::os {
namespace {

using optee::MsgCmd;
using testing::ArgWriter;

constexpr uint64_t kCookie = 0x1000;
constexpr uint64_t kShmSize = 256;

class MsgDecodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fd = create_sealed_memfd("t", kShmSize);
    ASSERT_TRUE(fd.ok());
    auto shm = adopt_phys_shm(kCookie, std::move(*fd), kShmSize);
    ASSERT_TRUE(shm.ok());
    ASSERT_TRUE(registry.add(std::move(*shm)).ok());
  }
  GpResult decode() {
    auto snap = snapshot_arg(mem);
    if (!snap) return {0xdead, 0};
    return decode_msg(*snap, registry, &msg);
  }
  std::vector<uint8_t> mem = std::vector<uint8_t>(conduit::kCarveoutSlotSize);
  ArgWriter w{mem};
  ShmRegistry registry;
  DecodedMsg msg;
};

const GpResult kBad{kTeeErrorBadParameters, kTeeOriginTee};
bool operator==(GpResult a, GpResult b) { return a.ret == b.ret && a.origin == b.origin; }

TEST_F(MsgDecodeTest, SnapshotRejectsTruncatedArea) {
  EXPECT_FALSE(snapshot_arg(std::span<const uint8_t>(mem.data(), sizeof(optee::MsgArg) + kRpcArgRoom - 1)));
  EXPECT_TRUE(snapshot_arg(std::span<const uint8_t>(mem.data(), sizeof(optee::MsgArg) + kRpcArgRoom)));
}

TEST_F(MsgDecodeTest, SnapshotRejectsHugeNumParams) {
  w.cmd(MsgCmd::InvokeCommand).num_params(0xFFFFFFFF);
  EXPECT_FALSE(snapshot_arg(mem));
  w.num_params(conduit::kMaxArgParams + 1);
  EXPECT_FALSE(snapshot_arg(mem));
  w.num_params(conduit::kMaxArgParams);
  EXPECT_TRUE(snapshot_arg(mem));
  // The same count no longer fits when the arg sits further into the slot.
  EXPECT_FALSE(snapshot_arg(std::span<const uint8_t>(mem.data(), mem.size() - 64)));
}

TEST_F(MsgDecodeTest, UnknownCommandIsBadParameters) {
  w.raw_cmd(99);
  EXPECT_TRUE(decode() == kBad);
  w.raw_cmd(optee::kMsgCmdCount);
  EXPECT_TRUE(decode() == kBad);
}

TEST_F(MsgDecodeTest, AsyncNotifCommandsNotImplemented) {
  w.cmd(MsgCmd::DoBottomHalf);
  EXPECT_EQ(decode().ret, kTeeErrorNotImplemented);
}

TEST_F(MsgDecodeTest, InvokeWithTooManyParams) {
  w.cmd(MsgCmd::InvokeCommand).num_params(5);
  EXPECT_TRUE(decode() == kBad);
}

TEST_F(MsgDecodeTest, InvokeValuesDecoded) {
  w.cmd(MsgCmd::InvokeCommand).func(7).session(3).num_params(2);
  w.param(0, optee::kAttrTypeValueInout, 0x1'0000'0005, 6, 99);
  w.param(1, optee::kAttrTypeNone, 0, 0, 0);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  EXPECT_EQ(msg.func, 7u);
  EXPECT_EQ(msg.session, 3u);
  EXPECT_EQ(msg.params[0].type, OsParamType::ValueInout);
  EXPECT_EQ(msg.params[0].a, 5u);  // upper half ignored
  EXPECT_EQ(msg.params[0].b, 6u);
  EXPECT_EQ(msg.params[1].type, OsParamType::None);
}

TEST_F(MsgDecodeTest, UnknownAttrTypesRejected) {
  for (uint64_t t : {0x4ull, 0x8ull, 0xcull, 0xdull, 0xffull}) {
    w.cmd(MsgCmd::InvokeCommand).num_params(1).param(0, t, 0, 0, 0);
    EXPECT_TRUE(decode() == kBad) << t;
  }
}

TEST_F(MsgDecodeTest, UnknownAttrBitsRejected) {
  for (uint64_t extra :
       {optee::kAttrNoncontig, uint64_t{1} << optee::kAttrCacheShift, uint64_t{1} << 63, optee::kAttrMeta}) {
    w.cmd(MsgCmd::InvokeCommand).num_params(1).param(0, optee::kAttrTypeValueInput | extra, 0, 0, 0);
    EXPECT_TRUE(decode() == kBad) << extra;
  }
}

TEST_F(MsgDecodeTest, RmemChecksCookieAndRange) {
  w.cmd(MsgCmd::InvokeCommand).num_params(1);
  w.param(0, optee::kAttrTypeRmemInout, 16, kShmSize - 16, kCookie);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  EXPECT_EQ(msg.params[0].type, OsParamType::MemrefInout);
  EXPECT_EQ(msg.params[0].shm->cookie, kCookie);
  EXPECT_EQ(msg.params[0].offset, 16u);

  w.param(0, optee::kAttrTypeRmemInput, 17, kShmSize - 16, kCookie);
  EXPECT_TRUE(decode() == kBad);
  w.param(0, optee::kAttrTypeRmemInput, UINT64_MAX, 2, kCookie);  // wraps
  EXPECT_TRUE(decode() == kBad);
  w.param(0, optee::kAttrTypeRmemInput, 0, 1, kCookie + 1);  // not registered
  EXPECT_TRUE(decode() == kBad);
  w.param(0, optee::kAttrTypeRmemInput, 0, 0, 0);
  EXPECT_TRUE(decode() == kBad);
}

TEST_F(MsgDecodeTest, TmemOnlyAsNullMemref) {
  w.cmd(MsgCmd::InvokeCommand).num_params(1);
  w.param(0, optee::kAttrTypeTmemOutput, 0, 64, 0);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  EXPECT_EQ(msg.params[0].type, OsParamType::MemrefOutput);
  EXPECT_EQ(msg.params[0].shm, nullptr);
  EXPECT_EQ(msg.params[0].size, 64u);
  w.param(0, optee::kAttrTypeTmemInput, 0x1000, 64, 0);
  EXPECT_TRUE(decode() == kBad);
  w.param(0, optee::kAttrTypeTmemInput, 0, 64, kCookie);
  EXPECT_TRUE(decode() == kBad);
}

TEST_F(MsgDecodeTest, OpenSessionMeta) {
  Uuid ta = *Uuid::parse("d96a5b40-c3e5-21e3-8794-1002a5d5c61b");
  Uuid client = *Uuid::parse("01234567-89ab-cdef-0123-456789abcdef");
  w.cmd(MsgCmd::OpenSession).cancel_id(9).num_params(3).open_meta(ta, client, optee::kLoginUser);
  w.param(2, optee::kAttrTypeValueInput, 1, 2, 0);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  EXPECT_EQ(msg.ta_uuid, ta);
  EXPECT_EQ(msg.client.uuid, client);
  EXPECT_EQ(msg.client.login, optee::kLoginUser);
  EXPECT_EQ(msg.cancel_id, 9u);
  EXPECT_EQ(msg.first_user_param, 2u);
  EXPECT_EQ(msg.num_user_params, 1u);
  EXPECT_EQ(msg.params[0].type, OsParamType::ValueInput);
}

TEST_F(MsgDecodeTest, OpenSessionMetaRules) {
  Uuid u = Uuid::nil();
  w.cmd(MsgCmd::OpenSession).num_params(1).open_meta(u, u, 0);
  EXPECT_TRUE(decode() == kBad);  // fewer than two meta params
  w.num_params(7);
  EXPECT_TRUE(decode() == kBad);  // more than 4 user params
  w.num_params(2);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  w.param(0, optee::kAttrTypeValueInput, 0, 0, 0);  // meta bit missing
  EXPECT_TRUE(decode() == kBad);
  w.open_meta(u, u, 3);  // unknown login
  EXPECT_TRUE(decode() == kBad);
  w.open_meta(u, u, uint64_t{1} << 32);
  EXPECT_TRUE(decode() == kBad);
  w.open_meta(u, u, optee::kLoginPublic).num_params(3);
  w.param(2, optee::kAttrMeta | optee::kAttrTypeValueInput, 0, 0, 0);  // META after the first two
  EXPECT_TRUE(decode() == kBad);
  w.param(2, optee::kAttrTypeNone, 0, 0, 0);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  w.param(1, optee::kAttrMeta | optee::kAttrTypeValueOutput, 0, 0, 0);
  EXPECT_TRUE(decode() == kBad);
}

// swtee's extension (protocol/opener_uid.h): value.c of the TA-UUID param
// names the opener's uid, flagged; 0 names none; anything else is refused.
TEST_F(MsgDecodeTest, OpenSessionCarriesTheOpenersUid) {
  const Uuid u = Uuid::nil();
  w.cmd(MsgCmd::OpenSession).num_params(2).open_meta(u, u, optee::kLoginPublic);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  EXPECT_FALSE(msg.client.uid.has_value()) << "0: no uid (Linux's driver, a guest's client)";
  for (uint32_t uid : {0u, 1000u, 65534u, 0xfffffffeu}) {
    w.open_meta(u, u, optee::kLoginPublic, optee::opener_uid_word(uid));
    ASSERT_EQ(decode().ret, kTeeSuccess) << uid;
    EXPECT_EQ(msg.client.uid, std::optional<uint32_t>(uid));
  }
  for (uint64_t bad : {uint64_t{1000}, optee::kOpenerUidPresent | optee::kNoUid, (uint64_t{2} << 32) | 1000,
                       (uint64_t{3} << 32) | 1000, ~uint64_t{0}}) {
    w.open_meta(u, u, optee::kLoginPublic, bad);
    EXPECT_TRUE(decode() == kBad) << std::hex << bad;
  }
}

TEST_F(MsgDecodeTest, RegisterShmRules) {
  w.cmd(MsgCmd::RegisterShm).num_params(1).param(0, optee::kAttrTypeTmemInput, 0, 4096, 0x55);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  EXPECT_EQ(msg.shm_cookie, 0x55u);
  EXPECT_EQ(msg.shm_size, 4096u);
  w.param(0, optee::kAttrTypeTmemInput, 0, 4096, 0);
  EXPECT_TRUE(decode() == kBad);  // cookie 0
  w.param(0, optee::kAttrTypeTmemInput, 8, 4096, 0x55);
  EXPECT_TRUE(decode() == kBad);  // buf_ptr
  w.param(0, optee::kAttrTypeRmemInput, 0, 4096, 0x55);
  EXPECT_TRUE(decode() == kBad);
  w.num_params(2);
  EXPECT_TRUE(decode() == kBad);
}

TEST_F(MsgDecodeTest, UnregisterShmRules) {
  w.cmd(MsgCmd::UnregisterShm).num_params(1).param(0, optee::kAttrTypeRmemInput, 0, 0, 0x55);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  w.param(0, optee::kAttrTypeRmemInput, 0, 8, 0x55);
  EXPECT_TRUE(decode() == kBad);
  w.param(0, optee::kAttrTypeRmemInput, 0, 0, 0);
  EXPECT_TRUE(decode() == kBad);
}

TEST_F(MsgDecodeTest, CloseAndCancelTakeNoParams) {
  w.cmd(MsgCmd::CloseSession).session(1);
  EXPECT_EQ(decode().ret, kTeeSuccess);
  w.num_params(1);
  EXPECT_TRUE(decode() == kBad);
  w.cmd(MsgCmd::Cancel).num_params(0);
  EXPECT_EQ(decode().ret, kTeeSuccess);
}

TEST_F(MsgDecodeTest, SnapshotIsTakenOnce) {
  w.cmd(MsgCmd::InvokeCommand).num_params(1).param(0, optee::kAttrTypeRmemInput, 0, 16, kCookie);
  auto snap = snapshot_arg(mem);
  ASSERT_TRUE(snap);
  // The normal world rewrites the param after the snapshot: no effect.
  w.param(0, optee::kAttrTypeRmemInput, 0, 1 << 20, kCookie).num_params(100);
  ASSERT_EQ(decode_msg(*snap, registry, &msg).ret, kTeeSuccess);
  EXPECT_EQ(msg.params[0].size, 16u);
}

TEST_F(MsgDecodeTest, WriteResultsOnlyOutputs) {
  Uuid u = Uuid::nil();
  w.cmd(MsgCmd::OpenSession).num_params(5).open_meta(u, u, 0);
  w.param(2, optee::kAttrTypeValueInput, 1, 2, 3);
  w.param(3, optee::kAttrTypeValueOutput, 0, 0, 77);
  w.param(4, optee::kAttrTypeRmemOutput, 0, 64, kCookie);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  msg.params[0].a = 100;  // an input param the callee changed: not written back
  msg.params[1].a = 10;
  msg.params[1].b = 20;
  msg.params[2].size = 32;
  write_results(mem, msg, {kTeeSuccess, kTeeOriginTrustedApp}, 42);
  EXPECT_EQ(w.ret(), kTeeSuccess);
  EXPECT_EQ(w.ret_origin(), kTeeOriginTrustedApp);
  EXPECT_EQ(w.session_out(), 42u);
  EXPECT_EQ(w.pword(2, 1), 1u);
  EXPECT_EQ(w.pword(3, 1), 10u);
  EXPECT_EQ(w.pword(3, 2), 20u);
  EXPECT_EQ(w.pword(3, 3), 0u);
  EXPECT_EQ(w.pword(4, 2), 32u);
  EXPECT_EQ(w.pword(4, 3), kCookie);
}

TEST_F(MsgDecodeTest, FailedOpenDoesNotWriteSession) {
  Uuid u = Uuid::nil();
  w.cmd(MsgCmd::OpenSession).num_params(2).open_meta(u, u, 0).session(5);
  ASSERT_EQ(decode().ret, kTeeSuccess);
  write_results(mem, msg, {kTeeErrorItemNotFound, kTeeOriginTee}, 42);
  EXPECT_EQ(w.session_out(), 5u);
  EXPECT_EQ(w.ret(), kTeeErrorItemNotFound);
}

}  // namespace
}  // namespace swtee::os
