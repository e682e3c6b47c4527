// UAPI command dispatch: one table keyed by uapi::UapiCmd. Each handler
// decodes its argument with the UAPI codec, checks it against the context,
// calls the driver and builds the reply argument.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "core/context_impl.h"
#include "uapi/uapi_codec.h"

namespace swtee::core {

struct HandlerReply {
  std::vector<uint8_t> arg;  // the argument as the ioctl leaves it
  // When set, its memfd travels with the reply (SHM_ALLOC); the reference
  // keeps the fd open until the reply is sent.
  std::shared_ptr<Shm> send_fd_of;
  // Undo when the reply cannot be delivered: the client never learns of
  // what the call created (a session is closed, a shm id dropped).
  std::function<void()> on_send_failure;
};

using Handler = Result<HandlerReply> (*)(ContextImpl& ctx, std::span<const uint8_t> arg,
                                         std::vector<UniqueFd>& fds);

// Whether a command can wait on the TEE or the normal world for long. The
// connection hands reading to another thread before running such a call.
enum class Blocking : uint8_t { No, Yes };
// Whether the request may carry SCM_RIGHTS fds; others get EINVAL.
enum class TakesFds : uint8_t { No, Yes };

struct DispatchEntry {
  uapi::UapiCmd cmd;
  Handler handler;  // nullptr: served by the connection itself (SLOT_OPEN)
  Blocking blocking;
  TakesFds takes_fds;
};

const DispatchEntry& dispatch_entry(uapi::UapiCmd cmd);

}  // namespace swtee::core
