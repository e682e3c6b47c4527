// IdTable<Key, Value>: the one table of live objects by id, with a capacity.
//
// Every process of the stack keeps such tables (user shm ids and session ids
// in the core, RPC shm cookies in the OP-TEE driver, registered memory in
// swtee-os, the supplicant's buffers); they share these rules:
//   * an id is unique while it lives; insert() of a live id is EEXIST;
//   * the table holds at most `capacity` entries; one more is ENOSPC;
//   * insert_new() picks a fresh id in [1, max_id], counting upwards and
//     wrapping, skipping live ids, so an id is not reused soon after it dies
//     and never while it lives; 0 is never an id;
//   * remove() and take_if() hand the entries back, so the owner can destroy
//     them after dropping its lock (a destructor may unmap or call a driver).
// Not thread-safe: the owner guards it (IdTable<...> t_ GUARDED_BY(mu_)).
#pragma once

#include <cerrno>
#include <concepts>
#include <cstddef>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"

namespace swtee {

template <std::integral Key, typename Value>
class IdTable {
 public:
  explicit IdTable(size_t capacity, Key max_id = std::numeric_limits<Key>::max())
      : capacity_(capacity), max_id_(max_id) {}
  IdTable(const IdTable&) = delete;
  IdTable& operator=(const IdTable&) = delete;

  // Enters `value` under an id the caller chose. EINVAL for id 0.
  Status insert(Key id, Value value) {
    if (id == 0) return Error{EINVAL, "id 0"};
    if (entries_.contains(id)) return Error{EEXIST, "id already live"};
    if (full()) return Error{ENOSPC, "table full"};
    entries_.emplace(id, std::move(value));
    return ok_status();
  }

  // Enters `value` under a fresh id and returns it.
  Result<Key> insert_new(Value value) {
    if (full() || entries_.size() >= static_cast<size_t>(max_id_)) return Error{ENOSPC, "table full"};
    // A free id exists (size < max_id), so this ends.
    for (;;) {
      const Key id = next_;
      next_ = next_ >= max_id_ ? Key{1} : static_cast<Key>(next_ + 1);
      if (!entries_.contains(id)) {
        entries_.emplace(id, std::move(value));
        return id;
      }
    }
  }

  Value* find(Key id) {
    auto it = entries_.find(id);
    return it == entries_.end() ? nullptr : &it->second;
  }
  const Value* find(Key id) const {
    auto it = entries_.find(id);
    return it == entries_.end() ? nullptr : &it->second;
  }
  bool contains(Key id) const { return entries_.contains(id); }

  // Takes the entry out; nullopt when `id` is not live.
  std::optional<Value> remove(Key id) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    std::optional<Value> v(std::move(it->second));
    entries_.erase(it);
    return v;
  }

  // Takes out every entry for which pred(id, value) holds.
  template <typename Pred>
  std::vector<Value> take_if(Pred pred) {
    std::vector<Value> out;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (pred(it->first, it->second)) {
        out.push_back(std::move(it->second));
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }
  std::vector<Value> take_all() {
    return take_if([](Key, const Value&) { return true; });
  }

  // The live ids, in no particular order.
  std::vector<Key> ids() const {
    std::vector<Key> out;
    out.reserve(entries_.size());
    for (const auto& [id, v] : entries_) out.push_back(id);
    return out;
  }

  size_t size() const { return entries_.size(); }
  size_t capacity() const { return capacity_; }
  bool full() const { return entries_.size() >= capacity_; }
  bool empty() const { return entries_.empty(); }

 private:
  const size_t capacity_;
  const Key max_id_;
  Key next_ = 1;
  std::unordered_map<Key, Value> entries_;
};

}  // namespace swtee
