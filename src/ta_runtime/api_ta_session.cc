// GP TEE Internal Core API: TA-to-TA sessions (TEE_OpenTASession,
// TEE_InvokeTACommand, TEE_CloseTASession and the GP 1.1 variants), as
// TaSession syscalls (protocol/syscalls/ta_session_abi.h).
//
// Memrefs: whatever memory the caller names (heap, stack, globals, a memref
// its own client passed) is copied into one BulkBuffer per memref: input
// and inout bytes in before the call, output and inout bytes back after
// it, when the callee answered (origin TRUSTED_APP) and its reported size
// fits the buffer. A larger reported size (the SHORT_BUFFER idiom) is
// passed back as the size with no bytes copied. A NULL memref of size 0
// passes as such; a NULL memref with a size is BAD_PARAMETERS, origin TEE,
// as OP-TEE's syscall answers (utee_param_to_param).
//
// Panics (GP "Panic Reasons"): an invalid session handle, a NULL
// destination or session pointer, an unknown parameter type, a NULL
// params array with parameters declared, and a memref the caller cannot
// access as its direction needs (TEE_CheckMemoryAccessRights). An open
// returns whatever the TEE reports (BUSY for a self-call or cycle,
// ITEM_NOT_FOUND, ...). An invoke, as OP-TEE's TEE_InvokeTACommand,
// returns what the callee answered (origin TRUSTED_APP) and, from the TEE,
// only OUT_OF_MEMORY and TARGET_DEAD: any other TEE result panics the
// caller (GP: an error with no defined return code). One exception: BUSY,
// which the OS answers after waiting a bounded time for a single-instance
// callee busy in a cycle of calls (process_ta_host.h, kNestedLockWait).
// OP-TEE has no such answer: its core waits for ever there, or panics
// itself when the cycle is on one thread; a caller that gets BUSY can go on.
#include <array>
#include <cstring>
#include <optional>

#include "common/uuid.h"
#include "protocol/syscalls/ta_session_abi.h"
#include "ta_runtime/bulk_buffer.h"
#include "ta_runtime/handle_registry.h"
#include "ta_runtime/runtime_state.h"
#include "ta_runtime/syscall.h"
#include "tee_internal_api.h"

