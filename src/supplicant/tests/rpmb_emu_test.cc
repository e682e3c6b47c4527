// The emulated RPMB devices (rpmb_emu.h): dev_id 0 is the host's device,
// dev_id n guest n's, its image in the guest's tree.
#include "supplicant/rpmb_emu.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <vector>

#include "protocol/gp_results.h"
#include "protocol/optee_rpmb.h"
#include "supplicant/ree_fs.h"
#include "supplicant/tests/test_dir.h"

namespace swtee::supp {
namespace {

// A key-programming request for device `dev`.
std::vector<uint8_t> program_key(uint16_t dev, uint8_t key_byte) {
  optee::RpmbReq head{optee::kRpmbCmdDataReq, dev, 1};
  optee::RpmbFrame f{};
  std::memset(f.key_mac, key_byte, sizeof(f.key_mac));
  optee::rpmb_put16(f.req_resp, optee::kRpmbReqKeyProgram);
  std::vector<uint8_t> req(sizeof(head) + sizeof(f));
  std::memcpy(req.data(), &head, sizeof(head));
  std::memcpy(req.data() + sizeof(head), &f, sizeof(f));
  return req;
}

class RpmbEmuTest : public ::testing::Test {
 protected:
  bool exists(const std::string& rel) const {
    struct stat st {};
    return ::lstat((tmp_.path() + "/state/" + rel).c_str(), &st) == 0;
  }
  testing::TempDir tmp_;
  ReeFs fs_{ReeFsOptions{tmp_.path() + "/state", /*fast_storage=*/true}};
  ReeFsRpmbImage image_{fs_, kRpmbImageFile};
};

TEST_F(RpmbEmuTest, GuestDevicesLiveInTheirGuestsTrees) {
  RpmbEmu emu(image_, &fs_);
  std::vector<uint8_t> resp(sizeof(optee::RpmbFrame));
  ASSERT_EQ(emu.handle(program_key(3, 0x33), resp), kTeeSuccess);
  EXPECT_TRUE(exists("guests/3/rpmb.emu"));
  EXPECT_FALSE(exists("rpmb.emu"));
  ASSERT_EQ(emu.handle(program_key(0, 0x11), resp), kTeeSuccess);
  EXPECT_TRUE(exists("rpmb.emu"));
  EXPECT_FALSE(exists("guests/4/rpmb.emu"));
}

TEST_F(RpmbEmuTest, WithoutGuestsOnlyDeviceZeroExists) {
  RpmbEmu emu(image_);
  std::vector<uint8_t> resp(sizeof(optee::RpmbFrame));
  EXPECT_EQ(emu.handle(program_key(3, 0x33), resp), kTeeErrorItemNotFound);
  EXPECT_FALSE(exists("guests"));
}

}  // namespace
}  // namespace swtee::supp
