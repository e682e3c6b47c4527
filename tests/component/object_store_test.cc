#include "os/storage/object_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <thread>

#include "disk.h"
#include "os/storage/rpmb_anchor.h"
#include "os/storage/storage_errors.h"
#include "os/storage/tests/mem_fs.h"

namespace swtee::os::storage {
namespace {

using testing::bytes;
using testing::pattern;

enum class Backend { Memory, Directory };

class ObjectStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Memory) {
      disk_ = std::make_unique<testing::MemDisk>();
    } else {
      disk_ = std::make_unique<testing::DirDisk>();
    }
    restart();
  }
  // A fresh swtee-os: nothing cached, same HUK, same files. These tests are
  // about the object and directory files: every version goes to its object
  // file and every commit is anchored (JournalTest covers the defaults).
  static StoreOptions file_options() {
    StoreOptions o;
    o.max_inline_bytes = 0;
    o.anchor_batch = 1;
    return o;
  }
  void restart() {
    store_ = std::move(ObjectStore::create(testing::test_huk(), file_options()).value());
    ta1_ = *store_->ta(testing::uuid_n(1));
    ta2_ = *store_->ta(testing::uuid_n(2));
  }
  FsBackend& fs() { return disk_->fs(); }
  std::vector<uint8_t> read_all(TaStore& ta, std::string_view id) {
    auto r = ta.read(fs(), bytes(id), 0, 1u << 30);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().what);
    return r.ok() ? *r : std::vector<uint8_t>{};
  }
  int read_error(TaStore& ta, std::string_view id) {
    auto r = ta.read(fs(), bytes(id), 0, 1u << 30);
    return r.ok() ? 0 : r.error().code;
  }
  // Names of object files ("<uid>.<n>") of TA 1.
  std::vector<std::string> object_files() {
    std::vector<std::string> out;
    for (auto& [n, _] : disk_->files())
      if (n.rfind(ta1_->dir() + "/", 0) == 0 && n != ta1_->dir() + "/d0" && n != ta1_->dir() + "/d1")
        out.push_back(n);
    return out;
  }

  std::unique_ptr<testing::Disk> disk_;
  std::unique_ptr<ObjectStore> store_;
  std::shared_ptr<TaStore> ta1_, ta2_;
};

TEST_P(ObjectStoreTest, CreateReadWriteTruncateRoundTrip) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), bytes("meta"), bytes("hello"), false).ok());
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("hello"));
  EXPECT_EQ(*ta1_->read_meta(fs(), bytes("a")), bytes("meta"));
  ASSERT_TRUE(ta1_->write(fs(), bytes("a"), 8, bytes("XY")).ok());  // gap is zero-filled
  EXPECT_EQ(read_all(*ta1_, "a"), (std::vector<uint8_t>{'h', 'e', 'l', 'l', 'o', 0, 0, 0, 'X', 'Y'}));
  ASSERT_TRUE(ta1_->truncate(fs(), bytes("a"), 2).ok());
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("he"));
  ASSERT_TRUE(ta1_->set_meta(fs(), bytes("a"), bytes("m2")).ok());
  restart();
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("he"));
  EXPECT_EQ(*ta1_->read_meta(fs(), bytes("a")), bytes("m2"));
  auto st = ta1_->stat(fs(), bytes("a"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->data_len, 2u);
  EXPECT_EQ(st->generation, 4u);
  // Reads past the end are empty.
  EXPECT_TRUE(ta1_->read(fs(), bytes("a"), 5, 10)->empty());
}

TEST_P(ObjectStoreTest, LargeObjectRangeReads) {
  auto big = pattern(1 << 20, 9);
  ASSERT_TRUE(ta1_->create(fs(), bytes("big"), {}, big, false).ok());
  restart();
  auto part = ta1_->read(fs(), bytes("big"), 500000, 70000);
  ASSERT_TRUE(part.ok());
  EXPECT_TRUE(std::equal(part->begin(), part->end(), big.begin() + 500000));
  EXPECT_EQ(part->size(), 70000u);
  EXPECT_EQ(read_all(*ta1_, "big"), big);
}

TEST_P(ObjectStoreTest, CreateExistingNeedsOverwrite) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("one"), false).ok());
  EXPECT_EQ(ta1_->create(fs(), bytes("a"), {}, bytes("two"), false).error().code, EEXIST);
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("two"), true).ok());
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("two"));
  EXPECT_EQ(object_files().size(), 1u);  // the replaced object's file is gone
}

