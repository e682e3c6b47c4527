#include "os/syscalls/storage_core.h"

#include <gtest/gtest.h>

#include <cstring>

#include "os/storage/object_store.h"
#include "os/storage/storage_errors.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"

namespace swtee::os {
namespace {

using namespace storage_abi;

using storage::testing::bytes;

class FakeService final : public StorageService {
 public:
  FakeService() : store_(std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value())) {}
  Result<std::shared_ptr<storage::ObjectStore>> store(storage::FsBackend&) override {
    ++calls;
    return store_;
  }
  int calls = 0;

 private:
  std::shared_ptr<storage::ObjectStore> store_;
};

class StorageCoreTest : public ::testing::Test {
 protected:
  StorageCoreTest()
      : svc_(std::make_shared<FakeService>()), core_(svc_, std::make_shared<StorageOpenTable>()) {}

  // One TA instance: its state slot.
  struct Inst {
    Uuid ta;
    std::unique_ptr<SyscallState> slot;
  };
  Inst inst(uint8_t n) { return Inst{storage::testing::uuid_n(n), nullptr}; }

  SyscallOut call(Inst& i, StorageFn fn, std::array<uint64_t, 8> args, std::span<const uint8_t> in = {},
                  std::span<uint8_t> bulk = {}, bool has_bulk = false, bool with_fs = true) {
    StorageRequest r;
    r.fn = static_cast<uint32_t>(fn);
    r.args = args;
    r.in = in;
    r.bulk = bulk;
    r.has_bulk = has_bulk;
    SyscallOut out;
    core_.handle(i.ta, core_.handles(i.slot), with_fs ? &fs_ : nullptr, r, out);
    return out;
  }
  // Creates `id` with `data` and `flags`; returns the handle (0 on failure).
  uint64_t create(Inst& i, std::string_view id, std::string_view data, uint32_t flags,
                  uint32_t* ret = nullptr, uint32_t storage = kStoragePrivate) {
    std::vector<uint8_t> in = bytes(id);
    const std::vector<uint8_t> meta = bytes("META");
    in.insert(in.end(), meta.begin(), meta.end());
    in.insert(in.end(), data.begin(), data.end());
    SyscallOut o = call(i, StorageFn::Create, {storage, flags, id.size(), meta.size(), data.size(), 0}, in);
    EXPECT_FALSE(o.kill);
    if (ret != nullptr) *ret = o.ret;
    return o.ret == kTeeSuccess ? o.vals[0] : 0;
  }
  SyscallOut open(Inst& i, std::string_view id, uint32_t flags, uint32_t storage = kStoragePrivate) {
    const auto in = bytes(id);
    return call(i, StorageFn::Open, {storage, flags}, in);
  }
  std::string read(Inst& i, uint64_t h, uint64_t pos, uint64_t len, uint32_t* ret = nullptr) {
    SyscallOut o = call(i, StorageFn::Read, {h, pos, len});
    if (ret != nullptr) *ret = o.ret;
    EXPECT_EQ(o.vals[0], o.out.size());
    return {o.out.begin(), o.out.end()};
  }

  // Creates `id` (all access rights) large enough for an object file of its own (small
  // versions travel inline in the directory commit); returns the handle.
  uint64_t create_with_file(Inst& i, std::string_view id) {
    const uint64_t h = create(i, id, std::string(16000, 'p'), kAccessRead | kAccessWrite | kAccessWriteMeta);
    const auto more = storage::testing::bytes(std::string(4000, 'q'));
    EXPECT_EQ(call(i, StorageFn::Write, {h, 16000, more.size(), 0}, more).ret, kTeeSuccess);
    return h;
  }
  // Flips a byte of every object file and drops `i`'s store cache: a fresh
  // look must notice.
  void corrupt_object_files(Inst& i) {
    for (auto& [name, content] : fs_.files) {
      if (name.size() > 2 && name[name.size() - 2] == '.' && !content.empty())
        content[content.size() / 2] ^= 1;
    }
    (*svc_->store(fs_).value()->ta(i.ta))->drop_cache();
  }

