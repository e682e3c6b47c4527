#include "os/storage/ta_store.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

#include "common/checked_math.h"
#include "common/log.h"
#include "os/storage/fs_util.h"
#include "os/storage/object_file.h"
#include "os/storage/storage_errors.h"

namespace swtee::os::storage {
namespace {

constexpr size_t kMaxDirFileSize =
    2 * (kDirPrefix + size_t{kMaxDirEntries} * sizeof(DirEntryWire)) + kMaxDirPayload + 8;

bool same(Bytes a, Bytes b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

// Whether any version of `e` was ever written to an object file (a version
// that only travelled inline left none to remove).
bool has_files(const DirEntry& e) { return e.phys[0] != 0 || e.phys[1] != 0; }

// A file the directory says exists but the REE FS does not have is as
// corrupt as a file that fails authentication.
Error missing_is_corrupt(const Error& e) { return e.code == ENOENT ? corrupt("object file missing") : e; }

}  // namespace

Status validate_id(Bytes id) {
  // Zero-length ids are valid object ids (GP; OP-TEE accepts them too).
  if (id.size() > kMaxObjectIdLen) return Error{EINVAL, "object id length"};
  return ok_status();
}

TaStore::TaStore(TaKeys keys, StoreOptions opts, std::shared_ptr<RollbackAnchor> anchor)
    : keys_(std::move(keys)),
      opts_(std::move(opts)),
      anchor_holder_(std::move(anchor)),
      anchor_(*anchor_holder_),
      dir_name_(opts_.root + "/" + to_hex(keys_.tag)),
      owner_(opts_.kept_handles ? opts_.kept_handles->new_owner() : 0) {}

TaStore::~TaStore() {
  if (opts_.kept_handles) opts_.kept_handles->orphan(owner_);
}

std::string TaStore::object_name(const ObjectUid& uid, int slot) const {
  return dir_name_ + "/" + to_hex(uid) + (slot == 0 ? ".0" : ".1");
}

std::string TaStore::dir_file_name(int slot) const { return dir_name_ + (slot == 0 ? "/d0" : "/d1"); }

std::optional<size_t> TaStore::find(Bytes id) const {
  for (size_t i = 0; i < state_->entries.size(); ++i)
    if (same(state_->entries[i].id, id)) return i;
  return std::nullopt;
}

Status TaStore::ensure_loaded(FsBackend& fs) {
  if (state_) return ok_status();
  ASSIGN_OR_RETURN(uint64_t anchored, anchor_.read(fs, keys_.tag));
  std::optional<DirCommit> best;
  bool any_file = false;
  for (int slot = 0; slot < 2; ++slot) {
    auto bytes = read_file(fs, dir_file_name(slot), kMaxDirFileSize);
    if (!bytes.ok()) {
      if (bytes.error().code == ENOENT) continue;
      if (bytes.error().code != kErrCorrupt) return bytes.error();
      any_file = true;
      continue;
    }
    any_file = true;
    auto d = open_dir(keys_, static_cast<uint16_t>(slot), *bytes);
    if (!d.ok()) {
      if (d.error().code != kErrCorrupt) return d.error();
      log::warn("storage: directory file d{} of TA dir {} fails authentication", slot, dir_name_);
      continue;
    }
    if (d->valid_copies < 2)
      log::warn("storage: TA dir {}: one copy of directory commit {} is damaged; the other is used",
                dir_name_, d->state.counter);
    if (!best || d->state.counter > best->state.counter) best = std::move(*d);
  }
  if (opts_.anchor_batch == 0) {
    // Freshness comes from the device itself (the RPMB store): no anchor.
    if (!best) best = DirCommit{};
  } else if (!best) {
    if (anchored != 0) {
      log::error("storage: TA dir {}: no valid directory but the anchor holds {}", dir_name_, anchored);
      return any_file ? corrupt("directory file") : Error{kErrRollback, "directory removed"};
    }
    // Nothing was ever acknowledged (a first commit torn by a crash at most).
    best = DirCommit{};
  } else if (best->state.counter < anchored) {
    log::error("storage: TA dir {}: directory counter {} is older than the anchor {}: rollback", dir_name_,
               best->state.counter, anchored);
    return Error{kErrRollback, "directory rolled back"};
  } else if (best->state.counter > (anchored == 0 ? 1 : anchored + opts_.anchor_batch)) {
    // Further ahead than any crash can leave it: the anchor was deleted or
    // reset. Refused until the operator says otherwise (swtee storage
    // reset-anchor), since a rollback can no longer be told from the truth.
    log::error(
        "storage: TA dir {}: directory counter {} is ahead of the rollback anchor {}: the anchor is missing "
        "or "
        "was reset; refusing the store (`swtee storage reset-anchor` accepts the current state)",
        dir_name_, best->state.counter, anchored);
    return Error{kErrRollback, "rollback anchor missing or reset"};
  } else if (best->state.counter > anchored) {
    // Commits landed whose anchor update was batched or cut by a crash.
    TRY_STATUS(anchor_.advance(fs, keys_.tag, best->state.counter));
    anchored = best->state.counter;
  }
  std::map<ObjectUid, std::vector<uint8_t>> inl;
  for (const DirEntry& e : best->state.entries) {
    if (e.inline_len == 0) continue;
    const auto* p = best->payload.data() + e.inline_off;
    inl.emplace(e.version.uid, std::vector<uint8_t>(p, p + e.inline_len));
  }
  TRY_STATUS(sweep(fs, best->state));
  anchored_ = anchored;
  inline_ = std::move(inl);
  state_ = std::move(best->state);
  return ok_status();
}

void TaStore::forget() {
  state_.reset();
  inline_.clear();
}

uint64_t TaStore::inline_bytes() const {
  uint64_t n = 0;
  for (const auto& [_, v] : inline_) n += v.size();
  return n;
}

// Removes files of the TA directory that belong to no object: versions
// written before a crash prevented their commit, files of deleted objects.
Status TaStore::sweep(FsBackend& fs, const DirState& d) {
  std::set<std::string> keep = {"d0", "d1"};
  for (const DirEntry& e : d.entries) {
    keep.insert(to_hex(e.version.uid) + ".0");
    keep.insert(to_hex(e.version.uid) + ".1");
  }
  return remove_all_but(fs, keep);
}

Status TaStore::remove_all_but(FsBackend& fs, const std::set<std::string>& keep) {
  auto h = fs.opendir(dir_name_);
  if (!h.ok()) return h.error().code == ENOENT ? ok_status() : h.error();
  std::vector<std::string> stale;
  for (;;) {
    auto name = fs.readdir(*h);
    if (!name.ok()) {
      (void)fs.closedir(*h);
      return name.error();
    }
    if (!name->has_value()) break;
    if (keep.count(**name) == 0) stale.push_back(std::move(**name));
  }
  (void)fs.closedir(*h);
  for (const std::string& s : stale) {
    if (auto r = fs.remove(dir_name_ + "/" + s); !r.ok() && r.error().code != ENOENT) return r.error();
  }
  return ok_status();
}

Status TaStore::reset_after_rollback(FsBackend& fs) {
  MutexLock l(mu_);
  auto loaded = ensure_loaded(fs);
  if (loaded.ok()) return ok_status();
  if (loaded.error().code != kErrRollback && loaded.error().code != kErrCorrupt) return loaded.error();
  ASSIGN_OR_RETURN(uint64_t anchored, anchor_.read(fs, keys_.tag));
  log::warn("storage: TA dir {}: discarding its untrusted content, restarting at directory {}", dir_name_,
            anchored + 1);
  cache_.clear();
  cache_bytes_ = 0;
  close_kept(fs);
  TRY_STATUS(remove_all_but(fs, {}));
  DirState base;
  base.counter = anchored;  // commit() writes anchored + 1
  state_ = std::move(base);
  inline_.clear();
  anchored_ = anchored;
  return commit(fs, DirState{});
}

Status TaStore::commit(FsBackend& fs, DirState next) {
  auto counter = checked_add<uint64_t>(state_->counter, 1);
  if (!counter) return Error{ENOSPC, "directory counter exhausted"};
  next.counter = *counter;
  // The inline versions the new directory points at travel with it.
  std::vector<uint8_t> payload;
  for (DirEntry& e : next.entries) {
    if (e.inline_len == 0) continue;
    auto v = inline_.find(e.version.uid);
    if (v == inline_.end() || v->second.size() != e.inline_len) {
      forget();
      return Error{EIO, "inline version lost"};
    }
    e.inline_off = payload.size();
    payload.insert(payload.end(), v->second.begin(), v->second.end());
  }
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, seal_dir(keys_, next, payload));
  // From here on the on-disk state is unknown until the write is confirmed:
  // any failure drops the cached state, so the next call re-reads the disk.
  forget();
  TRY_STATUS(write_dir_file(fs, static_cast<int>(next.counter & 1), bytes));
  const uint64_t committed = next.counter;
  if (opts_.anchor_batch != 0 &&
      (anchored_ == 0 || committed - std::min(anchored_, committed) >= opts_.anchor_batch)) {
    TRY_STATUS(anchor_.advance(fs, keys_.tag, committed));
    anchored_ = committed;
  }
  // Keep the inline bytes of the committed directory (ensure_loaded would
  // read them back from the file it just wrote).
  std::map<ObjectUid, std::vector<uint8_t>> inl;
  for (const DirEntry& e : next.entries)
    if (e.inline_len != 0)
      inl.emplace(e.version.uid, std::vector<uint8_t>(
                                     payload.begin() + static_cast<ptrdiff_t>(e.inline_off),
                                     payload.begin() + static_cast<ptrdiff_t>(e.inline_off + e.inline_len)));
  inline_ = std::move(inl);
  state_ = std::move(next);
  return ok_status();
}

Status TaStore::write_dir_file(FsBackend& fs, int slot, Bytes bytes) {
  std::optional<FsHandle> kept;
  if (opts_.kept_handles) kept = opts_.kept_handles->take(owner_, static_cast<uint32_t>(slot));
  if (kept) {
    Status wrote = fs.write(*kept, 0, bytes);
    if (wrote.ok() || wrote.error().code != EINVAL) return keep_or_close(fs, slot, *kept, std::move(wrote));
    // A handle of an earlier supplicant, which its successor refuses
    // without touching any file: nothing was written; open the file anew.
    log::info("storage: TA dir {}: a kept directory handle was refused (a restarted supplicant); reopening",
              dir_name_);
  }
  ASSIGN_OR_RETURN(FsHandle h, open_or_create(fs, dir_file_name(slot)));
  return keep_or_close(fs, slot, h, fs.write(h, 0, bytes));
}

Status TaStore::keep_or_close(FsBackend& fs, int slot, FsHandle h, Status wrote) {
  if (wrote.ok() && opts_.kept_handles && fs.can_keep(h)) {
    for (FsHandle old : opts_.kept_handles->put(owner_, static_cast<uint32_t>(slot), h)) (void)fs.close(old);
    return wrote;
  }
  // A supplicant that is gone took its handles with it; after any other
  // failure the handle is closed, and the next commit opens the file anew.
  if (wrote.ok() || wrote.error().code != ECONNRESET) (void)fs.close(h);
  return wrote;
}

void TaStore::close_kept(FsBackend& fs) {
  if (!opts_.kept_handles) return;
  for (FsHandle h : opts_.kept_handles->take_all(owner_)) (void)fs.close(h);
}

Result<std::vector<uint8_t>> TaStore::read_stream(FsBackend& fs, const DirEntry& e, uint64_t pos,
                                                  uint64_t len) {
  auto c = cache_.find(e.version.uid);
  if (c != cache_.end() && c->second.generation == e.version.generation) {
    c->second.last_use = ++use_clock_;
    const auto& s = c->second.stream;
    const uint64_t from = std::min<uint64_t>(pos, s.size());
    const uint64_t to = std::min<uint64_t>(s.size(), from + std::min<uint64_t>(len, s.size()));
    return std::vector<uint8_t>(s.begin() + static_cast<ptrdiff_t>(from),
                                s.begin() + static_cast<ptrdiff_t>(to));
  }
  const ChunkSpan span = chunks_for(e.version, pos, len);
  const auto file_size = object_file_size(e.version);
  if (!file_size) return corrupt("object size");
  // Every byte a reader uses is checked, the header included (against the
  // directory's view of it). Bytes past the last chunk are not: a version
  // file is rewritten in place, and after a crash between a longer
  // uncommitted version and the next commit it may legitimately carry a
  // tail that nothing reads.
  const uint64_t want = span.file_len;
  std::vector<uint8_t> file;
  if (e.inline_len != 0) {
    // The version travels in the directory commit: same checks, other source.
    auto v = inline_.find(e.version.uid);
    if (v == inline_.end() || v->second.size() < sizeof(ObjectHeader))
      return corrupt("inline version missing");
    const std::vector<uint8_t>& img = v->second;
    TRY_STATUS(check_header(e.version, Bytes(img.data(), sizeof(ObjectHeader))));
    const uint64_t from = std::min<uint64_t>(span.file_off, img.size());
    const uint64_t to = std::min<uint64_t>(img.size(), from + want);
    file.assign(img.begin() + static_cast<ptrdiff_t>(from), img.begin() + static_cast<ptrdiff_t>(to));
  } else {
    auto h = fs.open(object_name(e.version.uid, e.slot));
    if (!h.ok()) return missing_is_corrupt(h.error());
    FileCloser closer(fs, *h);
    if (span.file_off == sizeof(ObjectHeader)) {
      file.resize(sizeof(ObjectHeader) + want);
      ASSIGN_OR_RETURN(size_t got, fs.read(*h, 0, file));
      file.resize(got);
      if (got < sizeof(ObjectHeader)) return corrupt("object file truncated");
      TRY_STATUS(check_header(e.version, Bytes(file.data(), sizeof(ObjectHeader))));
      file.erase(file.begin(), file.begin() + sizeof(ObjectHeader));
    } else {
      std::array<uint8_t, sizeof(ObjectHeader)> hdr{};
      ASSIGN_OR_RETURN(size_t hgot, fs.read(*h, 0, hdr));
      if (hgot != hdr.size()) return corrupt("object file truncated");
      TRY_STATUS(check_header(e.version, hdr));
      file.resize(want);
      ASSIGN_OR_RETURN(size_t got, fs.read(*h, span.file_off, file));
      file.resize(got);
    }
  }
  ASSIGN_OR_RETURN(std::vector<uint8_t> plain, open_chunks(keys_, e.version, span, file));
  const uint64_t base = span.first * kChunkSize;
  const uint64_t total = uint64_t{e.version.meta_len} + e.version.data_len;
  if (base == 0 && plain.size() == total) cache_put(e, plain);
  const uint64_t from = std::min<uint64_t>(pos - std::min(pos, base), plain.size());
  const uint64_t to = std::min<uint64_t>(plain.size(), from + std::min<uint64_t>(len, plain.size()));
  return std::vector<uint8_t>(plain.begin() + static_cast<ptrdiff_t>(from),
                              plain.begin() + static_cast<ptrdiff_t>(to));
}

Result<std::vector<uint8_t>> TaStore::whole_stream(FsBackend& fs, const DirEntry& e) {
  return read_stream(fs, e, 0, uint64_t{e.version.meta_len} + e.version.data_len);
}

void TaStore::cache_drop(const ObjectUid& uid) {
  auto old = cache_.find(uid);
  if (old == cache_.end()) return;
  cache_bytes_ -= old->second.stream.size();
  cache_.erase(old);
}

void TaStore::cache_put(const DirEntry& e, std::vector<uint8_t> stream) {
  cache_drop(e.version.uid);
  if (stream.size() > opts_.max_cached_object || stream.size() > opts_.cache_bytes_per_ta) return;
  while (cache_bytes_ + stream.size() > opts_.cache_bytes_per_ta && !cache_.empty()) {
    auto lru = std::min_element(cache_.begin(), cache_.end(), [](const auto& a, const auto& b) {
      return a.second.last_use < b.second.last_use;
    });
    cache_bytes_ -= lru->second.stream.size();
    cache_.erase(lru);
  }
  cache_bytes_ += stream.size();
  cache_.emplace(e.version.uid, Cached{e.version.generation, ++use_clock_, std::move(stream)});
}

Result<DirEntry> TaStore::write_version(FsBackend& fs, const DirEntry& e, Bytes meta, Bytes data) {
  if (data.size() > opts_.max_object_size) return Error{ENOSPC, "object too large"};
  if (meta.size() > opts_.max_meta_size) return Error{EINVAL, "attributes too large"};
  DirEntry n = e;
  auto gen = checked_add<uint64_t>(e.version.generation, 1);
  if (!gen) return Error{ENOSPC, "generation exhausted"};
  n.version.generation = *gen;
  n.version.meta_len = static_cast<uint32_t>(meta.size());
  n.version.data_len = data.size();
  TRY_STATUS(random_bytes(n.version.salt));
  // The file that does not hold the current version (either, when the
  // current version is inline or this is a fresh object).
  n.slot = e.version.generation == 0 ? 0 : e.inline_len != 0 ? e.slot : static_cast<uint8_t>(1 - e.slot);
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, seal_object(keys_, n.version, meta, data));
  if (bytes.size() <= opts_.max_inline_object) {
    const uint64_t own = e.inline_len != 0 ? e.inline_len : 0;
    if (inline_bytes() - own + bytes.size() > opts_.max_inline_bytes)
      TRY_STATUS(flush_inline(fs, &e.version.uid));
    if (inline_bytes() - own + bytes.size() <= opts_.max_inline_bytes) {
      // Journaled: the bytes go out with the directory commit, in one write.
      n.inline_len = static_cast<uint32_t>(bytes.size());
      n.inline_off = 0;  // placed by commit()
      inline_[n.version.uid] = std::move(bytes);
      return n;
    }
  }
  const std::string name = object_name(n.version.uid, n.slot);
  // A fresh object's first file is created (O_TRUNC); later versions reuse
  // the other file in place and cut it only when the new version is shorter.
  ASSIGN_OR_RETURN(FsHandle h, e.version.generation == 0 ? fs.create(name) : open_or_create(fs, name));
  FileCloser closer(fs, h);
  TRY_STATUS(fs.write(h, 0, bytes));
  if (n.phys[n.slot] > bytes.size()) TRY_STATUS(fs.truncate(h, bytes.size()));
  n.phys[n.slot] = bytes.size();
  n.inline_len = 0;
  n.inline_off = 0;
  return n;
}

