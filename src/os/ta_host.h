// The boundary between the OPTEE_MSG side of swtee-os (entry, secure
// threads, session router, PTAs) and the host of user TAs (TA manager,
// zygote, TA processes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "os/os_types.h"
#include "protocol/os_status_codec.h"

namespace swtee::os {

class ThreadRpc;

// Services the secure thread serving the current call offers. Implemented
// by the msg side; valid only for the duration of one call.
class SecureRpc {
 public:
  virtual ~SecureRpc() = default;
  // Fetches a TA image through OPTEE_RPC_CMD_LOAD_TA (size query, then the
  // image into an RPC-allocated shm) and copies it into private memory.
  // The bytes are untrusted until verified. GP errors: ITEM_NOT_FOUND when
  // the store has no such TA, COMMUNICATION when no supplicant answers.
  virtual GpResult load_ta(const Uuid& uuid, std::vector<uint8_t>& image) = 0;
  // load_ta for an image expected to be `size_hint` bytes (the size of the
  // image last seen for this TA): an implementation may then skip the size
  // query. Same results and checks as load_ta whatever the real size is.
  // Added in round 2; the default ignores the hint.
  virtual GpResult load_ta_expecting(const Uuid& uuid, uint64_t size_hint, std::vector<uint8_t>& image) {
    (void)size_hint;
    return load_ta(uuid, image);
  }
  // REE time through OPTEE_RPC_CMD_GET_TIME (TEE_GetREETime). Added after
  // the first contract; the default says the service is absent.
  virtual GpResult get_ree_time(uint32_t* seconds, uint32_t* nanos) {
    (void)seconds;
    (void)nanos;
    return {kTeeErrorNotSupported, kTeeOriginTee};
  }
  // The secure thread's raw RPC path, for the OS's own services (trusted
  // storage over the REE FS: os/fs_rpc.h). Added in round 2; the default
  // has none (storage then reports STORAGE_NOT_AVAILABLE).
  virtual ThreadRpc* thread_rpc() { return nullptr; }
  // A supplicant plugin through OPTEE_RPC_CMD_SUPP_PLUGIN
  // (protocol/optee_rpc_cmd.h): `data` goes out and comes back overwritten
  // with *out_len bytes (never more than it held). Origin 0: the result is
  // the plugin's own; otherwise the transport failed (origin TEE/COMMS).
  virtual GpResult supp_plugin(const Uuid& plugin, uint32_t cmd, uint32_t sub_cmd, std::vector<uint8_t>& data,
                               uint64_t* out_len) {
    (void)plugin, (void)cmd, (void)sub_cmd, (void)data, (void)out_len;
    return {kTeeErrorNotSupported, kTeeOriginTee};
  }
  // Takes `pidfd`, of a TA process that took its Destroy and waits for its
  // end, and sends it SIGKILL once this call's answer has gone out (the
  // process's exit then stays off the call's path). False, with `pidfd`
  // untouched: the caller kills it now. The default takes none.
  virtual bool kill_after_answer(UniqueFd& pidfd) {
    (void)pidfd;
    return false;
  }
};

struct CallContext {
  SecureRpc& rpc;
  CancelState& cancel;
  // TA-to-TA nesting: 0 for a call from the normal world, n + 1 for a call
  // a TA made while serving a call of depth n. Added in round 3.
  unsigned depth = 0;
  // The uid of the normal-world client the call serves (its session's
  // opener, ClientIdentity::uid), passed down to TA-to-TA calls: what they
  // take of a per-uid pool is that uid's. nullopt: not known.
  std::optional<uint32_t> uid = std::nullopt;
};

// User TAs. Implemented by the TA host; called by the session router on the
// secure thread that serves the call. Thread-safe: calls for different
// sessions run concurrently; calls for one session may too (the host
// serialises them per instance as GP requires).
class TaHost {
 public:
  virtual ~TaHost() = default;

