#include "os/syscalls/persistent_time.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "os/storage/storage_errors.h"
#include "protocol/syscalls/time_abi.h"

namespace swtee::os {
namespace {

class FakeClock final : public WallClock {
 public:
  int64_t now_ms() override { return now; }
  int64_t now = 1'700'000'000'000;
};

class MapStorage final : public PersistentTimeStorage {
 public:
  Result<std::vector<uint8_t>> load(const Uuid& ta) override {
    ++loads;
    if (fail_code != 0) return Error{fail_code, "injected"};
    if (untrusted.count(ta) != 0) return Error{storage::kErrRollback, "rolled back"};
    auto it = records.find(ta);
    if (it == records.end()) return Error{ENOENT, "none"};
    return it->second;
  }
  Status save(const Uuid& ta, std::span<const uint8_t> rec) override {
    ++saves;
    if (fail_code != 0) return Error{fail_code, "injected"};
    if (untrusted.count(ta) != 0) return Error{storage::kErrRollback, "rolled back"};
    records[ta].assign(rec.begin(), rec.end());
    return ok_status();
  }
  Status reset(const Uuid& ta) override {
    ++resets;
    if (fail_code != 0) return Error{fail_code, "injected"};
    untrusted.erase(ta);
    records.erase(ta);
    return ok_status();
  }
  std::map<Uuid, std::vector<uint8_t>> records;
  std::set<Uuid> untrusted;  // load and save fail with kErrRollback until reset
  int fail_code = 0;
  int loads = 0, saves = 0, resets = 0;
};

Uuid ta(uint8_t n) {
  Uuid u;
  u.octets[15] = n;
  return u;
}

TEST(PersistentTime, NotSetUntilTheFirstSet) {
  FakeClock clock;
  MapStorage st;
  PersistentTime pt(clock);
  TaTime t{7, 7};
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeErrorTimeNotSet);
  EXPECT_EQ(t.seconds, 0u);
  EXPECT_EQ(t.millis, 0u);
}

TEST(PersistentTime, SetThenGetAdvancesWithTheBase) {
  FakeClock clock;
  MapStorage st;
  PersistentTime pt(clock);
  ASSERT_EQ(pt.set(st, ta(1), TaTime{1000, 250}), kTeeSuccess);
  clock.now += 61'900;
  TaTime t;
  ASSERT_EQ(pt.get(st, ta(1), &t), kTeeSuccess);
  EXPECT_EQ(t.seconds, 1062u);
  EXPECT_EQ(t.millis, 150u);
  // Another TA is untouched.
  EXPECT_EQ(pt.get(st, ta(2), &t), kTeeErrorTimeNotSet);
}

TEST(PersistentTime, SurvivesARestartThroughTheStore) {
  FakeClock clock;
  MapStorage st;
  {
    PersistentTime pt(clock);
    ASSERT_EQ(pt.set(st, ta(1), TaTime{5000, 0}), kTeeSuccess);
  }
  clock.now += 3'000;
  PersistentTime restarted(clock);
  TaTime t;
  ASSERT_EQ(restarted.get(st, ta(1), &t), kTeeSuccess);
  EXPECT_EQ(t.seconds, 5003u);
  const int loads = st.loads;
  ASSERT_EQ(restarted.get(st, ta(1), &t), kTeeSuccess);
  EXPECT_EQ(st.loads, loads);  // cached after the first read
}

TEST(PersistentTime, OverflowTruncatesSeconds) {
  FakeClock clock;
  MapStorage st;
  PersistentTime pt(clock);
  ASSERT_EQ(pt.set(st, ta(1), TaTime{UINT32_MAX, 500}), kTeeSuccess);
  clock.now += 2'000;
  TaTime t;
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeErrorOverflow);
  EXPECT_EQ(t.seconds, 1u);  // (2^32 - 1 + 2) mod 2^32
  EXPECT_EQ(t.millis, 500u);
}

TEST(PersistentTime, ClockMovedBackNeedsReset) {
  FakeClock clock;
  MapStorage st;
  PersistentTime pt(clock);
  ASSERT_EQ(pt.set(st, ta(1), TaTime{100, 0}), kTeeSuccess);
  clock.now -= kBackwardSlackMs / 2;  // slewing: tolerated
  TaTime t;
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeSuccess);
  clock.now -= 10'000;
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeErrorTimeNeedsReset);
  clock.now += 20'000;  // stays untrusted until set again
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeErrorTimeNeedsReset);
  ASSERT_EQ(pt.set(st, ta(1), TaTime{100, 0}), kTeeSuccess);
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeSuccess);
}

TEST(PersistentTime, CorruptOrRolledBackStoreNeedsReset) {
  for (int code : {storage::kErrCorrupt, storage::kErrRollback}) {
    FakeClock clock;
    MapStorage st;
    st.fail_code = code;
    PersistentTime pt(clock);
    TaTime t;
    EXPECT_EQ(pt.get(st, ta(1), &t), kTeeErrorTimeNeedsReset) << code;
  }
  FakeClock clock;
  MapStorage st;
  st.records[ta(1)] = {1, 2, 3};  // authenticated but not a record
  PersistentTime pt(clock);
  TaTime t;
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeErrorTimeNeedsReset);
}

