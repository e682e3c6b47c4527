#include "supplicant/rpc_handlers.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>

#include "protocol/gp_results.h"
#include "protocol/optee_rpc_cmd.h"
#include "supplicant/tests/fake_transport.h"
#include "supplicant/tests/test_dir.h"

namespace swtee::supp {
namespace {

using optee::FsCmd;
using optee::RpcCmd;

constexpr uint64_t kVin = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT;
constexpr uint64_t kVout = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT;
constexpr uint64_t kVinout = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT;
constexpr uint64_t kMin = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
constexpr uint64_t kMout = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;

const Uuid kTa = *Uuid::parse("5dbac793-f574-4871-8ad3-04331ec17f24");

class RpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ta_dir_ = tmp_.path() + "/ta";
    ASSERT_EQ(::mkdir(ta_dir_.c_str(), 0755), 0);
    std::ofstream(ta_dir_ + "/" + kTa.to_string() + ".ta", std::ios::binary) << "SIGNED-TA-IMAGE";
  }

  uint32_t call(RpcCmd cmd, std::vector<tee_ioctl_param>& p) {
    RpcArgs args(p, shms_);
    return dispatch_rpc(env_, static_cast<uint32_t>(cmd), args);
  }

  // SHM_ALLOC through the RPC; returns the id.
  int32_t alloc(uint64_t size) {
    std::vector<tee_ioctl_param> p = {{kVinout, optee::kRpcShmTypeAppl, size, 0}};
    EXPECT_EQ(call(RpcCmd::ShmAlloc, p), kTeeSuccess);
    return static_cast<int32_t>(p[0].c);
  }
  uint8_t* mem(int32_t id) { return shms_.get(id)->map.data(); }
  void put_name(int32_t id, const char* name) { std::memcpy(mem(id), name, std::strlen(name) + 1); }

  uint32_t fs(FsCmd sub, uint64_t b, uint64_t c, std::vector<tee_ioctl_param> rest,
              std::vector<tee_ioctl_param>* out = nullptr) {
    std::vector<tee_ioctl_param> p = {{kVin, static_cast<uint64_t>(sub), b, c}};
    p.insert(p.end(), rest.begin(), rest.end());
    uint32_t r = call(RpcCmd::Fs, p);
    if (out) *out = p;
    return r;
  }

  testing::TempDir tmp_;
  std::string ta_dir_;
  testing::FakeTransport transport_;
  ShmTable shms_{ShmLimits{4, 1 << 20, 2 << 20}};
  TaStore tas_{{tmp_.path() + "/ta"}};
  ReeFs ree_{ReeFsOptions{tmp_.path() + "/state", true}};
  RpcEnv env_{transport_, shms_, tas_, ree_};
};

TEST_F(RpcTest, ShmAllocMapsAndFreeReleases) {
  int32_t id = alloc(4096);
  ASSERT_GT(id, 0);
  ASSERT_NE(shms_.get(id), nullptr);
  EXPECT_EQ(shms_.get(id)->map.size(), 4096u);
  std::vector<tee_ioctl_param> f = {{kVin, optee::kRpcShmTypeAppl, static_cast<uint64_t>(id), 0}};
  EXPECT_EQ(call(RpcCmd::ShmFree, f), kTeeSuccess);
  EXPECT_EQ(shms_.get(id), nullptr);
  EXPECT_EQ(call(RpcCmd::ShmFree, f), kTeeErrorBadParameters);  // twice
  MutexLock l(transport_.mu_);
  EXPECT_EQ(transport_.allocs_, 1);
  EXPECT_EQ(transport_.releases_, 1);
  EXPECT_TRUE(transport_.live_.empty());
}

TEST_F(RpcTest, ShmAllocLimits) {
  std::vector<tee_ioctl_param> p = {{kVinout, optee::kRpcShmTypeAppl, 0, 0}};
  EXPECT_EQ(call(RpcCmd::ShmAlloc, p), kTeeErrorBadParameters);  // size 0
  p = {{kVinout, optee::kRpcShmTypeAppl, 2 << 20, 0}};
  EXPECT_EQ(call(RpcCmd::ShmAlloc, p), kTeeErrorBadParameters);  // above the per-shm limit
  p = {{kVinout, 77, 16, 0}};
  EXPECT_EQ(call(RpcCmd::ShmAlloc, p), kTeeErrorBadParameters);  // unknown type
  p = {{kVinout, optee::kRpcShmTypeAppl, 16, 3}};
  EXPECT_EQ(call(RpcCmd::ShmAlloc, p), kTeeErrorBadParameters);  // alignment not a power of two
  p = {{kVin, optee::kRpcShmTypeAppl, 16, 0}};
  EXPECT_EQ(call(RpcCmd::ShmAlloc, p), kTeeErrorBadParameters);  // not INOUT
  for (int i = 0; i < 4; ++i) alloc(64);
  p = {{kVinout, optee::kRpcShmTypeAppl, 64, 0}};
  EXPECT_EQ(call(RpcCmd::ShmAlloc, p), kTeeErrorOutOfMemory);  // count limit
  MutexLock l(transport_.mu_);
  EXPECT_EQ(transport_.allocs_, 4);  // refused ones never reached the daemon
}