  // Opens a session to TA `uuid`, loading and starting an instance if
  // needed. On success *ta_session identifies the session to this host.
  // Errors as GP says: ITEM_NOT_FOUND (no such TA), SECURITY (bad image),
  // GENERIC (TA_CreateEntryPoint failed), BUSY (single-instance,
  // single-session TA in use), TARGET_DEAD, or the TA's own result.
  virtual GpResult open_session(const Uuid& uuid, const ClientIdentity& client, OsParams& params,
                                CallContext& call, uint64_t* ta_session) = 0;
  virtual GpResult invoke(uint64_t ta_session, uint32_t cmd, OsParams& params, CallContext& call) = 0;
  // Always succeeds from the caller's view; runs TA_CloseSessionEntryPoint
  // (and TA_DestroyEntryPoint when the instance goes).
  virtual void close_session(uint64_t ta_session) = 0;
  // close_session with the closing call's RPC path, so the entry points'
  // syscalls (storage, closing TA sessions) can use it. Added in round 3;
  // the default drops the context.
  virtual void close_session(uint64_t ta_session, SecureRpc* rpc) {
    (void)rpc;
    close_session(ta_session);
  }
  // Live TA instances, for the stats PTA. Added after the first contract;
  // the default reports none.
  virtual size_t instance_count() const { return 0; }
  // Every TA with a live instance or a death since start: its instances
  // (pid, open sessions) and deaths, for `swtee status` (the stats PTA).
  // Added with the status report; the default reports none.
  virtual std::vector<osstat::TaStatus> ta_stats() const { return {}; }
  // The host's clients are gone (a guest destroyed, os/guests.h): kill
  // every instance now, without running entry points (calls in progress
  // end TARGET_DEAD), and refuse new sessions. Added with guests; the
  // default does nothing.
  virtual void shut_down() {}
};

class SharedPool;
class SyscallTable;
class ZygoteClient;

// The revalidation interval of verified TA images, in ms
// (ta_manager/verified_image_cache.h).
inline constexpr unsigned kDefaultImageTrustMs = 1000;
inline constexpr unsigned kMaxImageTrustMs = 60000;
// How long a TA's spare processes wait for a take before they are killed,
// in ms (ta_manager/spare_pool.h).
inline constexpr unsigned kDefaultSpareIdleMs = 30000;
inline constexpr unsigned kMinSpareIdleMs = 100;
inline constexpr unsigned kMaxSpareIdleMs = 600000;

struct TaHostConfig {
  std::string ta_host_binary;  // the zygote / TA process image
  // TA processes start on a kernel without Landlock too (swtee-os
  // --ta-without-landlock allow; ta_runtime/zygote.h). Default: refused.
  bool allow_without_landlock = false;
  // Services TAs reach through syscalls (os/ta_manager/syscalls.h); null
  // for none. Added in round 3.
  std::shared_ptr<const SyscallTable> syscalls;
  std::vector<std::string> ta_pubkey_pems;  // PEM texts of accepted signing keys
  // The zygote to fork TA processes from, shared by several hosts (one per
  // guest partition); null: the host execs its own.
  std::shared_ptr<ZygoteClient> zygote;
  unsigned max_instances = 64;
  // One uid's share of the instances, in percent (os/shared_pool.h); 100:
  // no share below the limit. A TA-to-TA open takes from the share of the
  // uid its outer call serves; an opener without a uid only from the limit.
  unsigned uid_share_percent = 100;
  // The instance pool itself, made by the owner (a partition reports it
  // in `swtee status`); null: the host makes one from the two above.
  std::shared_ptr<SharedPool> instance_pool;
  unsigned max_sessions = 1024;
  // How long a verified TA image is used without asking the store again
  // (LOAD_TA), in ms; 0: every new instance asks. At most 60000
  // (ta_manager/verified_image_cache.h; `swtee-os --ta-image-trust-ms`).
  unsigned image_trust_ms = kDefaultImageTrustMs;
  // How long a TA's spares are kept without a take, in ms
  // (kMinSpareIdleMs..kMaxSpareIdleMs; `swtee-os --spare-idle-ms`).
  unsigned spare_idle_ms = kDefaultSpareIdleMs;
  // TAs run for a debugger (os/ta_manager/debug_image.h): loaded from a
  // real file in debug_dir, without seccomp. Empty: none.
  std::vector<Uuid> debug_tas;
  std::string debug_dir;
};

// The process-based TA host (os/ta_manager).
Result<std::unique_ptr<TaHost>> create_process_ta_host(const TaHostConfig& cfg);

}  // namespace swtee::os