TEST_P(ObjectStoreTest, RenameRemoveEnumerate) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("1"), false).ok());
  ASSERT_TRUE(ta1_->create(fs(), bytes("b"), {}, bytes("2"), false).ok());
  EXPECT_EQ(ta1_->rename(fs(), bytes("a"), bytes("b")).error().code, EEXIST);
  EXPECT_EQ(ta1_->rename(fs(), bytes("zz"), bytes("y")).error().code, ENOENT);
  ASSERT_TRUE(ta1_->rename(fs(), bytes("a"), bytes("c")).ok());
  EXPECT_EQ(read_error(*ta1_, "a"), ENOENT);
  EXPECT_EQ(read_all(*ta1_, "c"), bytes("1"));
  ASSERT_TRUE(ta1_->remove(fs(), bytes("b")).ok());
  EXPECT_EQ(ta1_->remove(fs(), bytes("b")).error().code, ENOENT);
  restart();
  auto ids = ta1_->list(fs());
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, std::vector<std::vector<uint8_t>>{bytes("c")});
  EXPECT_EQ(object_files().size(), 1u);
}

TEST_P(ObjectStoreTest, BadIdsAndLimits) {
  EXPECT_TRUE(ta1_->create(fs(), {}, {}, {}, false).ok());  // the zero-length id is an id
  EXPECT_EQ(ta1_->create(fs(), std::vector<uint8_t>(65, 'x'), {}, {}, false).error().code, EINVAL);
  EXPECT_TRUE(ta1_->create(fs(), std::vector<uint8_t>(64, 'x'), {}, {}, false).ok());
  EXPECT_EQ(ta1_->write(fs(), std::vector<uint8_t>(64, 'x'), (64ull << 20), bytes("a")).error().code, ENOSPC);
}

TEST_P(ObjectStoreTest, TasAreIsolated) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("same"), {}, bytes("ta1"), false).ok());
  ASSERT_TRUE(ta2_->create(fs(), bytes("same"), {}, bytes("ta2"), false).ok());
  EXPECT_EQ(read_all(*ta1_, "same"), bytes("ta1"));
  EXPECT_EQ(read_all(*ta2_, "same"), bytes("ta2"));
  ASSERT_TRUE(ta2_->create(fs(), bytes("only2"), {}, bytes("x"), false).ok());
  EXPECT_EQ(ta1_->list(fs())->size(), 1u);
  EXPECT_EQ(read_error(*ta1_, "only2"), ENOENT);
  EXPECT_NE(ta1_->dir(), ta2_->dir());
  // Nothing on disk names the TA or the object.
  for (auto& [n, c] : disk_->files()) {
    EXPECT_EQ(n.find("same"), std::string::npos);
    EXPECT_EQ(std::search(c.begin(), c.end(), std::begin("ta1"), std::begin("ta1") + 3), c.end()) << n;
  }
  // TA 2's directory copied over TA 1's fails authentication for TA 1.
  auto files = disk_->files();
  for (auto& [n, c] : files) {
    if (n.rfind(ta2_->dir() + "/d", 0) == 0) disk_->put(ta1_->dir() + n.substr(ta2_->dir().size()), c);
  }
  restart();
  EXPECT_NE(ta1_->list(fs()).ok(), true);
}

TEST_P(ObjectStoreTest, EveryByteFlipOfAnObjectFileIsCorrupt) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), bytes("attrs"), pattern(200, 1), false).ok());
  const auto names = object_files();
  ASSERT_EQ(names.size(), 1u);
  const auto original = disk_->files()[names[0]];
  for (size_t i = 0; i < original.size(); ++i) {
    auto f = original;
    f[i] ^= 0x80;
    disk_->put(names[0], f);
    restart();
    const int e = read_error(*ta1_, "a");
    if (i < sizeof(ObjectHeader)) {
      // The header on disk is informational; readers rebuild it.
      EXPECT_TRUE(e == 0 || e == kErrCorrupt) << i;
    } else {
      EXPECT_EQ(e, kErrCorrupt) << "byte " << i;
    }
  }
  disk_->put(names[0], original);
  restart();
  EXPECT_EQ(read_all(*ta1_, "a"), pattern(200, 1));
}

