// TEEC_Result values the supplicant answers RPCs with (tee_client_api.h
// numbering; GP results are data in the SUPPL_SEND reply, never Errors).
#pragma once

#include <cstdint>

namespace swtee::supp {

inline constexpr uint32_t kTeecSuccess = 0x00000000;
inline constexpr uint32_t kTeecErrorStorageNotAvailable = 0xF0100003;
inline constexpr uint32_t kTeecErrorGeneric = 0xFFFF0000;
inline constexpr uint32_t kTeecErrorAccessDenied = 0xFFFF0001;
inline constexpr uint32_t kTeecErrorAccessConflict = 0xFFFF0003;
inline constexpr uint32_t kTeecErrorBadParameters = 0xFFFF0006;
inline constexpr uint32_t kTeecErrorBadState = 0xFFFF0007;
inline constexpr uint32_t kTeecErrorItemNotFound = 0xFFFF0008;
inline constexpr uint32_t kTeecErrorNotSupported = 0xFFFF000A;
inline constexpr uint32_t kTeecErrorOutOfMemory = 0xFFFF000C;
inline constexpr uint32_t kTeecErrorBusy = 0xFFFF000D;
inline constexpr uint32_t kTeecErrorShortBuffer = 0xFFFF0010;
inline constexpr uint32_t kTeeErrorStorageNoSpace = 0xFFFF3041;

}  // namespace swtee::supp
