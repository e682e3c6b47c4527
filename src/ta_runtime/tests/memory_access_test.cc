// TEE_CheckMemoryAccessRights on real memory of this process: the futex
// probe must agree with the page permissions the test sets up.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "common/shm_file.h"
#include "ta_runtime/memory_probe.h"
#include "ta_runtime/memref_windows.h"
#include "ta_runtime/shared_ranges.h"
#include "tee_api_defines_extensions.h"
#include "tee_internal_api.h"

namespace swtee::ta {
namespace {

constexpr uint32_t R = TEE_MEMORY_ACCESS_READ;
constexpr uint32_t W = TEE_MEMORY_ACCESS_WRITE;
constexpr uint32_t RW = R | W;
constexpr uint32_t ANY = TEE_MEMORY_ACCESS_ANY_OWNER;

const char kRodata[] = "read-only data of the test binary";
int g_data = 7;

size_t page() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)); }

// Three pages: RW, R, NONE.
struct Pages {
  Pages() {
    base = static_cast<uint8_t*>(
        ::mmap(nullptr, 3 * page(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ::mprotect(base + page(), page(), PROT_READ);
    ::mprotect(base + 2 * page(), page(), PROT_NONE);
  }
  ~Pages() { ::munmap(base, 3 * page()); }
  uint8_t* base;
};

TEST(MemoryAccess, PrivateMemoryByPermission) {
  uint8_t stack[64] = {};
  void* heap = std::malloc(100);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW, stack, sizeof(stack)), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW, heap, 100), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW | ANY, heap, 100), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW, &g_data, sizeof(g_data)), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, const_cast<char*>(kRodata), sizeof(kRodata)), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(W, const_cast<char*>(kRodata), sizeof(kRodata)),
            TEE_ERROR_ACCESS_DENIED);
  auto* code = reinterpret_cast<void*>(&TEE_CheckMemoryAccessRights);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, code, 16), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(W, code, 16), TEE_ERROR_ACCESS_DENIED);
  std::free(heap);
}

TEST(MemoryAccess, PageGranularPermissions) {
  Pages p;
  const size_t ps = page();
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW, p.base, ps), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, p.base, 2 * ps), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(W, p.base, ps + 1), TEE_ERROR_ACCESS_DENIED);  // one byte into R
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, p.base + ps + 7, 3), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, p.base + 2 * ps - 1, 2), TEE_ERROR_ACCESS_DENIED);  // into NONE
  EXPECT_EQ(TEE_CheckMemoryAccessRights(0, p.base + 2 * ps, 1), TEE_ERROR_ACCESS_DENIED);  // flags 0: mapped?
  // The RW page keeps its content: the write probe changes nothing.
  p.base[5] = 0xA5;
  EXPECT_EQ(TEE_CheckMemoryAccessRights(W, p.base, 8), TEE_SUCCESS);
  EXPECT_EQ(p.base[5], 0xA5);
  ::munmap(p.base + ps, ps);  // a hole
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, p.base, 2 * ps), TEE_ERROR_ACCESS_DENIED);
}

TEST(MemoryAccess, BadRangesAndFlags) {
  uint8_t b[8] = {};
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, nullptr, 1), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, b, SIZE_MAX), TEE_ERROR_ACCESS_DENIED);  // wraps
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, reinterpret_cast<void*>(UINTPTR_MAX - 3), 8),
            TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, b, 0), TEE_SUCCESS);
  // Undefined flag bits are ignored, as OP-TEE ignores them.
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | 0x100, b, 1), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | 0x100, nullptr, 1), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | TEE_MEMORY_ACCESS_SECURE | TEE_MEMORY_ACCESS_NONSECURE, b, 1),
            TEE_ERROR_ACCESS_DENIED);
  // An empty range is SUCCESS before any flag is looked at (OP-TEE).
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | TEE_MEMORY_ACCESS_SECURE | TEE_MEMORY_ACCESS_NONSECURE, b, 0),
            TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | TEE_MEMORY_ACCESS_SECURE, b, 1), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | TEE_MEMORY_ACCESS_NONSECURE, b, 1), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(__GP11_TEE_CheckMemoryAccessRights(RW, b, sizeof(b)), TEE_SUCCESS);
}

TEST(MemoryAccess, ClientShmNeedsAnyOwner) {
  auto fd = create_sealed_memfd("test-shm", 3 * page());
  ASSERT_TRUE(fd.ok());
  const size_t before = shared_ranges().size();
  MemrefWindows windows;
  ASSERT_TRUE(windows.adopt(0, 1, std::move(*fd)).ok());
  auto mem = windows.buffer(0, 1, 3 * page());
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(shared_ranges().size(), before + 1);
  uint8_t* m = *mem;
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, m + 10, 10), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW, m, 3 * page()), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY, m + 10, 10), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW | ANY, m, 3 * page()), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY | TEE_MEMORY_ACCESS_NONSECURE, m, 8), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY | TEE_MEMORY_ACCESS_SECURE, m, 8), TEE_ERROR_ACCESS_DENIED);
  windows.trim(0);  // one granule: kept
  EXPECT_EQ(shared_ranges().size(), before + 1);
}

