// The TA store: finds `<dir>/<uuid>.ta` over an ordered list of directories
// (first hit wins; the legacy 8-4-4-16 spelling is tried after the standard
// one in each directory). The file name is built here from the UUID octets,
// so nothing the secure world sends can name a path; the file is opened
// relative to the directory and must be a regular file within the size limit.
// The supplicant returns the raw image; swtee-os verifies it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "common/uuid.h"

namespace swtee::supp {

// Largest image served: the 64 MiB payload limit plus header slack.
inline constexpr uint64_t kMaxTaFileSize = (64ull << 20) + 4096;

struct TaFile {
  UniqueFd fd;
  uint64_t size = 0;
  std::string path;  // for logs
};

class TaStore {
 public:
  explicit TaStore(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}

  // ENOENT when no directory has the TA, EFBIG when it exceeds the limit.
  Result<TaFile> find(const Uuid& uuid) const;

  // LOAD_TA semantics as a TEEC_Result. `buf` empty and `null_buf`: size
  // query (SUCCESS, *size = image size). Too small: SHORT_BUFFER with *size.
  // Otherwise the image is copied into buf and *size is the bytes written.
  uint32_t load(const Uuid& uuid, bool null_buf, std::span<uint8_t> buf, uint64_t* size) const;

  // Every `<uuid>.ta` in the directories (first occurrence of each UUID).
  std::vector<std::pair<Uuid, std::string>> list() const;

  const std::vector<std::string>& dirs() const { return dirs_; }

 private:
  std::vector<std::string> dirs_;
};

// The legacy OP-TEE file name spelling: 8-4-4-16 (clock_seq and node joined).
std::string legacy_ta_name(const Uuid& uuid);

}  // namespace swtee::supp
