// State of the TA runtime inside one TA process.
//
// A TA process hosts exactly one TA instance and GP makes an instance
// single-threaded, so the runtime is one process-wide object: the GP C API
// (TEE_GetInstanceData, TEE_GetCancellationFlag, ...) has no handle to hang
// state on. Only the dispatcher thread touches it.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "protocol/ta_channel_link.h"
#include "protocol/ta_channel_wire.h"
#include "swtee_ta_info.h"
#include "ta_runtime/cpu_affinity.h"
#include "ta_runtime/memref_windows.h"
#include "tee_api_types.h"

namespace swtee::ta {

struct EntryPoints {
  TEE_Result (*create)(void) = nullptr;
  void (*destroy)(void) = nullptr;
  TEE_Result (*open_session)(uint32_t, TEE_Param*, void**) = nullptr;
  void (*close_session)(void*) = nullptr;
  TEE_Result (*invoke)(void*, uint32_t, uint32_t, TEE_Param*) = nullptr;
};

struct Runtime {
  // The TA channel (ta_channel_link.h): the socket until the hello, the
  // shared channel block after it. Null before the process set it up.
  tachan::ChannelLink* link = nullptr;
  const struct swtee_ta_info* info = nullptr;
  EntryPoints ep;
  // The parameter page the OS writes (cancel requests); read only.
  const tachan::ParamPage* page = nullptr;
  // seq of the request being served; 0 outside entry points.
  uint32_t current_seq = 0;
  bool cancel_masked = true;  // the running entry point's session's mask
  const void* instance_data = nullptr;
  TEE_Identity client{};  // client of the session whose entry point runs (gpd.client.identity)
  char uuid_str[40] = "unknown-ta";
  // Loaded for a debugger (--debug-ta): no seccomp, no data limit, and a
  // normal exit runs exit handlers (coverage data is written then).
  bool debug = false;
  // The zygote's ZygoteOptions::allow_without_landlock, inherited by each
  // TA process it forks.
  bool allow_without_landlock = false;
  bool created = false;    // TA_CreateEntryPoint has run (it runs once)
  bool destroyed = false;  // TA_DestroyEntryPoint has run: no request may follow
  int trace_level = 2;     // TRACE_INFO; $SWTEE_TA_LOG_LEVEL (0..4) in the zygote
  MemrefWindows windows;   // the copies of the call's memrefs
  CpuAffinity cpu;         // where the OS asked this process to run (TaRequest.cpu)
  struct Session {
    void* ctx = nullptr;    // sessCtx from TA_OpenSessionEntryPoint
    TEE_Identity client{};  // who opened it
    bool cancel_masked = true;  // the session's cancellation mask (dispatcher.cc)
  };
  std::unordered_map<uint32_t, Session> sessions;  // TA-side id -> session
};

Runtime& runtime();

// True when the call being served has been cancelled (ignores the mask).
bool cancel_requested();

}  // namespace swtee::ta
