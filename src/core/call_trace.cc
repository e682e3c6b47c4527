#include "core/call_trace.h"

#include "protocol/gp_results.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace swtee::core::trace {

std::atomic<int> g_fd{-1};

void enable(int fd) { g_fd.store(fd, std::memory_order_relaxed); }

namespace {

// TEEC_PARAM_TYPES spelling of one parameter, as OP-TEE's tools print it.
const char* param_name(ParamType t) {
  switch (t) {
    case ParamType::None:
      return "NONE";
    case ParamType::ValueInput:
      return "VALUE_INPUT";
    case ParamType::ValueOutput:
      return "VALUE_OUTPUT";
    case ParamType::ValueInout:
      return "VALUE_INOUT";
    case ParamType::MemrefInput:
      return "MEMREF_INPUT";
    case ParamType::MemrefOutput:
      return "MEMREF_OUTPUT";
    case ParamType::MemrefInout:
      return "MEMREF_INOUT";
  }
  return "?";
}

}  // namespace

std::string format(const Call& c) {
  std::string params;
  if (c.params != nullptr) {
    for (const auto& p : *c.params) {
      if (p.meta) continue;  // open-session's UUID/login pair is the core's, not the client's
      params += params.empty() ? "" : ",";
      params += param_name(p.type);
    }
  }
  const double us = static_cast<double>(c.duration.count()) / 1000.0;
  // close-session has no GP result: only whether the core's call failed.
  std::string result = c.error != 0 ? fmt::format("error {}", std::strerror(c.error))
                       : std::strcmp(c.op, "close") == 0
                           ? std::string("ok")
                           : fmt::format("0x{:08x} ({}) origin {}", c.ret, gp_result_name(c.ret), gp_origin_name(c.origin));
  return fmt::format("swtee-trace: pid {} {} ta {} session {} cmd 0x{:x} params ({}) {:.1f}us = {}", c.pid,
                     c.op, c.ta != nullptr ? c.ta->to_string() : std::string("?"), c.session, c.func, params,
                     us, result);
}

void emit(const Call& c) {
  const int fd = g_fd.load(std::memory_order_relaxed);
  if (fd < 0) return;
  std::string line = format(c) + "\n";
  (void)!::write(fd, line.data(), line.size());
}

}  // namespace swtee::core::trace