  std::shared_ptr<FakeService> svc_;
  StorageCore core_;
  storage::testing::MemFs fs_;
};

constexpr uint32_t kRW = kAccessRead | kAccessWrite;
constexpr uint32_t kAll = kAccessRead | kAccessWrite | kAccessWriteMeta;

TEST_F(StorageCoreTest, CreateWriteReadReopen) {
  auto a = inst(1);
  const uint64_t h = create(a, "obj", "hello", kAll);
  ASSERT_NE(h, 0u);
  EXPECT_EQ(read(a, h, 0, 100), "hello");
  const auto more = bytes(" world");
  EXPECT_EQ(call(a, StorageFn::Write, {h, 5, more.size(), 0}, more).ret, kTeeSuccess);
  EXPECT_EQ(read(a, h, 0, 100), "hello world");
  EXPECT_EQ(read(a, h, 6, 3), "wor");
  EXPECT_EQ(read(a, h, 50, 3), "");
  EXPECT_EQ(call(a, StorageFn::Close, {h}).ret, kTeeSuccess);
  SyscallOut o = open(a, "obj", kAccessRead);
  ASSERT_EQ(o.ret, kTeeSuccess);
  EXPECT_EQ(o.vals[1], 11u);
  EXPECT_EQ(std::string(o.out.begin(), o.out.end()), "META");
  EXPECT_EQ(call(a, StorageFn::DataSize, {o.vals[0]}).vals[0], 11u);
}

TEST_F(StorageCoreTest, TruncateShrinksAndZeroExtends) {
  auto a = inst(1);
  const uint64_t h = create(a, "t", "abcdef", kRW);
  EXPECT_EQ(call(a, StorageFn::Truncate, {h, 3}).ret, kTeeSuccess);
  EXPECT_EQ(read(a, h, 0, 10), "abc");
  EXPECT_EQ(call(a, StorageFn::Truncate, {h, 5}).ret, kTeeSuccess);
  EXPECT_EQ(read(a, h, 0, 10), std::string("abc\0\0", 5));
}

TEST_F(StorageCoreTest, MissingObjectAndUnservedStorageAreItemNotFound) {
  auto a = inst(1);
  EXPECT_EQ(open(a, "nope", kAccessRead).ret, kTeeErrorItemNotFound);
  create(a, "x", "1", kAll);
  EXPECT_EQ(open(a, "x", kAccessRead, kStoragePrivateRpmb).ret, kTeeErrorItemNotFound);  // another store
  EXPECT_EQ(open(a, "x", kAccessRead, 0x12345678).ret, kTeeErrorItemNotFound);
  EXPECT_EQ(open(a, "x", kAccessRead, kStoragePrivateRee).ret,
            kTeeErrorAccessConflict);  // still open (WRITE_META)
}

TEST_F(StorageCoreTest, SharingRules) {
  auto a = inst(1);
  auto b = inst(1);  // a second instance of the same TA
  ASSERT_NE(create(a, "s", "x", kAll), 0u);
  EXPECT_EQ(open(b, "s", kAccessRead | kShareRead).ret, kTeeErrorAccessConflict);  // WRITE_META is exclusive
  a.slot.reset();                                                                  // instance a died
  SyscallOut r1 = open(a, "s", kAccessRead | kShareRead);
  ASSERT_EQ(r1.ret, kTeeSuccess);
  EXPECT_EQ(open(b, "s", kAccessRead | kShareRead).ret, kTeeSuccess);
  EXPECT_EQ(open(b, "s", kAccessRead).ret, kTeeErrorAccessConflict);                // lacks SHARE_READ
  EXPECT_EQ(open(b, "s", kAccessWrite | kShareRead).ret, kTeeErrorAccessConflict);  // others lack SHARE_WRITE
  EXPECT_EQ(open(b, "s", kAccessWriteMeta | kShareRead).ret, kTeeErrorAccessConflict);
  EXPECT_EQ(open(b, "s", kShareRead).ret, kTeeSuccess);  // no access at all, shares read
  EXPECT_EQ(open(b, "s", kShareRead | kShareWrite).ret, kTeeErrorAccessConflict);  // share bits differ
  b.slot.reset();
  a.slot.reset();
  EXPECT_EQ(core_.table()->size(), 0u);
  SyscallOut w1 = open(a, "s", kAccessWrite | kShareWrite);
  EXPECT_EQ(w1.ret, kTeeSuccess);
  EXPECT_EQ(open(b, "s", kAccessWrite | kShareWrite).ret, kTeeSuccess);
  EXPECT_EQ(open(b, "s", kAccessWrite | kShareWrite | kAccessRead).ret, kTeeErrorAccessConflict);
}

TEST_F(StorageCoreTest, TableRuleMatchesGp) {
  const uint32_t rs = kAccessRead | kShareRead;
  EXPECT_TRUE(storage_share_allowed({}, kAll));
  std::vector<uint32_t> others{rs};
  EXPECT_TRUE(storage_share_allowed(others, rs));
  EXPECT_FALSE(storage_share_allowed(others, kAccessRead));
  others = {kShareRead | kShareWrite};
  EXPECT_TRUE(storage_share_allowed(others, kAccessWrite | kShareWrite | kShareRead));
  EXPECT_FALSE(storage_share_allowed(others, kAccessWrite | kShareRead));
}

TEST_F(StorageCoreTest, CreateConflictsAndOverwrite) {
  auto a = inst(1);
  uint32_t ret = 0;
  const uint64_t h = create(a, "c", "one", kAll);
  ASSERT_NE(h, 0u);
  EXPECT_EQ(create(a, "c", "two", kAll | kOverwrite, &ret), 0u);
  EXPECT_EQ(ret, kTeeErrorAccessConflict);  // open elsewhere
  call(a, StorageFn::Close, {h});
  EXPECT_EQ(create(a, "c", "two", kAll, &ret), 0u);
  EXPECT_EQ(ret, kTeeErrorAccessConflict);  // exists, no OVERWRITE
  const uint64_t h2 = create(a, "c", "two", kAccessRead | kOverwrite);
  ASSERT_NE(h2, 0u);
  EXPECT_EQ(read(a, h2, 0, 10), "two");
}

TEST_F(StorageCoreTest, TasAreIsolated) {
  auto a = inst(1);
  auto b = inst(2);
  ASSERT_NE(create(a, "secret", "a's", kRW), 0u);
  EXPECT_EQ(open(b, "secret", kAccessRead).ret, kTeeErrorItemNotFound);
  ASSERT_NE(create(b, "secret", "b's", kRW), 0u);  // same id, its own object
  SyscallOut e = call(b, StorageFn::EnumNext, {kStoragePrivate, 0});
  ASSERT_EQ(e.vals[0], 1u);
  SyscallOut e2 = call(b, StorageFn::EnumNext, {kStoragePrivate, 1}, bytes("secret"));
  EXPECT_EQ(e2.vals[0], 0u);
}

TEST_F(StorageCoreTest, EnumeratesInIdOrderWithInfo) {
  auto a = inst(1);
  for (const char* id : {"b", "a", "bb", "c"}) call(a, StorageFn::Close, {create(a, id, "12345", kRW)});
  std::vector<std::string> seen;
  std::vector<uint8_t> cursor;
  for (;;) {
    SyscallOut o = call(a, StorageFn::EnumNext, {kStoragePrivate, cursor.empty() ? 0u : 1u}, cursor);
    ASSERT_EQ(o.ret, kTeeSuccess);
    if (o.vals[0] == 0) break;
    EnumEntry e;
    ASSERT_GE(o.out.size(), sizeof(e));
    std::memcpy(&e, o.out.data(), sizeof(e));
    EXPECT_EQ(e.data_size, 5u);
    EXPECT_EQ(e.meta_len, 4u);
    cursor.assign(o.out.begin() + sizeof(e), o.out.begin() + sizeof(e) + e.id_len);
    seen.emplace_back(cursor.begin(), cursor.end());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "bb", "c"}));
  SyscallOut rpmb = call(a, StorageFn::EnumNext, {kStoragePrivateRpmb, 0});  // its own, empty store
  EXPECT_EQ(rpmb.ret, kTeeSuccess);
  EXPECT_EQ(rpmb.vals[0], 0u);
}

