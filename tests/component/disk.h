// Tests' view of the stored files, for the in-memory and the real-directory
// backends alike: list, read, overwrite, snapshot and restore.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/local_fs_backend.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"

namespace swtee::os::storage::testing {

using Files = std::map<std::string, std::vector<uint8_t>>;

class Disk {
 public:
  virtual ~Disk() = default;
  virtual FsBackend& fs() = 0;
  virtual Files files() = 0;
  virtual void put(const std::string& name, const std::vector<uint8_t>& content) = 0;
  virtual void erase(const std::string& name) = 0;
  // Replaces every file except those whose name contains `keep`.
  void restore(const Files& snap, const std::string& keep) {
    for (auto& [n, _] : files())
      if (n.find(keep) == std::string::npos) erase(n);
    for (auto& [n, c] : snap)
      if (n.find(keep) == std::string::npos) put(n, c);
  }
};

class MemDisk final : public Disk {
 public:
  FsBackend& fs() override { return fs_; }
  Files files() override { return fs_.files; }
  void put(const std::string& name, const std::vector<uint8_t>& c) override {
    fs_.files[name] = c;
    for (auto p = name.rfind('/'); p != std::string::npos; p = name.rfind('/', p - 1)) {
      fs_.dirs.insert(name.substr(0, p));
      if (p == 0) break;
    }
  }
  void erase(const std::string& name) override { fs_.files.erase(name); }
  MemFs& mem() { return fs_; }

 private:
  MemFs fs_;
};

class DirDisk final : public Disk {
 public:
  DirDisk() : ree_(supp::ReeFsOptions{tmp_.path() + "/root", true, 128, 16}), fs_(ree_) {}
  FsBackend& fs() override { return fs_; }
  Files files() override {
    Files out;
    const std::filesystem::path root = tmp_.path() + "/root";
    if (!std::filesystem::exists(root)) return out;
    for (auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      out[std::filesystem::relative(e.path(), root).string()] =
          std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
    }
    return out;
  }
  void put(const std::string& name, const std::vector<uint8_t>& c) override {
    const std::filesystem::path p = std::filesystem::path(tmp_.path()) / "root" / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(c.data()), static_cast<std::streamsize>(c.size()));
  }
  void erase(const std::string& name) override {
    std::filesystem::remove(std::filesystem::path(tmp_.path()) / "root" / name);
  }

 private:
  TempDir tmp_;
  supp::ReeFs ree_;
  cli::LocalFsBackend fs_;
};

}  // namespace swtee::os::storage::testing
