// GP TEE Internal Core API: REE time and TA persistent time, as Time
// syscalls (protocol/syscalls/time_abi.h). TEE_GetSystemTime and TEE_Wait live
// in api_cancel_time.cc (no OS round trip).
#include "protocol/syscalls/time_abi.h"
#include "ta_runtime/syscall.h"
#include "tee_internal_api.h"

namespace {

namespace abi = swtee::os::time_abi;
using swtee::ta::SysCall;
using swtee::ta::SysResult;

SysResult time_call(abi::TimeFn fn, uint64_t a0 = 0, uint64_t a1 = 0) noexcept {
  SysCall c;
  c.family = swtee::tachan::SysFamily::Time;
  c.fn = static_cast<uint32_t>(fn);
  c.args[0] = a0;
  c.args[1] = a1;
  SysResult res;
  (void)swtee::ta::sys_call(c, {}, &res);
  return res;
}

void check_writable(void* p, size_t n) noexcept {
  if (p == nullptr ||
      TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_WRITE | TEE_MEMORY_ACCESS_ANY_OWNER, p, n) != TEE_SUCCESS)
    TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

}  // namespace

extern "C" {

void TEE_GetREETime(TEE_Time* time) {
  check_writable(time, sizeof(*time));
  const SysResult r = time_call(abi::TimeFn::GetReeTime);
  if (r.ret != TEE_SUCCESS) TEE_Panic(r.ret);
  time->seconds = static_cast<uint32_t>(r.vals[0]);
  time->millis = static_cast<uint32_t>(r.vals[1]);
}

// GP: SUCCESS; OVERFLOW with the seconds truncated to 32 bits;
// TIME_NOT_SET / TIME_NEEDS_RESET / OUT_OF_MEMORY with the time zeroed.
TEE_Result TEE_GetTAPersistentTime(TEE_Time* time) {
  check_writable(time, sizeof(*time));
  const SysResult r = time_call(abi::TimeFn::GetPersistentTime);
  switch (r.ret) {
    case TEE_SUCCESS:
    case TEE_ERROR_OVERFLOW:
      time->seconds = static_cast<uint32_t>(r.vals[0]);
      time->millis = static_cast<uint32_t>(r.vals[1]);
      return r.ret;
    case TEE_ERROR_TIME_NOT_SET:
    case TEE_ERROR_TIME_NEEDS_RESET:
    case TEE_ERROR_OUT_OF_MEMORY:
      time->seconds = 0;
      time->millis = 0;
      return r.ret;
    default:
      TEE_Panic(r.ret);
  }
}

// GP: SUCCESS, OUT_OF_MEMORY, STORAGE_NO_SPACE. millis > 999 is not a
// time: panic (BAD_PARAMETERS), as OP-TEE.
TEE_Result TEE_SetTAPersistentTime(const TEE_Time* time) {
  if (time == nullptr ||
      TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER,
                                  const_cast<TEE_Time*>(time), sizeof(*time)) != TEE_SUCCESS)
    TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  const TEE_Time t = *time;
  if (t.millis > 999) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  const SysResult r = time_call(abi::TimeFn::SetPersistentTime, t.seconds, t.millis);
  switch (r.ret) {
    case TEE_SUCCESS:
    case TEE_ERROR_OUT_OF_MEMORY:
    case TEE_ERROR_STORAGE_NO_SPACE:
      return r.ret;
    default:
      TEE_Panic(r.ret);
  }
}

}  // extern "C"
