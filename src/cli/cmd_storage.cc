// `swtee storage ls|wipe|rekey|reset-anchor --state DIR [--ta UUID]`: the
// operator's view of a state directory (cli/state_dir.h). Without --ta only
// what the REE can see anyway is shown: per-TA directories (named by an
// HMAC tag), their object counts and bytes on disk. With --ta the tool
// opens that TA's store with the HUK, exactly as swtee-os does, and lists
// ids and data sizes.
//
// The explicit ways out of a store that fails closed (README.md):
// - wipe: delete every object and the anchor, keep the HUK (re-recorded);
//   also upgrades a format-1 directory.
// - rekey: the same with a new random HUK.
// - reset-anchor: accept the directories as they are now as the anchored
//   state (after the RPMB partition was lost or reset).
//
// Run it while no stack uses the state directory (nothing locks it).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "cli/commands.h"
#include "cli/local_fs_backend.h"
#include "cli/state_dir.h"
#include "cli/state_keys.h"
#include "common/log.h"
#include "common/progress.h"
#include "common/unique_fd.h"
#include "common/uuid.h"
#include "os/storage/dir_file.h"
#include "os/storage/fs_util.h"
#include "os/storage/guest_fs.h"
#include "os/storage/huk.h"
#include "os/storage/key_chain.h"
#include "os/storage/object_store.h"
#include "os/storage/rpmb_anchor.h"
#include "os/storage/storage_errors.h"
#include "protocol/guest_storage.h"
#include "supplicant/ree_fs.h"
#include "supplicant/rpmb_emu.h"

