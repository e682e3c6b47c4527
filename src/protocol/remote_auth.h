// The TCP challenge-response of the remote protocol (remote_wire.h): the
// host sends a fresh random nonce, the guest answers
// HMAC-SHA256(key, "swtee-remote-v1" || nonce || name). The key is
// per guest; which key answered is what names the guest on the host.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "protocol/remote_wire.h"

namespace swtee::remote {

using Nonce = std::array<uint8_t, kNonceLen>;
using Mac = std::array<uint8_t, kMacLen>;

// Shortest key accepted (bytes).
inline constexpr size_t kMinKeyLen = 16;

[[nodiscard]] Result<Nonce> make_nonce();
[[nodiscard]] Result<Mac> auth_mac(std::span<const uint8_t> key, const Nonce& nonce, std::string_view name);
// Constant-time comparison.
bool mac_equal(const Mac& a, const Mac& b);
// Reads a key file: its bytes, a trailing newline dropped, at least
// kMinKeyLen long. The file must not be readable by group or others.
[[nodiscard]] Result<std::vector<uint8_t>> read_key_file(const std::string& path);

}  // namespace swtee::remote
