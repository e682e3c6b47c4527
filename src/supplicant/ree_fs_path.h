// Validation of REE FS names coming from the secure world. A name is a
// relative path under the storage root: no leading '/', no empty, "." or ".."
// component, no NUL, bounded length and depth. Anything else is rejected
// before any file-system call sees it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace swtee::supp {

inline constexpr size_t kMaxFsNameLen = 1024;
inline constexpr size_t kMaxFsNameDepth = 8;

// Copies the NUL-terminated name out of an RPC buffer (read once). The buffer
// must contain a NUL; bytes after it are ignored (OP-TEE passes a fixed-size
// buffer). nullopt when there is no NUL or the name is too long.
std::optional<std::string> name_from_buffer(std::span<const uint8_t> buf);

// Splits a validated name into components; nullopt if the name is invalid.
// `allow_empty` accepts "" as the root itself (OPENDIR only).
std::optional<std::vector<std::string>> split_fs_name(std::string_view name, bool allow_empty = false);

}  // namespace swtee::supp
