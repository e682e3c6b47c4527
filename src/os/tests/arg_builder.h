// Builds optee_msg_arg structs in a byte buffer, the way a driver lays them
// out in a carve-out slot.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "common/uuid.h"
#include "protocol/optee_msg.h"

namespace swtee::os::testing {

class ArgWriter {
 public:
  // Clears the area: a fresh arg.
  explicit ArgWriter(std::span<uint8_t> area) : area_(area) { std::memset(area.data(), 0, area.size()); }
  // Wraps an arg already in the area (to read results).
  static ArgWriter view(std::span<uint8_t> area) { return ArgWriter(area, 0); }

  ArgWriter& cmd(optee::MsgCmd c) { return header(&optee::MsgArg::cmd, static_cast<uint32_t>(c)); }
  ArgWriter& raw_cmd(uint32_t c) { return header(&optee::MsgArg::cmd, c); }
  ArgWriter& func(uint32_t v) { return header(&optee::MsgArg::func, v); }
  ArgWriter& session(uint32_t v) { return header(&optee::MsgArg::session, v); }
  ArgWriter& cancel_id(uint32_t v) { return header(&optee::MsgArg::cancel_id, v); }
  ArgWriter& num_params(uint32_t v) { return header(&optee::MsgArg::num_params, v); }
  ArgWriter& param(uint32_t i, uint64_t attr, uint64_t a, uint64_t b, uint64_t c) {
    const uint64_t w[4] = {attr, a, b, c};
    std::memcpy(area_.data() + sizeof(optee::MsgArg) + i * sizeof(optee::MsgParam), w, sizeof(w));
    return *this;
  }
  // OPEN_SESSION meta params [0] TA uuid, [1] client uuid + login.
  // `uid_word`: value.c of the TA-UUID param (protocol/opener_uid.h).
  ArgWriter& open_meta(const Uuid& ta, const Uuid& client, uint64_t login, uint64_t uid_word = 0) {
    uint64_t w[4];
    std::memcpy(w, ta.octets.data(), 16);
    std::memcpy(w + 2, client.octets.data(), 16);
    param(0, optee::kAttrMeta | optee::kAttrTypeValueInput, w[0], w[1], uid_word);
    return param(1, optee::kAttrMeta | optee::kAttrTypeValueInput, w[2], w[3], login);
  }

  uint32_t u32(size_t off) const {
    uint32_t v;
    std::memcpy(&v, area_.data() + off, sizeof(v));
    return v;
  }
  uint32_t ret() const { return u32(offsetof(optee::MsgArg, ret)); }
  uint32_t ret_origin() const { return u32(offsetof(optee::MsgArg, ret_origin)); }
  uint32_t session_out() const { return u32(offsetof(optee::MsgArg, session)); }
  uint64_t pword(uint32_t i, unsigned word) const {  // word 0 attr, 1 a, 2 b, 3 c
    uint64_t v;
    std::memcpy(&v, area_.data() + sizeof(optee::MsgArg) + i * sizeof(optee::MsgParam) + word * 8, sizeof(v));
    return v;
  }

 private:
  ArgWriter& header(uint32_t optee::MsgArg::*field, uint32_t v) {
    optee::MsgArg h;
    std::memcpy(&h, area_.data(), sizeof(h));
    h.*field = v;
    std::memcpy(area_.data(), &h, sizeof(h));
    return *this;
  }
  ArgWriter(std::span<uint8_t> area, int) : area_(area) {}
  std::span<uint8_t> area_;
};

}  // namespace swtee::os::testing
