// MemrefWindows (OS side): what a TA can reach of a call's memrefs. Each
// test plays the TA with the fds stage() hands out.
#include "os/ta_manager/memref_windows.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "common/shm_file.h"
#include "protocol/ta_channel_codec.h"
#include "test_shm.h"

namespace swtee::os {
namespace {

std::shared_ptr<PhysShm> make_shm(uint64_t size, uint8_t fill) { return make_test_shm(1, size, fill); }

// One call's staging: the request and the fds handed to the TA.
struct Staged {
  tachan::TaRequest req{};
  std::vector<int> fds;
};

Staged stage_ok(MemrefWindows& w, const OsParams& p) {
  Staged s;
  EXPECT_TRUE(w.stage(p, s.req, s.fds).ok());
  return s;
}

off_t file_size(int fd) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0);
  return st.st_size;
}

tachan::TaReply ok_reply(size_t index, uint64_t size) {
  tachan::TaReply r{};
  r.params[index].a = size;
  return r;
}

TEST(MemrefWindows, InputIsACopyTheTaCannotMakeWritable) {
  MemrefWindows w;
  auto shm = make_shm(3 * 4096, 0x11);
  std::memcpy(shm->map.data() + 4096, "secret-input", 12);
  OsParams p{};
  p[1] = OsParam{OsParamType::MemrefInput, 0, 0, shm, 4096, 12};
  auto [req, fds] = stage_ok(w, p);
  ASSERT_EQ(fds.size(), 1u);
  EXPECT_EQ(req.params[1].flags, tachan::kParamFdAttached);
  EXPECT_EQ(req.params[1].present, 1u);
  EXPECT_EQ(req.params[1].a, 0u);
  EXPECT_EQ(req.params[1].b, 12u);
  const int ta_fd = fds[0];
  EXPECT_EQ(::fcntl(ta_fd, F_GETFL) & O_ACCMODE, O_RDONLY);
  EXPECT_EQ(file_size(ta_fd), 12) << "only the memref's bytes, not the rest of the shm";
  // The TA's view: a read-only mapping that holds the memref at offset 0.
  void* rw = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ta_fd, 0);
  EXPECT_EQ(rw, MAP_FAILED);
  EXPECT_EQ(errno, EACCES);
  auto* ro = static_cast<uint8_t*>(::mmap(nullptr, 4096, PROT_READ, MAP_SHARED, ta_fd, 0));
  ASSERT_NE(ro, MAP_FAILED);
  EXPECT_EQ(std::memcmp(ro, "secret-input", 12), 0);
  EXPECT_NE(::mprotect(ro, 4096, PROT_READ | PROT_WRITE), 0);
  EXPECT_EQ(errno, EACCES);
  EXPECT_EQ(::ftruncate(ta_fd, 1 << 20), -1) << "nor can the TA grow it";
  ASSERT_TRUE(w.finish(req, nullptr, &p).ok());
  ::munmap(ro, 4096);
}

TEST(MemrefWindows, AfterTheCallTheTaHoldsOnlyItsCopy) {
  MemrefWindows w;
  auto shm = make_shm(4096, 0x22);
  OsParams p{};
  p[0] = OsParam{OsParamType::MemrefInout, 0, 0, shm, 0, 4096};
  auto [req, fds] = stage_ok(w, p);
  ASSERT_EQ(fds.size(), 1u);
  auto* m =
      static_cast<volatile uint8_t*>(::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0));
  ASSERT_NE(m, MAP_FAILED);
  EXPECT_EQ(m[10], 0x22);
  tachan::TaReply rep = ok_reply(0, 4096);
  ASSERT_TRUE(w.finish(req, &rep, &p).ok());
  // The client writes a secret there afterwards, for someone else.
  std::memset(shm->map.data(), 0xC7, 4096);
  EXPECT_EQ(m[10], 0x22) << "the TA's window is not the client's memory";
  m[10] = 1;
  EXPECT_EQ(shm->map.data()[10], 0xC7) << "a write after the call goes nowhere";
  ::munmap(const_cast<uint8_t*>(m), 4096);
}

