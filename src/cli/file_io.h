// Whole-file reads with a size limit, and atomic writes (temporary file in the
// same directory, fsync, rename), for the sign tool.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace swtee::cli {

// EFBIG when the file is larger than max_size.
Result<std::vector<uint8_t>> read_file(const std::string& path, uint64_t max_size);

// Replaces (or creates) `path` atomically with `mode`. With `exclusive`, an
// existing `path` is EEXIST and left alone.
Status write_file_atomic(const std::string& path, std::span<const uint8_t> data, unsigned mode,
                         bool exclusive = false);

}  // namespace swtee::cli
