#include "common/shm_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

namespace swtee {
namespace {

TEST(ShmFile, CreatedMemfdIsZeroedAndSealed) {
  auto fd = create_sealed_memfd("t", 8192);
  ASSERT_TRUE(fd.ok());
  int seals = fcntl(fd->get(), F_GET_SEALS);
  EXPECT_EQ(seals & kShmRequiredSeals, kShmRequiredSeals);
  EXPECT_NE(ftruncate(fd->get(), 4096), 0);   // cannot shrink
  EXPECT_NE(ftruncate(fd->get(), 16384), 0);  // cannot grow
  auto m = Mapping::map(fd->get(), 8192);
  ASSERT_TRUE(m.ok());
  for (size_t i = 0; i < m->size(); ++i) ASSERT_EQ(m->data()[i], 0);
}

TEST(ShmFile, SealAndSizeSealsAnUnsealedMemfd) {
  UniqueFd fd(memfd_create("u", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  ASSERT_EQ(ftruncate(fd.get(), 100), 0);
  auto size = seal_and_size(fd.get());
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 100u);
  EXPECT_NE(ftruncate(fd.get(), 10), 0);
}

TEST(ShmFile, SealAndSizeRejectsNonSealable) {
  UniqueFd fd(memfd_create("n", MFD_CLOEXEC));  // no MFD_ALLOW_SEALING
  auto r = seal_and_size(fd.get());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EINVAL);
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd a(p[0]), b(p[1]);
  EXPECT_FALSE(seal_and_size(a.get()).ok());
}

TEST(ShmFile, RangeCopiesAreWholeOrAnError) {
  auto fd = create_sealed_memfd("t", 64);
  ASSERT_TRUE(fd.ok());
  const uint8_t in[5] = {'s', 'w', 't', 'e', 'e'};
  ASSERT_TRUE(shm_pwrite(fd->get(), in, 59, "t").ok());
  uint8_t out[5] = {};
  ASSERT_TRUE(shm_pread(fd->get(), out, 59, "t").ok());
  EXPECT_EQ(std::memcmp(in, out, sizeof(in)), 0);
  // Past the sealed size: reading finds the end, writing may not grow it.
  EXPECT_EQ(shm_pread(fd->get(), out, 60, "t").error().code, EIO);
  EXPECT_FALSE(shm_pwrite(fd->get(), in, 60, "t").ok());
  EXPECT_EQ(shm_pread(-1, out, 0, "t").error().code, EBADF);
}

TEST(ShmFile, ZeroSizeMappingIsEmpty) {
  auto fd = create_sealed_memfd("z", 0);
  ASSERT_TRUE(fd.ok());
  auto m = Mapping::map(fd->get(), 0);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->size(), 0u);
}

}  // namespace
}  // namespace swtee