TEST_P(ObjectStoreTest, EveryByteFlipInOneDirectoryCopyLosesNothing) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("x"), false).ok());
  const std::string d = ta1_->dir() + "/d1";  // commit 1
  const auto original = disk_->files()[d];
  ASSERT_FALSE(original.empty());
  const size_t copy = original.size() / 2;  // two equal copies, no payload
  for (size_t i = 0; i < original.size(); i += 3) {
    auto f = original;
    f[i] ^= 0x04;
    disk_->put(d, f);
    restart();
    EXPECT_EQ(read_all(*ta1_, "a"), bytes("x")) << "byte " << i;
  }
  // The same byte damaged in both copies: CORRUPT_OBJECT, never "not found".
  for (size_t i = 0; i < copy; i += 5) {
    auto f = original;
    f[i] ^= 0x04;
    f[copy + i] ^= 0x04;
    disk_->put(d, f);
    restart();
    auto r = ta1_->list(fs());
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(gp_result_of(r.error()), kTeeErrorCorruptObject);
  }
}

TEST_P(ObjectStoreTest, NewestCommitWithBothCopiesDamagedIsCorruptNotOlder) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("v1"), false).ok());
  ASSERT_TRUE(ta1_->write(fs(), bytes("a"), 0, bytes("v2")).ok());  // commit 2 in d0, commit 1 in d1
  const std::string d = ta1_->dir() + "/d0";
  auto f = disk_->files()[d];
  const size_t copy = f.size() / 2;
  f[copy - 1] ^= 1;
  f[f.size() - 1] ^= 1;
  disk_->put(d, f);
  restart();
  auto r = ta1_->read(fs(), bytes("a"), 0, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(gp_result_of(r.error()), kTeeErrorCorruptObject);
}

TEST_P(ObjectStoreTest, SwappedObjectFilesAreDetected) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("AAAA"), false).ok());
  ASSERT_TRUE(ta1_->create(fs(), bytes("b"), {}, bytes("BBBB"), false).ok());
  auto names = object_files();
  ASSERT_EQ(names.size(), 2u);
  auto files = disk_->files();
  disk_->put(names[0], files[names[1]]);
  disk_->put(names[1], files[names[0]]);
  restart();
  EXPECT_EQ(read_error(*ta1_, "a"), kErrCorrupt);
  EXPECT_EQ(read_error(*ta1_, "b"), kErrCorrupt);
}

TEST_P(ObjectStoreTest, OneObjectRolledBackIsDetected) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("v1"), false).ok());
  ASSERT_TRUE(ta1_->write(fs(), bytes("a"), 0, bytes("v2")).ok());
  const auto v2 = disk_->files();
  ASSERT_TRUE(ta1_->write(fs(), bytes("a"), 0, bytes("v3")).ok());
  // Put back every object file of the v2 state (the directory stays at v3).
  for (auto& n : object_files()) disk_->put(n, v2.at(n));
  restart();
  EXPECT_EQ(read_error(*ta1_, "a"), kErrCorrupt);
}

TEST_P(ObjectStoreTest, WholeStoreRollbackIsDetectedByTheAnchor) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("old"), false).ok());
  ASSERT_TRUE(ta2_->create(fs(), bytes("k"), {}, bytes("x"), false).ok());
  const auto snap = disk_->files();
  ASSERT_TRUE(ta1_->write(fs(), bytes("a"), 0, bytes("new")).ok());
  ASSERT_TRUE(ta1_->create(fs(), bytes("b"), {}, bytes("b"), false).ok());
  disk_->restore(snap, "rpmb");  // everything but the RPMB partition
  restart();
  auto r = ta1_->list(fs());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kErrRollback);
  EXPECT_EQ(gp_result_of(r.error()), kTeeErrorCorruptObject);
  // TA 2 did not change since the snapshot: it is unaffected.
  EXPECT_EQ(read_all(*ta2_, "k"), bytes("x"));
  // Deleting a TA's directory altogether is a rollback too.
  for (auto& [n, _] : disk_->files())
    if (n.rfind(ta2_->dir(), 0) == 0) disk_->erase(n);
  restart();
  EXPECT_EQ(ta2_->list(fs()).error().code, kErrRollback);
}

