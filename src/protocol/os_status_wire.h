// What swtee-os reports of itself to swteed for `swtee status`: the stats
// PTA's STATUS command writes one OsStatusHeader, then `num_tas`
// OsStatusTa records, then `num_instances` OsStatusInstance records into
// its memref output. The instances are grouped by TA in the TA records'
// order: TA i owns the next `instances` records. Only swteed may ask (the
// PTA answers ACCESS_DENIED to any login but REE_KERNEL, which the core
// never lets a client use), since it names the pids of TA processes.
//
// swteed passes the same bytes on to `swtee status` in its Os control
// reply (control_wire.h); both ends decode them with os_status_codec.h.
#pragma once

#include <array>
#include <cstdint>

namespace swtee::osstat {

// The stats PTA (swtee's own UUID, not OP-TEE's stats PTA: its command set
// differs): 6e2b4a10-7c39-4d58-b1a2-3f4e5d6c7b82.
inline constexpr std::array<uint8_t, 16> kStatsPtaUuid = {0x6e, 0x2b, 0x4a, 0x10, 0x7c, 0x39, 0x4d, 0x58,
                                                          0xb1, 0xa2, 0x3f, 0x4e, 0x5d, 0x6c, 0x7b, 0x82};
// STATS_CMD_STATUS: types (MEMREF_OUTPUT, NONE, NONE, NONE). A buffer too
// small gets TEE_ERROR_SHORT_BUFFER with the size needed.
inline constexpr uint32_t kStatsCmdStatus = 8;

inline constexpr uint32_t kMagic = 0x54535753;  // "SWST"
// 2: the header carries the pools (PoolStatus) after the counts.
inline constexpr uint32_t kVersion = 2;
// Bounds of one report; what does not fit is counted in `omitted_*`.
inline constexpr uint32_t kMaxTas = 256;
inline constexpr uint32_t kMaxInstances = 1024;

// The OS's counters, as they travel and as the codec hands them out.
struct Counts {
  uint32_t sessions;               // open sessions, PTAs included (not this query's own)
  uint32_t ta_instances;           // live TA instances
  uint32_t registered_shm;         // normal-world memory the OS knows
  uint32_t inflight;               // calls being served (not this query)
  uint64_t rpcs;                   // RPCs to the normal world since start
  uint64_t storage_read_bytes;     // REE FS / RPMB bytes read
  uint64_t storage_written_bytes;  // REE FS / RPMB bytes written
  uint64_t ta_panics;              // TA instances that died (panic, crash, killed)
};
static_assert(sizeof(Counts) == 48);

// swtee-os's pools split per uid (docs/architecture.md, "Per-uid shares"),
// in this order in the header.
inline constexpr uint32_t kPoolTaInstances = 0;  // live TA instances
inline constexpr uint32_t kPoolPtaWaits = 1;     // pending waits of the invoke_tests PTA
inline constexpr uint32_t kNumPools = 2;

// One pool: its limits, what is held now, and the refusals since start.
// The decoder insists on per_uid <= global, used <= global, reserved 0.
struct PoolStatus {
  uint32_t global;         // the pool's size
  uint32_t per_uid;        // what one uid may hold of it
  uint32_t used;           // held now
  uint32_t reserved;       // 0
  uint64_t refused_share;  // takes refused: the uid's share was used up
  uint64_t refused_full;   // takes refused: the pool was full
};
static_assert(sizeof(PoolStatus) == 32);

struct OsStatusHeader {
  uint32_t magic;          // kMagic
  uint32_t version;        // kVersion
  uint32_t num_tas;        // OsStatusTa records that follow (<= kMaxTas)
  uint32_t num_instances;  // OsStatusInstance records after them (<= kMaxInstances)
  uint32_t omitted_tas;    // TAs left out (over kMaxTas)
  uint32_t omitted_instances;
  Counts counts;
  PoolStatus pools[kNumPools];  // version 2
};
static_assert(sizeof(OsStatusHeader) == 136);

struct OsStatusTa {
  uint8_t uuid[16];
  uint64_t panics;     // instances of this TA that died since start
  uint32_t instances;  // OsStatusInstance records of this TA
  uint32_t reserved;   // 0
};
static_assert(sizeof(OsStatusTa) == 32);

struct OsStatusInstance {
  int32_t pid;        // the TA process, > 0
  uint32_t sessions;  // open sessions on it
};
static_assert(sizeof(OsStatusInstance) == 8);

inline constexpr uint64_t kMaxReportBytes = sizeof(OsStatusHeader) + uint64_t{kMaxTas} * sizeof(OsStatusTa) +
                                            uint64_t{kMaxInstances} * sizeof(OsStatusInstance);

}  // namespace swtee::osstat
