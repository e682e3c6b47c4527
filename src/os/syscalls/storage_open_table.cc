#include "os/syscalls/storage_open_table.h"

#include <cerrno>

#include "protocol/syscalls/storage_abi.h"

namespace swtee::os {

using namespace storage_abi;

bool storage_share_allowed(std::span<const uint32_t> others, uint32_t flags) {
  if (others.empty()) return true;
  uint32_t any = flags;
  uint32_t all = flags;
  for (uint32_t f : others) {
    // OP-TEE (tee_pobj_check_access) also wants the same share bits on all.
    if ((f & (kShareRead | kShareWrite)) != (flags & (kShareRead | kShareWrite))) return false;
    any |= f;
    all &= f;
  }
  if ((any & kAccessWriteMeta) != 0) return false;
  if ((any & kAccessRead) != 0 && (all & kShareRead) == 0) return false;
  if ((any & kAccessWrite) != 0 && (all & kShareWrite) == 0) return false;
  return true;
}

Result<StorageOpenTable::Token> StorageOpenTable::add(Key key, uint32_t flags) {
  const Token t = next_++;
  by_object_[key].insert(t);
  holders_.emplace(t, Holder{std::move(key), flags});
  return t;
}

Result<StorageOpenTable::Token> StorageOpenTable::acquire(const Uuid& ta, std::span<const uint8_t> id,
                                                          uint32_t flags) {
  Key key{ta, {id.begin(), id.end()}};
  MutexLock l(mu_);
  auto it = by_object_.find(key);
  if (it != by_object_.end()) {
    std::vector<uint32_t> others;
    others.reserve(it->second.size());
    for (Token t : it->second) others.push_back(holders_.at(t).flags);
    if (!storage_share_allowed(others, flags)) return Error{EACCES, "sharing rules"};
  }
  return add(std::move(key), flags);
}

Result<StorageOpenTable::Token> StorageOpenTable::acquire_exclusive(const Uuid& ta,
                                                                    std::span<const uint8_t> id,
                                                                    uint32_t flags) {
  Key key{ta, {id.begin(), id.end()}};
  MutexLock l(mu_);
  auto it = by_object_.find(key);
  if (it != by_object_.end() && !it->second.empty()) return Error{EACCES, "object is open"};
  return add(std::move(key), flags);
}

void StorageOpenTable::rebind(Token token, Token target) {
  MutexLock l(mu_);
  auto h = holders_.find(token);
  auto t = holders_.find(target);
  if (h == holders_.end() || t == holders_.end() || token == target) return;
  auto old_set = by_object_.find(h->second.key);
  if (old_set != by_object_.end()) {
    old_set->second.erase(token);
    if (old_set->second.empty()) by_object_.erase(old_set);
  }
  auto& tset = by_object_[t->second.key];
  tset.erase(target);
  tset.insert(token);
  h->second.key = t->second.key;
  holders_.erase(t);
}

void StorageOpenTable::release(Token token) {
  MutexLock l(mu_);
  auto h = holders_.find(token);
  if (h == holders_.end()) return;
  auto s = by_object_.find(h->second.key);
  if (s != by_object_.end()) {
    s->second.erase(token);
    if (s->second.empty()) by_object_.erase(s);
  }
  holders_.erase(h);
}

size_t StorageOpenTable::count(const Uuid& ta, std::span<const uint8_t> id) const {
  Key key{ta, {id.begin(), id.end()}};
  MutexLock l(mu_);
  auto it = by_object_.find(key);
  return it == by_object_.end() ? 0 : it->second.size();
}

size_t StorageOpenTable::size() const {
  MutexLock l(mu_);
  return holders_.size();
}

}  // namespace swtee::os
