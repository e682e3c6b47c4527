#include "drivers/optee/param_codec.h"

#include <gtest/gtest.h>

#include "common/shm_file.h"

namespace swtee::optee {
namespace {

using core::ParamType;
using core::TeeParam;

std::shared_ptr<core::Shm> make_shm(uint64_t size, int id = 1) {
  return std::make_shared<core::Shm>(id, core::Shm::Kind::Alloc, std::move(*create_sealed_memfd("t", size)), size,
                                     nullptr);
}

TEST(ParamCodec, ValueInputTravelsOutputIsNotRead) {
  TeeParam in;
  in.type = ParamType::ValueInput;
  in.value = {1, 2, 3};
  auto m = encode_call_param(in, 0);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->attr, kAttrTypeValueInput);
  EXPECT_EQ(m->u.value.b, 2u);

  TeeParam out;
  out.type = ParamType::ValueOutput;
  out.value = {9, 9, 9};
  m = encode_call_param(out, 0);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->attr, kAttrTypeValueOutput);
  EXPECT_EQ(m->u.value.a, 0u);
}

TEST(ParamCodec, MemrefIsRmemWithCookieNullIsTmem) {
  TeeParam p;
  p.type = ParamType::MemrefInout;
  p.memref = {16, 32, make_shm(64)};
  auto m = encode_call_param(p, 0x77);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->attr, kAttrTypeRmemInout);
  EXPECT_EQ(m->u.rmem.offs, 16u);
  EXPECT_EQ(m->u.rmem.size, 32u);
  EXPECT_EQ(m->u.rmem.shm_ref, 0x77u);

  EXPECT_FALSE(encode_call_param(p, 0).ok());  // a memref needs a cookie
  p.memref.shm_offs = 40;                      // 40 + 32 > 64
  EXPECT_FALSE(encode_call_param(p, 0x77).ok());

  TeeParam n;
  n.type = ParamType::MemrefOutput;
  n.memref.size = 100;  // size query with a NULL buffer
  m = encode_call_param(n, 0);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->attr, kAttrTypeTmemOutput);
  EXPECT_EQ(m->u.tmem.buf_ptr, 0u);
  EXPECT_EQ(m->u.tmem.size, 100u);
  EXPECT_EQ(m->u.tmem.shm_ref, 0u);
}

TEST(ParamCodec, ResultCopiesOutputsAndRejectsTypeChanges) {
  TeeParam v;
  v.type = ParamType::ValueInout;
  MsgParam r{};
  r.attr = kAttrTypeValueInout;
  r.u.value = {4, 5, 6};
  ASSERT_TRUE(decode_call_result(r, v).ok());
  EXPECT_EQ(v.value.c, 6u);

  TeeParam mem;
  mem.type = ParamType::MemrefOutput;
  mem.memref = {0, 8, make_shm(8)};
  r.attr = kAttrTypeRmemOutput;
  r.u.rmem = {0, 4096, 1};  // a "required size" larger than the buffer: just reported
  ASSERT_TRUE(decode_call_result(r, mem).ok());
  EXPECT_EQ(mem.memref.size, 4096u);

  r.attr = kAttrTypeValueOutput;
  EXPECT_FALSE(decode_call_result(r, mem).ok());
  r.attr = kAttrTypeRmemOutput | kAttrMeta;
  EXPECT_FALSE(decode_call_result(r, mem).ok());
}

TEST(ParamCodec, RpcParamsResolveCookiesAndCheckRanges) {
  auto shm = make_shm(128);
  CookieResolver resolve = [&](uint64_t c) { return c == 5 ? shm : nullptr; };
  MsgParam in{};
  in.attr = kAttrTypeRmemOutput;
  in.u.rmem = {64, 64, 5};
  auto p = decode_rpc_param(in, resolve);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->type, ParamType::MemrefOutput);
  EXPECT_EQ(p->memref.shm, shm);

  in.u.rmem = {65, 64, 5};
  EXPECT_FALSE(decode_rpc_param(in, resolve).ok());
  in.u.rmem = {~0ull, 2, 5};
  EXPECT_FALSE(decode_rpc_param(in, resolve).ok());
  in.u.rmem = {0, 1, 6};
  EXPECT_FALSE(decode_rpc_param(in, resolve).ok());
  in.attr = 0x4;  // unused type
  EXPECT_FALSE(decode_rpc_param(in, resolve).ok());
  in.attr = kAttrTypeValueInput | kAttrMeta;
  EXPECT_FALSE(decode_rpc_param(in, resolve).ok());

  // Back: only outputs; memrefs only their size.
  TeeParam ans = *decode_rpc_param(MsgParam{kAttrTypeRmemOutput, {.rmem = {0, 128, 5}}}, resolve);
  ans.memref.size = 7;
  ans.memref.shm_offs = 99;
  MsgParam outp{kAttrTypeRmemOutput, {.rmem = {0, 128, 5}}};
  encode_rpc_result(ans, outp);
  EXPECT_EQ(outp.u.rmem.size, 7u);
  EXPECT_EQ(outp.u.rmem.offs, 0u);
}

}  // namespace
}  // namespace swtee::optee
