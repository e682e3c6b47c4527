// TEEC result codes and origins the driver produces itself (GP TEE Client
// API values; the same numbers the kernel's OP-TEE driver uses).
#pragma once

#include <cstdint>

namespace swtee::optee {

inline constexpr uint32_t kTeecSuccess = 0x00000000;
inline constexpr uint32_t kTeecErrorGeneric = 0xFFFF0000;
inline constexpr uint32_t kTeecErrorBadParameters = 0xFFFF0006;
inline constexpr uint32_t kTeecErrorBadState = 0xFFFF0007;
inline constexpr uint32_t kTeecErrorItemNotFound = 0xFFFF0008;
inline constexpr uint32_t kTeecErrorNotSupported = 0xFFFF000A;
inline constexpr uint32_t kTeecErrorOutOfMemory = 0xFFFF000C;
inline constexpr uint32_t kTeecErrorBusy = 0xFFFF000D;
inline constexpr uint32_t kTeecErrorCommunication = 0xFFFF000E;
inline constexpr uint32_t kTeeErrorTimeout = 0xFFFF3001;

inline constexpr uint32_t kTeecOriginApi = 1;
inline constexpr uint32_t kTeecOriginComms = 2;
inline constexpr uint32_t kTeecOriginTee = 3;
inline constexpr uint32_t kTeecOriginTrustedApp = 4;

}  // namespace swtee::optee
