// The conduit: how the OP-TEE driver (in swteed) and swtee-os talk. It
// stands in for the SMC instruction and the reserved shared memory of a real
// TrustZone system. Both sides include this header; it is the contract.
//
// Bootstrap. The OP-TEE driver spawns swtee-os (its "firmware") with:
//   fd 3            the carve-out: a sealed memfd of kCarveoutSlotSize *
//                   channels bytes ("reserved shared memory", phys base
//                   kCarveoutPhysBase). Both sides map it.
//   fd 4 .. 4+C-1   C channel sockets (SOCK_SEQPACKET, secure ends). A channel
//                   is one normal-world "CPU": strictly request/reply.
//   fd 4+C          the doorbell block: a sealed memfd of C *
//                   kDoorbellChannelSize bytes, zero at spawn; channel i's
//                   common/doorbell.h DoorbellPair at i * kDoorbellChannelSize
//                   (calls in `to_server`, results in `to_client`).
//   fd 5+C          (optional) the HUK file (os/storage/README.md, "HUK"),
//                   opened O_RDWR by the launcher, 0600; present exactly when
//                   argv carries --huk-fd 5+C. swtee-os reads it once (an
//                   empty file gets a fresh key) and closes it. Without it
//                   swtee-os keeps a development key in the REE FS and warns.
//   argv            --channels C --threads T, plus OS options.
// swtee-os has T secure threads (T <= C). C > T lets callers get
// ETHREAD_LIMIT and be queued, as on real hardware.
//
// Frames. A frame is one SmcRegs (64 bytes) plus at most one fd. It travels
// through the channel's doorbell (common/doorbell.h): the registers are
// written into the direction's mailbox in the doorbell block and the futex
// word is bumped (FUTEX_WAKE only if the receiver announced it sleeps). A
// frame's fd is sent first on the channel socket (SCM_RIGHTS, 4-byte payload
// = the frame's seq) and the mailbox's `fds` word says it is there, so the
// receiver finds it queued when it sees the frame. The sockets carry nothing
// else; they are the liveness signal (EOF/HUP: the peer is gone), checked by
// every doorbell wait that sleeps longer than kDoorbellCheckMs. Both sides
// read each mailbox once into a private snapshot; swtee-os validates the
// snapshot as it validates the carve-out. The normal world sends a call
// (a0 = function id), the secure world answers with a result (a0 = return
// code). A yielding call holds its
// channel until its final result: RPC returns and RETURN_FROM_RPC resumptions
// travel on the same channel, so the secure thread that serves a call is the
// one that reads that channel until it returns.
//
// Yielding call: a0 = OPTEE_SMC_CALL_WITH_RPC_ARG, a1/a2 = high/low 32 bits of
// the arg's "physical address" = kCarveoutPhysBase + slot * kCarveoutSlotSize
// + offset. The driver uses slot == channel index. The RPC arg (room for
// kRpcMaxParams params) sits right after the arg, at arg + msg_arg_size(
// arg->num_params), as with OP-TEE's RPC_ARG capability. The secure side reads
// each arg field once into a private snapshot, validates it, runs the command
// and writes the results back into the slot before answering.
//
// RPC: the secure world answers a0 = OPTEE_SMC_RETURN_RPC_CMD (0xFFFF0005),
// a1/a2 = 0, a3 = the secure thread id (resume info). The normal world
// handles the RPC arg and resumes with a0 = OPTEE_SMC_RETURN_FROM_RPC, a1..a3
// echoed. OPTEE_SMC_RETURN_RPC_FOREIGN_INTR is a no-op resume.
//
// Shared memory ("physical memory"). Every memfd the secure world may access
// is known to it by a cookie (u64, chosen by the driver, never 0, unique
// while registered):
//   * OPTEE_MSG_CMD_REGISTER_SHM: params[0] = TMEM_INPUT {buf_ptr 0, size,
//     shm_ref = cookie}; the memfd is attached to the CALL frame (exactly one
//     fd). The secure side checks the seals (shrink+grow) and the size.
//   * OPTEE_MSG_CMD_UNREGISTER_SHM: params[0] = RMEM_INPUT {0, 0, cookie}.
//   * RPC OPTEE_RPC_CMD_SHM_ALLOC: the driver answers with params[0] =
//     TMEM_OUTPUT {buf_ptr 0, size, shm_ref = cookie} and attaches the memfd
//     to the RETURN_FROM_RPC frame. RPC SHM_FREE drops it.
// Memref params of OPEN_SESSION / INVOKE_COMMAND are RMEM {offs, size,
// cookie}. A NULL memref is TMEM {buf_ptr 0, size (may be > 0 as a size
// query), shm_ref 0}. RPC memrefs (LOAD_TA, FS) are RMEM against cookies the
// RPC SHM_ALLOC handed out.
//
// Fast calls (answered at once, no secure thread needed): CALLS_UID,
// CALLS_REVISION, GET_OS_UUID, GET_OS_REVISION, GET_SHM_CONFIG (a1 = phys
// base, a2 = size, a3 = OPTEE_SMC_SHM_CACHED), EXCHANGE_CAPABILITIES (in a1 =
// normal-world caps; out a1 = secure caps: DYNAMIC_SHM | MEMREF_NULL |
// RPC_ARG | HAVE_RESERVED_SHM, a3 bits[7:0] = RPC param count),
// GET_THREAD_COUNT (a1 = T), ENABLE_SHM_CACHE, DISABLE_SHM_CACHE (ENOTAVAIL).
//
// Client ids (virtualization). a7 of every normal-world frame (yielding
// calls, RETURN_FROM_RPC, fast calls) is the client id, as OP-TEE's
// hypervisor sets it on every SMC of a guest: 0 for the host's own
// clients, n for guest n (core/guest_table.h). The driver announces a guest
// with the fast call OPTEE_SMC_VM_CREATED (a1 = n, a7 = 0) before its
// first call and retires it with OPTEE_SMC_VM_DESTROYED, which drops every
// session, TA instance and registered shm the guest held. swtee-os answers
// ENOTAVAIL to a frame whose client id is not live, and advertises
// OPTEE_SMC_SEC_CAP_VIRTUALIZATION when it partitions by guest. A
// RETURN_FROM_RPC must carry the client id of the call it resumes.
//
// The transport is an internal detail behind drivers/optee/conduit.h and
// os/conduit_server.h. Waits spin with sched_yield() for a bounded budget
// ($SWTEE_DOORBELL_SPIN_US, see common/doorbell.h) before FUTEX_WAIT.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "common/doorbell.h"
#include "protocol/optee_msg.h"
#include "protocol/optee_rpc_cmd.h"

