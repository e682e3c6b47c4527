// The TaSession family's decoding of hostile TA input, and the REE time
// fallback of the Time family.
#include "os/syscalls/ta_session_family.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include "os/syscalls/time_family.h"

namespace swtee::os {
namespace {

namespace abi = ta_session_abi;

UniqueFd memfd(size_t size) {
  UniqueFd fd(::memfd_create("test", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  EXPECT_TRUE(fd);
  EXPECT_EQ(::ftruncate(fd.get(), static_cast<off_t>(size)), 0);
  return fd;
}

constexpr uint32_t types(uint32_t t0, uint32_t t1 = 0, uint32_t t2 = 0, uint32_t t3 = 0) {
  return t0 | t1 << 4 | t2 << 8 | t3 << 12;
}

abi::TsCallIn call_in(uint32_t t0, uint32_t t1 = 0, uint32_t t2 = 0, uint32_t t3 = 0) {
  abi::TsCallIn in{};
  in.param_types = types(t0, t1, t2, t3);
  const uint32_t ts[4] = {t0, t1, t2, t3};
  for (int i = 0; i < 4; ++i) {
    in.params[i].type = ts[i];
    in.params[i].fd_index = abi::kNoFd;
  }
  return in;
}

TEST(DecodeTaCallParams, ValuesAndMemrefs) {
  auto in = call_in(3, 5, 6, 7);
  in.params[0].a = 7;
  in.params[0].b = 8;
  in.params[1].fd_index = 1;
  in.params[1].b = 100;
  in.params[2].b = 4096;  // NULL output memref: a size query
  in.params[3].fd_index = 0;
  in.params[3].b = 0;  // zero-length memref over a one-byte memfd
  std::vector<UniqueFd> fds;
  fds.push_back(memfd(1));
  fds.push_back(memfd(100));
  OsParams p{};
  ASSERT_TRUE(decode_ta_call_params(in, fds, p));
  EXPECT_EQ(p[0].type, OsParamType::ValueInout);
  EXPECT_EQ(p[0].a, 7u);
  EXPECT_EQ(p[0].b, 8u);
  ASSERT_TRUE(p[1].shm);
  EXPECT_EQ(p[1].size, 100u);
  EXPECT_EQ(p[1].shm->size, 100u);
  EXPECT_NE(p[1].shm->cookie, 0u);
  EXPECT_NE(p[1].shm->cookie & (1ull << 63), 0u);
  EXPECT_FALSE(p[2].shm);
  EXPECT_EQ(p[2].size, 4096u);
  ASSERT_TRUE(p[3].shm);
  EXPECT_NE(p[3].shm->cookie, p[1].shm->cookie);
}

struct BadCase {
  const char* what;
  std::function<void(abi::TsCallIn&)> mutate;
  size_t fds;
};

TEST(DecodeTaCallParams, RefusesWhatNoRuntimeSends) {
  const std::vector<BadCase> cases = {
      {"type differs from param_types", [](abi::TsCallIn& in) { in.params[0].type = 2; }, 1},
      {"unknown type",
       [](abi::TsCallIn& in) {
         in.param_types = types(4);
         in.params[0].type = 4;
       },
       1},
      {"value wider than 32 bits",
       [](abi::TsCallIn& in) {
         in.param_types = types(1);
         in.params[0] = {1, abi::kNoFd, 1ull << 32, 0};
       },
       0},
      {"value with an fd",
       [](abi::TsCallIn& in) {
         in.param_types = types(1);
         in.params[0] = {1, 0, 1, 1};
       },
       1},
      {"fd index out of range", [](abi::TsCallIn& in) { in.params[0].fd_index = 3; }, 1},
      {"memref larger than its memfd", [](abi::TsCallIn& in) { in.params[0].b = 65; }, 1},
      {"memref offset", [](abi::TsCallIn& in) { in.params[0].a = 1; }, 1},
      {"fd nobody names", [](abi::TsCallIn& in) {}, 2},
      {"fd named twice",
       [](abi::TsCallIn& in) {
         in.param_types = types(5, 5);
         in.params[1] = {5, 0, 0, 8};
       },
       1},
      {"NONE with content", [](abi::TsCallIn& in) { in.params[1].a = 1; }, 1},
  };
  for (const auto& c : cases) {
    auto in = call_in(5);
    in.params[0].fd_index = 0;
    in.params[0].b = 64;
    c.mutate(in);
    std::vector<UniqueFd> fds;
    for (size_t i = 0; i < c.fds; ++i) fds.push_back(memfd(64));
    OsParams p{};
    EXPECT_FALSE(decode_ta_call_params(in, fds, p)) << c.what;
  }
}

TEST(DecodeTaCallParams, RefusesAnEmptyMemfdAndANonMemfd) {
  auto in = call_in(5);
  in.params[0].fd_index = 0;
  {
    std::vector<UniqueFd> fds;
    fds.push_back(memfd(0));
    OsParams p{};
    EXPECT_FALSE(decode_ta_call_params(in, fds, p));
  }
  {
    int pipefd[2];
    ASSERT_EQ(::pipe(pipefd), 0);
    ::close(pipefd[1]);
    std::vector<UniqueFd> fds;
    fds.emplace_back(pipefd[0]);
    OsParams p{};
    EXPECT_FALSE(decode_ta_call_params(in, fds, p));
  }
}

class FakeTimeRpc final : public SecureRpc {
 public:
  GpResult load_ta(const Uuid&, std::vector<uint8_t>&) override {
    return {kTeeErrorItemNotFound, kTeeOriginTee};
  }
  GpResult get_ree_time(uint32_t* s, uint32_t* ns) override {
    ++calls;
    *s = secs;
    *ns = nanos;
    return result;
  }
  GpResult result{kTeeSuccess, kTeeOriginTee};
  uint32_t secs = 1234, nanos = 567'000'000;
  int calls = 0;
};

TEST(ReeTime, FromTheNormalWorld) {
  FakeTimeRpc rpc;
  uint32_t s = 0, ms = 0;
  ree_time(&rpc, &s, &ms);
  EXPECT_EQ(rpc.calls, 1);
  EXPECT_EQ(s, 1234u);
  EXPECT_EQ(ms, 567u);
}

TEST(ReeTime, FallsBackToTheSharedWallClock) {
  const uint32_t now = static_cast<uint32_t>(::time(nullptr));
  FakeTimeRpc failing;
  failing.result = {kTeeErrorCommunication, kTeeOriginComms};
  FakeTimeRpc garbage;
  garbage.nanos = 1'000'000'000;  // not a time
  for (SecureRpc* rpc : {static_cast<SecureRpc*>(&failing), static_cast<SecureRpc*>(&garbage),
                         static_cast<SecureRpc*>(nullptr)}) {
    uint32_t s = 0, ms = 1000;
    ree_time(rpc, &s, &ms);
    EXPECT_GE(s, now);
    EXPECT_LE(s, now + 60);
    EXPECT_LT(ms, 1000u);
  }
}

}  // namespace
}  // namespace swtee::os
