#include "os/storage/fs_util.h"

#include "os/storage/storage_crypto.h"
#include "os/storage/storage_errors.h"

namespace swtee::os::storage {

Status read_exact(FsBackend& fs, FsHandle h, uint64_t offset, std::span<uint8_t> out) {
  ASSIGN_OR_RETURN(size_t got, fs.read(h, offset, out));
  if (got != out.size()) return corrupt("file shorter than its header says");
  return ok_status();
}

Result<FsHandle> open_or_create(FsBackend& fs, std::string_view name) {
  auto h = fs.open(name);
  if (h.ok() || h.error().code != ENOENT) return h;
  return fs.create(name);
}

Result<std::vector<uint8_t>> read_file(FsBackend& fs, std::string_view name, size_t max) {
  ASSIGN_OR_RETURN(FsHandle h, fs.open(name));
  FileCloser closer(fs, h);
  std::vector<uint8_t> buf;
  constexpr size_t kStep = 64 * 1024;
  for (;;) {
    const size_t at = buf.size();
    if (at > max) return corrupt("file too large");
    buf.resize(at + kStep);
    ASSIGN_OR_RETURN(size_t got, fs.read(h, at, std::span<uint8_t>(buf).subspan(at)));
    buf.resize(at + got);
    if (got < kStep) break;
  }
  if (buf.size() > max) return corrupt("file too large");
  return buf;
}

std::string to_hex(Bytes b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (uint8_t v : b) {
    s.push_back(kDigits[v >> 4]);
    s.push_back(kDigits[v & 15]);
  }
  return s;
}

}  // namespace swtee::os::storage