namespace {

namespace abi = swtee::os::ta_session_abi;
using swtee::ta::BulkBuffer;
using swtee::ta::SysCall;
using swtee::ta::SysResult;

struct TaSessionObj {
  uint64_t id = 0;  // the OS's id, scoped to this instance
};

// More than the OS allows open per instance (its limit answers first).
constexpr size_t kMaxTaSessionHandles = 256;

using TaSessionRegistry =
    swtee::ta::HandleRegistry<TaSessionObj, kMaxTaSessionHandles, swtee::ta::HandleTag::kTaSession>;

TaSessionRegistry& handles() {
  static TaSessionRegistry r;
  return r;
}

TaSessionObj* session_of(TEE_TASessionHandle h) noexcept {
  TaSessionObj* s = handles().lookup(h);
  if (s == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  return s;
}

bool is_memref(uint32_t t) {
  return t == TEE_PARAM_TYPE_MEMREF_INPUT || t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
         t == TEE_PARAM_TYPE_MEMREF_INOUT;
}
bool is_value(uint32_t t) {
  return t == TEE_PARAM_TYPE_VALUE_INPUT || t == TEE_PARAM_TYPE_VALUE_OUTPUT ||
         t == TEE_PARAM_TYPE_VALUE_INOUT;
}
bool is_output(uint32_t t) {
  return t == TEE_PARAM_TYPE_VALUE_OUTPUT || t == TEE_PARAM_TYPE_VALUE_INOUT ||
         t == TEE_PARAM_TYPE_MEMREF_OUTPUT || t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

// One call: open (dest != nullptr) or invoke. P is TEE_Param or the GP 1.1
// __GP11_TEE_Param (u32 memref sizes). *origin is always set.
template <typename P>
TEE_Result ta_call(const TEE_UUID* dest, uint64_t session, uint32_t timeout, uint32_t cmd, uint32_t types,
                   P* params, uint64_t* new_id, uint32_t* origin) noexcept {
  *origin = TEE_ORIGIN_TEE;
  abi::TsCallIn in{};
  in.session = session;
  in.cmd = cmd;
  in.timeout_ms = timeout;
  in.param_types = types;
  if (swtee::ta::runtime().cancel_masked) in.flags |= abi::kTsFlagCancelMasked;
  if (dest != nullptr) {
    // The wire carries RFC 4122 octets; TEE_UUID holds native integers.
    const swtee::Uuid u = swtee::uuid_from_gp(*dest);
    static_assert(sizeof(in.uuid) == sizeof(u.octets));
    std::memcpy(in.uuid, u.octets.data(), sizeof(in.uuid));
  }

  // Validate everything (panicking where GP says) before creating anything.
  for (uint32_t i = 0; i < TEE_NUM_PARAMS; ++i) {
    const uint32_t t = TEE_PARAM_TYPE_GET(types, i);
    if (t == TEE_PARAM_TYPE_NONE) continue;
    if (!is_value(t) && !is_memref(t)) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
    if (params == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
    if (!is_memref(t) || params[i].memref.buffer == nullptr || params[i].memref.size == 0) continue;
    uint32_t need = TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER;
    if (t != TEE_PARAM_TYPE_MEMREF_INPUT) need |= TEE_MEMORY_ACCESS_WRITE;
    if (TEE_CheckMemoryAccessRights(need, params[i].memref.buffer, params[i].memref.size) != TEE_SUCCESS)
      TEE_Panic(TEE_ERROR_ACCESS_DENIED);
  }

  std::array<std::optional<BulkBuffer>, TEE_NUM_PARAMS> bulk;
  std::array<int, TEE_NUM_PARAMS> fds{};
  uint32_t nfds = 0;
  for (uint32_t i = 0; i < TEE_NUM_PARAMS; ++i) {
    const uint32_t t = TEE_PARAM_TYPE_GET(types, i);
    abi::TsParamIn& w = in.params[i];
    w.type = t;
    w.fd_index = abi::kNoFd;
    if (t == TEE_PARAM_TYPE_NONE) continue;
    if (is_value(t)) {
      // Output values carry nothing in; GP leaves their content undefined.
      if (t != TEE_PARAM_TYPE_VALUE_OUTPUT) {
        w.a = params[i].value.a;
        w.b = params[i].value.b;
      }
      continue;
    }
    const uint64_t size = params[i].memref.size;
    w.b = size;
    if (params[i].memref.buffer == nullptr) {
      if (size != 0) return TEE_ERROR_BAD_PARAMETERS;  // *origin is TEE
      continue;
    }
    if (size > swtee::tachan::kMaxSyscallBulk) return TEE_ERROR_OUT_OF_MEMORY;
    auto b = BulkBuffer::create(size == 0 ? 1 : size);
    if (!b.ok()) return TEE_ERROR_OUT_OF_MEMORY;
    if (t != TEE_PARAM_TYPE_MEMREF_OUTPUT && size != 0)
      std::memcpy(b->bytes().data(), params[i].memref.buffer, size);
    bulk[i].emplace(std::move(*b));
    w.fd_index = nfds;
    fds[nfds++] = bulk[i]->fd();
  }

  SysCall c;
  c.family = swtee::tachan::SysFamily::TaSession;
  c.fn = static_cast<uint32_t>(dest != nullptr ? abi::TaSessionFn::Open : abi::TaSessionFn::Invoke);
  c.in = {reinterpret_cast<const uint8_t*>(&in), sizeof(in)};
  c.fds = {fds.data(), nfds};
  abi::TsCallOut out{};
  SysResult res;
  const TEE_Result r = swtee::ta::sys_call(c, {reinterpret_cast<uint8_t*>(&out), sizeof(out)}, &res);
  *origin = res.origin;
  if (new_id != nullptr) *new_id = res.vals[0];
  if (res.origin != TEE_ORIGIN_TRUSTED_APP || res.out_len != sizeof(out)) return r;

  for (uint32_t i = 0; i < TEE_NUM_PARAMS; ++i) {
    const uint32_t t = TEE_PARAM_TYPE_GET(types, i);
    if (!is_output(t)) continue;
    if (is_value(t)) {
      params[i].value.a = static_cast<uint32_t>(out.params[i].a);
      params[i].value.b = static_cast<uint32_t>(out.params[i].b);
      continue;
    }
    const uint64_t given = params[i].memref.size;
    const uint64_t reported = out.params[i].a;
    if (bulk[i] && reported <= given && reported != 0)
      std::memcpy(params[i].memref.buffer, bulk[i]->bytes().data(), reported);
    using SizeT = decltype(params[i].memref.size);
    params[i].memref.size = reported > static_cast<uint64_t>(static_cast<SizeT>(-1))
                                ? static_cast<SizeT>(-1)
                                : static_cast<SizeT>(reported);
  }
  return r;
}

template <typename P>
TEE_Result open_ta_session(const TEE_UUID* destination, uint32_t timeout, uint32_t types, P* params,
                           TEE_TASessionHandle* session, uint32_t* returnOrigin) noexcept {
  if (destination == nullptr || session == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  *session = TEE_HANDLE_NULL;
  TaSessionObj* obj = handles().create();
  uint32_t origin = TEE_ORIGIN_TEE;
  TEE_Result r = TEE_ERROR_OUT_OF_MEMORY;
  if (obj != nullptr) {
    uint64_t id = 0;
    r = ta_call(destination, 0, timeout, 0, types, params, &id, &origin);
    if (r == TEE_SUCCESS && id != 0) {
      obj->id = id;
      *session = handles().handle_of<TEE_TASessionHandle>(obj);
    } else {
      handles().destroy(obj);
      if (r == TEE_SUCCESS) r = TEE_ERROR_GENERIC;  // an OS that returned no session
    }
  }
  if (returnOrigin != nullptr) *returnOrigin = origin;
  return r;
}

template <typename P>
TEE_Result invoke_ta_command(TEE_TASessionHandle session, uint32_t timeout, uint32_t cmd, uint32_t types,
                             P* params, uint32_t* returnOrigin) noexcept {
  TaSessionObj* obj = session_of(session);
  uint32_t origin = TEE_ORIGIN_TEE;
  const TEE_Result r = ta_call<P>(nullptr, obj->id, timeout, cmd, types, params, nullptr, &origin);
  if (returnOrigin != nullptr) *returnOrigin = origin;
  if (origin != TEE_ORIGIN_TRUSTED_APP && r != TEE_SUCCESS && r != TEE_ERROR_OUT_OF_MEMORY &&
      r != TEE_ERROR_TARGET_DEAD && r != TEE_ERROR_BUSY)
    TEE_Panic(r);
  return r;
}

}  // namespace

extern "C" {

TEE_Result TEE_OpenTASession(const TEE_UUID* destination, uint32_t cancellationRequestTimeout,
                             uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                             TEE_TASessionHandle* session, uint32_t* returnOrigin) {
  return open_ta_session(destination, cancellationRequestTimeout, paramTypes, params, session, returnOrigin);
}

TEE_Result __GP11_TEE_OpenTASession(const TEE_UUID* destination, uint32_t cancellationRequestTimeout,
                                    uint32_t paramTypes, __GP11_TEE_Param params[TEE_NUM_PARAMS],
                                    TEE_TASessionHandle* session, uint32_t* returnOrigin) {
  return open_ta_session(destination, cancellationRequestTimeout, paramTypes, params, session, returnOrigin);
}

TEE_Result TEE_InvokeTACommand(TEE_TASessionHandle session, uint32_t cancellationRequestTimeout,
                               uint32_t commandID, uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                               uint32_t* returnOrigin) {
  return invoke_ta_command(session, cancellationRequestTimeout, commandID, paramTypes, params, returnOrigin);
}

TEE_Result __GP11_TEE_InvokeTACommand(TEE_TASessionHandle session, uint32_t cancellationRequestTimeout,
                                      uint32_t commandID, uint32_t paramTypes,
                                      __GP11_TEE_Param params[TEE_NUM_PARAMS], uint32_t* returnOrigin) {
  return invoke_ta_command(session, cancellationRequestTimeout, commandID, paramTypes, params, returnOrigin);
}

// TEE_HANDLE_NULL is a no-op (as OP-TEE); any other unknown handle panics.
void TEE_CloseTASession(TEE_TASessionHandle session) {
  if (session == TEE_HANDLE_NULL) return;
  TaSessionObj* obj = session_of(session);
  SysCall c;
  c.family = swtee::tachan::SysFamily::TaSession;
  c.fn = static_cast<uint32_t>(abi::TaSessionFn::Close);
  c.args[0] = obj->id;
  SysResult res;
  (void)swtee::ta::sys_call(c, {}, &res);
  handles().destroy(obj);
}

}  // extern "C"
