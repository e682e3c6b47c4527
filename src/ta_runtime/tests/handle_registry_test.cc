// HandleRegistry: values a TA can carry in a 32-bit value param, validated
// on every use (stale, forged and other-type values refused).
#include "ta_runtime/handle_registry.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "ta_runtime/dispatcher.h"
#include "tee_internal_api.h"

namespace swtee::ta {
namespace {

struct Counted {
  static inline int live = 0;
  Counted() { ++live; }
  ~Counted() { --live; }
};

using Reg = HandleRegistry<Counted, 16, HandleTag::kObject>;
using OtherReg = HandleRegistry<Counted, 16, HandleTag::kOperation>;

TEST(HandleRegistry, ValuesAreNonzeroAndBelow2To32) {
  Reg r;
  std::vector<Counted*> objs;
  for (int i = 0; i < 16; ++i) {
    Counted* c = r.create();
    ASSERT_NE(c, nullptr);
    const uint32_t v = r.value_of(c);
    EXPECT_NE(v, 0u);
    EXPECT_LT(v, 0x80000000u);  // below every TEE_PROPSET_* pseudo-handle
    // A value round-trips through a uint32_t value param.
    const auto h = reinterpret_cast<const void*>(static_cast<uintptr_t>(v));
    EXPECT_EQ(r.lookup(h), c);
    objs.push_back(c);
  }
  EXPECT_EQ(r.create(), nullptr) << "bounded at Max";
  EXPECT_EQ(Counted::live, 16);
  for (Counted* c : objs) r.destroy(c);
  EXPECT_EQ(Counted::live, 0);
}

TEST(HandleRegistry, StaleForgedAndForeignValuesAreRefused) {
  Reg r;
  OtherReg other;
  Counted* c = r.create();
  const uint32_t v = r.value_of(c);
  const auto h = reinterpret_cast<const void*>(static_cast<uintptr_t>(v));
  EXPECT_EQ(other.lookup(h), nullptr) << "another handle type's registry";
  EXPECT_EQ(r.lookup(reinterpret_cast<const void*>(uintptr_t{0x1234})), nullptr);
  EXPECT_EQ(r.lookup(c), nullptr) << "the raw pointer is not a handle";
  EXPECT_EQ(r.lookup(nullptr), nullptr);
  r.destroy(c);
  EXPECT_EQ(r.lookup(h), nullptr) << "stale";
  Counted* again = r.create();  // reuses the slot with a new generation
  EXPECT_NE(r.value_of(again), v);
  EXPECT_EQ(r.lookup(h), nullptr);
  const uint64_t high = (uint64_t{1} << 32) | v;
  EXPECT_EQ(r.lookup(reinterpret_cast<const void*>(static_cast<uintptr_t>(high))), nullptr);
  r.destroy(again);
}

// The GP API hands out such values for every handle type.
TEST(HandleValues, EveryHandleTypeFitsIn32Bits) {
  TEE_ObjectHandle obj = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &obj), TEE_SUCCESS);
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
  TEE_ObjectEnumHandle oe = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocatePersistentObjectEnumerator(&oe), TEE_SUCCESS);
  TEE_PropSetHandle pe = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocatePropertyEnumerator(&pe), TEE_SUCCESS);
  for (const void* h : {static_cast<const void*>(obj), static_cast<const void*>(op),
                        static_cast<const void*>(oe), static_cast<const void*>(pe)}) {
    const auto v = reinterpret_cast<uintptr_t>(h);
    EXPECT_NE(v, 0u);
    EXPECT_LE(v, uintptr_t{UINT32_MAX});
  }
  // Carried through a uint32_t and back, as OP-TEE TAs do in value.a.
  const uint32_t a = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(op));
  auto back = reinterpret_cast<TEE_OperationHandle>(static_cast<uintptr_t>(a));
  TEE_OperationInfo info{};
  TEE_GetOperationInfo(back, &info);
  EXPECT_EQ(info.algorithm, static_cast<uint32_t>(TEE_ALG_SHA256));
  TEE_FreePropertyEnumerator(pe);
  TEE_FreePersistentObjectEnumerator(oe);
  TEE_FreeOperation(op);
  TEE_FreeTransientObject(obj);
}

TEST(HandleValuesDeathTest, AnObjectHandleIsNotAnOperationHandle) {
  TEE_ObjectHandle obj = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &obj), TEE_SUCCESS);
  TEE_OperationInfo info{};
  EXPECT_EXIT(TEE_GetOperationInfo(reinterpret_cast<TEE_OperationHandle>(obj), &info),
              ::testing::ExitedWithCode(kExitPanic), "TEE_Panic");
  TEE_FreeTransientObject(obj);
}

}  // namespace
}  // namespace swtee::ta
