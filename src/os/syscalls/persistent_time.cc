#include "os/syscalls/persistent_time.h"

#include <time.h>

#include <cstring>

#include "common/log.h"
#include "os/storage/storage_errors.h"
#include "protocol/syscalls/time_abi.h"

namespace swtee::os {
namespace {

constexpr uint32_t kRecordMagic = 0x54505753;  // "SWPT"
constexpr uint32_t kRecordVersion = 1;

// The namespace of swtee-os's own (non-TA) object stores.
constexpr Uuid kOsNamespace{
    {0x6b, 0x1f, 0x3e, 0x52, 0x9a, 0x4d, 0x4c, 0x0e, 0x8f, 0x21, 0x5d, 0x73, 0xc4, 0x0b, 0x91, 0x2a}};

class RealtimeClock final : public WallClock {
 public:
  int64_t now_ms() override {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
  }
};

void put_le(std::vector<uint8_t>& out, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint64_t get_le(std::span<const uint8_t> b, size_t off, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(b[off + i]) << (8 * i);
  return v;
}

}  // namespace

Uuid persistent_time_store_uuid(const Uuid& ta) {
  return uuid_v5(kOsNamespace, "persistent-time/" + ta.to_string());
}

WallClock& system_wall_clock() {
  static RealtimeClock c;
  return c;
}

std::vector<uint8_t> PersistentTime::encode(const Record& r) {
  std::vector<uint8_t> out;
  out.reserve(kPersistentTimeRecordSize);
  put_le(out, kRecordMagic, 4);
  put_le(out, kRecordVersion, 4);
  put_le(out, static_cast<uint64_t>(r.offset_ms), 8);
  put_le(out, static_cast<uint64_t>(r.set_at_ms), 8);
  put_le(out, 0, 8);  // reserved
  return out;
}

std::optional<PersistentTime::Record> PersistentTime::decode(std::span<const uint8_t> b) {
  if (b.size() != kPersistentTimeRecordSize) return std::nullopt;
  if (get_le(b, 0, 4) != kRecordMagic || get_le(b, 4, 4) != kRecordVersion || get_le(b, 24, 8) != 0)
    return std::nullopt;
  Record r;
  r.offset_ms = static_cast<int64_t>(get_le(b, 8, 8));
  r.set_at_ms = static_cast<int64_t>(get_le(b, 16, 8));
  return r;
}

size_t PersistentTime::cached() const {
  MutexLock l(mu_);
  return cache_.size();
}

void PersistentTime::remember(const Uuid& ta, const Entry& e) {
  if (cache_.size() >= kMaxCached && cache_.count(ta) == 0) cache_.erase(cache_.begin());
  cache_[ta] = e;
}

std::optional<PersistentTime::Entry> PersistentTime::lookup(PersistentTimeStorage& storage, const Uuid& ta) {
  if (auto it = cache_.find(ta); it != cache_.end()) return it->second;
  Entry e;
  auto bytes = storage.load(ta);
  if (bytes.ok()) {
    auto rec = decode(*bytes);
    if (rec) {
      e.state = State::Set;
      e.rec = *rec;
    } else {
      log::warn("TA {}: persistent time record malformed", ta.to_string());
      e.state = State::NeedsReset;
    }
  } else if (bytes.error().code == ENOENT) {
    e.state = State::NotSet;
  } else if (bytes.error().code == storage::kErrCorrupt || bytes.error().code == storage::kErrRollback) {
    log::warn("TA {}: persistent time record untrustworthy: {}", ta.to_string(), bytes.error());
    e.state = State::NeedsReset;
  } else {
    log::warn("TA {}: persistent time store unreachable: {}", ta.to_string(), bytes.error());
    return std::nullopt;  // not cached: the next call tries again
  }
  remember(ta, e);
  return e;
}

uint32_t PersistentTime::get(PersistentTimeStorage& storage, const Uuid& ta, TaTime* out) {
  *out = TaTime{};
  MutexLock l(mu_);
  auto e = lookup(storage, ta);
  if (!e) return kTeeErrorOutOfMemory;
  switch (e->state) {
    case State::NotSet:
      return kTeeErrorTimeNotSet;
    case State::NeedsReset:
      return kTeeErrorTimeNeedsReset;
    case State::Set:
      break;
  }
  const int64_t now = clock_.now_ms();
  if (now < e->rec.set_at_ms - kBackwardSlackMs) {
    log::warn("TA {}: wall clock moved back since the persistent time was set", ta.to_string());
    remember(ta, Entry{State::NeedsReset, {}});
    return kTeeErrorTimeNeedsReset;
  }
  // offset and now are both bounded far below 2^62 by set(); the sum of
  // two such values cannot overflow int64.
  const int64_t t = now + e->rec.offset_ms;
  if (t < 0) {
    // Set to a time close to 0 and then the clock slewed back a little.
    return kTeeErrorTimeNeedsReset;
  }
  const uint64_t secs = static_cast<uint64_t>(t) / 1000;
  out->seconds = static_cast<uint32_t>(secs);  // GP: truncated on OVERFLOW
  out->millis = static_cast<uint32_t>(static_cast<uint64_t>(t) % 1000);
  return secs > UINT32_MAX ? kTeeErrorOverflow : kTeeSuccess;
}

uint32_t PersistentTime::set(PersistentTimeStorage& storage, const Uuid& ta, TaTime t) {
  if (t.millis > 999) return kTeeErrorBadParameters;
  const int64_t now = clock_.now_ms();
  Record rec;
  rec.offset_ms = static_cast<int64_t>(t.seconds) * 1000 + t.millis - now;
  rec.set_at_ms = now;
  MutexLock l(mu_);
  const std::vector<uint8_t> bytes = encode(rec);
  Status st = storage.save(ta, bytes);
  if (!st.ok() && (st.error().code == storage::kErrCorrupt || st.error().code == storage::kErrRollback)) {
    log::warn("TA {}: persistent time store untrustworthy ({}): resetting it", ta.to_string(), st.error());
    st = storage.reset(ta);
    if (st.ok()) st = storage.save(ta, bytes);
  }
  if (!st.ok()) {
    log::warn("TA {}: cannot store the persistent time: {}", ta.to_string(), st.error());
    const uint32_t gp = storage::gp_result_of(st.error());
    // A failed write leaves the stored record as it was (atomic update);
    // forget the cache so the next get reads what is really there.
    cache_.erase(ta);
    return gp == kTeeErrorStorageNoSpace ? gp : kTeeErrorOutOfMemory;
  }
  remember(ta, Entry{State::Set, rec});
  return kTeeSuccess;
}

}  // namespace swtee::os
