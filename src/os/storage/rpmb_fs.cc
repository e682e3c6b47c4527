#include "os/storage/rpmb_fs.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "os/storage/wire.h"

namespace swtee::os::storage {
namespace {

constexpr uint32_t kUsed = 0x45464D52;  // "RMFE"
constexpr size_t kBlock = 256;
constexpr size_t kEntriesPerBlock = kBlock / kRpmbFsEntrySize;
constexpr uint16_t kTableBlocks = kRpmbFsEntries / kEntriesPerBlock;
constexpr size_t kMaxBlocksPerWrite = 8;  // what a device takes in one request

}  // namespace

Status RpmbFsDevice::load(FsBackend& ree) {
  if (table_) return ok_status();
  ASSIGN_OR_RETURN(std::optional<std::vector<uint8_t>> raw,
                   client_.read(ree, layout_.first_block, kTableBlocks));
  std::array<Entry, kRpmbFsEntries> t{};
  if (raw) {
    for (size_t i = 0; i < kRpmbFsEntries; ++i) {
      const std::span<const uint8_t> e(raw->data() + i * kRpmbFsEntrySize, kRpmbFsEntrySize);
      if (get_le(e, 0, 4) != kUsed) continue;
      const auto* name = reinterpret_cast<const char*>(e.data() + 8);
      const size_t len = strnlen(name, kRpmbFsNameMax + 1);
      const uint32_t size = static_cast<uint32_t>(get_le(e, 4, 4));
      if (len == 0 || len > kRpmbFsNameMax || size > slot_bytes()) continue;  // not ours
      t[i] = Entry{true, size, std::string(name, len)};
    }
  }
  table_ = std::move(t);
  return ok_status();
}

Status RpmbFsDevice::store_entry(FsBackend& ree, size_t i) {
  const size_t first = i - i % kEntriesPerBlock;
  std::vector<uint8_t> block(kBlock, 0);
  for (size_t k = 0; k < kEntriesPerBlock; ++k) {
    const Entry& e = (*table_)[first + k];
    if (!e.used) continue;
    const std::span<uint8_t> out(block.data() + k * kRpmbFsEntrySize, kRpmbFsEntrySize);
    put_le(out, 0, kUsed, 4);
    put_le(out, 4, e.size, 4);
    std::memcpy(out.data() + 8, e.name.data(), e.name.size());
  }
  auto s = client_.write(ree, static_cast<uint16_t>(layout_.first_block + first / kEntriesPerBlock), block);
  if (!s.ok()) table_.reset();  // the device's state is unknown: read it again
  return s;
}

std::optional<size_t> RpmbFs::find(std::string_view name) {
  for (size_t i = 0; i < kRpmbFsEntries; ++i)
    if ((*dev_.table_)[i].used && (*dev_.table_)[i].name == name) return i;
  return std::nullopt;
}

Result<size_t> RpmbFs::entry_of(FsHandle h) {
  auto f = files_.find(h);
  if (f == files_.end()) return Error{EINVAL, "RPMB FS handle"};
  auto i = find(f->second);
  if (!i) return Error{ENOENT, "RPMB FS file gone"};
  return *i;
}

Result<FsHandle> RpmbFs::open(std::string_view name) {
  MutexLock l(dev_.mu_);
  TRY_STATUS(dev_.load(ree_));
  if (!find(name)) return Error{ENOENT, "no such file"};
  files_.emplace(next_, std::string(name));
  return next_++;
}

Result<FsHandle> RpmbFs::create(std::string_view name) {
  if (name.empty() || name.size() > kRpmbFsNameMax) return Error{EINVAL, "RPMB FS name"};
  MutexLock l(dev_.mu_);
  TRY_STATUS(dev_.load(ree_));
  auto i = find(name);
  if (!i) {
    for (size_t k = 0; k < kRpmbFsEntries && !i; ++k)
      if (!(*dev_.table_)[k].used) i = k;
    if (!i) return Error{ENOSPC, "RPMB FS full"};
    (*dev_.table_)[*i] = RpmbFsDevice::Entry{true, 0, std::string(name)};
  }
  (*dev_.table_)[*i].size = 0;
  TRY_STATUS(dev_.store_entry(ree_, *i));
  files_.emplace(next_, std::string(name));
  return next_++;
}

Status RpmbFs::close(FsHandle h) {
  if (files_.erase(h) == 0) return Error{EINVAL, "RPMB FS handle"};
  return ok_status();
}

Result<size_t> RpmbFs::read(FsHandle h, uint64_t offset, std::span<uint8_t> out) {
  MutexLock l(dev_.mu_);
  TRY_STATUS(dev_.load(ree_));
  ASSIGN_OR_RETURN(size_t i, entry_of(h));
  const uint64_t size = (*dev_.table_)[i].size;
  if (offset >= size || out.empty()) return size_t{0};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), size - offset));
  const uint64_t b0 = offset / kBlock, b1 = (offset + n - 1) / kBlock;
  ASSIGN_OR_RETURN(std::optional<std::vector<uint8_t>> raw,
                   dev_.client_.read(ree_, static_cast<uint16_t>(dev_.slot_block(i) + b0),
                                     static_cast<uint16_t>(b1 - b0 + 1)));
  if (!raw) return Error{EIO, "RPMB device lost its key"};
  std::memcpy(out.data(), raw->data() + (offset - b0 * kBlock), n);
  return n;
}

