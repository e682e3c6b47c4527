// The one table of GP result codes and origins (TEE_Result / TEEC_Result).
//
// A TA's result crosses every process of the stack as data: TA -> swtee-os
// (TA channel) -> OP-TEE driver (OPTEE_MSG ret/ret_origin) -> client (UAPI
// ret/ret_origin). The Client API's TEEC_ERROR_* and the Internal Core API's
// TEE_ERROR_* share one numbering, so one set of constants serves both ends.
// Values: GP TEE Internal Core API 1.3.1 §3.3 and Client API 1.0 §4.4.2.
#pragma once

#include <cstdint>
#include <string_view>

namespace swtee {

// GP result pair (TEE_Result, origin) as data.
struct GpResult {
  uint32_t ret = 0;
  uint32_t origin = 0;
};

#define SWTEE_GP_RESULTS(X)                                               \
  X(kTeeSuccess, 0x00000000, "SUCCESS")                                   \
  X(kTeeErrorCorruptObject, 0xF0100001, "CORRUPT_OBJECT")                 \
  X(kTeeErrorCorruptObject2, 0xF0100002, "CORRUPT_OBJECT_2")              \
  X(kTeeErrorStorageNotAvailable, 0xF0100003, "STORAGE_NOT_AVAILABLE")    \
  X(kTeeErrorStorageNotAvailable2, 0xF0100004, "STORAGE_NOT_AVAILABLE_2") \
  X(kTeeErrorUnsupportedVersion, 0xF0100005, "UNSUPPORTED_VERSION")       \
  X(kTeeErrorCiphertextInvalid, 0xF0100006, "CIPHERTEXT_INVALID")         \
  X(kTeeErrorGeneric, 0xFFFF0000, "GENERIC")                              \
  X(kTeeErrorAccessDenied, 0xFFFF0001, "ACCESS_DENIED")                   \
  X(kTeeErrorCancel, 0xFFFF0002, "CANCEL")                                \
  X(kTeeErrorAccessConflict, 0xFFFF0003, "ACCESS_CONFLICT")               \
  X(kTeeErrorExcessData, 0xFFFF0004, "EXCESS_DATA")                       \
  X(kTeeErrorBadFormat, 0xFFFF0005, "BAD_FORMAT")                         \
  X(kTeeErrorBadParameters, 0xFFFF0006, "BAD_PARAMETERS")                 \
  X(kTeeErrorBadState, 0xFFFF0007, "BAD_STATE")                           \
  X(kTeeErrorItemNotFound, 0xFFFF0008, "ITEM_NOT_FOUND")                  \
  X(kTeeErrorNotImplemented, 0xFFFF0009, "NOT_IMPLEMENTED")               \
  X(kTeeErrorNotSupported, 0xFFFF000A, "NOT_SUPPORTED")                   \
  X(kTeeErrorNoData, 0xFFFF000B, "NO_DATA")                               \
  X(kTeeErrorOutOfMemory, 0xFFFF000C, "OUT_OF_MEMORY")                    \
  X(kTeeErrorBusy, 0xFFFF000D, "BUSY")                                    \
  X(kTeeErrorCommunication, 0xFFFF000E, "COMMUNICATION")                  \
  X(kTeeErrorSecurity, 0xFFFF000F, "SECURITY")                            \
  X(kTeeErrorShortBuffer, 0xFFFF0010, "SHORT_BUFFER")                     \
  X(kTeeErrorExternalCancel, 0xFFFF0011, "EXTERNAL_CANCEL")               \
  X(kTeeErrorTimeout, 0xFFFF3001, "TIMEOUT")                              \
  X(kTeeErrorOverflow, 0xFFFF300F, "OVERFLOW")                            \
  X(kTeeErrorTargetDead, 0xFFFF3024, "TARGET_DEAD")                       \
  X(kTeeErrorStorageNoSpace, 0xFFFF3041, "STORAGE_NO_SPACE")              \
  X(kTeeErrorMacInvalid, 0xFFFF3071, "MAC_INVALID")                       \
  X(kTeeErrorSignatureInvalid, 0xFFFF3072, "SIGNATURE_INVALID")           \
  X(kTeeErrorTimeNotSet, 0xFFFF5000, "TIME_NOT_SET")                      \
  X(kTeeErrorTimeNeedsReset, 0xFFFF5001, "TIME_NEEDS_RESET")

#define SWTEE_GP_ORIGINS(X)      \
  X(kTeeOriginApi, 1, "API")     \
  X(kTeeOriginComms, 2, "COMMS") \
  X(kTeeOriginTee, 3, "TEE")     \
  X(kTeeOriginTrustedApp, 4, "TRUSTED_APP")

#define SWTEE_GP_DEFINE(name, value, text) inline constexpr uint32_t name = value;
SWTEE_GP_RESULTS(SWTEE_GP_DEFINE)
SWTEE_GP_ORIGINS(SWTEE_GP_DEFINE)
#undef SWTEE_GP_DEFINE

// "ITEM_NOT_FOUND" for 0xFFFF0008; an empty view for a code GP does not name
// (TAs may return their own codes).
constexpr std::string_view gp_result_name(uint32_t ret) {
#define SWTEE_GP_CASE(name, value, text) \
  case value:                            \
    return text;
  switch (ret) { SWTEE_GP_RESULTS(SWTEE_GP_CASE) }
  return {};
}

// "TRUSTED_APP" for 4; empty for an unknown origin.
constexpr std::string_view gp_origin_name(uint32_t origin) {
  switch (origin) { SWTEE_GP_ORIGINS(SWTEE_GP_CASE) }
#undef SWTEE_GP_CASE
  return {};
}

}  // namespace swtee
