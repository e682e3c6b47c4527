// The hardware-unique key: 32 random bytes per device, the root of every
// storage key (key_chain.h).
//
// Source (README.md, "HUK"): the launcher opens <state>/huk (0600, owned by
// the swtee-os user, O_CREAT) and hands swtee-os the fd; from_fd() fills an
// empty file with fresh random bytes (fsync'ed) on first start and reads it
// afterwards. The supplicant never sees it, so the normal world's file
// access gives it ciphertext only. through_fs() keeps the key in the REE FS
// instead — only for development stacks without a launcher, and it says so
// in the log: there the supplicant's user can read the key.
//
// A key that is all zero, or a file of the wrong size, is refused: unlike
// OP-TEE's default stub, swtee-os never runs with a constant key.
#pragma once

#include <string_view>

#include "common/result.h"
#include "os/storage/fs_backend.h"
#include "os/storage/storage_crypto.h"

namespace swtee::os::storage {

inline constexpr size_t kHukSize = kKeySize;

class Huk {
 public:
  static Result<Huk> from_bytes(Bytes b);
  // Reads the key from `fd` (a regular file of kHukSize bytes), or creates
  // it when the file is empty and writable. The fd stays the caller's.
  static Result<Huk> from_fd(int fd);
  // Development fallback: the key as file `name` in the REE FS.
  static Result<Huk> through_fs(FsBackend& fs, std::string_view name);

  const SecretKey& key() const { return key_; }

 private:
  explicit Huk(const SecretKey& k) : key_(k) {}
  SecretKey key_;
};

}  // namespace swtee::os::storage