TEST_F(RpcTest, LoadTaSizeQueryShortBufferAndLoad) {
  uint64_t a = 0, b = 0;
  std::memcpy(&a, kTa.octets.data(), 8);
  std::memcpy(&b, kTa.octets.data() + 8, 8);
  std::vector<tee_ioctl_param> p = {{kVin, a, b, 0}, {kMout, 0, 0, TEE_MEMREF_NULL}};
  EXPECT_EQ(call(RpcCmd::LoadTa, p), kTeeSuccess);
  EXPECT_EQ(p[1].b, 15u);
  int32_t id = alloc(64);
  p = {{kVin, a, b, 0}, {kMout, 0, 8, static_cast<uint64_t>(id)}};
  EXPECT_EQ(call(RpcCmd::LoadTa, p), kTeeErrorShortBuffer);
  EXPECT_EQ(p[1].b, 15u);
  p = {{kVin, a, b, 0}, {kMout, 16, 48, static_cast<uint64_t>(id)}};
  EXPECT_EQ(call(RpcCmd::LoadTa, p), kTeeSuccess);
  EXPECT_EQ(p[1].b, 15u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem(id)) + 16, 15), "SIGNED-TA-IMAGE");
  // Another UUID: not found.
  p = {{kVin, a + 1, b, 0}, {kMout, 0, 0, TEE_MEMREF_NULL}};
  EXPECT_EQ(call(RpcCmd::LoadTa, p), kTeeErrorItemNotFound);
}

TEST_F(RpcTest, MemrefsOutsideTheirShmAreRejected) {
  int32_t id = alloc(64);
  std::vector<tee_ioctl_param> p = {{kVin, 0, 0, 0}, {kMout, 60, 8, static_cast<uint64_t>(id)}};
  EXPECT_EQ(call(RpcCmd::LoadTa, p), kTeeErrorBadParameters);
  p = {{kVin, 0, 0, 0}, {kMout, ~0ull, 2, static_cast<uint64_t>(id)}};  // offset + size wraps
  EXPECT_EQ(call(RpcCmd::LoadTa, p), kTeeErrorBadParameters);
  p = {{kVin, 0, 0, 0}, {kMout, 0, 8, 999}};  // unknown id
  EXPECT_EQ(call(RpcCmd::LoadTa, p), kTeeErrorBadParameters);
  p = {{kVin, 0, 0, 0}};  // missing param
  EXPECT_EQ(call(RpcCmd::LoadTa, p), kTeeErrorBadParameters);
}

