#include "os/shm_registry.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

namespace swtee::os {
namespace {

UniqueFd sealed(uint64_t size) {
  auto fd = create_sealed_memfd("t", size);
  EXPECT_TRUE(fd.ok());
  return std::move(*fd);
}

TEST(AdoptPhysShm, SealsAndMaps) {
  UniqueFd fd(::memfd_create("t", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  ASSERT_TRUE(fd.valid());
  ASSERT_EQ(::ftruncate(fd.get(), 8192), 0);
  const int raw = fd.get();
  auto shm = adopt_phys_shm(7, std::move(fd), 4096);
  ASSERT_TRUE(shm.ok());
  EXPECT_EQ((*shm)->size, 4096u);
  EXPECT_EQ((*shm)->map.size(), 4096u);
  // Sealable memfds get sealed, so the peer can no longer shrink them.
  EXPECT_EQ(::fcntl(raw, F_GET_SEALS) & (F_SEAL_SHRINK | F_SEAL_GROW), F_SEAL_SHRINK | F_SEAL_GROW);
}

TEST(AdoptPhysShm, RejectsUnsealableAndNonMemfd) {
  UniqueFd unsealable(::memfd_create("t", MFD_CLOEXEC));  // carries F_SEAL_SEAL, no shrink seal
  ASSERT_TRUE(unsealable.valid());
  ASSERT_EQ(::ftruncate(unsealable.get(), 4096), 0);
  EXPECT_FALSE(adopt_phys_shm(7, std::move(unsealable), 4096).ok());

  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  UniqueFd r(p[0]), w(p[1]);
  EXPECT_FALSE(adopt_phys_shm(7, std::move(r), 0).ok());
}

TEST(AdoptPhysShm, RejectsTooSmallAndCookieZero) {
  EXPECT_FALSE(adopt_phys_shm(7, sealed(100), 101).ok());
  EXPECT_FALSE(adopt_phys_shm(0, sealed(100), 100).ok());
  EXPECT_TRUE(adopt_phys_shm(7, sealed(0), 0).ok());
}

TEST(ShmRegistry, DuplicateAndBound) {
  ShmRegistry reg(2);
  ASSERT_TRUE(reg.add(*adopt_phys_shm(1, sealed(16), 16)).ok());
  auto dup = reg.add(*adopt_phys_shm(1, sealed(16), 16));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, EEXIST);
  ASSERT_TRUE(reg.add(*adopt_phys_shm(2, sealed(16), 16)).ok());
  auto full = reg.add(*adopt_phys_shm(3, sealed(16), 16));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ENOSPC);
  EXPECT_EQ(reg.size(), 2u);
}

TEST(ShmRegistry, UnregisterKeepsInFlightReference) {
  ShmRegistry reg;
  ASSERT_TRUE(reg.add(*adopt_phys_shm(9, sealed(64), 64)).ok());
  std::shared_ptr<PhysShm> inflight = reg.find(9);
  ASSERT_TRUE(inflight);
  ASSERT_TRUE(reg.remove(9).ok());
  EXPECT_EQ(reg.find(9), nullptr);
  EXPECT_EQ(reg.remove(9).error().code, ENOENT);
  // The call still holding it can use the mapping.
  inflight->map.data()[63] = 0x5a;
  EXPECT_EQ(inflight->map.data()[63], 0x5a);
  EXPECT_EQ(inflight.use_count(), 1);
}

}  // namespace
}  // namespace swtee::os