// Moves every inline version (but `keep`'s) out of the directory into its
// object file. The committed directory still carries them until the next
// commit, which points at the files instead: a crash in between leaves
// the committed state intact. Any failure drops the cached state.
Status TaStore::flush_inline(FsBackend& fs, const ObjectUid* keep) {
  for (DirEntry& e : state_->entries) {
    if (e.inline_len == 0 || (keep != nullptr && e.version.uid == *keep)) continue;
    auto v = inline_.find(e.version.uid);
    Status s = v == inline_.end() ? Status(Error{EIO, "inline version lost"}) : ok_status();
    if (s.ok()) {
      auto h = open_or_create(fs, object_name(e.version.uid, e.slot));
      if (!h.ok()) {
        s = h.error();
      } else {
        FileCloser closer(fs, *h);
        s = fs.write(*h, 0, v->second);
        if (s.ok() && e.phys[e.slot] > v->second.size()) s = fs.truncate(*h, v->second.size());
      }
    }
    if (!s.ok()) {
      forget();
      return s;
    }
    e.phys[e.slot] = v->second.size();
    e.inline_len = 0;
    e.inline_off = 0;
    inline_.erase(v);
  }
  return ok_status();
}

void TaStore::remove_files(FsBackend& fs, const ObjectUid& uid) {
  // Best effort: a file left behind is swept on the next load.
  (void)fs.remove(object_name(uid, 0));
  (void)fs.remove(object_name(uid, 1));
}