namespace swtee::conduit {

struct SmcRegs {
  uint64_t a[8];
};
static_assert(sizeof(SmcRegs) == 64);

inline constexpr uint64_t kCarveoutPhysBase = 0x42000000;
inline constexpr uint64_t kCarveoutSlotSize = 4096;
inline constexpr int kCarveoutFd = 3;
inline constexpr int kFirstChannelFd = 4;
inline constexpr unsigned kMaxChannels = 64;
inline constexpr unsigned kMaxFdsPerFrame = 1;

// The doorbell block: one DoorbellPair per channel, right after the channel fds.
inline constexpr uint64_t kDoorbellChannelSize = sizeof(DoorbellPair);
static_assert(kDoorbellChannelSize == 256);
constexpr int doorbell_fd(unsigned channels) { return kFirstChannelFd + static_cast<int>(channels); }
// The optional HUK file, right after the doorbell block.
constexpr int huk_fd(unsigned channels) { return doorbell_fd(channels) + 1; }
static_assert(sizeof(SmcRegs) == sizeof(DoorbellFrame), "an SMC frame fills a doorbell mailbox");
inline DoorbellFrame to_frame(const SmcRegs& r) {
  DoorbellFrame f;
  std::memcpy(f.data(), r.a, sizeof(r.a));
  return f;
}
inline SmcRegs to_regs(const DoorbellFrame& f) {
  SmcRegs r;
  std::memcpy(r.a, f.data(), sizeof(r.a));
  return r;
}

// Largest num_params of an arg in a slot, leaving room for the RPC arg.
inline constexpr uint32_t kMaxArgParams =
    (kCarveoutSlotSize - sizeof(optee::MsgArg) - optee::msg_arg_size(optee::kRpcMaxParams)) /
    sizeof(optee::MsgParam);
static_assert(kMaxArgParams >= 32, "an open-session arg needs 30 user params + 2 meta");

inline constexpr uint32_t kSmcReturnRpcCmd = 0xFFFF0005;
inline constexpr uint32_t kSmcReturnRpcForeignIntr = 0xFFFF0004;

}  // namespace swtee::conduit
