// The secure side of an RPMB device reached through OPTEE_RPC_CMD_RPMB
// (protocol/optee_rpmb.h), as OP-TEE's tee_rpmb_fs.c drives it: the
// authentication key is derived from the HUK and the device's CID
// (HKDF(RPMB key, "cid" ‖ CID)) and programmed once, when the device says
// it has none; every write carries the device's write counter and an
// HMAC-SHA256, and every read and counter answer is checked against that
// key, a fresh nonce, the address and the result, so the normal world can
// neither forge, replay nor reorder what the device says.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "os/storage/fs_backend.h"
#include "os/storage/storage_crypto.h"

namespace swtee::os::storage {

class RpmbClient {
 public:
  explicit RpmbClient(const SecretKey& rpmb_key) : base_(rpmb_key) {}

  // Blocks [addr, addr + n) (256 B each); nullopt when the device has no
  // key yet (a blank device).
  Result<std::optional<std::vector<uint8_t>>> read(FsBackend& fs, uint16_t addr, uint16_t n);
  // Authenticated write of data.size() / 256 blocks at `addr` (programs the
  // key first on a blank device). Durable when it returns. The write
  // carries the counter this client last saw, as OP-TEE's tee_rpmb_fs
  // does, so it costs one request; when the device refuses it (its counter
  // moved, or it is another device), the counter is read and the write
  // made once more.
  Status write(FsBackend& fs, uint16_t addr, Bytes data);
  // The device's write counter as last seen (tests).
  uint32_t write_counter() const { return counter_; }

 private:
  // One authenticated write carrying `counter`: the device's result, or an
  // error when its answer does not authenticate or match.
  Result<uint16_t> write_with(FsBackend& fs, uint16_t addr, Bytes data, uint32_t counter);

  Status derive_key(FsBackend& fs);
  // The write counter; nullopt when the key is not programmed.
  Result<std::optional<uint32_t>> read_counter(FsBackend& fs);
  Status program_key(FsBackend& fs);

  const SecretKey base_;
  std::optional<SecretKey> key_;
  uint32_t counter_ = 0;
  bool counter_known_ = false;  // counter_ is what the device last said
};

}  // namespace swtee::os::storage