Status RpmbFs::write(FsHandle h, uint64_t offset, std::span<const uint8_t> in) {
  MutexLock l(dev_.mu_);
  TRY_STATUS(dev_.load(ree_));
  ASSIGN_OR_RETURN(size_t i, entry_of(h));
  if (offset > dev_.slot_bytes() || in.size() > dev_.slot_bytes() - offset)
    return Error{ENOSPC, "RPMB FS file too large"};
  if (in.empty()) return ok_status();
  const uint64_t end = offset + in.size();
  const uint64_t b0 = offset / kBlock, b1 = (end - 1) / kBlock;
  const uint16_t first = static_cast<uint16_t>(dev_.slot_block(i) + b0);
  const uint16_t count = static_cast<uint16_t>(b1 - b0 + 1);
  std::vector<uint8_t> blocks(size_t{count} * kBlock, 0);
  if (offset % kBlock != 0 || end % kBlock != 0) {  // partial blocks keep their other bytes
    ASSIGN_OR_RETURN(std::optional<std::vector<uint8_t>> raw, dev_.client_.read(ree_, first, count));
    if (raw) blocks = std::move(*raw);
  }
  std::memcpy(blocks.data() + (offset - b0 * kBlock), in.data(), in.size());
  for (size_t done = 0; done < count; done += kMaxBlocksPerWrite) {
    const size_t n = std::min(kMaxBlocksPerWrite, size_t{count} - done);
    auto s = dev_.client_.write(ree_, static_cast<uint16_t>(first + done),
                                Bytes(blocks.data() + done * kBlock, n * kBlock));
    if (!s.ok()) {
      dev_.table_.reset();
      return s;
    }
  }
  if (end > (*dev_.table_)[i].size) {
    (*dev_.table_)[i].size = static_cast<uint32_t>(end);
    TRY_STATUS(dev_.store_entry(ree_, i));
  }
  return ok_status();
}

Status RpmbFs::truncate(FsHandle h, uint64_t length) {
  uint64_t size = 0;
  {
    MutexLock l(dev_.mu_);
    TRY_STATUS(dev_.load(ree_));
    ASSIGN_OR_RETURN(size_t i, entry_of(h));
    if (length > dev_.slot_bytes()) return Error{ENOSPC, "RPMB FS file too large"};
    size = (*dev_.table_)[i].size;
    if (length <= size) {
      (*dev_.table_)[i].size = static_cast<uint32_t>(length);
      return dev_.store_entry(ree_, i);
    }
  }
  // Growing: the new bytes read as zeros.
  return write(h, size, std::vector<uint8_t>(static_cast<size_t>(length - size), 0));
}

Status RpmbFs::remove(std::string_view name) {
  MutexLock l(dev_.mu_);
  TRY_STATUS(dev_.load(ree_));
  auto i = find(name);
  if (!i) return Error{ENOENT, "no such file"};
  (*dev_.table_)[*i] = RpmbFsDevice::Entry{};
  return dev_.store_entry(ree_, *i);
}

Status RpmbFs::rename(std::string_view from, std::string_view to, bool overwrite) {
  if (to.empty() || to.size() > kRpmbFsNameMax) return Error{EINVAL, "RPMB FS name"};
  MutexLock l(dev_.mu_);
  TRY_STATUS(dev_.load(ree_));
  auto i = find(from);
  if (!i) return Error{ENOENT, "no such file"};
  auto j = find(to);
  if (j && *j == *i) return ok_status();
  if (j && !overwrite) return Error{EEXIST, "target exists"};
  if (j) {
    (*dev_.table_)[*j] = RpmbFsDevice::Entry{};
    TRY_STATUS(dev_.store_entry(ree_, *j));
  }
  (*dev_.table_)[*i].name = std::string(to);
  return dev_.store_entry(ree_, *i);
}

Result<FsHandle> RpmbFs::opendir(std::string_view name) {
  MutexLock l(dev_.mu_);
  TRY_STATUS(dev_.load(ree_));
  const std::string prefix = name.empty() ? "" : std::string(name) + "/";
  std::set<std::string> names;
  for (const auto& e : *dev_.table_) {
    if (!e.used || e.name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = e.name.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('/')));
  }
  if (names.empty() && !name.empty()) return Error{ENOENT, "no such directory"};
  dirs_.emplace(next_, std::vector<std::string>(names.rbegin(), names.rend()));
  return next_++;
}

Status RpmbFs::closedir(FsHandle h) {
  if (dirs_.erase(h) == 0) return Error{EINVAL, "RPMB FS dir handle"};
  return ok_status();
}

Result<std::optional<std::string>> RpmbFs::readdir(FsHandle h) {
  auto d = dirs_.find(h);
  if (d == dirs_.end()) return Error{EINVAL, "RPMB FS dir handle"};
  if (d->second.empty()) return std::optional<std::string>{};
  std::string n = std::move(d->second.back());
  d->second.pop_back();
  return std::optional<std::string>(std::move(n));
}

}  // namespace swtee::os::storage