Status TaStore::create(FsBackend& fs, Bytes id, Bytes meta, Bytes data, bool overwrite) {
  TRY_STATUS(validate_id(id));
  if (data.size() > opts_.max_object_size) return Error{ENOSPC, "object too large"};
  if (meta.size() > opts_.max_meta_size) return Error{EINVAL, "attributes too large"};
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  const auto existing = find(id);
  if (existing && !overwrite) return Error{EEXIST, "object exists"};
  if (!existing && state_->entries.size() >= opts_.max_objects_per_ta)
    return Error{ENOSPC, "too many objects"};

  DirEntry fresh;
  fresh.id.assign(id.begin(), id.end());
  TRY_STATUS(random_bytes(fresh.version.uid));
  auto e = write_version(fs, fresh, meta, data);
  if (!e.ok()) {
    remove_files(fs, fresh.version.uid);
    return e.error();
  }
  DirState next = *state_;
  std::optional<ObjectUid> replaced;
  bool replaced_had_files = false;
  if (existing) {
    replaced = next.entries[*existing].version.uid;
    replaced_had_files = has_files(next.entries[*existing]);
    next.entries[*existing] = *e;
  } else {
    next.entries.push_back(*e);
  }
  if (auto s = commit(fs, std::move(next)); !s.ok()) {
    // The new file is swept on reload if the commit did not land.
    return s;
  }
  if (replaced) {
    cache_drop(*replaced);
    inline_.erase(*replaced);
    if (replaced_had_files) remove_files(fs, *replaced);
  }
  std::vector<uint8_t> stream(meta.begin(), meta.end());
  stream.insert(stream.end(), data.begin(), data.end());
  cache_put(*e, std::move(stream));
  return ok_status();
}

