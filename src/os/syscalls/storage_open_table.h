// The GP sharing rules for persistent objects (TEE Internal Core §5.7.3),
// across every instance of every TA: which handles are open on which
// object. Keyed by (TA UUID, object id), so instances of the same TA (one
// process each) see each other's handles and different TAs never meet.
//
// Rules, for the set of handles on one object (the new one included):
//  - if any has ACCESS_READ, all must have SHARE_READ;
//  - if any has ACCESS_WRITE, all must have SHARE_WRITE;
//  - ACCESS_WRITE_META is exclusive (no other handle at all);
//  - all have the same SHARE_READ/SHARE_WRITE bits (as OP-TEE checks).
// Creating (with or without OVERWRITE), deleting and renaming need the
// object to have no other handle; acquire_exclusive() expresses that.
//
// Thread-safe (one mutex; every operation is a few map look-ups).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/uuid.h"

namespace swtee::os {

class StorageOpenTable {
 public:
  using Token = uint64_t;

  // A handle with GP `flags` on (ta, id); EACCES when the sharing rules
  // forbid it.
  Result<Token> acquire(const Uuid& ta, std::span<const uint8_t> id, uint32_t flags) EXCLUDES(mu_);
  // A handle that requires the object to have no other handle (create,
  // rename target); it holds `flags` afterwards.
  Result<Token> acquire_exclusive(const Uuid& ta, std::span<const uint8_t> id, uint32_t flags) EXCLUDES(mu_);
  // Moves `token` to the object `target` holds (a token from
  // acquire_exclusive), which is released: a rename's commit.
  void rebind(Token token, Token target) EXCLUDES(mu_);
  void release(Token token) EXCLUDES(mu_);

  // Open handles on (ta, id) (tests, diagnostics).
  size_t count(const Uuid& ta, std::span<const uint8_t> id) const EXCLUDES(mu_);
  size_t size() const EXCLUDES(mu_);

 private:
  using Key = std::pair<Uuid, std::vector<uint8_t>>;
  struct Holder {
    Key key;
    uint32_t flags = 0;
  };
  Result<Token> add(Key key, uint32_t flags) REQUIRES(mu_);

  mutable Mutex mu_;
  Token next_ GUARDED_BY(mu_) = 1;
  std::map<Token, Holder> holders_ GUARDED_BY(mu_);
  std::map<Key, std::set<Token>> by_object_ GUARDED_BY(mu_);
};

// The GP rule itself: may a handle with `flags` join handles with `others`?
bool storage_share_allowed(std::span<const uint32_t> others, uint32_t flags);

}  // namespace swtee::os
