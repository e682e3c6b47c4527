#include "cli/state_keys.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>

#include "cli/state_dir.h"
#include "common/unique_fd.h"
#include "os/storage/fs_util.h"
#include "os/storage/huk.h"
#include "os/storage/key_chain.h"
#include "os/storage/rpmb_anchor.h"
#include "os/storage/ta_store.h"
#include "protocol/guest_storage.h"
#include "supplicant/rpmb_emu.h"

namespace swtee::cli {
namespace {

namespace fs = std::filesystem;
using os::storage::Huk;

std::string path_of(const std::string& dir, const std::string& name) { return dir + "/" + name; }

// The HUK in `dir`; nullopt when the file is missing or empty.
Result<std::optional<Huk>> read_huk(const std::string& dir) {
  UniqueFd fd(::open(path_of(dir, kHukFile).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    if (errno == ENOENT) return std::optional<Huk>{};
    return Error::from_errno("open HUK file");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno("stat HUK file");
  if (S_ISREG(st.st_mode) && st.st_size == 0) return std::optional<Huk>{};
  ASSIGN_OR_RETURN(Huk huk, Huk::from_fd(fd.get()));
  return std::optional<Huk>(std::move(huk));
}

Result<std::string> check_text(const Huk& huk) {
  ASSIGN_OR_RETURN(os::storage::Mac m, os::storage::KeyChain::huk_check(huk));
  return os::storage::to_hex(m) + "\n";
}

Result<std::optional<std::string>> read_check(const std::string& dir) {
  UniqueFd fd(::open(path_of(dir, kHukCheckFile).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    if (errno == ENOENT) return std::optional<std::string>{};
    return Error::from_errno("open huk.check");
  }
  char buf[128];
  ssize_t n = ::read(fd.get(), buf, sizeof(buf));
  if (n < 0) return Error::from_errno("read huk.check");
  return std::optional<std::string>(std::string(buf, static_cast<size_t>(n)));
}

// Writes `name` in `dir` durably: temp file, fsync, rename, fsync(dir).
Status write_durable(const std::string& dir, const char* name, const void* data, size_t len) {
  const std::string tmp = path_of(dir, std::string(name) + ".new");
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return Error::from_errno("create a key file in the state dir");
  if (::write(fd.get(), data, len) != static_cast<ssize_t>(len) || ::fsync(fd.get()) != 0)
    return Error::from_errno("write a key file in the state dir");
  if (::rename(tmp.c_str(), path_of(dir, name).c_str()) != 0)
    return Error::from_errno("rename a key file in the state dir");
  UniqueFd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d) (void)::fsync(d.get());
  return ok_status();
}

Status write_check(const std::string& dir, const Huk& huk) {
  ASSIGN_OR_RETURN(std::string text, check_text(huk));
  return write_durable(dir, kHukCheckFile, text.data(), text.size());
}

Result<Huk> make_huk(const std::string& dir) {
  std::array<uint8_t, os::storage::kHukSize> key{};
  TRY_STATUS(os::storage::random_bytes(key));
  auto huk = Huk::from_bytes(key);
  Status s = huk.ok() ? write_durable(dir, kHukFile, key.data(), key.size()) : Status(huk.error());
  OPENSSL_cleanse(key.data(), key.size());
  if (!s.ok()) return s.error();
  return huk;
}

}  // namespace

namespace {

// An object tree with content, or an RPMB image, right in `root`.
bool tree_has_storage(const fs::path& root) {
  std::error_code ec;
  for (const std::string& tree : {os::storage::StoreOptions{}.root, std::string(kFormat1Tree)}) {
    const fs::path p = root / tree;
    if (fs::is_directory(p, ec) && !fs::is_empty(p, ec)) return true;
  }
  const fs::path rpmb = root / std::string(supp::kRpmbImageFile);
  return fs::exists(rpmb, ec) && fs::file_size(rpmb, ec) > 0;
}

}  // namespace

bool state_has_storage(const std::string& dir) {
  if (tree_has_storage(dir)) return true;
  // A guest's objects are under keys derived from the same HUK.
  for (uint32_t g : state_guests(dir))
    if (tree_has_storage(fs::path(dir) / guests::guest_storage_root(g))) return true;
  return false;
}

Status check_state_keys(const std::string& dir) {
  const bool has_storage = state_has_storage(dir);
  ASSIGN_OR_RETURN(std::optional<Huk> huk, read_huk(dir));
  ASSIGN_OR_RETURN(std::optional<std::string> check, read_check(dir));
  if (!huk) {
    if (has_storage)
      return Error{
          EKEYREJECTED,
          "it holds trusted storage but its HUK file (huk) is missing or empty: restore it, or delete "
          "every object with `swtee storage wipe` (`swtee storage rekey` for a new key)"};
    ASSIGN_OR_RETURN(Huk fresh, make_huk(dir));
    return write_check(dir, fresh);
  }
  ASSIGN_OR_RETURN(std::string want, check_text(*huk));
  if (!check) {
    if (has_storage)
      return Error{
          EKEYREJECTED,
          "it holds trusted storage but huk.check is missing, so its HUK cannot be confirmed: restore "
          "huk.check, or delete every object with `swtee storage wipe` (or `rekey`)"};
    return write_check(dir, *huk);
  }
  if (*check != want)
    return Error{
        EKEYREJECTED,
        "its HUK (huk) is not the key its objects were written with (huk.check differs): restore the "
        "original huk, or delete every object with `swtee storage wipe` (`swtee storage rekey` for a "
        "new key)"};
  return ok_status();
}

Status adopt_state_key(const std::string& dir, bool fresh) {
  std::optional<Huk> huk;
  if (!fresh) {
    ASSIGN_OR_RETURN(huk, read_huk(dir));
  }
  if (!huk) {
    ASSIGN_OR_RETURN(Huk made, make_huk(dir));
    huk = std::move(made);
  }
  return write_check(dir, *huk);
}

}  // namespace swtee::cli
