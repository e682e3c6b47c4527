// Shared test fixtures: a HUK, UUIDs, byte helpers and a temp directory.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/uuid.h"
#include "os/storage/huk.h"

namespace swtee::os::storage::testing {

inline Huk test_huk(uint8_t seed = 7) {
  std::vector<uint8_t> b(kHukSize);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(seed + i * 31);
  return std::move(Huk::from_bytes(b).value());
}

inline Uuid uuid_n(uint8_t n) {
  Uuid u;
  for (size_t i = 0; i < u.octets.size(); ++i) u.octets[i] = static_cast<uint8_t>(n * 17 + i);
  return u;
}

inline std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

inline std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 8));
  return v;
}

class TempDir {
 public:
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "swtee-storage-XXXXXX").string();
    path_ = ::mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace swtee::os::storage::testing
