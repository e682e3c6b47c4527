#include "os/storage/guest_fs.h"

#include <cstring>

#include "protocol/guest_storage.h"
#include "protocol/optee_rpmb.h"

namespace swtee::os::storage {

namespace {

// A file at the guest's root that keeps the root in place (the REE FS drops
// a directory its last file left; readdir skips dot files).
constexpr std::string_view kRootMarker = ".guest";

}  // namespace

GuestFs::GuestFs(FsBackend& base, uint32_t guest)
    : base_(base), guest_(guest), root_(guests::guest_storage_root(guest)) {}

Result<FsHandle> GuestFs::create(std::string_view name) {
  auto h = base_.create(path(name));
  if (guest_ == 0 || h.ok() || h.error().code != ENOENT) return h;
  ASSIGN_OR_RETURN(FsHandle marker, base_.create(path(kRootMarker)));
  (void)base_.close(marker);
  return base_.create(path(name));
}

Result<FsHandle> GuestFs::opendir(std::string_view name) {
  // The guest's root is "guests/<n>" (no trailing slash), the REE FS's "".
  if (name.empty() && !root_.empty())
    return base_.opendir(std::string_view(root_).substr(0, root_.size() - 1));
  return base_.opendir(path(name));
}

Result<std::vector<uint8_t>> GuestFs::rpmb(std::span<const uint8_t> req, size_t resp_size) {
  if (guest_ == 0) return base_.rpmb(req, resp_size);
  if (req.size() < sizeof(optee::RpmbReq)) return Error{EINVAL, "RPMB request without a header"};
  std::vector<uint8_t> own(req.begin(), req.end());
  optee::RpmbReq head;
  std::memcpy(&head, own.data(), sizeof(head));
  head.dev_id = static_cast<uint16_t>(guest_);
  std::memcpy(own.data(), &head, sizeof(head));
  return base_.rpmb(own, resp_size);
}

}  // namespace swtee::os::storage
