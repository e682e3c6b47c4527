// The system PTA, 3a2f8978-5dc0-11e8-9c2d-fa7ae01bbebc: OP-TEE's system PTA
// UUID and command numbers (SDK header pta_system.h), for the commands an
// OP-TEE TA reaches through its TA API. Only TAs may open it (as on
// OP-TEE: a normal-world client gets TEE_ERROR_ACCESS_DENIED).
//
//   0 PTA_SYSTEM_ADD_RNG_ENTROPY      (MEMREF_INPUT, NONE, NONE, NONE)
//       Mixes the bytes into swtee-os's random pool (credited with no
//       entropy: the caller is not trusted to judge it). At most
//       kSystemMaxEntropy bytes.
//   1 PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY (MEMREF_INPUT, MEMREF_OUTPUT, NONE, NONE)
//       [1] = a key unique to this device, the calling TA and the extra
//       data [0] (at most 1024 bytes); [1].size 16..32 bytes, else
//       BAD_PARAMETERS. The key comes from the HUK (storage key chain).
//   13 PTA_SYSTEM_SUPP_PLUGIN_INVOKE (MEMREF_INPUT, VALUE_INPUT, MEMREF_INOUT,
//                                      VALUE_OUTPUT)
//       [0] the plugin's TEE_UUID (16 bytes), [1].a/.b command and
//       sub-command, [2] data in and out (at most kSystemMaxPluginData),
//       [3].a output length: OPTEE_RPC_CMD_SUPP_PLUGIN to the supplicant,
//       whose plugin's result is the result (tee_invoke_supp_plugin()).
//   2..12 (map/unmap, TA binaries, dlopen/dlsym, set_prot, remap, TPM event
//       log) serve OP-TEE's in-TEE ELF loader and its memory manager, which
//       swtee does not have (TAs are processes): TEE_ERROR_NOT_SUPPORTED.
//   Any other command: TEE_ERROR_NOT_IMPLEMENTED, as OP-TEE answers.
// Wrong param types: TEE_ERROR_BAD_PARAMETERS.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "common/result.h"
#include "os/pta/pseudo_ta.h"

namespace swtee::os {

inline constexpr uint32_t kSystemCmdAddRngEntropy = 0;
inline constexpr uint32_t kSystemCmdDeriveTaUniqueKey = 1;
inline constexpr size_t kSystemDerivedKeyMin = 16;
inline constexpr size_t kSystemDerivedKeyMax = 32;
inline constexpr size_t kSystemExtraDataMax = 1024;
inline constexpr size_t kSystemMaxEntropy = 4096;
inline constexpr uint32_t kSystemCmdSuppPluginInvoke = 13;
inline constexpr uint32_t kSystemLastKnownCmd = 13;
// Largest data buffer a plugin invocation carries (the supplicant's bound).
inline constexpr size_t kSystemMaxPluginData = 1u << 20;

// Fills `out` (16..32 bytes) with the key unique to TA `ta` and `extra`.
using TaUniqueKeyFn = std::function<Status(const Uuid& ta, std::span<const uint8_t> extra,
                                           std::span<uint8_t> out, CallContext&)>;

class SystemPta final : public PseudoTa {
 public:
  static const Uuid kUuid;
  explicit SystemPta(TaUniqueKeyFn derive) : derive_(std::move(derive)) {}

  const Uuid& uuid() const override { return kUuid; }
  const char* name() const override { return "system"; }
  GpResult open_session(PtaSession& session, OsParams& params, CallContext& call) override;
  GpResult invoke(const PtaSession& session, uint32_t cmd, OsParams& params, CallContext& call) override;

 private:
  TaUniqueKeyFn derive_;
};

}  // namespace swtee::os