Result<ObjectStat> TaStore::stat(FsBackend& fs, Bytes id) {
  TRY_STATUS(validate_id(id));
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  auto i = find(id);
  if (!i) return Error{ENOENT, "no such object"};
  const ObjectVersion& v = state_->entries[*i].version;
  return ObjectStat{v.meta_len, v.data_len, v.generation};
}

Result<std::vector<uint8_t>> TaStore::read_meta(FsBackend& fs, Bytes id) {
  TRY_STATUS(validate_id(id));
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  auto i = find(id);
  if (!i) return Error{ENOENT, "no such object"};
  const DirEntry& e = state_->entries[*i];
  return read_stream(fs, e, 0, e.version.meta_len);
}

Result<std::vector<uint8_t>> TaStore::read(FsBackend& fs, Bytes id, uint64_t pos, uint64_t len) {
  TRY_STATUS(validate_id(id));
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  auto i = find(id);
  if (!i) return Error{ENOENT, "no such object"};
  const DirEntry& e = state_->entries[*i];
  if (pos >= e.version.data_len || len == 0) return std::vector<uint8_t>{};
  const uint64_t n = std::min(len, e.version.data_len - pos);
  return read_stream(fs, e, e.version.meta_len + pos, n);
}

Status TaStore::replace_stream(FsBackend& fs, size_t index, Bytes meta, Bytes data) {
  const DirEntry cur = state_->entries[index];
  ASSIGN_OR_RETURN(DirEntry n, write_version(fs, cur, meta, data));
  DirState next = *state_;
  next.entries[index] = n;
  TRY_STATUS(commit(fs, std::move(next)));
  std::vector<uint8_t> stream(meta.begin(), meta.end());
  stream.insert(stream.end(), data.begin(), data.end());
  cache_put(n, std::move(stream));
  return ok_status();
}