namespace swtee::cli {
namespace {

namespace fs = std::filesystem;

const std::string kTree = os::storage::StoreOptions{}.root;
const std::string kRpmbFile = std::string(supp::kRpmbImageFile);

struct TaDirStat {
  std::set<std::string> objects;  // uids
  uint64_t bytes = 0;
};

// The store of `ta` in `state`, opened with the HUK file.
struct OpenedTa {
  std::unique_ptr<supp::ReeFs> ree;
  std::unique_ptr<LocalFsBackend> fs;
  std::unique_ptr<os::storage::ObjectStore> store;
  std::shared_ptr<os::storage::TaStore> ta;
};

Result<os::storage::Huk> load_huk(const std::string& state) {
  UniqueFd huk_fd(::open((state + "/" + kHukFile).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!huk_fd) return Error::from_errno("open HUK file");
  return os::storage::Huk::from_fd(huk_fd.get());
}

Result<OpenedTa> open_ta(const std::string& state, const Uuid& uuid) {
  ASSIGN_OR_RETURN(os::storage::Huk huk, load_huk(state));
  OpenedTa o;
  o.ree = std::make_unique<supp::ReeFs>(supp::ReeFsOptions{state, false});
  o.fs = std::make_unique<LocalFsBackend>(*o.ree);
  ASSIGN_OR_RETURN(o.store, os::storage::ObjectStore::create(huk, os::storage::StoreOptions{}));
  ASSIGN_OR_RETURN(o.ta, o.store->ta(uuid));
  return o;
}

std::string printable(const std::vector<uint8_t>& id) {
  std::string s;
  for (uint8_t c : id) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      s.push_back(static_cast<char>(c));
    } else {
      char b[5];
      std::snprintf(b, sizeof(b), "\\x%02x", c);
      s += b;
    }
  }
  return s;
}

// One object tree's per-TA table (`root`: the state dir, or a guest's tree
// in it).
void print_tree(const fs::path& root) {
  std::map<std::string, TaDirStat> tas;
  std::error_code ec;
  const fs::path tree = root / kTree;
  if (fs::exists(tree, ec)) {
    for (const auto& d : fs::directory_iterator(tree, ec)) {
      if (!d.is_directory()) continue;
      TaDirStat& s = tas[d.path().filename().string()];
      for (const auto& f : fs::directory_iterator(d.path(), ec)) {
        const std::string name = f.path().filename().string();
        s.bytes += f.is_regular_file() ? f.file_size() : 0;
        auto dot = name.rfind('.');
        if (dot != std::string::npos && name.size() == dot + 2) s.objects.insert(name.substr(0, dot));
      }
    }
  }
  std::printf("%-34s %8s %12s\n", "TA (directory tag)", "obj files", "bytes");
  uint64_t total_o = 0, total_b = 0;
  for (const auto& [tag, s] : tas) {
    std::printf("%-34s %8zu %12llu\n", tag.c_str(), s.objects.size(),
                static_cast<unsigned long long>(s.bytes));
    total_o += s.objects.size();
    total_b += s.bytes;
  }
  std::printf("%-34s %8llu %12llu\n", "total", static_cast<unsigned long long>(total_o),
              static_cast<unsigned long long>(total_b));
}

int ls_all(const std::string& state) {
  std::printf("state %s (format %d)\n", state.c_str(), kStateFormat);
  print_tree(state);
  for (uint32_t g : state_guests(state)) {
    std::printf("guest %u (%s, its own keys and rollback anchor):\n", g,
                guests::guest_storage_root(g).c_str());
    print_tree(fs::path(state) / guests::guest_storage_root(g));
  }
  std::printf(
      "(small objects travel inside the directory files and have no object file; names and counts need the "
      "TA's identity: swtee storage ls --ta UUID)\n");
  return 0;
}

// The store of `uuid` and its object ids; nullopt (reported) on failure.
struct ListedTa {
  OpenedTa o;
  std::vector<std::vector<uint8_t>> ids;
};

std::optional<ListedTa> open_and_list(const std::string& state, const Uuid& uuid) {
  auto o = open_ta(state, uuid);
  if (!o.ok()) {
    log::error("swtee storage: {}", o.error());
    return std::nullopt;
  }
  auto ids = o->ta->list(*o->fs);
  if (!ids.ok()) {
    log::error("swtee storage: TA {}: {}", uuid.to_string(), ids.error());
    return std::nullopt;
  }
  return ListedTa{std::move(*o), std::move(*ids)};
}

int ls_ta(const std::string& state, const Uuid& uuid) {
  auto listed = open_and_list(state, uuid);
  if (!listed) return 1;
  const OpenedTa& o = listed->o;
  const auto& ids = listed->ids;
  std::printf("TA %s (directory %s): %zu objects\n", uuid.to_string().c_str(), o.ta->dir().c_str(),
              ids.size());
  std::printf("%12s  %s\n", "data bytes", "object id");
  int rc = 0;
  for (const auto& id : ids) {
    auto st = o.ta->stat(*o.fs, id);
    if (st.ok()) {
      std::printf("%12llu  %s\n", static_cast<unsigned long long>(st->data_len), printable(id).c_str());
    } else {
      std::printf("%12s  %s\n", "CORRUPT", printable(id).c_str());
      rc = 1;
    }
  }
  return rc;
}

// Deletes every object and the anchor; `fresh_key`: a new HUK too. The
// HUK's check is recorded and VERSION written, so the stack starts again.
int wipe_all(const std::string& state, bool fresh_key) {
  std::error_code ec;
  // Guests' trees go too: their keys derive from the HUK (a wipe deletes
  // every object; after a rekey they could never be read again).
  const size_t guest_trees = state_guests(state).size();
  for (const std::string& tree : {kTree, std::string(kFormat1Tree), std::string(guests::kGuestsDir)}) {
    fs::remove_all(fs::path(state) / tree, ec);
    if (ec) {
      log::error("swtee storage: {}: {}", tree, ec.message());
      return 1;
    }
  }
  // The anchor goes too: a tree without its anchor reads as a rollback.
  for (const std::string& f : {kRpmbFile, std::string(kHukCheckFile)}) {
    fs::remove(fs::path(state) / f, ec);
    if (ec) {
      log::error("swtee storage: {}: {}", f, ec.message());
      return 1;
    }
  }
  Status s = adopt_state_key(state, fresh_key);
  if (s.ok()) s = stamp_state_dir(state);
  if (!s.ok()) {
    log::error("swtee storage: {}", s.error());
    return 1;
  }
  std::printf("wiped every TA's objects in %s, and %zu guests' trees (%s)\n", state.c_str(), guest_trees,
              fresh_key ? "with a new HUK" : "the HUK is kept");
  return 0;
}

Result<os::storage::TaTag> tag_of(const std::string& hex) {
  os::storage::TaTag tag{};
  if (hex.size() != tag.size() * 2) return Error{EINVAL, "not a TA directory"};
  for (size_t i = 0; i < tag.size(); ++i) {
    unsigned v = 0;
    if (std::sscanf(hex.c_str() + 2 * i, "%2x", &v) != 1) return Error{EINVAL, "not a TA directory"};
    tag[i] = static_cast<uint8_t>(v);
  }
  if (os::storage::to_hex(tag) != hex) return Error{EINVAL, "not a TA directory"};
  return tag;
}

// Raises each TA's anchor slot to the newest counter its directory files
// claim, in the tree at `root` (the state dir, or a guest's tree) whose
// files `fs` names relative to it and whose device `fs` reaches. Those
// headers are not authenticated here (the TA keys need the UUIDs): this is
// the operator saying "the state as it is now is the truth". The number of
// TA stores anchored, or -1 after an error (reported).
int reset_tree_anchor(const os::storage::Huk& huk, const fs::path& root, os::storage::FsBackend& lfs,
                      const std::string& label) {
  auto keys = os::storage::KeyChain::create(huk);
  if (!keys.ok()) {
    log::error("swtee storage reset-anchor: {}: {}", label, keys.error());
    return -1;
  }
  os::storage::RpmbAnchor anchor(keys->rpmb_key(), os::storage::RpmbAnchorOptions{});
  std::error_code ec;
  int tas = 0;
  const fs::path tree = root / kTree;
  if (fs::exists(tree, ec)) {
    for (const auto& d : fs::directory_iterator(tree, ec)) {
      auto tag = tag_of(d.path().filename().string());
      if (!d.is_directory() || !tag.ok()) continue;
      std::optional<uint64_t> newest;
      for (const char* f : {"d0", "d1"}) {
        auto bytes =
            os::storage::read_file(lfs, kTree + "/" + d.path().filename().string() + "/" + f, 64u << 20);
        if (!bytes.ok()) continue;
        auto c = os::storage::peek_dir_counter(*bytes);
        if (c && (!newest || *c > *newest)) newest = c;
      }
      if (!newest) continue;
      if (Status s = anchor.advance(lfs, *tag, *newest); !s.ok()) {
        log::error("swtee storage reset-anchor: {}: {}: {}", label, d.path().filename().string(), s.error());
        return -1;
      }
      std::printf("%s: %s anchored at %llu\n", label.c_str(), d.path().filename().string().c_str(),
                  static_cast<unsigned long long>(*newest));
      ++tas;
    }
  }
  return tas;
}

// The host's tree, then each guest's, under the guest's own keys and on
// its own emulated device.
int reset_anchor(const std::string& state) {
  auto huk = load_huk(state);
  if (!huk.ok()) {
    log::error("swtee storage reset-anchor: {}", huk.error());
    return 1;
  }
  supp::ReeFs ree(supp::ReeFsOptions{state, false});
  LocalFsBackend lfs(ree);
  int tas = reset_tree_anchor(*huk, state, lfs, "host");
  if (tas < 0) return 1;
  const std::vector<uint32_t> guest_ids = state_guests(state);
  for (uint32_t g : guest_ids) {
    auto ghuk = os::storage::KeyChain::guest_huk(*huk, g);
    if (!ghuk.ok()) {
      log::error("swtee storage reset-anchor: guest {}: {}", g, ghuk.error());
      return 1;
    }
    os::storage::GuestFs gfs(lfs, g);
    const int n = reset_tree_anchor(*ghuk, fs::path(state) / guests::guest_storage_root(g), gfs,
                                    "guest " + std::to_string(g));
    if (n < 0) return 1;
    tas += n;
  }
  std::printf("reset the rollback anchor of %d TA stores in %s (the host and %zu guests)\n", tas,
              state.c_str(), guest_ids.size());
  return 0;
}

int wipe_ta(const std::string& state, const Uuid& uuid) {
  auto listed = open_and_list(state, uuid);
  if (!listed) return 1;
  const OpenedTa& o = listed->o;
  const auto& ids = listed->ids;
  // Object by object, through the store: the directory and the anchor stay
  // consistent, so the TA's next load is not taken for a rollback.
  Progress progress("wiping objects of TA " + uuid.to_string(), ids.size());
  for (const auto& id : ids) {
    progress.update(static_cast<uint64_t>(&id - ids.data()));
    if (Status s = o.ta->remove(*o.fs, id); !s.ok()) {
      log::error("swtee storage wipe: {}: {}", printable(id), s.error());
      return 1;
    }
  }
  progress.update(ids.size());
  progress.finish();
  std::printf("wiped %zu objects of TA %s\n", ids.size(), uuid.to_string().c_str());
  return 0;
}

}  // namespace