TEST_F(StorageCoreTest, RpmbIsARealStoreOfItsOwnOnTheDevice) {
  auto a = inst(1);
  const uint64_t ree = create(a, "x", "in the REE", kAll);
  ASSERT_NE(ree, 0u);
  uint32_t ret = 0;
  const uint64_t h = create(a, "x", "on RPMB", kAll, &ret, kStoragePrivateRpmb);  // same id, no conflict
  ASSERT_EQ(ret, kTeeSuccess);
  const auto more = bytes("!");
  EXPECT_EQ(call(a, StorageFn::Write, {h, 7, more.size(), 0}, more).ret, kTeeSuccess);
  EXPECT_EQ(read(a, h, 0, 100), "on RPMB!");
  EXPECT_EQ(read(a, ree, 0, 100), "in the REE");
  EXPECT_EQ(call(a, StorageFn::Close, {h}).ret, kTeeSuccess);
  // Nothing of it is in the REE FS tree: the RPMB store lives in device blocks.
  for (const auto& [name, _] : fs_.files) EXPECT_EQ(name.find("rpmb.v1"), std::string::npos) << name;
  ASSERT_EQ(fs_.files.count("rpmb.emu"), 1u);
  // A fresh OS (nothing cached) reads it back from the device.
  StorageCore fresh(std::make_shared<FakeService>(), std::make_shared<StorageOpenTable>());
  auto b = inst(1);
  StorageRequest r;
  r.fn = static_cast<uint32_t>(StorageFn::Open);
  r.args = {kStoragePrivateRpmb, kAccessRead};
  const auto id = bytes("x");
  r.in = id;
  SyscallOut o;
  fresh.handle(b.ta, fresh.handles(b.slot), &fs_, r, o);
  ASSERT_EQ(o.ret, kTeeSuccess);
  EXPECT_EQ(o.vals[1], 8u);
}

