// The OP-TEE SMC ABI (optee_smc.h): function ids, return codes and
// capability bits, with OP-TEE's values. In swtee the "SMC" is a register
// set of eight u64 (a0..a7) carried by the conduit (protocol/conduit.h).
#pragma once

#include <cstdint>

namespace swtee::optee {

// Function ids (a0 of a call).
inline constexpr uint32_t kSmcCallsUid = 0xBF00FF01;
inline constexpr uint32_t kSmcCallsRevision = 0xBF00FF03;
inline constexpr uint32_t kSmcGetOsUuid = 0xB2000000;
inline constexpr uint32_t kSmcGetOsRevision = 0xB2000001;
inline constexpr uint32_t kSmcReturnFromRpc = 0x32000003;
inline constexpr uint32_t kSmcCallWithArg = 0x32000004;
inline constexpr uint32_t kSmcGetShmConfig = 0xB2000007;
inline constexpr uint32_t kSmcExchangeCapabilities = 0xB2000009;
inline constexpr uint32_t kSmcDisableShmCache = 0xB200000A;
inline constexpr uint32_t kSmcEnableShmCache = 0xB200000B;
inline constexpr uint32_t kSmcGetThreadCount = 0xB200000F;
inline constexpr uint32_t kSmcCallWithRpcArg = 0x32000012;
inline constexpr uint32_t kSmcCallWithRegdArg = 0x32000013;
// Virtualization (OPTEE_SMC_VM_CREATED / VM_DESTROYED): a1 = the guest's
// client id; only the hypervisor (client id 0 in a7) may issue them. OK, or
// ENOTAVAIL when there is no room for another guest.
inline constexpr uint32_t kSmcVmCreated = 0xB200000D;
inline constexpr uint32_t kSmcVmDestroyed = 0xB200000E;

// a7 of every call is the client id ("hypervisor client id" register):
// 0 is the hypervisor (in swtee: the host's own clients), any other value
// a guest announced by VM_CREATED. A secure world with virtualization
// answers a call from an unknown client id ENOTAVAIL. OP-TEE's client ids
// are 16 bits wide.
inline constexpr unsigned kSmcClientIdReg = 7;
inline constexpr uint32_t kHypervisorClientId = 0;
inline constexpr uint32_t kMaxClientId = 0xFFFF;

// Return codes (a0 of a result).
inline constexpr uint32_t kSmcReturnOk = 0x0;
inline constexpr uint32_t kSmcReturnEThreadLimit = 0x1;
inline constexpr uint32_t kSmcReturnEBusy = 0x2;
inline constexpr uint32_t kSmcReturnEResume = 0x3;
inline constexpr uint32_t kSmcReturnEBadAddr = 0x4;
inline constexpr uint32_t kSmcReturnEBadCmd = 0x5;
inline constexpr uint32_t kSmcReturnENoMem = 0x6;
inline constexpr uint32_t kSmcReturnENotAvail = 0x7;
inline constexpr uint32_t kSmcReturnUnknownFunction = 0xFFFFFFFF;

// RPC returns: a0 = kSmcReturnRpcPrefix | func.
inline constexpr uint32_t kSmcReturnRpcPrefixMask = 0xFFFF0000;
inline constexpr uint32_t kSmcReturnRpcPrefix = 0xFFFF0000;
inline constexpr uint32_t kSmcRpcFuncAlloc = 0;
inline constexpr uint32_t kSmcRpcFuncFree = 2;
inline constexpr uint32_t kSmcRpcFuncForeignIntr = 4;
inline constexpr uint32_t kSmcRpcFuncCmd = 5;

constexpr bool smc_return_is_rpc(uint64_t a0) {
  return a0 != kSmcReturnUnknownFunction && (a0 & kSmcReturnRpcPrefixMask) == kSmcReturnRpcPrefix;
}
constexpr uint32_t smc_return_rpc_func(uint64_t a0) { return static_cast<uint32_t>(a0 & 0xFFFF); }

// Capabilities (EXCHANGE_CAPABILITIES).
inline constexpr uint32_t kNsecCapUniprocessor = 1u << 0;
inline constexpr uint32_t kSecCapHaveReservedShm = 1u << 0;
inline constexpr uint32_t kSecCapUnregisteredShm = 1u << 1;
inline constexpr uint32_t kSecCapDynamicShm = 1u << 2;
inline constexpr uint32_t kSecCapVirtualization = 1u << 3;
inline constexpr uint32_t kSecCapMemrefNull = 1u << 4;
inline constexpr uint32_t kSecCapAsyncNotif = 1u << 5;
inline constexpr uint32_t kSecCapRpcArg = 1u << 6;

inline constexpr uint32_t kSmcShmCached = 1;

}  // namespace swtee::optee
