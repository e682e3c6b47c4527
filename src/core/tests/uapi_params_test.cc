#include "core/uapi_params.h"

#include <gtest/gtest.h>

namespace swtee::core {
namespace {

class ParamCodec : public ::testing::Test {
 protected:
  ShmLookup lookup = [this](int id) -> Result<std::shared_ptr<Shm>> {
    ++lookups;
    if (id == 1) return shm;
    return Error{EINVAL, "bad id"};
  };
  std::shared_ptr<Shm> shm = std::make_shared<Shm>(1, Shm::Kind::Alloc, UniqueFd(), 4096, nullptr);
  int lookups = 0;
};

TEST_F(ParamCodec, DecodesValuesAndMemrefs) {
  std::vector<tee_ioctl_param> w{{TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT, 1, 2, 3},
                                 {TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT, 9, 9, 9},
                                 {TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT, 8, 16, 1},
                                 {TEE_IOCTL_PARAM_ATTR_TYPE_NONE | TEE_IOCTL_PARAM_ATTR_META, 5, 5, 5}};
  auto p = params_from_user(w, lookup, MemrefNull::Rejected);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[0].type, ParamType::ValueInput);
  EXPECT_EQ((*p)[0].value.c, 3u);
  EXPECT_EQ((*p)[1].value.a, 0u);  // outputs are not read
  EXPECT_EQ((*p)[2].memref.shm, shm);
  EXPECT_EQ((*p)[2].memref.shm_offs, 8u);
  EXPECT_TRUE((*p)[3].meta);
  EXPECT_EQ(shm.use_count(), 2);  // the param holds a reference
}

TEST_F(ParamCodec, RejectsBadAttrsAndRanges) {
  auto bad = [&](tee_ioctl_param ip, MemrefNull mn = MemrefNull::Rejected) {
    auto r = params_from_user(std::vector<tee_ioctl_param>{ip}, lookup, mn);
    return !r.ok() && r.error().code == EINVAL;
  };
  EXPECT_TRUE(bad({0x200, 0, 0, 0}));
  EXPECT_TRUE(bad({4, 0, 0, 0}));
  EXPECT_TRUE(bad({0xff, 0, 0, 0}));
  EXPECT_TRUE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, ~0ull - 1, 4, 1}));
  EXPECT_TRUE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 4096, 1, 1}));
  EXPECT_TRUE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 0, 4097, 1}));
  EXPECT_TRUE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 0, 1, 2}));
  EXPECT_TRUE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 0, 1, 0x100000001ull}));
  EXPECT_TRUE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 0, 1, TEE_MEMREF_NULL}));
  EXPECT_FALSE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 0, 1, TEE_MEMREF_NULL}, MemrefNull::Allowed));
  EXPECT_FALSE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 4095, 1, 1}));
  EXPECT_FALSE(bad({TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT, 4096, 0, 1}));
}

TEST_F(ParamCodec, CopyBackRules) {
  std::vector<tee_ioctl_param> w{
      {TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT, 1, 1, 1},
      {TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT, 1, 1, 1},
      {TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT | TEE_IOCTL_PARAM_ATTR_META, 1, 1, 1},
      {TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, 8, 16, 1}};
  auto p = params_from_user(w, lookup, MemrefNull::Rejected);
  ASSERT_TRUE(p.ok());
  for (auto& q : *p) {
    q.value = {7, 8, 9};
    q.memref.size = 99;
    q.memref.shm_offs = 55;
  }
  params_to_user(w, *p);
  EXPECT_EQ(w[0].a, 1u);
  EXPECT_EQ(w[1].a, 7u);
  EXPECT_EQ(w[1].c, 9u);
  EXPECT_EQ(w[2].a, 1u);  // META: not copied back
  EXPECT_EQ(w[3].a, 8u);  // memref: only the size
  EXPECT_EQ(w[3].b, 99u);
  EXPECT_EQ(w[3].c, 1u);
}

TEST_F(ParamCodec, SupplicantDirection) {
  TeeParams req(2);
  req[0].type = ParamType::MemrefInout;
  req[0].memref = {16, 32, shm};
  req[1].type = ParamType::MemrefInput;  // NULL memref
  std::vector<tee_ioctl_param> slots(3);
  ASSERT_TRUE(params_to_supp(slots, req).ok());
  EXPECT_EQ(slots[0].attr, static_cast<uint64_t>(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT));
  EXPECT_EQ(slots[0].c, 1u);
  EXPECT_EQ(slots[1].c, TEE_MEMREF_NULL);
  EXPECT_EQ(slots[2].attr, 0u);
  std::vector<tee_ioctl_param> one(1);
  EXPECT_FALSE(params_to_supp(one, req).ok());

  std::vector<tee_ioctl_param> ans{{TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, 0, 5, 12345},
                                   {TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT, 1, 2, 3}};
  auto back = params_from_supp(ans);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)[0].memref.size, 5u);
  EXPECT_EQ((*back)[0].memref.shm, nullptr);  // the supplicant's id is not looked up
  EXPECT_EQ((*back)[1].value.b, 2u);
  ans[1].attr = 0x400;
  EXPECT_FALSE(params_from_supp(ans).ok());
  EXPECT_EQ(lookups, 0);
}

}  // namespace
}  // namespace swtee::core
