#include "drivers/remote/param_copy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>

#include "common/shm_file.h"
#include "core/shm.h"

namespace swtee::remote {
namespace {

std::shared_ptr<core::Shm> make_shm(uint64_t size, char fill) {
  auto fd = create_sealed_memfd("test", size);
  EXPECT_TRUE(fd.ok());
  std::vector<char> bytes(size, fill);
  EXPECT_EQ(::pwrite(fd->get(), bytes.data(), bytes.size(), 0), static_cast<ssize_t>(size));
  return std::make_shared<core::Shm>(1, core::Shm::Kind::Alloc, std::move(*fd), size, nullptr);
}

core::TeeParam memref(core::ParamType t, std::shared_ptr<core::Shm> shm, uint64_t offs, uint64_t size) {
  core::TeeParam p;
  p.type = t;
  p.memref = {offs, size, std::move(shm)};
  return p;
}

std::string read(const core::Shm& shm, uint64_t offs, size_t n) {
  std::string s(n, '\0');
  EXPECT_EQ(::pread(shm.fd(), s.data(), n, static_cast<off_t>(offs)), static_cast<ssize_t>(n));
  return s;
}

std::span<const uint8_t> body_of(const std::vector<uint8_t>& f) {
  return std::span<const uint8_t>(f).subspan(sizeof(FrameHeader));
}

TEST(ParamCopy, RequestCarriesOnlyTheInputRanges) {
  auto shm = make_shm(64, 'a');
  ASSERT_EQ(::pwrite(shm->fd(), "0123456789", 10, 20), 10);
  core::TeeParams params = {memref(core::ParamType::MemrefInput, shm, 22, 4),
                            memref(core::ParamType::MemrefOutput, shm, 0, 16),
                            memref(core::ParamType::MemrefInout, shm, 28, 2)};
  auto frame = encode_request(MsgType::Invoke, InvokeBody{1, 1, 1, 0, 0}, params);
  ASSERT_TRUE(frame.ok());
  auto m = decode_invoke(body_of(*frame));
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(std::string(m->params[0].data.begin(), m->params[0].data.end()), "2345");
  EXPECT_TRUE(m->params[1].data.empty());
  EXPECT_EQ(m->params[1].a, 16u);
  EXPECT_EQ(std::string(m->params[2].data.begin(), m->params[2].data.end()), "89");
  // Input bytes of the whole frame: exactly the ranges the inputs cover.
  EXPECT_EQ(data_bytes(m->params), 6u);
}

TEST(ParamCopy, RefusesMetaTooManyAndTooLarge) {
  core::TeeParams meta(1);
  meta[0].type = core::ParamType::ValueInput;
  meta[0].meta = true;
  EXPECT_EQ(wire_params(meta).error().code, EINVAL);
  core::TeeParams many(kMaxParams + 1);
  EXPECT_EQ(wire_params(many).error().code, EINVAL);
  auto shm = make_shm(4096, 0);
  core::TeeParams big = {memref(core::ParamType::MemrefOutput, shm, 0, kMaxMemrefBytes),
                         memref(core::ParamType::MemrefOutput, shm, 0, 1)};
  EXPECT_EQ(wire_params(big).error().code, E2BIG);
  // A NULL memref holds nothing at the host, whatever its size.
  core::TeeParams null = {memref(core::ParamType::MemrefOutput, nullptr, 0, UINT64_MAX)};
  auto w = wire_params(null);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)[0].flags, kParamFlagNull);
}

CallReplyMsg reply_with(std::vector<Param> p, std::vector<uint8_t>& keep) {
  CallReplyBody b{0, 0, 4, 0, static_cast<uint32_t>(p.size()), 0};
  keep = encode_fixed(MsgType::CallReply, 1, b, p);
  auto m = decode_call_reply(body_of(keep));
  EXPECT_TRUE(m.ok()) << m.error().message();
  return std::move(m).value();
}

TEST(ParamCopy, ReplyWritesOutputsBackAndReportsSizes) {
  auto shm = make_shm(64, '.');
  core::TeeParams params = {memref(core::ParamType::MemrefOutput, shm, 8, 10),
                            memref(core::ParamType::MemrefInout, shm, 30, 4)};
  params.push_back(core::TeeParam{core::ParamType::ValueOutput, false, {}, {}});
  const std::string out = "hello";
  std::vector<uint8_t> keep;
  // The inout asked for a larger buffer (SHORT_BUFFER): size only.
  auto r = reply_with(
      {Param{kParamMemrefOutput, 0, 5, 5, 0, std::span(reinterpret_cast<const uint8_t*>(out.data()), 5)},
       Param{kParamMemrefInout, 0, 100, 0, 0, {}}, Param{kParamValueOutput, 0, 1, 2, 3, {}}},
      keep);
  ASSERT_TRUE(apply_reply(r, params).ok());
  EXPECT_EQ(read(*shm, 8, 10), "hello.....");
  EXPECT_EQ(read(*shm, 30, 4), "....");
  EXPECT_EQ(params[0].memref.size, 5u);
  EXPECT_EQ(params[1].memref.size, 100u);
  EXPECT_EQ(params[2].value.c, 3u);
}

TEST(ParamCopy, ReplyThatDoesNotMatchIsRefusedBeforeAnyWrite) {
  auto shm = make_shm(16, '.');
  core::TeeParams params = {memref(core::ParamType::MemrefOutput, shm, 0, 4),
                            memref(core::ParamType::MemrefOutput, shm, 8, 2)};
  const std::string out = "abcd";
  auto bytes = std::span(reinterpret_cast<const uint8_t*>(out.data()), 4);
  std::vector<uint8_t> keep;
  // The second range gets more bytes than it holds: nothing is written.
  auto r = reply_with(
      {Param{kParamMemrefOutput, 0, 4, 4, 0, bytes}, Param{kParamMemrefOutput, 0, 4, 4, 0, bytes}}, keep);
  EXPECT_EQ(apply_reply(r, params).error().code, EPROTO);
  EXPECT_EQ(read(*shm, 0, 4), "....");
  // Wrong type, wrong count.
  auto t =
      reply_with({Param{kParamMemrefInout, 0, 0, 0, 0, {}}, Param{kParamMemrefOutput, 0, 0, 0, 0, {}}}, keep);
  EXPECT_EQ(apply_reply(t, params).error().code, EPROTO);
  auto c = reply_with({Param{kParamMemrefOutput, 0, 0, 0, 0, {}}}, keep);
  EXPECT_EQ(apply_reply(c, params).error().code, EPROTO);
}

}  // namespace
}  // namespace swtee::remote
