// Test helpers: a Core with fake-driven devices in a temporary runtime
// directory, and typed UAPI calls over UapiClient.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <swtee/uapi/tee.h>

#include "core/core.h"
#include "core/tests/fake_driver.h"
#include "uapi/uapi_client.h"
#include "uapi/uapi_codec.h"

namespace swtee::core::testing {

class TempDir {
 public:
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "swtee-core-XXXXXX").string();
    char* p = ::mkdtemp(t.data());
    path_ = p != nullptr ? p : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// `hdr` last: the UAPI structs end in a flexible array member.
struct OpenResult {
  int32_t rc = 0;
  std::vector<tee_ioctl_param> params;
  tee_ioctl_open_session_arg hdr{};
};

struct InvokeResult {
  int32_t rc = 0;
  std::vector<tee_ioctl_param> params;
  tee_ioctl_invoke_arg hdr{};
};

// Parameter attributes of tee_ioctl_param.
constexpr uint64_t kValIn = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT;
constexpr uint64_t kValOut = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT;
constexpr uint64_t kValInout = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT;
constexpr uint64_t kMemIn = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
constexpr uint64_t kMemOut = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
constexpr uint64_t kMemInout = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT;
constexpr uint64_t kMeta = TEE_IOCTL_PARAM_ATTR_META;

inline tee_ioctl_param value_param(uint64_t attr, uint64_t a, uint64_t b, uint64_t c) { return {attr, a, b, c}; }
inline tee_ioctl_param memref_param(uint64_t attr, uint64_t offs, uint64_t size, uint64_t id) {
  return {attr, offs, size, id};
}

inline int32_t call_rc(uapi::UapiClient& c, uint32_t cmd, const std::vector<uint8_t>& arg,
                       std::vector<uint8_t>* out = nullptr, std::vector<UniqueFd>* fds = nullptr,
                       std::span<const int> send_fds = {}) {
  auto r = c.call(cmd, arg, send_fds);
  EXPECT_TRUE(r.ok()) << "transport error";
  if (!r.ok()) return -9999;
  if (out != nullptr) *out = r->arg;
  if (fds != nullptr) *fds = std::move(r->fds);
  return r->rc;
}

inline OpenResult open_session(uapi::UapiClient& c, uint32_t login, std::vector<tee_ioctl_param> params = {},
                               uint32_t clnt_gid = 0, uint32_t cancel_id = 0) {
  tee_ioctl_open_session_arg a{};
  a.uuid[0] = 0x12;
  std::memcpy(a.clnt_uuid, &clnt_gid, sizeof(clnt_gid));
  a.clnt_login = login;
  a.cancel_id = cancel_id;
  std::vector<uint8_t> out;
  OpenResult r;
  r.rc = call_rc(c, TEE_IOC_OPEN_SESSION, uapi::encode_buf_arg(a, params), &out);
  if (r.rc == 0) {
    auto d = uapi::decode_open_session(out);
    EXPECT_TRUE(d.ok());
    if (d.ok()) {
      r.hdr = d->hdr;
      r.params = d->params;
    }
  }
  return r;
}

inline InvokeResult invoke(uapi::UapiClient& c, uint32_t session, uint32_t func,
                           std::vector<tee_ioctl_param> params = {}) {
  tee_ioctl_invoke_arg a{};
  a.func = func;
  a.session = session;
  std::vector<uint8_t> out;
  InvokeResult r;
  r.rc = call_rc(c, TEE_IOC_INVOKE, uapi::encode_buf_arg(a, params), &out);
  if (r.rc == 0) {
    auto d = uapi::decode_invoke(out);
    EXPECT_TRUE(d.ok());
    if (d.ok()) {
      r.hdr = d->hdr;
      r.params = d->params;
    }
  }
  return r;
}

inline int32_t close_session(uapi::UapiClient& c, uint32_t session) {
  return call_rc(c, TEE_IOC_CLOSE_SESSION, uapi::encode_struct(tee_ioctl_close_session_arg{session}));
}

inline int32_t cancel(uapi::UapiClient& c, uint32_t cancel_id, uint32_t session) {
  return call_rc(c, TEE_IOC_CANCEL, uapi::encode_struct(tee_ioctl_cancel_arg{cancel_id, session}));
}

struct AllocResult {
  int32_t rc = 0;
  tee_ioctl_shm_alloc_data data{};
  UniqueFd fd;
};

inline AllocResult shm_alloc(uapi::UapiClient& c, uint64_t size, uint32_t flags = 0) {
  AllocResult r;
  std::vector<uint8_t> out;
  std::vector<UniqueFd> fds;
  r.rc = call_rc(c, TEE_IOC_SHM_ALLOC, uapi::encode_struct(tee_ioctl_shm_alloc_data{size, flags, 0}), &out, &fds);
  if (r.rc == 0 && out.size() == sizeof(r.data)) std::memcpy(&r.data, out.data(), sizeof(r.data));
  if (!fds.empty()) r.fd = std::move(fds[0]);
  return r;
}

inline int32_t shm_release(uapi::UapiClient& c, int32_t id) {
  return call_rc(c, SWTEE_IOC_SHM_RELEASE, uapi::encode_struct(swtee_ioctl_shm_release_arg{id}));
}

// A Core serving tee0 (client ops), teepriv0 (privileged, supplicant ops)
// and tee1 (a driver with no optional ops) from fakes.
class CoreFixture : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override {
    if (core_) EXPECT_TRUE(core_->stop(std::chrono::seconds(20)));
    core_.reset();
  }

  void start(const CoreLimits& limits) {
    if (core_) {
      ASSERT_TRUE(core_->stop(std::chrono::seconds(20)));
      core_.reset();
    }
    ASSERT_FALSE(dir_.path().empty());
    auto c = Core::create(limits);
    ASSERT_TRUE(c.ok());
    core_ = std::move(c).value();
    ASSERT_TRUE(core_->add_device(DeviceDesc{"tee0", false, &drv_}, dir_.path()).ok());
    ASSERT_TRUE(core_->add_device(DeviceDesc{"teepriv0", true, &supp_drv_}, dir_.path()).ok());
    ASSERT_TRUE(core_->add_device(DeviceDesc{"tee1", false, &bare_drv_}, dir_.path()).ok());
    ASSERT_TRUE(core_->start().ok());
  }

  uapi::UapiClient connect(const std::string& dev = "tee0") {
    auto c = uapi::UapiClient::connect(dev, dir_.path());
    EXPECT_TRUE(c.ok());
    return std::move(c).value();
  }

  DeviceSnapshot snap(const std::string& name) {
    for (auto& d : core_->snapshot())
      if (d.name == name) return d;
    ADD_FAILURE() << "no device " << name;
    return {};
  }

  TempDir dir_;
  FakeDriver drv_;
  FakeDriver supp_drv_;
  FakeDriver bare_drv_{0};
  std::unique_ptr<Core> core_;
};

}  // namespace swtee::core::testing
