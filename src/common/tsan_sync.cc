#include "common/tsan_sync.h"

#ifdef SWTEE_TSAN

#include <cinttypes>
#include <cstdio>
#include <map>
#include <memory>
#include <tuple>

#include "common/thread_annotations.h"

namespace swtee {
namespace {

using Id = std::tuple<unsigned, unsigned, uint64_t, uint64_t>;  // major, minor, inode, file offset

struct Keys {
  Mutex mu;
  std::map<Id, std::unique_ptr<char>> by_id GUARDED_BY(mu);
};

const void* key_for(const Id& id) {
  static auto* keys = new Keys;  // never freed: a key outlives every channel that uses it
  MutexLock l(keys->mu);
  auto& k = keys->by_id[id];
  if (!k) k = std::make_unique<char>();
  return k.get();
}

}  // namespace

const void* shared_sync_key(const void* addr) {
  const auto a = reinterpret_cast<uintptr_t>(addr);
  std::FILE* f = std::fopen("/proc/self/maps", "re");
  if (f == nullptr) return addr;
  // start-end perms offset major:minor inode [path]
  uintptr_t start = 0, end = 0;
  uint64_t offset = 0, inode = 0;
  unsigned major = 0, minor = 0;
  char perms[8];
  bool found = false;
  char line[512];
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %" SCNx64 " %x:%x %" SCNu64, &start, &end, perms,
                    &offset, &major, &minor, &inode) == 7 &&
        start <= a && a < end) {
      found = true;
      break;
    }
  }
  std::fclose(f);
  if (!found || inode == 0) return addr;
  return key_for(Id{major, minor, inode, offset + (a - start)});
}

}  // namespace swtee

#endif
