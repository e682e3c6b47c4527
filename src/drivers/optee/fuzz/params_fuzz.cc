// libFuzzer target for the OP-TEE driver's parameter codec on what the
// secure world writes (param_codec.h): the results of a call (checked
// against the types the driver sent) and the params of an RPC request
// (cookies resolved against the supplicant's shm, ranges checked). Input:
// up to four rounds of { u8 sent type | u8 null memref | MsgParam (32 bytes) }.
// What decodes must satisfy the codec's promises: a decoded RPC memref lies
// inside its shm, and a call result never changes the param's type.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/shm.h"
#include "drivers/optee/param_codec.h"

using namespace swtee;

namespace {

const std::shared_ptr<core::Shm>& shm4k() {
  static const auto s = std::make_shared<core::Shm>(1, core::Shm::Kind::Alloc, UniqueFd(), 4096, nullptr);
  return s;
}

std::shared_ptr<core::Shm> resolve(uint64_t cookie) { return cookie == 0x1000 ? shm4k() : nullptr; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kRound = 2 + sizeof(optee::MsgParam);
  for (size_t i = 0; i < 4 && size >= kRound; ++i, data += kRound, size -= kRound) {
    optee::MsgParam m;
    std::memcpy(&m, data + 2, sizeof(m));

    core::TeeParam sent;
    sent.type = static_cast<core::ParamType>(data[0] % 8);
    if (core::is_memref(sent.type) && (data[1] & 1) == 0) sent.memref = {0, 16, shm4k()};
    const core::ParamType type = sent.type;
    if (optee::decode_call_result(m, sent).ok() && sent.type != type) __builtin_trap();

    auto p = optee::decode_rpc_param(m, resolve);
    if (!p.ok()) continue;
    if (core::is_memref(p->type) && p->memref.shm != nullptr) {
      const uint64_t end = p->memref.shm_offs + p->memref.size;
      if (end < p->memref.shm_offs || end > p->memref.shm->size()) __builtin_trap();
    }
    optee::MsgParam back = m;
    optee::encode_rpc_result(*p, back);
    if (back.attr != m.attr) __builtin_trap();
  }
  return 0;
}
