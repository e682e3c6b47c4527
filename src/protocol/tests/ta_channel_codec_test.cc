// The TA channel codec: well-formed messages round-trip; malformed ones
// (from a hostile TA or a confused OS) are rejected.
#include "protocol/ta_channel_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "common/seqpacket.h"
#include "common/shm_file.h"

namespace swtee::tachan {
namespace {

std::vector<uint8_t> message(uint32_t kind, uint32_t seq, const void* body, size_t len,
                             uint32_t magic = kMsgMagic, int64_t body_len = -1) {
  TaMsgHeader h{magic, kind, seq,
                body_len < 0 ? static_cast<uint32_t>(len) : static_cast<uint32_t>(body_len)};
  std::vector<uint8_t> v(sizeof(h) + len);
  std::memcpy(v.data(), &h, sizeof(h));
  if (len) std::memcpy(v.data() + sizeof(h), body, len);
  return v;
}

TaRequest good_request() {
  TaRequest r{};
  r.magic = kRequestMagic;
  r.op = static_cast<uint32_t>(TaOp::Invoke);
  r.seq = 7;
  r.params[0].type = 3;  // value inout
  r.params[0].a = 41;
  r.params[1].type = 5;  // memref input
  r.params[1].present = 1;
  r.params[1].b = 99;
  r.params[1].flags = kParamFdAttached;
  return r;
}

std::span<const uint8_t> bytes_of(const TaRequest& r) {
  return {reinterpret_cast<const uint8_t*>(&r), sizeof(r)};
}

TEST(TaChannelCodec, ReplyRoundTrip) {
  TaReply rep{};
  rep.ret = 0xFFFF0010;
  rep.params[1].a = 1234;
  auto v = message(static_cast<uint32_t>(TaMsgKind::Reply), 5, &rep, sizeof(rep));
  auto m = decode_ta_message(v);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->kind, TaMsgKind::Reply);
  EXPECT_EQ(m->seq, 5u);
  EXPECT_EQ(m->reply.ret, 0xFFFF0010u);
  EXPECT_EQ(m->reply.params[1].a, 1234u);
}

// The first open of a spare carries its create (kReqCreateFirst); the TA
// says in the reply when create failed. Nothing else is a known flag.
TEST(TaChannelCodec, CreateFirstOnlyOnOpenSessionAndReplyFlagsChecked) {
  TaRequest r = good_request();
  r.op = static_cast<uint32_t>(TaOp::OpenSession);
  r.flags = kReqCreateFirst;
  auto d = decode_request(bytes_of(r), 1);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->flags, kReqCreateFirst);

  TaReply rep{};
  rep.ret = 0xFFFF000C;
  rep.flags = kRepCreateFailed;
  auto v = message(static_cast<uint32_t>(TaMsgKind::Reply), 5, &rep, sizeof(rep));
  auto m = decode_ta_message(v);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->reply.flags, kRepCreateFailed);
  rep.flags = 0x2;
  v = message(static_cast<uint32_t>(TaMsgKind::Reply), 5, &rep, sizeof(rep));
  EXPECT_EQ(decode_ta_message(v).error().code, EPROTO) << "unknown reply flag";
}

TEST(TaChannelCodec, RejectsBadMagic) {
  TaReply rep{};
  auto v = message(static_cast<uint32_t>(TaMsgKind::Reply), 1, &rep, sizeof(rep), 0x12345678);
  EXPECT_EQ(decode_ta_message(v).error().code, EPROTO);
}

TEST(TaChannelCodec, RejectsUnknownKind) {
  TaReply rep{};
  auto v = message(17, 1, &rep, sizeof(rep));
  EXPECT_FALSE(decode_ta_message(v).ok());
}

TEST(TaChannelCodec, RejectsTruncatedHeaderAndBody) {
  TaReply rep{};
  auto v = message(static_cast<uint32_t>(TaMsgKind::Reply), 1, &rep, sizeof(rep));
  for (size_t cut = 0; cut < v.size(); ++cut)
    EXPECT_FALSE(decode_ta_message({v.data(), cut}).ok()) << "cut at " << cut;
}

TEST(TaChannelCodec, RejectsBodyLengthMismatch) {
  TaReply rep{};
  auto longer =
      message(static_cast<uint32_t>(TaMsgKind::Reply), 1, &rep, sizeof(rep), kMsgMagic, sizeof(rep) + 8);
  EXPECT_FALSE(decode_ta_message(longer).ok());
  // A reply with trailing bytes (body_len consistent) is still not a reply.
  std::vector<uint8_t> big(sizeof(rep) + 8);
  auto trailing = message(static_cast<uint32_t>(TaMsgKind::Reply), 1, big.data(), big.size());
  EXPECT_FALSE(decode_ta_message(trailing).ok());
}

