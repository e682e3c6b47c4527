// TEE_CheckMemoryAccessRights on real memory of this process: the futex
// probe must agree with the page permissions the test sets up.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "common/shm_file.h"
#include "ta_runtime/memory_probe.h"
#include "ta_runtime/shared_ranges.h"
#include "ta_runtime/shm_cache.h"
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
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | 0x100, b, 1), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | TEE_MEMORY_ACCESS_SECURE | TEE_MEMORY_ACCESS_NONSECURE, b, 1),
            TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | TEE_MEMORY_ACCESS_SECURE, b, 1), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | TEE_MEMORY_ACCESS_NONSECURE, b, 1), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(__GP11_TEE_CheckMemoryAccessRights(RW, b, sizeof(b)), TEE_SUCCESS);
}

TEST(MemoryAccess, ClientShmNeedsAnyOwner) {
  auto fd = create_sealed_memfd("test-shm", 3 * page());
  ASSERT_TRUE(fd.ok());
  ShmCache cache;
  const size_t before = shared_ranges().size();
  ASSERT_TRUE(cache.add(42, std::move(*fd)).ok());
  EXPECT_EQ(shared_ranges().size(), before + 1);
  auto mem = cache.resolve(42, 0, 3 * page());
  ASSERT_TRUE(mem.ok());
  uint8_t* m = *mem;
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R, m + 10, 10), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW, m, 3 * page()), TEE_ERROR_ACCESS_DENIED);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY, m + 10, 10), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(RW | ANY, m, 3 * page()), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY | TEE_MEMORY_ACCESS_NONSECURE, m, 8), TEE_SUCCESS);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(R | ANY | TEE_MEMORY_ACCESS_SECURE, m, 8), TEE_ERROR_ACCESS_DENIED);
  cache.flush();
  EXPECT_EQ(shared_ranges().size(), before);
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

TEST(ShmCacheRanges, ReplacingACookieMovesItsRegistration) {
  const size_t before = shared_ranges().size();
  ShmCache cache;
  auto fd1 = create_sealed_memfd("shm-a", 4096);
  auto fd2 = create_sealed_memfd("shm-b", 8192);
  ASSERT_TRUE(fd1.ok() && fd2.ok());
  ASSERT_TRUE(cache.add(7, std::move(*fd1)).ok());
  uint8_t* first = *cache.resolve(7, 0, 4096);
  ASSERT_TRUE(cache.add(7, std::move(*fd2)).ok());  // re-registered cookie
  uint8_t* second = *cache.resolve(7, 0, 8192);
  EXPECT_EQ(shared_ranges().size(), before + 1);
  EXPECT_TRUE(shared_ranges().first_overlap(reinterpret_cast<uintptr_t>(second),
                                            reinterpret_cast<uintptr_t>(second) + 8192));
  if (first != second) {
    EXPECT_FALSE(shared_ranges().first_overlap(reinterpret_cast<uintptr_t>(first),
                                               reinterpret_cast<uintptr_t>(first) + 4096));
  }
  auto empty = create_sealed_memfd("shm-empty", 0);  // a 0-byte shm maps nothing
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(cache.add(8, std::move(*empty)).ok());
  EXPECT_EQ(shared_ranges().size(), before + 1);
  cache.flush();
  EXPECT_EQ(shared_ranges().size(), before);
}

}  // namespace
}  // namespace swtee::ta