TEST_F(StorageCoreTest, RenameAndDelete) {
  auto a = inst(1);
  const uint64_t h = create(a, "old", "data", kAll);
  call(a, StorageFn::Close, {create(a, "taken", "x", kRW)});
  EXPECT_EQ(call(a, StorageFn::Rename, {h}, bytes("taken")).ret, kTeeErrorAccessConflict);
  EXPECT_EQ(call(a, StorageFn::Rename, {h}, bytes("old")).ret, kTeeErrorAccessConflict);  // its own id
  EXPECT_EQ(read(a, h, 0, 10), "data");
  EXPECT_EQ(call(a, StorageFn::Rename, {h}, bytes("new")).ret, kTeeSuccess);
  EXPECT_EQ(open(a, "old", kAccessRead).ret, kTeeErrorItemNotFound);
  EXPECT_EQ(read(a, h, 0, 10), "data");
  EXPECT_EQ(open(a, "new", kAccessRead | kShareRead).ret, kTeeErrorAccessConflict);  // h holds WRITE_META
  EXPECT_EQ(call(a, StorageFn::CloseAndDelete, {h}).ret, kTeeSuccess);
  EXPECT_EQ(open(a, "new", kAccessRead).ret, kTeeErrorItemNotFound);
  EXPECT_EQ(core_.table()->count(a.ta, bytes("new")), 0u);
}

TEST_F(StorageCoreTest, PositionLimitIsOverflow) {
  auto a = inst(1);
  const uint64_t h = create(a, "p", "", kRW);
  const auto d = bytes("xy");
  EXPECT_EQ(call(a, StorageFn::Write, {h, kMaxDataPosition - 1, 2, 0}, d).ret, kTeeErrorOverflow);
  EXPECT_EQ(call(a, StorageFn::Truncate, {h, kMaxDataPosition + 1}).ret, kTeeErrorOverflow);
  // Below the limit but over the store's size cap: no space.
  EXPECT_EQ(call(a, StorageFn::Write, {h, 1ull << 30, 2, 0}, d).ret, kTeeErrorStorageNoSpace);
}

TEST_F(StorageCoreTest, BulkReadAndWrite) {
  auto a = inst(1);
  const uint64_t h = create(a, "big", "", kRW);
  std::vector<uint8_t> big = storage::testing::pattern(100000, 3);
  EXPECT_EQ(call(a, StorageFn::Write, {h, 0, big.size(), 1}, {}, big, true).ret, kTeeSuccess);
  std::vector<uint8_t> back(big.size());
  SyscallOut o = call(a, StorageFn::Read, {h, 0, back.size()}, {}, back, true);
  EXPECT_EQ(o.ret, kTeeSuccess);
  EXPECT_EQ(o.vals[0], big.size());
  EXPECT_TRUE(o.out.empty());
  EXPECT_EQ(back, big);
}