// The TA gets a window's fd with the first call and keeps it: on that
// call, *ta_fd becomes a dup of the one fd sent; later calls send none.
void keep_ta_fd(const std::vector<int>& fds, int* ta_fd) {
  if (*ta_fd < 0) {
    ASSERT_EQ(fds.size(), 1u);
    *ta_fd = ::fcntl(fds[0], F_DUPFD_CLOEXEC, 0);
  } else {
    EXPECT_TRUE(fds.empty()) << "the TA has the window already";
  }
}

// The TA's view of an input window: a fresh read-only mapping of its fd,
// compared with the shm's bytes at the memref.
void expect_ta_sees(int ta_fd, const PhysShm& shm, uint64_t size) {
  ASSERT_EQ(file_size(ta_fd), static_cast<off_t>(size));
  auto* ro = static_cast<uint8_t*>(::mmap(nullptr, size, PROT_READ, MAP_SHARED, ta_fd, 0));
  ASSERT_NE(ro, MAP_FAILED);
  EXPECT_EQ(std::memcmp(ro, shm.map.data(), size), 0);
  ::munmap(ro, size);
}

TEST(MemrefWindows, AKeptInputWindowIsCopiedThroughTheMappingAndArrivesWhole) {
  MemrefWindows w;
  auto shm = make_shm(3 * 4096, 0);
  OsParams p{};
  int ta_fd = -1;
  uint64_t expected_mapped = 0;
  uint8_t fill = 1;
  // Sizes in order, and whether that call's copy may go through the map:
  // only when the window kept the size of the call before.
  const std::pair<uint64_t, bool> calls[] = {{4096, false}, {4096, true},  {4096, true}, {100, false},
                                             {100, true},   {8192, false}, {8192, true}, {4096, false}};
  for (const auto& [size, mapped] : calls) {
    std::memset(shm->map.data(), fill++, shm->size);
    shm->map.data()[size - 1] = fill;  // the last byte differs from the rest
    p[2] = OsParam{OsParamType::MemrefInput, 0, 0, shm, 0, size};
    auto [req, fds] = stage_ok(w, p);
    ASSERT_NO_FATAL_FAILURE(keep_ta_fd(fds, &ta_fd));
    if (mapped) ++expected_mapped;
    EXPECT_EQ(w.mapped_copies(), expected_mapped) << "call of " << size << " bytes";
    expect_ta_sees(ta_fd, *shm, size);
    ASSERT_TRUE(w.finish(req, nullptr, &p).ok());
  }
  ::close(ta_fd);
}

TEST(MemrefWindows, AKeptInoutWindowIsSealedAndCopiedThroughTheMappingBothWays) {
  MemrefWindows w;
  auto shm = make_shm(4096, 0x31);
  OsParams p{};
  p[0] = OsParam{OsParamType::MemrefInout, 0, 0, shm, 0, 4096};
  int ta_fd = -1;
  for (int i = 0; i < 3; ++i) {
    std::memset(shm->map.data(), 0x31 + i, 4096);
    auto [req, fds] = stage_ok(w, p);
    ASSERT_NO_FATAL_FAILURE(keep_ta_fd(fds, &ta_fd));
    if (i == 0) EXPECT_EQ(::fcntl(ta_fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_SEAL);
    auto* m = static_cast<uint8_t*>(::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ta_fd, 0));
    ASSERT_NE(m, MAP_FAILED);
    EXPECT_EQ(m[4095], 0x31 + i) << "call " << i;
    std::memset(m, 0xA0 + i, 4096);  // the TA's answer
    ::munmap(m, 4096);
    tachan::TaReply rep = ok_reply(0, 4096);
    ASSERT_TRUE(w.finish(req, &rep, &p).ok());
    EXPECT_EQ(shm->map.data()[0], 0xA0 + i);
    EXPECT_EQ(shm->map.data()[4095], 0xA0 + i);
  }
  // In: the first call pwrite, then two through the map; out: all three.
  EXPECT_EQ(w.mapped_copies(), 5u);
  ::close(ta_fd);
}