TEST_F(RpcTest, FsRoundTripThroughShm) {
  int32_t name = alloc(256), data = alloc(256);
  put_name(name, "dirf.db");
  std::vector<tee_ioctl_param> out;
  ASSERT_EQ(fs(FsCmd::Create, 0, 0, {{kMin, 0, 256, static_cast<uint64_t>(name)}, {kVout, 0, 0, 0}}, &out),
            kTeeSuccess);
  const uint64_t fd = out[2].a;
  std::memcpy(mem(data), "payload!", 8);
  EXPECT_EQ(fs(FsCmd::Write, fd, 0, {{kMin, 0, 8, static_cast<uint64_t>(data)}}), kTeeSuccess);
  std::memset(mem(data), 0, 256);
  ASSERT_EQ(fs(FsCmd::Read, fd, 3, {{kMout, 0, 100, static_cast<uint64_t>(data)}}, &out), kTeeSuccess);
  EXPECT_EQ(out[1].b, 5u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem(data)), 5), "load!");
  EXPECT_EQ(fs(FsCmd::Truncate, fd, 2, {}), kTeeSuccess);
  EXPECT_EQ(fs(FsCmd::Close, fd, 0, {}), kTeeSuccess);
  ASSERT_EQ(fs(FsCmd::Open, 0, 0, {{kMin, 0, 256, static_cast<uint64_t>(name)}, {kVout, 0, 0, 0}}, &out),
            kTeeSuccess);
  EXPECT_EQ(fs(FsCmd::Close, out[2].a, 0, {}), kTeeSuccess);

  put_name(data, "renamed");
  EXPECT_EQ(fs(FsCmd::Rename, 0, 0,
               {{kMin, 0, 256, static_cast<uint64_t>(name)}, {kMin, 0, 256, static_cast<uint64_t>(data)}}),
            kTeeSuccess);
  put_name(name, "");
  ASSERT_EQ(fs(FsCmd::Opendir, 0, 0, {{kMin, 0, 256, static_cast<uint64_t>(name)}, {kVout, 0, 0, 0}}, &out),
            kTeeSuccess);
  const uint64_t dh = out[2].a;
  ASSERT_EQ(fs(FsCmd::Readdir, dh, 0, {{kMout, 0, 4, static_cast<uint64_t>(data)}}, &out),
            kTeeErrorShortBuffer);
  EXPECT_EQ(out[1].b, 8u);
  ASSERT_EQ(fs(FsCmd::Readdir, dh, 0, {{kMout, 0, 256, static_cast<uint64_t>(data)}}, &out), kTeeSuccess);
  EXPECT_STREQ(reinterpret_cast<char*>(mem(data)), "renamed");
  EXPECT_EQ(fs(FsCmd::Readdir, dh, 0, {{kMout, 0, 256, static_cast<uint64_t>(data)}}), kTeeErrorItemNotFound);
  EXPECT_EQ(fs(FsCmd::Closedir, dh, 0, {}), kTeeSuccess);
  put_name(name, "renamed");
  EXPECT_EQ(fs(FsCmd::Remove, 0, 0, {{kMin, 0, 256, static_cast<uint64_t>(name)}}), kTeeSuccess);
  EXPECT_EQ(fs(FsCmd::Remove, 0, 0, {{kMin, 0, 256, static_cast<uint64_t>(name)}}), kTeeErrorItemNotFound);
}

TEST_F(RpcTest, FsRejectsBadNamesAndShapes) {
  int32_t name = alloc(64);
  put_name(name, "../../etc/shadow");
  EXPECT_EQ(fs(FsCmd::Open, 0, 0, {{kMin, 0, 64, static_cast<uint64_t>(name)}, {kVout, 0, 0, 0}}),
            kTeeErrorBadParameters);
  std::memset(mem(name), 'a', 64);  // no NUL inside the memref
  EXPECT_EQ(fs(FsCmd::Create, 0, 0, {{kMin, 0, 64, static_cast<uint64_t>(name)}, {kVout, 0, 0, 0}}),
            kTeeErrorBadParameters);
  put_name(name, "ok");
  EXPECT_EQ(fs(FsCmd::Create, 0, 0, {{kMin, 0, 64, static_cast<uint64_t>(name)}}),
            kTeeErrorBadParameters);  // count
  EXPECT_EQ(fs(FsCmd::Create, 0, 0, {{kVin, 0, 0, 0}, {kVout, 0, 0, 0}}),
            kTeeErrorBadParameters);                                       // not a memref
  EXPECT_EQ(fs(FsCmd::Close, 1ull << 40, 0, {}), kTeeErrorBadParameters);  // handle out of range
  EXPECT_EQ(fs(static_cast<FsCmd>(11), 0, 0, {}), kTeeErrorNotSupported);
  std::vector<tee_ioctl_param> p = {{kVout, 0, 0, 0}};
  EXPECT_EQ(call(RpcCmd::Fs, p), kTeeErrorBadParameters);  // sub-command not an input value
}

TEST_F(RpcTest, UnhandledCommandsAreNotSupported) {
  std::vector<tee_ioctl_param> p = {{kVinout, 0, 0, 0}};
  for (RpcCmd c : {RpcCmd::Rpmb, RpcCmd::GetTime, RpcCmd::Notification, RpcCmd::Suspend,
                   RpcCmd::SqlFsReserved, RpcCmd::Gprof, RpcCmd::Socket, RpcCmd::Ftrace}) {
    EXPECT_EQ(call(c, p), kTeeErrorNotSupported) << static_cast<int>(c);
  }
  RpcArgs args(p, shms_);
  EXPECT_EQ(dispatch_rpc(env_, 12345, args), kTeeErrorNotSupported);
  // SUPP_PLUGIN is served: a malformed request is refused, not ignored.
  EXPECT_EQ(call(RpcCmd::SuppPlugin, p), kTeeErrorBadParameters);
}

}  // namespace
}  // namespace swtee::supp