// The object is deleted; the handle stays, answering CORRUPT_OBJECT, until
// the TA closes it (the TA runtime decides when: GP's
// gpd.ta.doesNotCloseHandleOnCorruptObject).
TEST_F(StorageCoreTest, CorruptObjectIsDeletedAndHandleKeptUntilClosed) {
  auto a = inst(1);
  const uint64_t h = create_with_file(a, "victim");
  const auto more = bytes("q");
  corrupt_object_files(a);
  uint32_t ret = 0;
  read(a, h, 0, 10, &ret);
  EXPECT_EQ(ret, kTeeErrorCorruptObject);
  EXPECT_EQ(core_.handles(a.slot).size(), 1u);  // still counted
  EXPECT_EQ(call(a, StorageFn::Read, {h, 0, 1}).ret, kTeeErrorCorruptObject);
  EXPECT_EQ(call(a, StorageFn::Write, {h, 0, more.size(), 0}, more).ret, kTeeErrorCorruptObject);
  EXPECT_EQ(call(a, StorageFn::Truncate, {h, 0}).ret, kTeeErrorCorruptObject);
  EXPECT_EQ(call(a, StorageFn::DataSize, {h}).ret, kTeeErrorCorruptObject);
  EXPECT_EQ(call(a, StorageFn::SetMeta, {h}, bytes("M")).ret, kTeeErrorCorruptObject);
  EXPECT_EQ(open(a, "victim", kAccessRead).ret, kTeeErrorAccessConflict);  // the id is still held
  EXPECT_EQ(call(a, StorageFn::Close, {h}).ret, kTeeSuccess);
  EXPECT_EQ(core_.handles(a.slot).size(), 0u);
  EXPECT_EQ(call(a, StorageFn::Read, {h, 0, 1}).kill, true);  // handle gone
  EXPECT_EQ(open(a, "victim", kAccessRead).ret, kTeeErrorItemNotFound);
}

TEST_F(StorageCoreTest, DeletingACorruptObjectsHandleClosesIt) {
  auto a = inst(1);
  const uint64_t h = create_with_file(a, "victim");
  corrupt_object_files(a);
  uint32_t ret = 0;
  read(a, h, 0, 10, &ret);
  EXPECT_EQ(ret, kTeeErrorCorruptObject);
  EXPECT_EQ(call(a, StorageFn::Rename, {h}, bytes("other")).ret, kTeeErrorCorruptObject);
  EXPECT_EQ(call(a, StorageFn::CloseAndDelete, {h}).ret, kTeeSuccess);
  EXPECT_EQ(core_.handles(a.slot).size(), 0u);
  EXPECT_EQ(core_.table()->count(a.ta, bytes("victim")), 0u);
}

TEST_F(StorageCoreTest, MalformedRequestsKill) {
  auto a = inst(1);
  const uint64_t h = create(a, "k", "1", kAccessRead);
  EXPECT_TRUE(call(a, StorageFn::Read, {h + 100, 0, 1}).kill);
  EXPECT_TRUE(call(a, StorageFn::Write, {h, 0, 1, 0}, bytes("1")).kill);  // no ACCESS_WRITE
  EXPECT_TRUE(call(a, StorageFn::CloseAndDelete, {h}).kill);              // no WRITE_META
  EXPECT_TRUE(call(a, StorageFn::Rename, {h}, bytes("z")).kill);
  EXPECT_TRUE(call(a, static_cast<StorageFn>(77), {}).kill);
  std::string long_id(65, 'x');
  EXPECT_TRUE(open(a, long_id, kAccessRead).kill);
  EXPECT_FALSE(open(a, "", kAccessRead).kill);  // a zero-length id is valid
  EXPECT_TRUE(call(a, StorageFn::Read, {h, 0, kMaxInlineData + 1}).kill);
}

TEST_F(StorageCoreTest, NoRpcPathIsStorageNotAvailable) {
  auto a = inst(1);
  const auto in = bytes("x");
  EXPECT_EQ(call(a, StorageFn::Open, {kStoragePrivate, kAccessRead}, in, {}, false, false).ret,
            kTeeErrorStorageNotAvailable);
}

}  // namespace
}  // namespace swtee::os