Status TaStore::write(FsBackend& fs, Bytes id, uint64_t pos, Bytes data) {
  TRY_STATUS(validate_id(id));
  auto end = checked_add<uint64_t>(pos, data.size());
  if (!end || *end > opts_.max_object_size) return Error{ENOSPC, "object too large"};
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  auto i = find(id);
  if (!i) return Error{ENOENT, "no such object"};
  const DirEntry& e = state_->entries[*i];
  ASSIGN_OR_RETURN(std::vector<uint8_t> stream, whole_stream(fs, e));
  const size_t meta_len = e.version.meta_len;
  std::vector<uint8_t> body(stream.begin() + static_cast<ptrdiff_t>(meta_len), stream.end());
  if (body.size() < *end) body.resize(static_cast<size_t>(*end), 0);
  std::copy(data.begin(), data.end(), body.begin() + static_cast<ptrdiff_t>(pos));
  stream.resize(meta_len);
  return replace_stream(fs, *i, stream, body);
}

Status TaStore::truncate(FsBackend& fs, Bytes id, uint64_t length) {
  TRY_STATUS(validate_id(id));
  if (length > opts_.max_object_size) return Error{ENOSPC, "object too large"};
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  auto i = find(id);
  if (!i) return Error{ENOENT, "no such object"};
  const DirEntry& e = state_->entries[*i];
  if (length == e.version.data_len) return ok_status();
  ASSIGN_OR_RETURN(std::vector<uint8_t> stream, whole_stream(fs, e));
  const size_t meta_len = e.version.meta_len;
  std::vector<uint8_t> body(stream.begin() + static_cast<ptrdiff_t>(meta_len), stream.end());
  body.resize(static_cast<size_t>(length), 0);
  stream.resize(meta_len);
  return replace_stream(fs, *i, stream, body);
}

