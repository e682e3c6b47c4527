#include "core/shm.h"

#include "core/context.h"

namespace swtee::core {

Shm::Shm(int id, Kind kind, UniqueFd memfd, uint64_t size, const Context* owner)
    : id_(id),
      kind_(kind),
      memfd_(std::move(memfd)),
      size_(size),
      owner_(owner),
      owner_id_(owner != nullptr ? owner->id() : 0) {}

}  // namespace swtee::core