TEST(TaChannelCodec, LogTextBounded) {
  std::vector<uint8_t> body(sizeof(TaLog) + 5);
  TaLog l{1, 5};
  std::memcpy(body.data(), &l, sizeof(l));
  std::memcpy(body.data() + sizeof(l), "hello", 5);
  auto ok = decode_ta_message(message(static_cast<uint32_t>(TaMsgKind::Log), 0, body.data(), body.size()));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->log_text, "hello");

  l.len = 6;  // claims more than is there
  std::memcpy(body.data(), &l, sizeof(l));
  EXPECT_FALSE(
      decode_ta_message(message(static_cast<uint32_t>(TaMsgKind::Log), 0, body.data(), body.size())).ok());

  std::vector<uint8_t> huge(sizeof(TaLog) + kMaxLogText + 1);
  TaLog h{1, static_cast<uint32_t>(kMaxLogText + 1)};
  std::memcpy(huge.data(), &h, sizeof(h));
  EXPECT_FALSE(
      decode_ta_message(message(static_cast<uint32_t>(TaMsgKind::Log), 0, huge.data(), huge.size())).ok());
}

TEST(TaChannelCodec, RequestRoundTrip) {
  TaRequest r = good_request();
  auto d = decode_request(bytes_of(r), 1);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->seq, 7u);
  EXPECT_EQ(d->params[1].b, 99u);
  EXPECT_EQ(d->params[1].present, 1u);
}

TEST(TaChannelCodec, RequestRejections) {
  TaRequest r = good_request();
  EXPECT_FALSE(decode_request(bytes_of(r), 0).ok()) << "fd count mismatch";
  EXPECT_FALSE(decode_request(bytes_of(r), 2).ok()) << "fd count mismatch";
  EXPECT_FALSE(decode_request(bytes_of(r).first(sizeof(r) - 1), 1).ok()) << "short";

  r = good_request();
  r.op = kNumTaOps;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "unknown op";
  r = good_request();
  r.flags = 0x80;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "unknown flags";
  r = good_request();
  r.params[2].type = 4;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "unknown param type";
  r = good_request();
  r.params[0].a = 1ull << 32;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "value wider than 32 bits";
  r = good_request();
  r.params[0].flags = kParamFdAttached;
  EXPECT_FALSE(decode_request(bytes_of(r), 2).ok()) << "fd on a value";
  r = good_request();
  r.params[1].present = 0;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "fd on a NULL memref";
  r = good_request();
  r.params[1].present = 2;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "present is 0 or 1";
  r = good_request();
  r.params[1].a = 4096;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "a memref starts its window";
  r = good_request();
  r.flags = kReqCreateFirst;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "create-first on an invoke";
  for (TaOp op : {TaOp::Create, TaOp::CloseSession, TaOp::Destroy}) {
    r = good_request();
    r.op = static_cast<uint32_t>(op);
    r.flags = kReqCreateFirst;
    EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "create-first on op " << r.op;
  }
  r = good_request();
  r.params[1].flags = 0x2;
  EXPECT_FALSE(decode_request(bytes_of(r), 0).ok()) << "unknown param flag";
  r = good_request();
  r.magic = 0;
  EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "magic";
  for (uint32_t cpu : {kMaxCpuHint + 1, kCpuAny - 1}) {
    r = good_request();
    r.cpu = cpu;
    EXPECT_FALSE(decode_request(bytes_of(r), 1).ok()) << "CPU hint " << cpu;
  }
}

TEST(TaChannelCodec, RequestCpuHints) {
  for (uint32_t cpu : {kCpuKeep, kCpuAny, cpu_hint(0), cpu_hint(kMaxCpuHint - 1)}) {
    TaRequest r = good_request();
    r.cpu = cpu;
    auto d = decode_request(bytes_of(r), 1);
    ASSERT_TRUE(d.ok()) << cpu;
    EXPECT_EQ(d->cpu, cpu);
  }
}

TEST(TaChannelCodec, SendTaMessageIsDecodable) {
  auto pair = seqpacket_pair();
  ASSERT_TRUE(pair.ok());
  TaPanic p{0xBAD, 0};
  ChannelLink link(pair->first.get());
  ASSERT_TRUE(
      send_ta_message(link, TaMsgKind::Panic, 0, {reinterpret_cast<const uint8_t*>(&p), sizeof(p)}).ok());
  std::array<uint8_t, kMaxTaMessage> buf;
  auto m = recv_message(pair->second.get(), buf);
  ASSERT_TRUE(m.ok());
  auto d = decode_ta_message({buf.data(), m->length});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, TaMsgKind::Panic);
  EXPECT_EQ(d->panic.code, 0xBADu);
}