TEST_P(ObjectStoreTest, ResetAfterRollbackMakesTheStoreUsableAndKeepsOldCopiesStale) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("old"), false).ok());
  ASSERT_TRUE(ta2_->create(fs(), bytes("k"), {}, bytes("x"), false).ok());
  const auto snap = disk_->files();
  ASSERT_TRUE(ta1_->write(fs(), bytes("a"), 0, bytes("new")).ok());
  ASSERT_TRUE(ta2_->write(fs(), bytes("k"), 0, bytes("y")).ok());
  // A loadable store is left alone.
  ASSERT_TRUE(ta1_->reset_after_rollback(fs()).ok());
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("new"));
  disk_->restore(snap, "rpmb");
  restart();
  ASSERT_EQ(ta1_->list(fs()).error().code, kErrRollback);
  ASSERT_TRUE(ta1_->reset_after_rollback(fs()).ok());
  auto ids = ta1_->list(fs());
  ASSERT_TRUE(ids.ok());
  EXPECT_TRUE(ids->empty());
  EXPECT_TRUE(object_files().empty());  // the untrusted files are gone
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("fresh"), false).ok());
  restart();
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("fresh"));
  // TA 2 was not reset: still a rollback.
  EXPECT_EQ(ta2_->list(fs()).error().code, kErrRollback);
  // Replaying the rolled-back copy again is still detected after the reset.
  const auto after = disk_->files();
  disk_->restore(snap, "rpmb");
  restart();
  EXPECT_EQ(ta1_->list(fs()).error().code, kErrRollback);
  disk_->restore(after, "rpmb");
  restart();
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("fresh"));
  // A deleted directory resets the same way.
  for (auto& [n, _] : disk_->files())
    if (n.rfind(ta1_->dir(), 0) == 0) disk_->erase(n);
  restart();
  ASSERT_EQ(ta1_->list(fs()).error().code, kErrRollback);
  ASSERT_TRUE(ta1_->reset_after_rollback(fs()).ok());
  EXPECT_EQ(read_error(*ta1_, "a"), ENOENT);
}

TEST_P(ObjectStoreTest, RestoringTheRpmbFileTooIsNotDetected) {
  // The documented limit of the emulation: roll back everything, RPMB included.
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("old"), false).ok());
  const auto snap = disk_->files();
  ASSERT_TRUE(ta1_->write(fs(), bytes("a"), 0, bytes("new")).ok());
  disk_->restore(snap, "/nothing/is/kept/");
  restart();
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("old"));
}

TEST_P(ObjectStoreTest, CachedReadsSurviveFileLossUntilRestart) {
  ASSERT_TRUE(ta1_->create(fs(), bytes("a"), {}, bytes("cached"), false).ok());
  for (auto& n : object_files()) disk_->erase(n);
  EXPECT_EQ(read_all(*ta1_, "a"), bytes("cached"));  // served from secure memory
  restart();
  EXPECT_EQ(read_error(*ta1_, "a"), kErrCorrupt);
}

INSTANTIATE_TEST_SUITE_P(Backends, ObjectStoreTest, ::testing::Values(Backend::Memory, Backend::Directory),
                         [](const auto& info) {
                           return info.param == Backend::Memory ? "Memory" : "Directory";
                         });

// Runs body(t, fs, failures) on `n` threads, each with its own backend over
// `ree`; returns the failures the bodies counted.
int on_threads(supp::ReeFs& ree, int n, const std::function<void(int, FsBackend&, std::atomic<int>&)>& body) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < n; ++t) {
    threads.emplace_back([&, t] {
      cli::LocalFsBackend fs(ree);
      body(t, fs, failures);
    });
  }
  for (auto& th : threads) th.join();
  return failures.load();
}

TEST(ObjectStoreConcurrency, SessionsOfSeveralTasInParallel) {
  testing::TempDir tmp;
  supp::ReeFs ree(supp::ReeFsOptions{tmp.path() + "/root", true, 128, 16});
  auto store = std::move(ObjectStore::create(testing::test_huk(), StoreOptions{}).value());
  constexpr int kThreads = 4, kObjects = 8, kRounds = 3;
  EXPECT_EQ(on_threads(ree, kThreads,
                       [&](int t, FsBackend& fs, std::atomic<int>& failures) {
                         auto ta =
                             *store->ta(testing::uuid_n(static_cast<uint8_t>(t % 2)));  // two threads per TA
                         for (int r = 0; r < kRounds; ++r)
                           for (int o = 0; o < kObjects; ++o) {
                             const std::string id = "t" + std::to_string(t) + "o" + std::to_string(o);
                             const auto v = pattern(100 + static_cast<size_t>(o), static_cast<uint8_t>(r));
                             if (!ta->create(fs, bytes(id), {}, v, true).ok()) ++failures;
                             auto back = ta->read(fs, bytes(id), 0, 1000);
                             if (!back.ok() || *back != v) ++failures;
                           }
                       }),
            0);
  auto again = std::move(ObjectStore::create(testing::test_huk(), StoreOptions{}).value());
  cli::LocalFsBackend fs(ree);
  EXPECT_EQ((*again->ta(testing::uuid_n(0)))->list(fs)->size(), size_t{2 * kObjects});
  EXPECT_EQ((*again->ta(testing::uuid_n(1)))->list(fs)->size(), size_t{2 * kObjects});
  EXPECT_EQ(ree.open_files(), 0u);
}

