// How storage failures travel: as swtee::Error with these errno classes, and
// how they become GP results for the TA-facing layer.
#pragma once

#include <cerrno>
#include <cstdint>

#include "common/result.h"
#include "protocol/gp_results.h"

namespace swtee::os::storage {

// Authentication failed or the format is invalid: TEE_ERROR_CORRUPT_OBJECT.
inline constexpr int kErrCorrupt = EBADMSG;
// The store is older than the rollback anchor says: TEE_ERROR_CORRUPT_OBJECT
// too (GP v1.1.2 §5.7.1), but kept apart so callers do not delete objects
// of a rolled-back store as if one object were corrupt.
inline constexpr int kErrRollback = ESTALE;

// The GP TEE Internal Core result for a storage Error.
uint32_t gp_result_of(const Error& e);

inline Error corrupt(const char* what) { return Error{kErrCorrupt, what}; }

}  // namespace swtee::os::storage
