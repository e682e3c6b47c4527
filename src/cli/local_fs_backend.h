// os::storage::FsBackend straight onto the supplicant's ReeFs over the state
// directory: what `swtee storage` uses to open the store as swtee-os does,
// and what the component tests run the object store on (the file semantics
// of the production path, without the RPC hop).
#pragma once

#include "os/storage/fs_backend.h"
#include "protocol/optee_rpc_cmd.h"
#include "supplicant/ree_fs.h"
#include "supplicant/rpmb_emu.h"

namespace swtee::cli {

class LocalFsBackend final : public os::storage::FsBackend {
 public:
  explicit LocalFsBackend(supp::ReeFs& fs) : fs_(fs) {}
  Result<os::storage::FsHandle> open(std::string_view name) override;
  Result<os::storage::FsHandle> create(std::string_view name) override;
  Status close(os::storage::FsHandle h) override;
  Result<size_t> read(os::storage::FsHandle h, uint64_t offset, std::span<uint8_t> out) override;
  Status write(os::storage::FsHandle h, uint64_t offset, std::span<const uint8_t> in) override;
  Status truncate(os::storage::FsHandle h, uint64_t length) override;
  Status remove(std::string_view name) override;
  Status rename(std::string_view from, std::string_view to, bool overwrite) override;
  Result<os::storage::FsHandle> opendir(std::string_view name) override;
  Status closedir(os::storage::FsHandle h) override;
  Result<std::optional<std::string>> readdir(os::storage::FsHandle h) override;
  // The supplicant's handles name one file of one instance (tagged).
  bool can_keep(os::storage::FsHandle h) const override { return optee::fs_handle_is_tagged(h); }
  Result<std::vector<uint8_t>> rpmb(std::span<const uint8_t> req, size_t resp_size) override {
    return supp::rpmb_in_process(fs_, req, resp_size);
  }

 private:
  supp::ReeFs& fs_;
};

}  // namespace swtee::cli