TEST(MemrefWindows, TheTaCannotShrinkOrSealAKeptOutputWindow) {
  MemrefWindows w;
  auto shm = make_shm(4096, 0);
  OsParams p{};
  p[0] = OsParam{OsParamType::MemrefOutput, 0, 0, shm, 0, 4096};
  auto [req, fds] = stage_ok(w, p);
  ASSERT_EQ(fds.size(), 1u);
  EXPECT_EQ(::ftruncate(fds[0], 10), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(::fcntl(fds[0], F_ADD_SEALS, F_SEAL_GROW), -1) << "no seal of its own either";
  EXPECT_EQ(errno, EPERM);
  auto* m = static_cast<uint8_t*>(::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0));
  ASSERT_NE(m, MAP_FAILED);
  std::memset(m, 0x5A, 4096);
  ::munmap(m, 4096);
  tachan::TaReply rep = ok_reply(0, 4096);
  ASSERT_TRUE(w.finish(req, &rep, &p).ok());
  EXPECT_EQ(shm->map.data()[4095], 0x5A);
}

TEST(MemrefWindows, ASealedOutputWindowThatMustShrinkIsReplacedOnceThenResizedInPlace) {
  MemrefWindows w;
  auto shm = make_shm(16 * 4096, 0);
  OsParams p{};
  p[1] = OsParam{OsParamType::MemrefOutput, 0, 0, shm, 0, 2 * 4096};
  auto first = stage_ok(w, p);
  ASSERT_EQ(first.fds.size(), 1u);
  EXPECT_EQ(::fcntl(first.fds[0], F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_SEAL);
  const int old_fd = ::fcntl(first.fds[0], F_DUPFD_CLOEXEC, 0);
  ASSERT_EQ(::ftruncate(first.fds[0], 8 * 4096), 0) << "growing is allowed";
  tachan::TaReply rep = ok_reply(1, 2 * 4096);
  ASSERT_TRUE(w.finish(first.req, &rep, &p).ok());
  // The next call cannot shrink it back: a new window goes with it, and
  // from then on this slot's windows are not sealed.
  auto second = stage_ok(w, p);
  ASSERT_EQ(second.fds.size(), 1u) << "a fresh window for the TA";
  EXPECT_EQ(::fcntl(second.fds[0], F_GET_SEALS), F_SEAL_SEAL) << "no shrink seal any more";
  EXPECT_EQ(file_size(w.window_fd(1, 1)), 2 * 4096);
  auto* m =
      static_cast<volatile uint8_t*>(::mmap(nullptr, 4 * 4096, PROT_READ, MAP_SHARED, second.fds[0], 0));
  ASSERT_NE(m, MAP_FAILED);
  EXPECT_DEATH((void)m[2 * 4096], "") << "past the memref's last page, as ever";
  ASSERT_TRUE(w.finish(second.req, &rep, &p).ok());
  // A smaller memref: the same window, resized in place, still exact.
  p[1].size = 100;
  auto third = stage_ok(w, p);
  EXPECT_TRUE(third.fds.empty()) << "no new window for a size change any more";
  EXPECT_EQ(file_size(w.window_fd(1, 1)), 100);
  EXPECT_DEATH((void)m[4096], "") << "the page past the smaller memref is gone";
  rep = ok_reply(1, 100);
  ASSERT_TRUE(w.finish(third.req, &rep, &p).ok());
  ::munmap(const_cast<uint8_t*>(m), 4 * 4096);
  EXPECT_EQ(file_size(old_fd), 8 * 4096) << "the TA's old window is its own";
  ::close(old_fd);
}

TEST(MemrefWindows, AnOutputThatOnlyGrowsStaysSealed) {
  MemrefWindows w;
  auto shm = make_shm(16 * 4096, 0);
  OsParams p{};
  int ta_fd = -1;
  for (uint64_t size : {100u, 4096u, 3 * 4096u}) {
    p[1] = OsParam{OsParamType::MemrefOutput, 0, 0, shm, 0, size};
    auto [req, fds] = stage_ok(w, p);
    ASSERT_NO_FATAL_FAILURE(keep_ta_fd(fds, &ta_fd));
    EXPECT_EQ(file_size(ta_fd), static_cast<off_t>(size));
    ASSERT_TRUE(w.finish(req, nullptr, &p).ok());
  }
  EXPECT_EQ(::fcntl(ta_fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_SEAL);
  ::close(ta_fd);
}

TEST(MemrefWindows, LargeWindowsGiveTheirPagesBack) {
  MemrefWindows w;
  const uint64_t big = MemrefWindows::kKeepBytes + 4096;
  auto shm = make_shm(big, 0x23);
  OsParams p{};
  p[3] = OsParam{OsParamType::MemrefInput, 0, 0, shm, 0, big};
  auto [req, fds] = stage_ok(w, p);
  ASSERT_EQ(fds.size(), 1u);
  auto* m = static_cast<volatile uint8_t*>(::mmap(nullptr, big, PROT_READ, MAP_SHARED, fds[0], 0));
  ASSERT_NE(m, MAP_FAILED);
  EXPECT_EQ(m[big - 1], 0x23);
  ASSERT_TRUE(w.finish(req, nullptr, &p).ok());
  EXPECT_EQ(file_size(w.window_fd(3, 0)), 0);
  EXPECT_DEATH((void)m[0], "") << "no pages left behind the mapping";
  ::munmap(const_cast<uint8_t*>(m), big);
}

TEST(MemrefWindows, PastTheMemrefsLastPageFaults) {
  MemrefWindows w;
  auto shm = make_shm(16 * 4096, 0x33);
  OsParams p{};
  p[0] = OsParam{OsParamType::MemrefInput, 0, 0, shm, 0, 4096 + 10};
  auto [req, fds] = stage_ok(w, p);
  auto* m = static_cast<volatile uint8_t*>(::mmap(nullptr, 16 * 4096, PROT_READ, MAP_SHARED, fds[0], 0));
  ASSERT_NE(m, MAP_FAILED);
  EXPECT_EQ(m[4096 + 9], 0x33);
  EXPECT_EQ(m[4096 + 100], 0) << "the rest of the memref's last page reads zero, not the client's bytes";
  EXPECT_DEATH((void)m[2 * 4096], "") << "the next page is not there";
  ASSERT_TRUE(w.finish(req, nullptr, &p).ok());
  // A smaller memref in the same window: the pages past it go.
  p[0].size = 100;
  auto again = stage_ok(w, p);
  EXPECT_TRUE(again.fds.empty());
  EXPECT_EQ(m[99], 0x33);
  EXPECT_DEATH((void)m[4096], "") << "the page past the new memref is gone";
  ASSERT_TRUE(w.finish(again.req, nullptr, &p).ok());
  ::munmap(const_cast<uint8_t*>(m), 16 * 4096);
}

TEST(MemrefWindows, OutputsGoBackAsFarAsReportedAndNotPastTheBuffer) {
  MemrefWindows w;
  auto shm = make_shm(4096, 0x44);
  OsParams p{};
  p[2] = OsParam{OsParamType::MemrefOutput, 0, 0, shm, 100, 64};
  auto [req, fds] = stage_ok(w, p);
  ASSERT_EQ(fds.size(), 1u);
  EXPECT_EQ(file_size(fds[0]), 64);
  auto* m = static_cast<uint8_t*>(::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0));
  ASSERT_NE(m, MAP_FAILED);
  EXPECT_EQ(m[0], 0) << "an output starts zeroed, not with the client's bytes";
  std::memset(m, 0x55, 64);
  tachan::TaReply rep = ok_reply(2, 10);
  ASSERT_TRUE(w.finish(req, &rep, &p).ok());
  EXPECT_EQ(shm->map.data()[100], 0x55);
  EXPECT_EQ(shm->map.data()[109], 0x55);
  EXPECT_EQ(shm->map.data()[110], 0x44) << "past the reported size the client's bytes stay";
  // A report of the size needed (SHORT_BUFFER) copies nothing back.
  req = {};
  fds.clear();
  ASSERT_TRUE(w.stage(p, req, fds).ok());
  EXPECT_TRUE(fds.empty()) << "the TA keeps the window it was given";
  EXPECT_EQ(req.params[2].flags, 0u);
  std::memset(m, 0x66, 64);
  rep = ok_reply(2, 128);
  rep.ret = 0xFFFF0010;  // TEE_ERROR_SHORT_BUFFER
  ASSERT_TRUE(w.finish(req, &rep, &p).ok());
  EXPECT_EQ(shm->map.data()[100], 0x55);
  // Any other result: the reported bytes go back (as optee_client does).
  req = {};
  fds.clear();
  ASSERT_TRUE(w.stage(p, req, fds).ok());
  std::memset(m, 0x77, 64);
  rep = ok_reply(2, 4);
  rep.ret = 0xFFFF0000;  // TEE_ERROR_GENERIC
  ASSERT_TRUE(w.finish(req, &rep, &p).ok());
  EXPECT_EQ(shm->map.data()[103], 0x77);
  EXPECT_EQ(shm->map.data()[104], 0x55);
  ::munmap(m, 4096);
}

TEST(MemrefWindows, AnOutputWindowTheTaShrankIsAnError) {
  // Over kKeepBytes, an output window is not sealed (its pages go after
  // each call), so the TA can shrink it.
  MemrefWindows w;
  const uint64_t big = MemrefWindows::kKeepBytes + 4096;
  auto shm = make_shm(big, 0);
  OsParams p{};
  p[0] = OsParam{OsParamType::MemrefOutput, 0, 0, shm, 0, big};
  auto [req, fds] = stage_ok(w, p);
  ASSERT_EQ(::ftruncate(fds[0], 10), 0);
  tachan::TaReply rep = ok_reply(0, big);
  auto s = w.finish(req, &rep, &p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EIO);
  auto again = stage_ok(w, p);
  EXPECT_EQ(file_size(w.window_fd(0, 1)), static_cast<off_t>(big)) << "the next call sizes it again";
  ASSERT_TRUE(w.finish(again.req, nullptr, &p).ok());
}

TEST(MemrefWindows, RefusesOutOfRangeAndOversizedCalls) {
  MemrefWindows w;
  auto shm = make_shm(4096, 0);
  OsParams p{};
  p[0] = OsParam{OsParamType::MemrefInput, 0, 0, shm, 4000, 200};
  tachan::TaRequest req{};
  std::vector<int> fds;
  auto s = w.stage(p, req, fds);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EINVAL);
  EXPECT_TRUE(fds.empty());
  // Two memrefs over kMaxCallMemrefBytes together (a sparse shm: no memory).
  const uint64_t half = tachan::kMaxCallMemrefBytes / 2 + 4096;
  auto big = make_test_shm(2, half);  // fill 0: nothing is touched
  p[0] = OsParam{OsParamType::MemrefInput, 0, 0, big, 0, half};
  p[1] = OsParam{OsParamType::MemrefOutput, 0, 0, big, 0, half};
  s = w.stage(p, req, fds);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, E2BIG);
  EXPECT_TRUE(fds.empty());
}

TEST(MemrefWindows, NullAndValueParamsNeedNoWindow) {
  MemrefWindows w;
  OsParams p{};
  p[0] = OsParam{OsParamType::MemrefOutput, 0, 0, nullptr, 0, 77};  // size query
  p[1] = OsParam{OsParamType::ValueInout, 5, 6, nullptr, 0, 0};
  auto [req, fds] = stage_ok(w, p);
  EXPECT_TRUE(fds.empty());
  EXPECT_EQ(req.params[0].present, 0u);
  EXPECT_EQ(req.params[0].b, 77u);
  EXPECT_EQ(req.params[1].a, 5u);
  EXPECT_EQ(req.params[1].b, 6u);
  EXPECT_EQ(w.window_fd(0, 1), -1);
  ASSERT_TRUE(w.finish(req, nullptr, &p).ok());
}

}  // namespace
}  // namespace swtee::os
