#include "supplicant/ta_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <set>

#include "common/log.h"
#include "protocol/gp_results.h"

namespace swtee::supp {

std::string legacy_ta_name(const Uuid& uuid) {
  std::string s = uuid.to_string();  // 8-4-4-4-12
  s.erase(23, 1);                    // drop the dash between clock_seq and node
  return s;
}

Result<TaFile> TaStore::find(const Uuid& uuid) const {
  const std::string names[] = {uuid.to_string() + ".ta", legacy_ta_name(uuid) + ".ta"};
  for (const auto& dir : dirs_) {
    UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dfd) continue;
    for (const auto& name : names) {
      UniqueFd fd(::openat(dfd.get(), name.c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd) continue;
      struct stat st {};
      if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      if (static_cast<uint64_t>(st.st_size) > kMaxTaFileSize) return Error{EFBIG, "TA image too large"};
      return TaFile{std::move(fd), static_cast<uint64_t>(st.st_size), dir + "/" + name};
    }
  }
  return Error{ENOENT, "TA not found"};
}

uint32_t TaStore::load(const Uuid& uuid, bool null_buf, std::span<uint8_t> buf, uint64_t* size) const {
  auto f = find(uuid);
  if (!f.ok()) {
    *size = 0;
    if (f.error().code == EFBIG) {
      log::warn("TA {}: image exceeds {} bytes", uuid.to_string(), kMaxTaFileSize);
      return kTeeErrorOutOfMemory;
    }
    return kTeeErrorItemNotFound;
  }
  *size = f->size;
  if (null_buf) return kTeeSuccess;
  if (buf.size() < f->size) return kTeeErrorShortBuffer;
  uint64_t done = 0;
  while (done < f->size) {
    ssize_t n = ::pread(f->fd.get(), buf.data() + done, f->size - done, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      log::warn("TA {}: read {}: {}", uuid.to_string(), f->path, Error::from_errno("read"));
      return kTeeErrorGeneric;
    }
    if (n == 0) break;  // shrank under us: hand over what exists; the OS verifies
    done += static_cast<uint64_t>(n);
  }
  *size = done;
  log::debug("LOAD_TA {} from {} ({} bytes)", uuid.to_string(), f->path, done);
  return kTeeSuccess;
}

std::vector<std::pair<Uuid, std::string>> TaStore::list() const {
  std::vector<std::pair<Uuid, std::string>> out;
  std::set<Uuid> seen;
  for (const auto& dir : dirs_) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) continue;
    while (const dirent* e = ::readdir(d.get())) {
      std::string_view n(e->d_name);
      if (n.size() != 36 + 3 || n.substr(36) != ".ta") continue;
      auto u = Uuid::parse(n.substr(0, 36));
      if (!u || !seen.insert(*u).second) continue;
      out.emplace_back(*u, dir + "/" + std::string(n));
    }
  }
  return out;
}

}  // namespace swtee::supp