// Many TAs' stores commit from several threads through one small pool of
// kept directory handles: a thread closes handles other stores kept (the
// bound pushes them out), never one that is in use, and every commit lands.
TEST(ObjectStoreConcurrency, ManyTasShareASmallPoolOfKeptHandles) {
  testing::TempDir tmp;
  supp::ReeFs ree(supp::ReeFsOptions{tmp.path() + "/root", true, 128, 16});
  StoreOptions o;
  o.kept_handles = std::make_shared<KeptHandles>(4);
  auto store = std::move(ObjectStore::create(testing::test_huk(), o).value());
  constexpr int kThreads = 4, kTasPerThread = 6, kRounds = 4;
  EXPECT_EQ(
      on_threads(ree, kThreads,
                 [&](int t, FsBackend& fs, std::atomic<int>& failures) {
                   for (int r = 0; r < kRounds; ++r)
                     for (int n = 0; n < kTasPerThread; ++n) {
                       auto ta = *store->ta(testing::uuid_n(static_cast<uint8_t>(t * kTasPerThread + n)));
                       if (!ta->create(fs, bytes("obj"), {}, pattern(64, static_cast<uint8_t>(r)), true).ok())
                         ++failures;
                     }
                 }),
      0);
  EXPECT_EQ(o.kept_handles->size(), 4u);
  EXPECT_EQ(ree.open_files(), 4u) << "a handle was neither kept nor closed";
  auto again = std::move(ObjectStore::create(testing::test_huk(), StoreOptions{}).value());
  cli::LocalFsBackend fs(ree);
  for (int n = 0; n < kThreads * kTasPerThread; ++n) {
    auto back = (*again->ta(testing::uuid_n(static_cast<uint8_t>(n))))->read(fs, bytes("obj"), 0, 100);
    ASSERT_TRUE(back.ok()) << "TA " << n << ": " << back.error().what;
    EXPECT_EQ(*back, pattern(64, kRounds - 1)) << "TA " << n;
  }
}

// Small versions travel inline in the directory commit and the anchor
// advances in batches of 8: one synchronous write per update.
class JournalTest : public ::testing::Test {
 protected:
  static StoreOptions batched() {
    StoreOptions o;
    o.anchor_batch = 8;
    return o;
  }
  void restart() {
    store_ = std::move(ObjectStore::create(testing::test_huk(), batched()).value());
    ta_ = *store_->ta(testing::uuid_n(1));
  }
  void SetUp() override { restart(); }
  std::vector<uint8_t> read_all(std::string_view id) {
    auto r = ta_->read(fs_, bytes(id), 0, 1u << 30);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().what);
    return r.ok() ? *r : std::vector<uint8_t>{};
  }
  testing::MemFs fs_;
  std::unique_ptr<ObjectStore> store_;
  std::shared_ptr<TaStore> ta_;
};

TEST_F(JournalTest, ADurableUpdateIsOneWrite) {
  ASSERT_TRUE(ta_->create(fs_, bytes("a"), bytes("m"), pattern(4096, 1), false).ok());
  const uint64_t before = fs_.writes();
  constexpr int kUpdates = 32;
  for (int i = 0; i < kUpdates; ++i)
    ASSERT_TRUE(ta_->write(fs_, bytes("a"), 0, pattern(4096, static_cast<uint8_t>(i))).ok());
  // One directory commit each, plus one anchor write per batch.
  const uint32_t batch = batched().anchor_batch;
  EXPECT_LE(fs_.writes() - before, uint64_t{kUpdates} + kUpdates / batch);
  EXPECT_GE(fs_.writes() - before, uint64_t{kUpdates});
  restart();
  EXPECT_EQ(read_all("a"), pattern(4096, kUpdates - 1));
  // No object file was ever needed.
  for (auto& [n, _] : fs_.files)
    EXPECT_TRUE(n.rfind(ta_->dir() + "/", 0) != 0 || n == ta_->dir() + "/d0" || n == ta_->dir() + "/d1") << n;
}

