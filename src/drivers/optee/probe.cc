#include "drivers/optee/probe.h"

#include "common/log.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "protocol/optee_smc.h"

namespace swtee::optee {

using conduit::SmcRegs;

namespace {

Result<SmcRegs> fast(CallPath& path, uint32_t func, uint64_t a1 = 0) {
  return path.fast_call(SmcRegs{{func, a1, 0, 0, 0, 0, 0, 0}});
}

Error refuse(const char* what) {
  log::error("optee: probe: {}", what);
  return Error{ENODEV, what};
}

}  // namespace

Result<SecureWorldInfo> handshake(CallPath& path, uint64_t carveout_size) {
  SecureWorldInfo info;

  ASSIGN_OR_RETURN(SmcRegs uid, fast(path, kSmcCallsUid));
  if (uid.a[0] != kApiUid0 || uid.a[1] != kApiUid1 || uid.a[2] != kApiUid2 || uid.a[3] != kApiUid3) {
    return refuse("secure world is not OP-TEE (API UID mismatch)");
  }

  ASSIGN_OR_RETURN(SmcRegs rev, fast(path, kSmcCallsRevision));
  if (rev.a[0] != kRevisionMajor) return refuse("unsupported OPTEE_MSG API revision (major != 2)");

  ASSIGN_OR_RETURN(SmcRegs os_uuid, fast(path, kSmcGetOsUuid));
  ASSIGN_OR_RETURN(SmcRegs os_rev, fast(path, kSmcGetOsRevision));
  info.os_revision_major = static_cast<uint32_t>(os_rev.a[0]);
  info.os_revision_minor = static_cast<uint32_t>(os_rev.a[1]);
  log::info("optee: API revision {}.{}, OS UUID {:08x}-{:08x}-{:08x}-{:08x}, OS revision {}.{} (build {:#x})",
            rev.a[0], rev.a[1], os_uuid.a[0] & 0xFFFFFFFF, os_uuid.a[1] & 0xFFFFFFFF, os_uuid.a[2] & 0xFFFFFFFF,
            os_uuid.a[3] & 0xFFFFFFFF, info.os_revision_major, info.os_revision_minor, os_rev.a[2]);

  ASSIGN_OR_RETURN(SmcRegs caps, fast(path, kSmcExchangeCapabilities, 0));
  if (caps.a[0] != kSmcReturnOk) return refuse("EXCHANGE_CAPABILITIES failed");
  info.sec_caps = static_cast<uint32_t>(caps.a[1]);
  info.rpc_param_count = static_cast<uint32_t>(caps.a[3] & 0xFF);
  if (!(info.sec_caps & kSecCapDynamicShm)) return refuse("secure world lacks DYNAMIC_SHM");
  if (!(info.sec_caps & kSecCapRpcArg)) return refuse("secure world lacks RPC_ARG");
  if (info.rpc_param_count > kRpcMaxParams) return refuse("secure world wants more RPC params than a slot holds");

  ASSIGN_OR_RETURN(SmcRegs shm, fast(path, kSmcGetShmConfig));
  if (shm.a[0] != kSmcReturnOk) return refuse("GET_SHM_CONFIG failed");
  if (shm.a[1] != conduit::kCarveoutPhysBase || shm.a[2] != carveout_size) {
    return refuse("GET_SHM_CONFIG does not match the carve-out");
  }
  if (shm.a[3] != kSmcShmCached) return refuse("carve-out is not cached memory");

  ASSIGN_OR_RETURN(SmcRegs threads, fast(path, kSmcGetThreadCount));
  if (threads.a[0] != kSmcReturnOk || threads.a[1] == 0 || threads.a[1] > 4096) {
    return refuse("GET_THREAD_COUNT failed");
  }
  info.thread_count = static_cast<uint32_t>(threads.a[1]);
  log::info("optee: secure caps {:#x}, {} secure threads, {} RPC params", info.sec_caps, info.thread_count,
            info.rpc_param_count);
  return info;
}

}  // namespace swtee::optee
