// The Time syscall family (SysFamily::Time): function numbers and result
// layout shared by the TA runtime (ta_runtime/api_time.cc) and the OS
// handler (time_family.cc). Plain data only: both sides include it.
//
// Every function answers in SysResult.vals (no inline bytes either way):
//   GetReeTime:        vals[0] seconds, vals[1] milliseconds.
//   GetPersistentTime: ret SUCCESS / OVERFLOW (vals[0] seconds truncated to
//                      32 bits, vals[1] milliseconds), TIME_NOT_SET,
//                      TIME_NEEDS_RESET, or a resource error.
//   SetPersistentTime: args[0] seconds (u32), args[1] milliseconds (< 1000).
#pragma once

#include <cstdint>

namespace swtee::os::time_abi {

enum class TimeFn : uint32_t {
  GetReeTime = 0,
  GetPersistentTime = 1,
  SetPersistentTime = 2,
};
inline constexpr uint32_t kNumTimeFns = 3;

}  // namespace swtee::os::time_abi
