// Crash atomicity: every update is cut at every backend call (a failing
// WRITE lands half its bytes first), swtee-os restarts, and every object
// must read back as its old or its new content — never a mix, never corrupt.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <tuple>

#include "os/storage/object_store.h"
#include "os/storage/storage_errors.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"

namespace swtee::os::storage {
namespace {

using testing::bytes;
using testing::MemFs;
using testing::pattern;

using Contents = std::map<std::vector<uint8_t>, std::vector<uint8_t>>;  // id → meta ‖ "|" ‖ data

struct Op {
  const char* name;
  std::function<Status(TaStore&, FsBackend&)> run;
  Contents after;
};

std::vector<uint8_t> cat(std::string_view meta, const std::vector<uint8_t>& data) {
  auto v = bytes(meta);
  v.push_back('|');
  v.insert(v.end(), data.begin(), data.end());
  return v;
}

// Journaled (small versions inline in the directory commit, anchor in
// batches of 8) or every version through its object file, anchored on
// every commit.
StoreOptions options(bool journal) {
  StoreOptions o;
  if (!journal) {
    o.max_inline_bytes = 0;
    o.anchor_batch = 1;
  } else {
    o.max_inline_bytes = 24 * 1024;  // small enough that the ops below also flush
    o.anchor_batch = 8;
  }
  return o;
}

Result<Contents> snapshot(TaStore& ta, FsBackend& fs) {
  ASSIGN_OR_RETURN(auto ids, ta.list(fs));
  Contents c;
  for (auto& id : ids) {
    ASSIGN_OR_RETURN(auto meta, ta.read_meta(fs, id));
    ASSIGN_OR_RETURN(auto data, ta.read(fs, id, 0, 1u << 30));
    std::vector<uint8_t> v = meta;
    v.push_back('|');
    v.insert(v.end(), data.begin(), data.end());
    c[id] = v;
  }
  return c;
}

// Parameters: torn write, journal, directory handles kept between commits
// (kept_handles.h; each boot has its own, as a restarted stack would).
class CrashTest : public ::testing::TestWithParam<std::tuple<double, bool, bool>> {};

TEST_P(CrashTest, EveryUpdateIsOldOrNew) {
  const double torn = std::get<0>(GetParam());
  const StoreOptions opts = options(std::get<1>(GetParam()));
  const bool keep = std::get<2>(GetParam());
  std::shared_ptr<KeptHandles> kept;  // the last boot's
  auto boot = [&] {
    StoreOptions o = opts;
    if (keep) o.kept_handles = kept = std::make_shared<KeptHandles>();
    return std::move(ObjectStore::create(testing::test_huk(), o).value());
  };
  // With kept handles, two commits that change nothing visible first leave
  // a handle kept for each directory file, so the update writes through one.
  auto warm = [&](TaStore& ta, FsBackend& fs) {
    if (!keep) return;
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(ta.write(fs, bytes("a"), 0, bytes("OLD")).ok());
  };
  MemFs base;
  base.keep_handles = keep;
  const auto big_old = pattern(40000, 1), big_new = pattern(50000, 2);
  {
    auto store = boot();
    auto ta = *store->ta(testing::uuid_n(1));
    ASSERT_TRUE(ta->create(base, bytes("a"), bytes("m"), bytes("old"), false).ok());
    ASSERT_TRUE(ta->write(base, bytes("a"), 0, bytes("OLD")).ok());  // both object files in use
    ASSERT_TRUE(ta->create(base, bytes("b"), bytes("n"), big_old, false).ok());
    ASSERT_TRUE(ta->create(base, bytes("s"), {}, pattern(9000, 5), false).ok());
    ASSERT_TRUE(ta->create(base, bytes("t"), {}, pattern(9000, 6), false).ok());
  }
  const Contents before = {{bytes("a"), cat("m", bytes("OLD"))},
                           {bytes("b"), cat("n", big_old)},
                           {bytes("s"), cat("", pattern(9000, 5))},
                           {bytes("t"), cat("", pattern(9000, 6))}};
  auto with = [&](Contents c, const std::vector<uint8_t>& id, std::optional<std::vector<uint8_t>> v) {
    if (v) {
      c[id] = *v;
    } else {
      c.erase(id);
    }
    return c;
  };
  const std::vector<Op> ops = {
      {"write", [](TaStore& t, FsBackend& fs) { return t.write(fs, bytes("a"), 1, bytes("NEWER")); },
       with(before, bytes("a"), cat("m", bytes("ONEWER")))},
      {"write_big", [&](TaStore& t, FsBackend& fs) { return t.write(fs, bytes("b"), 0, big_new); },
       with(before, bytes("b"), cat("n", big_new))},
      {"truncate", [](TaStore& t, FsBackend& fs) { return t.truncate(fs, bytes("b"), 10); },
       with(before, bytes("b"), cat("n", std::vector<uint8_t>(big_old.begin(), big_old.begin() + 10)))},
      {"set_meta", [](TaStore& t, FsBackend& fs) { return t.set_meta(fs, bytes("a"), bytes("MM")); },
       with(before, bytes("a"), cat("MM", bytes("OLD")))},
      {"create",
       [](TaStore& t, FsBackend& fs) { return t.create(fs, bytes("c"), bytes("k"), bytes("cc"), false); },
       with(before, bytes("c"), cat("k", bytes("cc")))},
      {"overwrite",
       [](TaStore& t, FsBackend& fs) { return t.create(fs, bytes("a"), bytes("z"), bytes("zz"), true); },
       with(before, bytes("a"), cat("z", bytes("zz")))},
      {"rename", [](TaStore& t, FsBackend& fs) { return t.rename(fs, bytes("a"), bytes("r")); },
       with(with(before, bytes("a"), std::nullopt), bytes("r"), cat("m", bytes("OLD")))},
      {"remove", [](TaStore& t, FsBackend& fs) { return t.remove(fs, bytes("a")); },
       with(before, bytes("a"), std::nullopt)},
      // Journaled: does not fit next to the other inline versions, so they are flushed first.
      {"write_flush", [](TaStore& t, FsBackend& fs) { return t.write(fs, bytes("s"), 0, pattern(15000, 8)); },
       with(before, bytes("s"), cat("", pattern(15000, 8)))},
  };

  int trials = 0, saw_old = 0, saw_new = 0;
  for (const Op& op : ops) {
    // How many backend calls the operation makes when nothing fails.
    uint64_t calls = 0;
    {
      MemFs fs = base;
      auto store = boot();
      auto ta = *store->ta(testing::uuid_n(1));
      ASSERT_TRUE(ta->list(fs).ok());
      warm(*ta, fs);
      if (keep) ASSERT_EQ(kept->size(), 2u) << "no directory handle was kept to write through";
      const uint64_t start = fs.calls();
      ASSERT_TRUE(op.run(*ta, fs).ok()) << op.name;
      calls = fs.calls() - start;
    }
    for (uint64_t n = 0; n <= calls; ++n) {
      MemFs fs = base;
      {
        auto store = boot();
        auto ta = *store->ta(testing::uuid_n(1));
        ASSERT_TRUE(ta->list(fs).ok());
        warm(*ta, fs);
        fs.crash_at(n, torn);
        (void)op.run(*ta, fs);
      }
      fs.revive();
      auto store = boot();  // restart after the crash
      auto ta = *store->ta(testing::uuid_n(1));
      auto got = snapshot(*ta, fs);
      ASSERT_TRUE(got.ok()) << op.name << " cut at call " << n << ": " << got.error().what;
      const bool is_old = *got == before, is_new = *got == op.after;
      EXPECT_TRUE(is_old || is_new) << op.name << " cut at call " << n;
      if (n == calls) EXPECT_TRUE(is_new) << op.name;
      saw_old += is_old;
      saw_new += is_new;
      ++trials;
      // The store stays usable and leaves no stray files behind.
      ASSERT_TRUE(ta->create(fs, bytes("after"), {}, bytes("x"), true).ok()) << op.name << " at " << n;
      size_t object_files = 0;
      for (auto& [name, _] : fs.files)
        if (name.rfind(ta->dir() + "/", 0) == 0 && name != ta->dir() + "/d0" && name != ta->dir() + "/d1")
          ++object_files;
      EXPECT_LE(object_files, 2 * got->size() + 2) << op.name << " at " << n;
    }
  }
  std::printf("crash trials: %d (old: %d, new: %d)\n", trials, saw_old, saw_new);
  EXPECT_GT(saw_old, 0);
  EXPECT_GT(saw_new, 0);
}

INSTANTIATE_TEST_SUITE_P(Torn, CrashTest,
                         ::testing::Combine(::testing::Values(0.0, 0.5), ::testing::Values(false, true),
                                            ::testing::Values(false, true)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param) > 0 ? "Torn" : "Clean") +
                                  (std::get<1>(info.param) ? "Journal" : "Files") +
                                  (std::get<2>(info.param) ? "KeptHandles" : "");
                         });

}  // namespace
}  // namespace swtee::os::storage
