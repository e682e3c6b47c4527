// Shared memory: allocate / register / register-fd / release, the temporary
// buffer cache, and several threads on one context.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "common/shm_file.h"
#include "libteec/tests/teec_fixture.h"

namespace swtee::teec::testing {
namespace {

using TeecShm = TeecFixture;

TEST_F(TeecShm, FlagsMustBeNonZeroAndOnlyInOut) {
  for (uint32_t flags : {0u, 4u, TEEC_MEM_INPUT | 0x100u}) {
    TEEC_SharedMemory shm{};
    shm.size = 8;
    shm.flags = flags;
    EXPECT_EQ(TEEC_AllocateSharedMemory(&ctx_, &shm), TEEC_ERROR_BAD_PARAMETERS) << flags;
    char buf[8];
    shm.buffer = buf;
    EXPECT_EQ(TEEC_RegisterSharedMemory(&ctx_, &shm), TEEC_ERROR_BAD_PARAMETERS) << flags;
  }
  EXPECT_EQ(fake_->allocs(), 0);
}

TEST_F(TeecShm, RegisterNeedsBufferAndArguments) {
  TEEC_SharedMemory shm{};
  shm.size = 8;
  shm.flags = TEEC_MEM_INPUT;
  EXPECT_EQ(TEEC_RegisterSharedMemory(&ctx_, &shm), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(TEEC_RegisterSharedMemory(nullptr, &shm), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(TEEC_AllocateSharedMemory(&ctx_, nullptr), TEEC_ERROR_BAD_PARAMETERS);
}

TEST_F(TeecShm, AllocateMapsZeroedMemoryAndReleaseDropsIt) {
  TEEC_SharedMemory shm{};
  shm.size = 5000;
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(&ctx_, &shm), TEEC_SUCCESS);
  ASSERT_NE(shm.buffer, nullptr);
  EXPECT_EQ(shm.size, 5000u);
  EXPECT_GE(shm.imp.alloced_size, 5000u);
  const auto* p = static_cast<const uint8_t*>(shm.buffer);
  for (size_t i = 0; i < shm.size; ++i) ASSERT_EQ(p[i], 0);
  EXPECT_EQ(fake_->live_shms(), 1u);
  TEEC_ReleaseSharedMemory(&shm);
  EXPECT_EQ(shm.buffer, nullptr);
  EXPECT_EQ(shm.imp.id, -1);
  EXPECT_EQ(fake_->live_shms(), 0u);
  EXPECT_EQ(fake_->releases(), 1);
  TEEC_ReleaseSharedMemory(&shm);  // second release: no-op
  TEEC_ReleaseSharedMemory(nullptr);
  EXPECT_EQ(fake_->releases(), 1);
}

// OP-TEE's libteec answers OUT_OF_MEMORY (origin API) for shared memory it
// cannot get, whatever SHM_ALLOC's errno was; so do allocations, shadowed
// registrations and temporary memrefs here.
TEST_F(TeecShm, SharedMemoryThatCannotBeHadIsOutOfMemory) {
  uint32_t origin = 0;
  char buf[16] = {};
  for (int err : {ENOSPC, ENOMEM, EPERM, EINVAL}) {
    fake_->fail_shm_alloc(err);
    TEEC_SharedMemory shm{};
    shm.size = 16;
    shm.flags = TEEC_MEM_INPUT;
    EXPECT_EQ(TEEC_AllocateSharedMemory(&ctx_, &shm), TEEC_ERROR_OUT_OF_MEMORY) << err;
    shm.buffer = buf;
    EXPECT_EQ(TEEC_RegisterSharedMemory(&ctx_, &shm), TEEC_ERROR_OUT_OF_MEMORY) << err;
    TEEC_Operation op{};
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
    op.params[0].tmpref = {buf, sizeof(buf)};
    origin = 0;
    EXPECT_EQ(TEEC_InvokeCommand(&sess_, 1, &op, &origin), TEEC_ERROR_OUT_OF_MEMORY) << err;
    EXPECT_EQ(origin, TEEC_ORIGIN_API);
  }
  fake_->fail_shm_alloc(0);
}

TEST_F(TeecShm, ZeroSizeIsAllocatedAsEightBytes) {
  TEEC_SharedMemory shm{};
  shm.size = 0;
  shm.flags = TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(&ctx_, &shm), TEEC_SUCCESS);
  EXPECT_EQ(shm.size, 0u);
  EXPECT_EQ(shm.imp.alloced_size, 8u);
  TEEC_ReleaseSharedMemory(&shm);

  char byte = 0;
  shm = TEEC_SharedMemory{};
  shm.buffer = &byte;
  shm.flags = TEEC_MEM_INPUT;
  ASSERT_EQ(TEEC_RegisterSharedMemory(&ctx_, &shm), TEEC_SUCCESS);
  EXPECT_EQ(shm.imp.alloced_size, 8u);
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecShm, RegisterFileDescriptorTakesSizeFromTheMemfd) {
  auto fd = create_sealed_memfd("client", 12288);
  ASSERT_TRUE(fd.ok());
  TEEC_SharedMemory shm{};
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx_, &shm, fd->get()), TEEC_SUCCESS);
  EXPECT_EQ(shm.buffer, nullptr);
  EXPECT_EQ(shm.size, 12288u);
  // Usable as a memref: the TA sees the client's own memfd.
  auto map = Mapping::map(fd->get(), 12288);
  ASSERT_TRUE(map.ok());
  std::memcpy(map->data() + 100, "fd", 2);
  std::string seen;
  fake_->set_handler([&](CallRecord& r) {
    auto bytes = fake_->shm_bytes(static_cast<int>(r.params[0].c));
    seen.assign(reinterpret_cast<char*>(bytes.data() + r.params[0].a), 2);
  });
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 2, 100};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(seen, "fd");
  TEEC_ReleaseSharedMemory(&shm);
  EXPECT_EQ(fake_->live_shms(), 0u);
}

