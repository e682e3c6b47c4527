// Reads a TA's identity from its ELF shared object without loading it: the
// `swtee_ta_info` record that sdk/user_ta_header.c puts in every TA
// (include/swtee_ta_info.h). Used by `swtee sign` to take the UUID and
// flags from the TA itself rather than from the command line.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/uuid.h"

namespace swtee::taimg {

struct TaElfInfo {
  Uuid uuid;
  uint32_t flags = 0;
};

// Parses `so` as a little-endian ELF64 ET_DYN object, finds the exported
// data symbol `swtee_ta_info` in .dynsym and reads abi_version (must be 1),
// uuid and flags from the file bytes of its section. Every offset and size
// is bounds-checked; nothing is executed or relocated.
// Errors: ENOEXEC (not such an ELF, or malformed), ENOENT (no exported
// swtee_ta_info), EPROTO (abi_version other than 1, or record too small).
Result<TaElfInfo> read_ta_info_from_elf(std::span<const uint8_t> so);

}  // namespace swtee::taimg
