// The REE FS: OP-TEE's tee-supplicant file commands (OPTEE_RPC_CMD_FS) over a
// storage root directory. Every operation is confined to the root: names are
// validated (ree_fs_path.h), parents are resolved with openat2
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, and the last component is never
// followed if it is a symlink. Results are TEEC_Result values.
//
// Durability: files are opened O_DSYNC and the parent directory is fsync'ed
// after create/remove/rename, unless `fast_storage` (tests, throw-away
// state) drops both.
//
// Handles: file and directory handles come from bounded per-instance tables
// and are tagged with the instance (protocol/optee_rpc_cmd.h,
// kFsHandleTagShift): a handle is never reused within an instance, nor valid
// in a later one. A bad handle is BAD_PARAMETERS. Thread-safe.
#pragma once

#include <dirent.h>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"

namespace swtee::supp {

struct ReeFsOptions {
  std::string root;           // created 0700 on first use if missing
  bool fast_storage = false;  // no O_DSYNC, no directory fsync
  uint32_t max_files = 128;   // open file handles
  uint32_t max_dirs = 16;     // open directory handles
};

using ReeFsHandle = uint64_t;

class ReeFs {
 public:
  explicit ReeFs(ReeFsOptions opts);
  ~ReeFs();
  ReeFs(const ReeFs&) = delete;
  ReeFs& operator=(const ReeFs&) = delete;

  uint32_t open(std::string_view name, ReeFsHandle* handle);
  // O_CREAT | O_TRUNC, mode 0600; makes up to two missing parent directories.
  uint32_t create(std::string_view name, ReeFsHandle* handle);
  uint32_t close(ReeFsHandle handle);
  // Reads up to out.size() bytes at offset; *got = bytes read (0 at EOF).
  uint32_t read(ReeFsHandle handle, uint64_t offset, std::span<uint8_t> out, size_t* got);
  uint32_t write(ReeFsHandle handle, uint64_t offset, std::span<const uint8_t> in);
  uint32_t truncate(ReeFsHandle handle, uint64_t length);
  // Also removes the parent directory if that leaves it empty.
  uint32_t remove(std::string_view name);
  // Without overwrite an existing target is ACCESS_CONFLICT.
  uint32_t rename(std::string_view from, std::string_view to, bool overwrite);
  // "" is the root itself.
  uint32_t opendir(std::string_view name, ReeFsHandle* handle);
  uint32_t closedir(ReeFsHandle handle);
  // Next entry not starting with '.', NUL-terminated into out; *size = name
  // length + 1. Too small: SHORT_BUFFER with *size set and the entry kept for
  // the next call. End of directory: ITEM_NOT_FOUND.
  uint32_t readdir(ReeFsHandle handle, std::span<uint8_t> out, size_t* size);

  size_t open_files() const;
  size_t open_dirs() const;

 private:
  struct File {
    UniqueFd fd;
  };
  struct Dir {
    DIR* dir = nullptr;
    ~Dir();
  };
  struct Parent {
    UniqueFd dirfd;
    std::string base;
  };

  // Root dirfd, creating the root if needed; STORAGE_NOT_AVAILABLE on failure.
  uint32_t root(int* fd) REQUIRES(mu_);
  // Resolves all but the last component beneath the root.
  uint32_t resolve_parent(std::string_view name, bool make_dirs, Parent* out) REQUIRES(mu_);
  uint32_t open_common(std::string_view name, bool create, ReeFsHandle* handle);
  // The next handle of this instance: its tag, and a count not in use.
  ReeFsHandle next_handle() REQUIRES(mu_);
  std::shared_ptr<File> file(ReeFsHandle handle) EXCLUDES(mu_);
  void sync_dir(int dirfd) const;

  const ReeFsOptions opts_;
  mutable Mutex mu_;
  UniqueFd root_ GUARDED_BY(mu_);
  const uint64_t tag_;  // bits 63..32 of every handle; random, never 0
  uint32_t next_count_ GUARDED_BY(mu_);
  std::map<ReeFsHandle, std::shared_ptr<File>> files_ GUARDED_BY(mu_);
  std::map<ReeFsHandle, std::unique_ptr<Dir>> dirs_ GUARDED_BY(mu_);
};

// errno → TEEC_Result, as tee-supplicant maps them.
uint32_t teec_from_errno(int err);

// mkdir -p; the last component gets `mode`, missing parents 0755.
Status make_dirs(const std::string& path, unsigned mode);

}  // namespace swtee::supp