TEST_F(TeecShm, RegisterFileDescriptorFailuresAreBadParameters) {
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  TEEC_SharedMemory shm{};
  shm.flags = TEEC_MEM_INPUT;
  EXPECT_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx_, &shm, pipefd[0]), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx_, &shm, -1), TEEC_ERROR_BAD_PARAMETERS);
  shm.flags = 0;
  EXPECT_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx_, &shm, pipefd[0]), TEEC_ERROR_BAD_PARAMETERS);
  ::close(pipefd[0]);
  ::close(pipefd[1]);
}

TEST_F(TeecShm, TemporaryBuffersAreReusedPerSession) {
  char buf[100] = {};
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {buf, sizeof(buf)};
  for (int i = 0; i < 5; ++i) {
    op.params[0].tmpref.size = sizeof(buf);
    ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  }
  EXPECT_EQ(fake_->allocs(), 1);
  int id = static_cast<int>(fake_->last_call().params[0].c);

  // Another session never gets this session's buffer.
  TEEC_Session other{};
  ASSERT_EQ(TEEC_OpenSession(&ctx_, &other, &kTaUuid, TEEC_LOGIN_PUBLIC, nullptr, nullptr, nullptr),
            TEEC_SUCCESS);
  op.params[0].tmpref.size = sizeof(buf);
  ASSERT_EQ(TEEC_InvokeCommand(&other, 1, &op, nullptr), TEEC_SUCCESS);
  EXPECT_NE(static_cast<int>(fake_->last_call().params[0].c), id);
  EXPECT_EQ(fake_->allocs(), 2);

  // Closing a session releases its cached buffers.
  TEEC_CloseSession(&other);
  EXPECT_EQ(fake_->releases(), 1);
  EXPECT_TRUE(fake_->shm_live(id));
  TEEC_CloseSession(&sess_);
  EXPECT_FALSE(fake_->shm_live(id));
  EXPECT_EQ(fake_->live_shms(), 0u);
  // TearDown closes sess_ again: harmless.
}

TEST_F(TeecShm, OpenSessionTemporaryBuffersAreNotKept) {
  char buf[16] = "open";
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {buf, sizeof(buf)};
  TEEC_Session s{};
  ASSERT_EQ(TEEC_OpenSession(&ctx_, &s, &kTaUuid, TEEC_LOGIN_PUBLIC, nullptr, &op, nullptr), TEEC_SUCCESS);
  EXPECT_EQ(fake_->allocs(), 1);
  EXPECT_EQ(fake_->live_shms(), 0u);
  TEEC_CloseSession(&s);
}

TEST_F(TeecShm, ManyThreadsShareOneContext) {
  // Echo TA: value out = in + 1, temp memref reversed in place.
  fake_->set_handler([this](CallRecord& r) {
    r.params[1].a = r.params[0].a + 1;
    auto bytes = fake_->shm_bytes(static_cast<int>(r.params[2].c));
    std::reverse(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(r.params[2].b));
  });
  constexpr int kThreads = 6;
  constexpr int kCalls = 150;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      TEEC_Session s{};
      if (TEEC_OpenSession(&ctx_, &s, &kTaUuid, TEEC_LOGIN_PUBLIC, nullptr, nullptr, nullptr) != TEEC_SUCCESS) {
        ++failures[t];
        return;
      }
      for (int i = 0; i < kCalls; ++i) {
        std::string text = "t" + std::to_string(t) + "-call-" + std::to_string(i);
        std::string want(text.rbegin(), text.rend());
        TEEC_Operation op = make_op(
            TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_MEMREF_TEMP_INOUT, TEEC_NONE));
        op.params[0].value.a = static_cast<uint32_t>(t * 100000 + i);
        op.params[2].tmpref = {text.data(), text.size()};
        // Alternate between this thread's session and the shared one.
        TEEC_Session* target = (i % 2 == 0) ? &s : &sess_;
        if (TEEC_InvokeCommand(target, 7, &op, nullptr) != TEEC_SUCCESS ||
            op.params[1].value.a != static_cast<uint32_t>(t * 100000 + i + 1) || text != want) {
          ++failures[t];
        }
      }
      TEEC_CloseSession(&s);
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(fake_->calls().size(), static_cast<size_t>(1 + kThreads * (kCalls + 1)));
}

}  // namespace
}  // namespace swtee::teec::testing
