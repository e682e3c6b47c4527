// The REE FS command set as the secure world sees it (OPTEE_RPC_CMD_FS, as
// src/supplicant/ree_fs.h implements it): relative names under the storage
// root ('/'-separated, no "", "." or ".." component), small integer handles.
// Implementations: RpcFsBackend (os/fs_rpc.h, through the supplicant) and
// test fakes. It also carries the call's path to the RPMB device. Instances are used by one thread at a time.
//
// Errors are positive errno values with the supplicant's meaning:
//   ENOENT     no such file or directory (ITEM_NOT_FOUND)
//   EEXIST     rename target exists without overwrite (ACCESS_CONFLICT)
//   ENOSPC     no space (STORAGE_NO_SPACE)
//   ECONNRESET the normal world / supplicant is gone (STORAGE_NOT_AVAILABLE)
//   EINVAL     bad name or handle;  EIO anything else
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace swtee::os::storage {

using FsHandle = uint64_t;

class FsBackend {
 public:
  virtual ~FsBackend() = default;

  virtual Result<FsHandle> open(std::string_view name) = 0;
  // O_CREAT | O_TRUNC; makes up to two missing parent directories.
  virtual Result<FsHandle> create(std::string_view name) = 0;
  virtual Status close(FsHandle h) = 0;
  // Up to out.size() bytes at `offset`; fewer only at end of file.
  virtual Result<size_t> read(FsHandle h, uint64_t offset, std::span<uint8_t> out) = 0;
  // Durable when it returns (the supplicant writes O_DSYNC unless it runs
  // with --fast-storage).
  virtual Status write(FsHandle h, uint64_t offset, std::span<const uint8_t> in) = 0;
  virtual Status truncate(FsHandle h, uint64_t length) = 0;
  // Also drops the parent directory when that leaves it empty.
  virtual Status remove(std::string_view name) = 0;
  virtual Status rename(std::string_view from, std::string_view to, bool overwrite) = 0;
  // "" is the root.
  virtual Result<FsHandle> opendir(std::string_view name) = 0;
  virtual Status closedir(FsHandle h) = 0;
  // Next entry not starting with '.'; nullopt at the end.
  virtual Result<std::optional<std::string>> readdir(FsHandle h) = 0;

  // Whether `h` stays valid beyond this call and names its file alone until
  // it is closed, so that a store may keep it open across calls
  // (kept_handles.h). The supplicant's tagged handles do
  // (protocol/optee_rpc_cmd.h); handles of a per-call view do not.
  virtual bool can_keep(FsHandle h) const {
    (void)h;
    return false;
  }

  // The whole REE FS this backend is a view of (a guest's tree is a view of
  // the REE FS root, storage/guest_fs.h); itself for the root.
  virtual FsBackend& ree() { return *this; }

  // OPTEE_RPC_CMD_RPMB on the same path (protocol/optee_rpmb.h): one
  // request (RpmbReq ‖ frames) and the device's answer of exactly
  // `resp_size` bytes. ENOTSUP where the normal world has no RPMB.
  virtual Result<std::vector<uint8_t>> rpmb(std::span<const uint8_t> req, size_t resp_size) {
    (void)req;
    (void)resp_size;
    return Error{ENOTSUP, "no RPMB device"};
  }
};

}  // namespace swtee::os::storage
