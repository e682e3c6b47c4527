// OPTEE_MSG: the message ABI between the OP-TEE driver and the trusted OS,
// with OP-TEE's values (optee_msg.h, OPTEE_MSG_REVISION 2.0). Shared by the
// normal-world driver (src/drivers/optee) and swtee-os (src/os).
#pragma once

#include <cstddef>
#include <cstdint>

namespace swtee::optee {

// --- attributes -----------------------------------------------------------
inline constexpr uint64_t kAttrTypeNone = 0x0;
inline constexpr uint64_t kAttrTypeValueInput = 0x1;
inline constexpr uint64_t kAttrTypeValueOutput = 0x2;
inline constexpr uint64_t kAttrTypeValueInout = 0x3;
inline constexpr uint64_t kAttrTypeRmemInput = 0x5;
inline constexpr uint64_t kAttrTypeRmemOutput = 0x6;
inline constexpr uint64_t kAttrTypeRmemInout = 0x7;
inline constexpr uint64_t kAttrTypeFmemInput = kAttrTypeRmemInput;
inline constexpr uint64_t kAttrTypeFmemOutput = kAttrTypeRmemOutput;
inline constexpr uint64_t kAttrTypeFmemInout = kAttrTypeRmemInout;
inline constexpr uint64_t kAttrTypeTmemInput = 0x9;
inline constexpr uint64_t kAttrTypeTmemOutput = 0xa;
inline constexpr uint64_t kAttrTypeTmemInout = 0xb;
inline constexpr uint64_t kAttrTypeMask = 0xff;
inline constexpr uint64_t kAttrMeta = 1ull << 8;
inline constexpr uint64_t kAttrNoncontig = 1ull << 9;
inline constexpr uint64_t kAttrCacheShift = 16;
inline constexpr uint64_t kAttrCacheMask = 0x7;
inline constexpr uint64_t kAttrCachePredefined = 0;

// --- logins -----------------------------------------------------------------
inline constexpr uint32_t kLoginPublic = 0;
inline constexpr uint32_t kLoginUser = 1;
inline constexpr uint32_t kLoginGroup = 2;
inline constexpr uint32_t kLoginApplication = 4;
inline constexpr uint32_t kLoginApplicationUser = 5;
inline constexpr uint32_t kLoginApplicationGroup = 6;
inline constexpr uint32_t kLoginReeKernel = 0x80000000;

// --- commands (optee_msg_arg.cmd) --------------------------------------------
enum class MsgCmd : uint32_t {
  OpenSession = 0,
  InvokeCommand = 1,
  CloseSession = 2,
  Cancel = 3,
  RegisterShm = 4,
  UnregisterShm = 5,
  DoBottomHalf = 6,
  StopAsyncNotif = 7,
};
inline constexpr uint32_t kMsgCmdCount = 8;

// --- structs ---------------------------------------------------------------
struct MsgParamTmem {
  uint64_t buf_ptr;
  uint64_t size;
  uint64_t shm_ref;
};
struct MsgParamRmem {
  uint64_t offs;
  uint64_t size;
  uint64_t shm_ref;
};
struct MsgParamValue {
  uint64_t a;
  uint64_t b;
  uint64_t c;
};

struct MsgParam {
  uint64_t attr;
  union {
    MsgParamTmem tmem;
    MsgParamRmem rmem;
    MsgParamValue value;
    uint8_t octets[24];
  } u;
};

struct MsgArg {
  uint32_t cmd;
  uint32_t func;
  uint32_t session;
  uint32_t cancel_id;
  uint32_t pad;
  uint32_t ret;
  uint32_t ret_origin;
  uint32_t num_params;
  MsgParam params[];
};

static_assert(sizeof(MsgParam) == 32);
static_assert(offsetof(MsgParam, u) == 8);
static_assert(sizeof(MsgArg) == 32);
static_assert(offsetof(MsgArg, num_params) == 28);

constexpr size_t msg_arg_size(uint32_t num_params) { return sizeof(MsgArg) + sizeof(MsgParam) * num_params; }

// API UID 384fb3e0-e7f8-11e3-af63-0002a5d5c51b, as the four register words.
inline constexpr uint32_t kApiUid0 = 0x384fb3e0;
inline constexpr uint32_t kApiUid1 = 0xe7f811e3;
inline constexpr uint32_t kApiUid2 = 0xaf630002;
inline constexpr uint32_t kApiUid3 = 0xa5d5c51b;
// OS UUID 486178e0-e7f8-11e3-bc5e-0002a5d5c51b.
inline constexpr uint32_t kOsUuid0 = 0x486178e0;
inline constexpr uint32_t kOsUuid1 = 0xe7f811e3;
inline constexpr uint32_t kOsUuid2 = 0xbc5e0002;
inline constexpr uint32_t kOsUuid3 = 0xa5d5c51b;
inline constexpr uint32_t kRevisionMajor = 2;
inline constexpr uint32_t kRevisionMinor = 0;

}  // namespace swtee::optee
