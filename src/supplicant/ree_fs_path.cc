#include "supplicant/ree_fs_path.h"

#include <algorithm>
#include <cstring>

namespace swtee::supp {

std::optional<std::string> name_from_buffer(std::span<const uint8_t> buf) {
  if (buf.empty()) return std::nullopt;
  const size_t limit = std::min(buf.size(), kMaxFsNameLen + 1);
  const void* nul = std::memchr(buf.data(), 0, limit);
  if (nul == nullptr) return std::nullopt;
  const size_t len = static_cast<size_t>(static_cast<const uint8_t*>(nul) - buf.data());
  return std::string(reinterpret_cast<const char*>(buf.data()), len);
}

std::optional<std::vector<std::string>> split_fs_name(std::string_view name, bool allow_empty) {
  std::vector<std::string> parts;
  if (name.empty()) {
    if (allow_empty) return parts;
    return std::nullopt;
  }
  if (name.size() > kMaxFsNameLen || name.front() == '/' || name.find('\0') != std::string_view::npos)
    return std::nullopt;
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t end = name.find('/', pos);
    if (end == std::string_view::npos) end = name.size();
    std::string_view comp = name.substr(pos, end - pos);
    if (comp.empty() || comp == "." || comp == "..") return std::nullopt;
    parts.emplace_back(comp);
    if (parts.size() > kMaxFsNameDepth) return std::nullopt;
    pos = end + 1;
  }
  return parts;
}

}  // namespace swtee::supp
