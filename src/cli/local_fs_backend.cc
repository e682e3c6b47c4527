#include "cli/local_fs_backend.h"

#include <array>

#include "os/fs_rpc.h"
#include "protocol/gp_results.h"

namespace swtee::cli {
namespace {

Status st(uint32_t r) { return r == 0 ? ok_status() : Status(Error{os::fs_errno_of(r), "ReeFs"}); }

}  // namespace

Result<os::storage::FsHandle> LocalFsBackend::open(std::string_view name) {
  supp::ReeFsHandle h = 0;
  TRY_STATUS(st(fs_.open(name, &h)));
  return h;
}
Result<os::storage::FsHandle> LocalFsBackend::create(std::string_view name) {
  supp::ReeFsHandle h = 0;
  TRY_STATUS(st(fs_.create(name, &h)));
  return h;
}
Status LocalFsBackend::close(os::storage::FsHandle h) { return st(fs_.close(h)); }
Result<size_t> LocalFsBackend::read(os::storage::FsHandle h, uint64_t offset, std::span<uint8_t> out) {
  size_t got = 0;
  TRY_STATUS(st(fs_.read(h, offset, out, &got)));
  return got;
}
Status LocalFsBackend::write(os::storage::FsHandle h, uint64_t offset, std::span<const uint8_t> in) {
  return st(fs_.write(h, offset, in));
}
Status LocalFsBackend::truncate(os::storage::FsHandle h, uint64_t length) {
  return st(fs_.truncate(h, length));
}
Status LocalFsBackend::remove(std::string_view name) { return st(fs_.remove(name)); }
Status LocalFsBackend::rename(std::string_view from, std::string_view to, bool overwrite) {
  return st(fs_.rename(from, to, overwrite));
}
Result<os::storage::FsHandle> LocalFsBackend::opendir(std::string_view name) {
  supp::ReeFsHandle h = 0;
  TRY_STATUS(st(fs_.opendir(name, &h)));
  return h;
}
Status LocalFsBackend::closedir(os::storage::FsHandle h) { return st(fs_.closedir(h)); }
Result<std::optional<std::string>> LocalFsBackend::readdir(os::storage::FsHandle h) {
  std::array<uint8_t, 1100> buf{};
  size_t size = 0;
  const uint32_t r = fs_.readdir(h, buf, &size);
  if (r == kTeeErrorItemNotFound) return std::optional<std::string>{};
  TRY_STATUS(st(r));
  return std::optional<std::string>(std::string(reinterpret_cast<const char*>(buf.data()), size - 1));
}

}  // namespace swtee::cli