TEST(MemoryAccess, OnlyTheMemrefsPagesOfAWindowPass) {
  // The OS's end of the window: it sizes the file to each call's memref.
  UniqueFd os(::memfd_create("test-win", MFD_CLOEXEC));
  ASSERT_TRUE(os);
  UniqueFd ta(::fcntl(os.get(), F_DUPFD_CLOEXEC, 0));
  MemrefWindows windows;
  ASSERT_TRUE(windows.adopt(1, 1, std::move(ta)).ok());
  ASSERT_EQ(::ftruncate(os.get(), 100), 0);
  auto mem = windows.buffer(1, 1, 100);
  ASSERT_TRUE(mem.ok());
  uint8_t* m = *mem;
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW | ANY, m, 100), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW | ANY, m, page()), TEE_SUCCESS) << "the rest of its last page";
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY, m, page() + 1), TEE_ERROR_ACCESS_DENIED)
      << "the next page is not the memref's";
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY, m + 2 * page(), 8), TEE_ERROR_ACCESS_DENIED);
  // The next call's memref is longer: so is what passes.
  ASSERT_EQ(::ftruncate(os.get(), static_cast<off_t>(2 * page() + 1)), 0);
  mem = windows.buffer(1, 1, 2 * page() + 1);
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY, *mem, 3 * page()), TEE_SUCCESS);
  ASSERT_EQ(::ftruncate(os.get(), 0), 0);
  mem = windows.buffer(1, 1, 0);
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY, *mem, 1), TEE_ERROR_ACCESS_DENIED) << "a 0-byte memref";
}

TEST(MemoryAccess, AnInputWindowIsReadOnly) {
  auto fd = create_sealed_memfd("test-in", page());
  ASSERT_TRUE(fd.ok());
  MemrefWindows windows;
  ASSERT_TRUE(windows.adopt(2, 0, std::move(*fd)).ok());
  auto mem = windows.buffer(2, 0, page());
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY, *mem, page()), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW | ANY, *mem, page()), TEE_ERROR_ACCESS_DENIED);
}

TEST(MemoryAccess, RangeAcrossPrivateAndShared) {
  // Private RW page directly followed by a registered read-only TA range.
  Pages p;
  const size_t ps = page();
  ASSERT_TRUE(shared_ranges().add(p.base + ps, ps, /*writable=*/false, RangeOwner::Ta).ok());
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, p.base, 2 * ps), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY, p.base, 2 * ps), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW | ANY, p.base, 2 * ps), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY | TEE_MEMORY_ACCESS_SECURE, p.base, 2 * ps), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW, p.base, ps), TEE_SUCCESS);  // private part alone
  EXPECT_TRUE(shared_ranges().remove(p.base + ps));
}

TEST(MemoryProbe, ZeroAndWrap) {
  EXPECT_TRUE(probe_memory(0x1000, 0, true));
  EXPECT_FALSE(probe_memory(UINTPTR_MAX - 1, 4, false));
  EXPECT_FALSE(probe_memory(0, 4, false));
}

}  // namespace
}  // namespace swtee::ta

namespace swtee::ta {
namespace {

TEST(MemrefWindowRanges, RemapsMoveTheRegistrationAndTrimDropsLargeOnes) {
  const size_t before = shared_ranges().size();
  const uint64_t granule = tachan::kWindowMapGranule;
  MemrefWindows windows;
  EXPECT_FALSE(windows.buffer(0, 0, 16).ok()) << "never sent";
  EXPECT_FALSE(windows.adopt(4, 0, UniqueFd{}).ok());
  auto fd = create_sealed_memfd("win", 0);
  ASSERT_TRUE(fd.ok());
  ASSERT_TRUE(windows.adopt(1, 1, std::move(*fd)).ok());
  auto small = windows.buffer(1, 1, 0);  // a 0-byte memref still has an address
  ASSERT_TRUE(small.ok());
  EXPECT_NE(*small, nullptr);
  EXPECT_EQ(windows.mapped_bytes(), granule);
  EXPECT_EQ(*windows.buffer(1, 1, 4096), *small) << "same granule count: no remap";
  auto big = windows.buffer(1, 1, granule + 1);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(windows.mapped_bytes(), 2 * granule);
  EXPECT_EQ(shared_ranges().size(), before + 1) << "one registration, moved with the mapping";
  EXPECT_TRUE(shared_ranges().first_overlap(reinterpret_cast<uintptr_t>(*big),
                                            reinterpret_cast<uintptr_t>(*big) + 2 * granule));
  windows.trim(1u << (1 * tachan::kNumWindowDirs + 1));  // in use: kept
  EXPECT_EQ(windows.mapped_bytes(), 2 * granule);
  windows.trim(0);  // not in use and larger than a granule: dropped
  EXPECT_EQ(windows.mapped_bytes(), 0u);
  EXPECT_EQ(shared_ranges().size(), before);
  EXPECT_FALSE(windows.buffer(1, 1, tachan::kMaxCallMemrefBytes + 1).ok());
}

}  // namespace
}  // namespace swtee::ta