TEST(TaChannelCodec, SyscallRoundTripWithFdsAndInlineData) {
  auto pair = seqpacket_pair();
  ASSERT_TRUE(pair.ok());
  auto memfd = create_sealed_memfd("t", 4096);
  ASSERT_TRUE(memfd.ok());
  TaSyscall sc{};
  sc.family = static_cast<uint32_t>(SysFamily::Storage);
  sc.fn = 3;
  sc.args[7] = 0x1122334455667788ull;
  std::vector<uint8_t> in(kMaxSyscallInline, 0xA5);
  sc.in_len = static_cast<uint32_t>(in.size());
  const int fds[] = {memfd->get(), memfd->get()};
  sc.num_fds = 2;
  ChannelLink link(pair->first.get());
  ASSERT_TRUE(send_syscall(link, sc, in, fds).ok());
  std::vector<uint8_t> buf(kMaxTaMessage);
  auto m = recv_message(pair->second.get(), buf);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->fds.size(), 2u);
  auto d = decode_ta_message({buf.data(), m->length});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, TaMsgKind::Syscall);
  EXPECT_EQ(d->syscall.fn, 3u);
  EXPECT_EQ(d->syscall.num_fds, 2u);
  EXPECT_EQ(d->syscall.args[7], 0x1122334455667788ull);
  ASSERT_EQ(d->syscall_in.size(), in.size());
  EXPECT_EQ(d->syscall_in[100], 0xA5);
}

TEST(TaChannelCodec, SendSyscallRefusesInconsistentLengths) {
  TaSyscall sc{};
  sc.in_len = 3;
  std::vector<uint8_t> in(2);
  ChannelLink nowhere(-1);
  EXPECT_EQ(send_syscall(nowhere, sc, in, {}).error().code, EINVAL);
  std::vector<uint8_t> big(kMaxSyscallInline + 1);
  sc.in_len = static_cast<uint32_t>(big.size());
  EXPECT_EQ(send_syscall(nowhere, sc, big, {}).error().code, EINVAL);
  TaSyscallReply rep{};
  rep.out_len = 1;
  EXPECT_EQ(send_syscall_reply(nowhere, rep, {}).error().code, EINVAL);
}

TEST(TaChannelCodec, RejectsMalformedSyscalls) {
  auto encode = [](TaSyscall sc, size_t in_bytes) {
    std::vector<uint8_t> body(sizeof(sc) + in_bytes);
    std::memcpy(body.data(), &sc, sizeof(sc));
    return message(static_cast<uint32_t>(TaMsgKind::Syscall), 0, body.data(), body.size());
  };
  TaSyscall sc{};
  sc.in_len = 4;
  EXPECT_TRUE(decode_ta_message(encode(sc, 4)).ok());
  EXPECT_FALSE(decode_ta_message(encode(sc, 3)).ok()) << "short inline data";
  EXPECT_FALSE(decode_ta_message(encode(sc, 5)).ok()) << "trailing bytes";
  sc.family = kNumSysFamilies;
  EXPECT_FALSE(decode_ta_message(encode(sc, 4)).ok()) << "unknown family";
  sc.family = 0;
  sc.num_fds = kMaxSyscallFds + 1;
  EXPECT_FALSE(decode_ta_message(encode(sc, 4)).ok()) << "too many fds";
  sc.num_fds = 0;
  sc.in_len = kMaxSyscallInline + 1;
  EXPECT_FALSE(decode_ta_message(encode(sc, kMaxSyscallInline + 1)).ok()) << "oversized inline data";
  std::vector<uint8_t> tiny(sizeof(TaSyscall) - 1);
  EXPECT_FALSE(decode_ta_message(message(4, 0, tiny.data(), tiny.size())).ok()) << "truncated struct";
}

TEST(TaChannelCodec, SyscallReplyChecks) {
  TaSyscallReply rep{};
  rep.magic = kSysReplyMagic;
  rep.out_len = 2;
  std::vector<uint8_t> v(sizeof(rep) + 2);
  std::memcpy(v.data(), &rep, sizeof(rep));
  v[sizeof(rep)] = 7;
  auto d = decode_syscall_reply(v, 0);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->out.size(), 2u);
  EXPECT_EQ(d->out[0], 7);
  EXPECT_FALSE(decode_syscall_reply(v, 1).ok()) << "an fd in a reply";
  v.push_back(0);
  EXPECT_FALSE(decode_syscall_reply(v, 0).ok()) << "length mismatch";
  v.pop_back();
  rep.magic = kMsgMagic;
  std::memcpy(v.data(), &rep, sizeof(rep));
  EXPECT_FALSE(decode_syscall_reply(v, 0).ok()) << "magic";
}

}  // namespace
}  // namespace swtee::tachan