// GP: after TIME_NEEDS_RESET, Set re-establishes the time even when the
// store itself was rolled back; other TAs' stores are not touched.
TEST(PersistentTime, SetAfterRollbackResetsThatTasStoreOnly) {
  FakeClock clock;
  MapStorage st;
  PersistentTime pt(clock);
  ASSERT_EQ(pt.set(st, ta(1), TaTime{100, 0}), kTeeSuccess);
  ASSERT_EQ(pt.set(st, ta(2), TaTime{200, 0}), kTeeSuccess);
  st.untrusted = {ta(1), ta(2)};
  PersistentTime restarted(clock);
  TaTime t;
  EXPECT_EQ(restarted.get(st, ta(1), &t), kTeeErrorTimeNeedsReset);
  EXPECT_EQ(restarted.get(st, ta(1), &t), kTeeErrorTimeNeedsReset);  // stays so until set
  ASSERT_EQ(restarted.set(st, ta(1), TaTime{300, 5}), kTeeSuccess);
  EXPECT_EQ(st.resets, 1);
  EXPECT_EQ(restarted.get(st, ta(1), &t), kTeeSuccess);
  EXPECT_EQ(t.seconds, 300u);
  EXPECT_EQ(t.millis, 5u);
  EXPECT_EQ(restarted.get(st, ta(2), &t), kTeeErrorTimeNeedsReset);
  // Read back from the store by a fresh instance, not from the cache.
  PersistentTime again(clock);
  EXPECT_EQ(again.get(st, ta(1), &t), kTeeSuccess);
  EXPECT_EQ(t.seconds, 300u);
  EXPECT_EQ(again.get(st, ta(2), &t), kTeeErrorTimeNeedsReset);
}

TEST(PersistentTime, FailedResetReportsOutOfMemory) {
  FakeClock clock;
  MapStorage st;
  PersistentTime pt(clock);
  st.fail_code = storage::kErrRollback;
  EXPECT_EQ(pt.set(st, ta(1), TaTime{1, 0}), kTeeErrorOutOfMemory);
  EXPECT_EQ(st.resets, 1);
  st.fail_code = ECONNRESET;  // unreachable: no reset is tried
  EXPECT_EQ(pt.set(st, ta(1), TaTime{1, 0}), kTeeErrorOutOfMemory);
  EXPECT_EQ(st.resets, 1);
}

TEST(PersistentTime, UnreachableStoreIsNotCachedAndSetReportsIt) {
  FakeClock clock;
  MapStorage st;
  st.fail_code = ECONNRESET;
  PersistentTime pt(clock);
  TaTime t;
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeErrorOutOfMemory);
  EXPECT_EQ(pt.set(st, ta(1), TaTime{1, 0}), kTeeErrorOutOfMemory);
  st.fail_code = ENOSPC;
  EXPECT_EQ(pt.set(st, ta(1), TaTime{1, 0}), kTeeErrorStorageNoSpace);
  st.fail_code = 0;
  EXPECT_EQ(pt.get(st, ta(1), &t), kTeeErrorTimeNotSet);
  EXPECT_EQ(pt.cached(), 1u);
}

TEST(PersistentTime, RejectsMillisOutOfRange) {
  FakeClock clock;
  MapStorage st;
  PersistentTime pt(clock);
  EXPECT_EQ(pt.set(st, ta(1), TaTime{1, 1000}), kTeeErrorBadParameters);
  EXPECT_EQ(st.saves, 0);
}

TEST(PersistentTime, RecordCodecRoundTripsAndRejectsGarbage) {
  PersistentTime::Record r{-123456789, 1'700'000'000'000};
  auto b = PersistentTime::encode(r);
  ASSERT_EQ(b.size(), kPersistentTimeRecordSize);
  auto d = PersistentTime::decode(b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->offset_ms, r.offset_ms);
  EXPECT_EQ(d->set_at_ms, r.set_at_ms);
  b[0] ^= 1;
  EXPECT_FALSE(PersistentTime::decode(b).has_value());
  b[0] ^= 1;
  b.push_back(0);
  EXPECT_FALSE(PersistentTime::decode(b).has_value());
}

TEST(PersistentTime, StoreUuidIsPerTaStableAndNotTheTas) {
  EXPECT_FALSE(persistent_time_store_uuid(ta(1)).is_nil());
  EXPECT_EQ(persistent_time_store_uuid(ta(1)), persistent_time_store_uuid(ta(1)));
  EXPECT_NE(persistent_time_store_uuid(ta(1)), persistent_time_store_uuid(ta(2)));
  EXPECT_NE(persistent_time_store_uuid(ta(1)), ta(1));
}

}  // namespace
}  // namespace swtee::os
