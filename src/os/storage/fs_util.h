// Small helpers over FsBackend: a scoped handle closer and whole-range I/O.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "os/storage/fs_backend.h"
#include "os/storage/storage_crypto.h"

namespace swtee::os::storage {

// Closes a file handle when it goes out of scope (errors are ignored: the
// data was already written O_SYNC and a close failure changes nothing).
class FileCloser {
 public:
  FileCloser(FsBackend& fs, FsHandle h) : fs_(fs), h_(h) {}
  ~FileCloser() { (void)fs_.close(h_); }
  FileCloser(const FileCloser&) = delete;
  FileCloser& operator=(const FileCloser&) = delete;

 private:
  FsBackend& fs_;
  FsHandle h_;
};

// Reads exactly out.size() bytes at `offset`; a short file is kErrCorrupt.
Status read_exact(FsBackend& fs, FsHandle h, uint64_t offset, std::span<uint8_t> out);
// Opens `name`, creating it when missing.
Result<FsHandle> open_or_create(FsBackend& fs, std::string_view name);
// Whole file up to `max` bytes (larger: kErrCorrupt). ENOENT if missing.
Result<std::vector<uint8_t>> read_file(FsBackend& fs, std::string_view name, size_t max);

std::string to_hex(Bytes b);

}  // namespace swtee::os::storage