int cmd_storage(const StorageOptions& o) {
  const bool wiping = o.action == "wipe" || o.action == "rekey";
  if (Status s = check_state_dir(o.state_dir); !s.ok()) {
    // wipe and rekey are the way out of an unreadable (format-1) directory.
    if (!(wiping && o.ta.empty() && s.error().code == EPROTO)) {
      log::error("swtee storage: state dir {}: {}", o.state_dir, s.error());
      return 1;
    }
  }
  std::optional<Uuid> uuid;
  if (!o.ta.empty()) {
    uuid = Uuid::parse(o.ta);
    if (!uuid) {
      log::error("swtee storage: --ta {}: not a UUID", o.ta);
      return 2;
    }
  }
  if (!wiping && state_has_storage(o.state_dir)) {
    if (Status s = check_state_keys(o.state_dir); !s.ok()) {
      log::error("swtee storage: state dir {}: {}", o.state_dir, s.error());
      return 1;
    }
  }
  if (o.action == "ls") return uuid ? ls_ta(o.state_dir, *uuid) : ls_all(o.state_dir);
  if (o.action == "wipe") return uuid ? wipe_ta(o.state_dir, *uuid) : wipe_all(o.state_dir, false);
  if (o.action == "rekey" && !uuid) return wipe_all(o.state_dir, true);
  if (o.action == "reset-anchor" && !uuid) return reset_anchor(o.state_dir);
  log::error("swtee storage: {}{}: not a valid action", o.action, uuid ? " --ta" : "");
  return 2;
}

}  // namespace swtee::cli
