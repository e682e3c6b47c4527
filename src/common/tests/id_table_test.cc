#include "common/id_table.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

namespace swtee {
namespace {

// Counts destructions, so the tests see when the table lets go of a value.
struct Tracked {
  explicit Tracked(int* deaths) : deaths_(deaths) {}
  Tracked(Tracked&& o) noexcept : deaths_(std::exchange(o.deaths_, nullptr)) {}
  Tracked& operator=(Tracked&&) = delete;
  ~Tracked() {
    if (deaths_ != nullptr) ++*deaths_;
  }
  int* deaths_;
};

TEST(IdTable, InsertRefusesZeroDuplicatesAndOverflow) {
  IdTable<uint32_t, int> t(2);
  EXPECT_EQ(t.insert(0, 1).error().code, EINVAL);
  ASSERT_TRUE(t.insert(7, 1).ok());
  EXPECT_EQ(t.insert(7, 2).error().code, EEXIST);
  ASSERT_TRUE(t.insert(8, 2).ok());
  EXPECT_EQ(t.insert(9, 3).error().code, ENOSPC);
  EXPECT_EQ(*t.find(7), 1);
  EXPECT_EQ(t.find(9), nullptr);
}

TEST(IdTable, FreshIdsCountUpWrapSkipLiveAndNeverZero) {
  IdTable<uint8_t, int> t(10, 4);  // ids 1..4
  EXPECT_EQ(*t.insert_new(0), 1);
  EXPECT_EQ(*t.insert_new(0), 2);
  ASSERT_TRUE(t.remove(1));
  EXPECT_EQ(*t.insert_new(0), 3);  // not the freed 1: ids are not reused at once
  EXPECT_EQ(*t.insert_new(0), 4);
  EXPECT_EQ(*t.insert_new(0), 1);                   // wrapped past 4, skipped 0
  EXPECT_EQ(t.insert_new(0).error().code, ENOSPC);  // every id 1..4 is live
  std::set<int> live;
  for (uint8_t id : t.ids()) live.insert(id);
  EXPECT_EQ(live, (std::set<int>{1, 2, 3, 4}));
}

TEST(IdTable, RemoveAndTakeHandEntriesBack) {
  int deaths = 0;
  {
    IdTable<int, Tracked> t(8);
    for (int i = 1; i <= 4; ++i) ASSERT_TRUE(t.insert(i, Tracked(&deaths)).ok());
    EXPECT_EQ(deaths, 0);
    {
      auto one = t.remove(1);
      ASSERT_TRUE(one);
      EXPECT_EQ(deaths, 0);  // still held by the caller
    }
    EXPECT_EQ(deaths, 1);
    EXPECT_FALSE(t.remove(1));
    auto even = t.take_if([](int id, const Tracked&) { return id % 2 == 0; });
    EXPECT_EQ(even.size(), 2u);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(deaths, 1);
    even.clear();
    EXPECT_EQ(deaths, 3);
  }
  EXPECT_EQ(deaths, 4);  // the table's last entry dies with it
}

}  // namespace
}  // namespace swtee
