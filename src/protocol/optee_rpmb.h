// OPTEE_RPC_CMD_RPMB as the secure side and tee-supplicant exchange it:
// params [0] memref in = request, [1] memref out = response. A request is
// RpmbReq (cmd, dev_id, block_count) followed by `block_count` JEDEC RPMB
// data frames (512 B each) for DATA_REQ; GET_DEV_INFO answers RpmbDevInfo.
// For DATA_REQ the response is the frames the device returns: one result
// frame for key programming and authenticated writes (the supplicant adds
// the result-read request), one frame for the write counter, and one frame
// per block for authenticated reads. Frames are big endian on the wire; the
// MAC is HMAC-SHA256 over bytes [228, 512) with the device's key.
// (Layouts as OP-TEE's core/tee/tee_rpmb_fs.c and tee-supplicant's rpmb.c
// use them; JEDEC eMMC 5.1 §6.6.22.)
#pragma once

#include <cstddef>
#include <cstdint>

namespace swtee::optee {

struct RpmbReq {
  uint16_t cmd;
  uint16_t dev_id;
  uint16_t block_count;
};
static_assert(sizeof(RpmbReq) == 6);
inline constexpr uint16_t kRpmbCmdDataReq = 0x00;
inline constexpr uint16_t kRpmbCmdGetDevInfo = 0x01;

struct RpmbDevInfo {
  uint8_t cid[16];
  uint8_t rpmb_size_mult;  // partition size in 128 KiB units
  uint8_t rel_wr_sec_c;    // reliable write sector count
  uint8_t ret_code;
};
static_assert(sizeof(RpmbDevInfo) == 19);
inline constexpr uint8_t kRpmbDevInfoOk = 0x00;
inline constexpr uint8_t kRpmbDevInfoError = 0x01;

struct RpmbFrame {
  uint8_t stuff[196];
  uint8_t key_mac[32];
  uint8_t data[256];
  uint8_t nonce[16];
  uint8_t write_counter[4];
  uint8_t address[2];
  uint8_t block_count[2];
  uint8_t result[2];
  uint8_t req_resp[2];
};
static_assert(sizeof(RpmbFrame) == 512);
static_assert(offsetof(RpmbFrame, key_mac) == 196 && offsetof(RpmbFrame, data) == 228);
static_assert(offsetof(RpmbFrame, nonce) == 484 && offsetof(RpmbFrame, write_counter) == 500);
static_assert(offsetof(RpmbFrame, address) == 504 && offsetof(RpmbFrame, req_resp) == 510);

inline constexpr size_t kRpmbBlockSize = 256;
inline constexpr size_t kRpmbMacFrom = offsetof(RpmbFrame, data);  // MAC covers [228, 512)

// Request and response types (req_resp).
inline constexpr uint16_t kRpmbReqKeyProgram = 0x0001;
inline constexpr uint16_t kRpmbReqWriteCounter = 0x0002;
inline constexpr uint16_t kRpmbReqDataWrite = 0x0003;
inline constexpr uint16_t kRpmbReqDataRead = 0x0004;
inline constexpr uint16_t kRpmbReqResultRead = 0x0005;
inline constexpr uint16_t kRpmbRespKeyProgram = 0x0100;
inline constexpr uint16_t kRpmbRespWriteCounter = 0x0200;
inline constexpr uint16_t kRpmbRespDataWrite = 0x0300;
inline constexpr uint16_t kRpmbRespDataRead = 0x0400;

// Operation results (result; bit 7 = write counter expired).
inline constexpr uint16_t kRpmbResultOk = 0x0000;
inline constexpr uint16_t kRpmbResultGeneralFailure = 0x0001;
inline constexpr uint16_t kRpmbResultAuthFailure = 0x0002;
inline constexpr uint16_t kRpmbResultCounterFailure = 0x0003;
inline constexpr uint16_t kRpmbResultAddressFailure = 0x0004;
inline constexpr uint16_t kRpmbResultWriteFailure = 0x0005;
inline constexpr uint16_t kRpmbResultReadFailure = 0x0006;
inline constexpr uint16_t kRpmbResultKeyNotProgrammed = 0x0007;
inline constexpr uint16_t kRpmbResultMask = 0x007F;
inline constexpr uint16_t kRpmbResultCounterExpired = 0x0080;

inline uint16_t rpmb_be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t rpmb_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
inline void rpmb_put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void rpmb_put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

}  // namespace swtee::optee