Status TaStore::set_meta(FsBackend& fs, Bytes id, Bytes meta) {
  TRY_STATUS(validate_id(id));
  if (meta.size() > opts_.max_meta_size) return Error{EINVAL, "attributes too large"};
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  auto i = find(id);
  if (!i) return Error{ENOENT, "no such object"};
  const DirEntry& e = state_->entries[*i];
  ASSIGN_OR_RETURN(std::vector<uint8_t> stream, whole_stream(fs, e));
  std::vector<uint8_t> body(stream.begin() + static_cast<ptrdiff_t>(e.version.meta_len), stream.end());
  return replace_stream(fs, *i, meta, body);
}

Status TaStore::rename(FsBackend& fs, Bytes from, Bytes to) {
  TRY_STATUS(validate_id(from));
  TRY_STATUS(validate_id(to));
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  auto i = find(from);
  if (!i) return Error{ENOENT, "no such object"};
  if (same(from, to)) return ok_status();
  if (find(to)) return Error{EEXIST, "target exists"};
  DirState next = *state_;
  next.entries[*i].id.assign(to.begin(), to.end());
  return commit(fs, std::move(next));
}

Status TaStore::remove(FsBackend& fs, Bytes id) {
  TRY_STATUS(validate_id(id));
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  auto i = find(id);
  if (!i) return Error{ENOENT, "no such object"};
  DirState next = *state_;
  const ObjectUid uid = next.entries[*i].version.uid;
  const bool had_files = has_files(next.entries[*i]);
  next.entries.erase(next.entries.begin() + static_cast<ptrdiff_t>(*i));
  TRY_STATUS(commit(fs, std::move(next)));
  cache_drop(uid);
  inline_.erase(uid);
  if (had_files) remove_files(fs, uid);
  return ok_status();
}

Result<std::vector<std::vector<uint8_t>>> TaStore::list(FsBackend& fs) {
  MutexLock l(mu_);
  TRY_STATUS(ensure_loaded(fs));
  std::vector<std::vector<uint8_t>> ids;
  ids.reserve(state_->entries.size());
  for (const DirEntry& e : state_->entries) ids.push_back(e.id);
  return ids;
}

void TaStore::drop_cache() {
  MutexLock l(mu_);
  forget();
  cache_.clear();
  cache_bytes_ = 0;
}

}  // namespace swtee::os::storage