TEST_F(JournalTest, InlineBudgetFlushesToObjectFilesAndEverythingSurvives) {
  std::map<std::string, std::vector<uint8_t>> want;
  for (int round = 0; round < 3; ++round)
    for (int o = 0; o < 12; ++o) {
      const std::string id = "o" + std::to_string(o);
      const auto v = pattern(9000 + static_cast<size_t>(o) * 100, static_cast<uint8_t>(round * 16 + o));
      if (round == 0) {
        ASSERT_TRUE(ta_->create(fs_, bytes(id), {}, v, false).ok());
      } else {
        ASSERT_TRUE(ta_->write(fs_, bytes(id), 0, v).ok());
      }
      want[id] = v;
    }
  ASSERT_TRUE(ta_->create(fs_, bytes("big"), {}, pattern(200000, 3), false).ok());  // never inline
  want["big"] = pattern(200000, 3);
  ASSERT_TRUE(ta_->remove(fs_, bytes("o3")).ok());
  want.erase("o3");
  ASSERT_TRUE(ta_->rename(fs_, bytes("o4"), bytes("r4")).ok());
  want["r4"] = want["o4"];
  want.erase("o4");
  for (int pass = 0; pass < 2; ++pass) {
    for (auto& [id, v] : want) EXPECT_EQ(read_all(id), v) << id;
    EXPECT_EQ(ta_->list(fs_)->size(), want.size());
    restart();
  }
}

TEST_F(JournalTest, AnchorLagWithinABatchIsAcceptedAndBroughtForward) {
  ASSERT_TRUE(ta_->create(fs_, bytes("a"), {}, bytes("0"), false).ok());
  for (int i = 1; i < 5; ++i) ASSERT_TRUE(ta_->write(fs_, bytes("a"), 0, bytes(std::to_string(i))).ok());
  restart();
  EXPECT_EQ(read_all("a"), bytes("4"));
  EXPECT_EQ(*store_->anchor().read(fs_, ta_->tag()), 5u);  // brought forward on load
}

TEST_F(JournalTest, MissingOrResetAnchorRefusesTheStore) {
  ASSERT_TRUE(ta_->create(fs_, bytes("a"), {}, bytes("0"), false).ok());
  for (int i = 1; i < 20; ++i) ASSERT_TRUE(ta_->write(fs_, bytes("a"), 0, bytes(std::to_string(i))).ok());
  const auto rpmb = fs_.files.at("rpmb.emu");
  fs_.files.erase("rpmb.emu");  // the anchor is gone
  restart();
  auto r = ta_->list(fs_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kErrRollback);
  EXPECT_EQ(gp_result_of(r.error()), kTeeErrorCorruptObject);
  fs_.files["rpmb.emu"] = std::vector<uint8_t>(rpmb.size() / 2, 0);  // truncated and zeroed
  restart();
  EXPECT_EQ(ta_->list(fs_).error().code, kErrRollback);
  fs_.files["rpmb.emu"] = rpmb;
  restart();
  EXPECT_EQ(read_all("a"), bytes("19"));
}

TEST(ObjectStoreMem, LeavesNoHandlesOpen) {
  testing::MemFs fs;
  auto store = std::move(ObjectStore::create(testing::test_huk(), StoreOptions{}).value());
  auto ta = *store->ta(testing::uuid_n(1));
  ASSERT_TRUE(ta->create(fs, bytes("a"), {}, bytes("x"), false).ok());
  ASSERT_TRUE(ta->write(fs, bytes("a"), 1, bytes("y")).ok());
  ASSERT_TRUE(ta->rename(fs, bytes("a"), bytes("b")).ok());
  ASSERT_TRUE(ta->remove(fs, bytes("b")).ok());
  ta->drop_cache();
  ASSERT_TRUE(ta->list(fs).ok());
  EXPECT_EQ(fs.open_files(), 0u);
  EXPECT_EQ(fs.open_dirs(), 0u);
}

}  // namespace
}  // namespace swtee::os::storage
