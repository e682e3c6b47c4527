// RpcFsBackend against the real supplicant RPC handlers (dispatch_rpc over
// a ReeFs in a temp directory): the parameter layouts must match what the
// supplicant accepts, and the whole store must work through it.
#include "os/fs_rpc.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>

#include "common/shm_file.h"
#include "os/shm_registry.h"
#include "os/storage/kept_handles.h"
#include "os/storage/object_store.h"
#include "os/storage/storage_errors.h"
#include "os/storage/tests/fixtures.h"
#include "protocol/optee_msg.h"
#include "supplicant/rpc_handlers.h"
#include "supplicant/rpmb_emu.h"

namespace swtee::os {
namespace {

using storage::testing::bytes;

class NoTransport final : public supp::SuppTransport {
 public:
  Result<supp::SuppMessage> recv(std::span<const tee_ioctl_param>) override {
    return Error{ENOSYS, "unused"};
  }
  Status send(const supp::SuppMessage&) override { return Error{ENOSYS, "unused"}; }
  Result<supp::ShmAllocation> shm_alloc(uint64_t) override { return Error{ENOSYS, "unused"}; }
  Status shm_release(int32_t) override { return Error{ENOSYS, "unused"}; }
  void shutdown() override {}
};

// The driver + supplicant, in process: shm cookies are supplicant shm ids.
class LoopTransport final : public RpcTransport {
 public:
  explicit LoopTransport(const std::string& root)
      : fs_(supp::ReeFsOptions{root, true, 128, 16}),
        tas_(std::vector<std::string>{}),
        rpmb_image_(fs_, supp::kRpmbImageFile),
        rpmb_(rpmb_image_),
        env_{none_, shms_, tas_, fs_, &rpmb_} {}

  Result<RpcReply> rpc(optee::RpcCmd cmd, std::span<const RawParam> params) override {
    ++rpcs;
    if (cmd == optee::RpcCmd::Rpmb) ++rpmb_rpcs;
    if (gone) return Error{ECONNRESET, "gone"};
    if (no_supplicant) {  // the driver's answer when the supplicant died
      return communication(params.size());
    }
    std::vector<tee_ioctl_param> p(params.size());
    for (size_t i = 0; i < params.size(); ++i) p[i] = {params[i].attr, params[i].a, params[i].b, params[i].c};
    supp::RpcArgs args(p, shms_);
    RpcReply r;
    r.ret = supp::dispatch_rpc(env_, static_cast<uint32_t>(cmd), args);
    // The supplicant did the request, then died before answering it.
    if (lose_answer_at > 0 && --lose_answer_at == 0) return communication(params.size());
    r.num_params = static_cast<uint32_t>(p.size());
    for (size_t i = 0; i < p.size(); ++i) r.params[i] = {p[i].attr, p[i].a, p[i].b, p[i].c};
    return r;
  }
  static RpcReply communication(size_t num_params) {
    RpcReply r;
    r.ret = kTeeErrorCommunication;
    r.ret_origin = kTeeOriginComms;
    r.num_params = static_cast<uint32_t>(num_params);
    return r;
  }
  Result<std::shared_ptr<PhysShm>> shm_alloc(uint32_t, uint64_t size) override {
    ++allocs;
    if (no_supplicant) return Error{ECOMM, "RPC SHM_ALLOC: no supplicant"};
    ASSIGN_OR_RETURN(UniqueFd fd, create_sealed_memfd("rpc", size));
    UniqueFd dup(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
    const int32_t id = next_id_++;
    TRY_STATUS(shms_.insert(id, std::move(dup), size));
    return adopt_phys_shm(static_cast<uint64_t>(id), std::move(fd), size);
  }
  Status shm_free(uint32_t, uint64_t cookie) override {
    ++frees;
    if (!shms_.remove(static_cast<int32_t>(cookie))) return Error{EINVAL, "unknown shm"};
    return ok_status();
  }

  RpcShmCache* shm_cache() override { return cache; }
  // The normal world forgets an shm behind the secure side's back (e.g. a
  // restarted supplicant).
  void forget(uint64_t cookie) { (void)shms_.remove(static_cast<int32_t>(cookie)); }

  int rpcs = 0, allocs = 0, frees = 0, rpmb_rpcs = 0;
  bool gone = false;
  bool no_supplicant = false;
  int lose_answer_at = 0;        // > 0: the answer of the RPC this many from now is lost
  RpcShmCache* cache = nullptr;  // the secure thread's, when set
  supp::ReeFs& ree() { return fs_; }

 private:
  NoTransport none_;
  supp::ShmTable shms_;
  supp::ReeFs fs_;
  supp::TaStore tas_;
  supp::ReeFsRpmbImage rpmb_image_;
  supp::RpmbEmu rpmb_;
  supp::RpcEnv env_;
  int32_t next_id_ = 1;
};

class FsRpcTest : public ::testing::Test {
 protected:
  storage::testing::TempDir tmp_;
  // A store whose directory handles stay open between commits, in kept_.
  std::shared_ptr<storage::KeptHandles> kept_ = std::make_shared<storage::KeptHandles>();
  std::unique_ptr<storage::ObjectStore> kept_store() {
    storage::StoreOptions o;
    o.kept_handles = kept_;
    return std::move(storage::ObjectStore::create(storage::testing::test_huk(), o).value());
  }
  LoopTransport t_{tmp_.path() + "/root"};
};

TEST_F(FsRpcTest, FileCommandsRoundTrip) {
  {
    RpcFsBackend fs(t_);
    auto h = fs.create("dir/sub/file");
    ASSERT_TRUE(h.ok()) << h.error().what;
    auto data = storage::testing::pattern(3 * kFsRpcMaxIo / 2, 4);  // split over two WRITEs
    ASSERT_TRUE(fs.write(*h, 10, data).ok());
    std::vector<uint8_t> back(data.size() + 100);
    auto got = fs.read(*h, 10, back);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, data.size());
    EXPECT_TRUE(std::equal(data.begin(), data.end(), back.begin()));
    ASSERT_TRUE(fs.truncate(*h, 5).ok());
    EXPECT_EQ(*fs.read(*h, 0, back), 5u);
    ASSERT_TRUE(fs.close(*h).ok());
    EXPECT_EQ(fs.open("dir/nope").error().code, ENOENT);
    EXPECT_EQ(fs.open("../escape").error().code, EINVAL);
    ASSERT_TRUE(fs.close(*fs.create("dir/sub/other")).ok());
    EXPECT_EQ(fs.rename("dir/sub/file", "dir/sub/other", false).error().code, EEXIST);
    ASSERT_TRUE(fs.rename("dir/sub/file", "dir/sub/other", true).ok());
    auto d = fs.opendir("dir/sub");
    ASSERT_TRUE(d.ok());
    auto name = fs.readdir(*d);
    ASSERT_TRUE(name.ok() && name->has_value());
    EXPECT_EQ(**name, "other");
    EXPECT_FALSE(fs.readdir(*d)->has_value());
    ASSERT_TRUE(fs.closedir(*d).ok());
    ASSERT_TRUE(fs.remove("dir/sub/other").ok());
    EXPECT_EQ(fs.remove("dir/sub/other").error().code, ENOENT);
  }
  EXPECT_EQ(t_.allocs, t_.frees);  // the shm goes back
  EXPECT_EQ(t_.ree().open_files(), 0u);
  EXPECT_EQ(t_.ree().open_dirs(), 0u);
}

TEST_F(FsRpcTest, ObjectStoreThroughTheSupplicant) {
  auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto ta = *store->ta(storage::testing::uuid_n(3));
  {
    RpcFsBackend fs(t_);
    ASSERT_TRUE(ta->create(fs, bytes("key"), bytes("attrs"), bytes("secret"), false).ok());
    ASSERT_TRUE(ta->write(fs, bytes("key"), 6, bytes("!")).ok());
  }
  auto store2 = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto ta2 = *store2->ta(storage::testing::uuid_n(3));
  RpcFsBackend fs(t_);
  auto data = ta2->read(fs, bytes("key"), 0, 100);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, bytes("secret!"));
}

TEST_F(FsRpcTest, DurableWriteRoundTrips) {
  auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto ta = *store->ta(storage::testing::uuid_n(3));
  const auto page = storage::testing::pattern(4096, 1);
  {
    RpcFsBackend fs(t_);
    ASSERT_TRUE(ta->create(fs, bytes("obj"), {}, page, false).ok());
    ASSERT_TRUE(ta->write(fs, bytes("obj"), 0, page).ok());  // both version files exist now
  }
  RpcFsBackend fs(t_);
  const int before = t_.rpcs;
  ASSERT_TRUE(ta->write(fs, bytes("obj"), 0, page).ok());
  // Without kept handles (as with a supplicant whose handles are fds): one
  // open, write, close of the directory commit that carries the new
  // version, then the anchor: one authenticated write, with the counter
  // the client last saw (1 RPMB request). The backend's SHM_ALLOC and
  // SHM_FREE come on top once per backend without a thread cache
  // (ThreadCacheKeepsOneShmAcrossBackends).
  EXPECT_EQ(t_.rpcs - before, 4);
  EXPECT_EQ(fs.rpc_count(), 4u);
  const int read_before = t_.rpcs;
  ASSERT_TRUE(ta->read(fs, bytes("obj"), 0, 4096).ok());
  EXPECT_EQ(t_.rpcs - read_before, 0);  // cached plaintext
}

TEST_F(FsRpcTest, TheAnchorLivesOnTheRpmbDeviceBehindTheSupplicant) {
  auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto ta = *store->ta(storage::testing::uuid_n(3));
  {
    RpcFsBackend fs(t_);
    ASSERT_TRUE(ta->create(fs, bytes("obj"), {}, bytes("v"), false).ok());
  }
  // Device info, counter (blank: key not programmed), key programming,
  // counter, write; the first load also read the slots.
  EXPECT_GE(t_.rpmb_rpcs, 5);
  // The device image is the supplicant's file; the anchor is in it.
  auto store2 = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  RpcFsBackend fs(t_);
  storage::TaTag tag = (*store2->ta(storage::testing::uuid_n(3)))->tag();
  EXPECT_EQ(*store2->anchor().read(fs, tag), 1u);
  std::filesystem::remove(tmp_.path() + "/root/rpmb.emu");
  auto store3 = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  EXPECT_EQ(*store3->anchor().read(fs, tag), 0u);  // a blank device
}

TEST_F(FsRpcTest, ThreadCacheKeepsOneShmAcrossBackends) {
  RpcShmCache cache;
  t_.cache = &cache;
  auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto ta = *store->ta(storage::testing::uuid_n(3));
  const auto page = storage::testing::pattern(4096, 1);
  for (int i = 0; i < 3; ++i) {  // three syscalls, one backend each
    RpcFsBackend fs(t_);
    ASSERT_TRUE(ta->create(fs, bytes("obj"), {}, page, true).ok());
  }
  EXPECT_EQ(t_.allocs, 1);
  EXPECT_EQ(t_.frees, 0);
  ASSERT_TRUE(cache.shm);
  // A larger transfer grows it in place of the old one.
  const auto big = storage::testing::pattern(200 * 1024, 2);
  {
    RpcFsBackend fs(t_);
    ASSERT_TRUE(ta->create(fs, bytes("big"), {}, big, false).ok());
  }
  EXPECT_EQ(t_.allocs, 2);
  EXPECT_EQ(t_.frees, 1);
  EXPECT_GE(cache.shm->size, big.size());
  // A kept shm the normal world no longer knows fails one request, is
  // dropped, and the next backend starts on a fresh one.
  t_.forget(cache.shm->cookie);
  {
    RpcFsBackend fs(t_);
    EXPECT_FALSE(fs.create("x").ok());
  }
  EXPECT_FALSE(cache.shm);
  {
    RpcFsBackend fs(t_);
    auto h = fs.create("x");
    ASSERT_TRUE(h.ok()) << h.error().what;
    ASSERT_TRUE(fs.close(*h).ok());
  }
  EXPECT_EQ(t_.allocs, 3);
  ASSERT_TRUE(cache.shm);
  EXPECT_EQ(t_.ree().open_files(), 0u);
}

// Kept directory handles (storage/kept_handles.h): once both directory
// files have been written, a durable write is the commit's WRITE and the
// anchor's RPMB request, and what it wrote is on the disk.
TEST_F(FsRpcTest, KeptDirectoryHandlesMakeADurableWriteTwoRequests) {
  auto store = kept_store();
  auto ta = *store->ta(storage::testing::uuid_n(3));
  const auto page = storage::testing::pattern(4096, 1), next = storage::testing::pattern(4096, 2);
  {
    RpcFsBackend fs(t_);
    ASSERT_TRUE(ta->create(fs, bytes("obj"), {}, page, false).ok());
    ASSERT_TRUE(ta->write(fs, bytes("obj"), 0, page).ok());
  }
  EXPECT_EQ(kept_->size(), 2u);
  EXPECT_EQ(t_.ree().open_files(), 2u);
  RpcFsBackend fs(t_);
  const int before = t_.rpcs;
  ASSERT_TRUE(ta->write(fs, bytes("obj"), 0, next).ok());
  EXPECT_EQ(t_.rpcs - before, 2);
  auto fresh = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto again = (*fresh->ta(storage::testing::uuid_n(3)))->read(fs, bytes("obj"), 0, 4096);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, next);
}

// The supplicant restarts between two commits. The new instance refuses
// the handle the store kept from the old one (it never writes through it
// into a file of its own), so the store opens the directory file afresh,
// the commit lands, and the new handle is kept.
TEST_F(FsRpcTest, AHandleKeptFromARestartedSupplicantIsRefusedAndTheCommitLands) {
  auto store = kept_store();
  auto ta = *store->ta(storage::testing::uuid_n(3));
  {
    RpcFsBackend fs(t_);
    ASSERT_TRUE(ta->create(fs, bytes("obj"), {}, bytes("one"), false).ok());
    ASSERT_TRUE(ta->write(fs, bytes("obj"), 0, bytes("two")).ok());
  }
  ASSERT_EQ(kept_->size(), 2u);
  LoopTransport restarted(tmp_.path() + "/root");
  supp::ReeFsHandle other = 0;  // the new instance serves another file meanwhile
  ASSERT_EQ(restarted.ree().create("other", &other), kTeeSuccess);
  ASSERT_EQ(restarted.ree().write(other, 0, bytes("mine")), kTeeSuccess);
  RpcFsBackend fs(restarted);
  const int before = restarted.rpcs;
  ASSERT_TRUE(ta->write(fs, bytes("obj"), 0, bytes("3rd")).ok());
  EXPECT_EQ(restarted.rpcs - before, 4);                           // the refused WRITE, OPEN, WRITE, RPMB
  ASSERT_TRUE(ta->write(fs, bytes("obj"), 0, bytes("4th")).ok());  // the other file, opened once more
  const int kept_before = restarted.rpcs;
  ASSERT_TRUE(ta->write(fs, bytes("obj"), 0, bytes("5th")).ok());
  EXPECT_EQ(restarted.rpcs - kept_before, 2) << "the handle opened after the restart was not kept";
  std::vector<uint8_t> buf(16);
  size_t got = 0;
  ASSERT_EQ(restarted.ree().read(other, 0, buf, &got), kTeeSuccess);
  buf.resize(got);
  EXPECT_EQ(buf, bytes("mine"));
  auto fresh = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto again = (*fresh->ta(storage::testing::uuid_n(3)))->read(fs, bytes("obj"), 0, 16);
  ASSERT_TRUE(again.ok()) << again.error().what;
  EXPECT_EQ(*again, bytes("5th"));
}

// Many TAs commit: the supplicant's table holds no more kept handles than
// the bound, and the handles of stores that went away (a partition shut
// down) are closed by the next store that keeps one.
TEST_F(FsRpcTest, KeptHandlesStayWithinTheirBoundAndGoWithTheirStores) {
  storage::StoreOptions o;
  o.kept_handles = std::make_shared<storage::KeptHandles>(8);
  RpcFsBackend fs(t_);
  {
    auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), o).value());
    for (uint8_t n = 1; n <= 12; ++n) {
      auto ta = *store->ta(storage::testing::uuid_n(n));
      ASSERT_TRUE(ta->create(fs, bytes("a"), {}, bytes("1"), false).ok());
      ASSERT_TRUE(ta->write(fs, bytes("a"), 0, bytes("2")).ok());
      EXPECT_LE(t_.ree().open_files(), 8u);
    }
    EXPECT_EQ(t_.ree().open_files(), 8u);
  }
  EXPECT_EQ(o.kept_handles->size(), 8u);  // orphans, still open
  auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), o).value());
  auto ta = *store->ta(storage::testing::uuid_n(1));
  ASSERT_TRUE(ta->write(fs, bytes("a"), 0, bytes("3")).ok());
  EXPECT_EQ(o.kept_handles->size(), 1u);
  EXPECT_EQ(t_.ree().open_files(), 1u) << "the handles of stores that are gone stayed open";
}

// A store reset after a rollback removes its files: the directory handles
// it kept must go first, or the new directory would be written into a file
// that no longer has a name, and lost.
TEST_F(FsRpcTest, AResetStoreDoesNotWriteThroughHandlesOfRemovedFiles) {
  auto store = kept_store();
  auto ta = *store->ta(storage::testing::uuid_n(3));
  RpcFsBackend fs(t_);
  for (const char* v : {"1", "2", "3"}) ASSERT_TRUE(ta->create(fs, bytes("a"), {}, bytes(v), true).ok());
  ASSERT_EQ(kept_->size(), 2u);
  ASSERT_EQ(t_.ree().remove(ta->dir() + "/d0"), kTeeSuccess);  // the REE rolls the store back
  ASSERT_EQ(t_.ree().remove(ta->dir() + "/d1"), kTeeSuccess);
  ta->drop_cache();
  ASSERT_FALSE(ta->list(fs).ok());
  ASSERT_TRUE(ta->reset_after_rollback(fs).ok());
  ASSERT_TRUE(ta->create(fs, bytes("b"), {}, bytes("after"), false).ok());
  auto fresh = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto again = (*fresh->ta(storage::testing::uuid_n(3)))->read(fs, bytes("b"), 0, 16);
  ASSERT_TRUE(again.ok()) << again.error().what;
  EXPECT_EQ(*again, bytes("after"));
}

TEST_F(FsRpcTest, SupplicantGoneIsStorageNotAvailable) {
  auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto ta = *store->ta(storage::testing::uuid_n(3));
  t_.gone = true;
  RpcFsBackend fs(t_);
  auto r = ta->list(fs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(storage::gp_result_of(r.error()), kTeeErrorStorageNotAvailable);
}

// The supplicant died (the driver answers COMMUNICATION) or there is none
// to allocate the RPC shm: STORAGE_NOT_AVAILABLE, never OUT_OF_MEMORY; the
// kept RPC shm is dropped (a restarted supplicant does not know it), and
// the store works again once the supplicant is back.
TEST_F(FsRpcTest, ADeadSupplicantIsStorageNotAvailableNotOutOfMemory) {
  auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
  auto ta = *store->ta(storage::testing::uuid_n(3));
  {
    RpcFsBackend fs(t_);
    ASSERT_TRUE(ta->create(fs, storage::testing::bytes("a"), {}, storage::testing::bytes("1"), false).ok());
  }
  for (bool kept_shm : {true, false}) {
    RpcShmCache cache;
    t_.cache = kept_shm ? &cache : nullptr;
    if (kept_shm) {  // an RPC shm from before the death: the FS RPC itself fails
      RpcFsBackend warm(t_);
      auto h = warm.opendir(ta->dir());
      ASSERT_TRUE(h.ok());
      ASSERT_TRUE(warm.closedir(*h).ok());
      ASSERT_TRUE(cache.shm);
    }
    t_.no_supplicant = true;
    {
      RpcFsBackend fs(t_);
      auto r = ta->write(fs, storage::testing::bytes("a"), 0, storage::testing::bytes("2"));
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(storage::gp_result_of(r.error()), kTeeErrorStorageNotAvailable) << r.error().what;
    }
    if (kept_shm) EXPECT_FALSE(cache.shm) << "an RPC shm the restarted supplicant does not know was kept";
    t_.no_supplicant = false;
    RpcFsBackend fs(t_);
    auto back = ta->read(fs, storage::testing::bytes("a"), 0, 10);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, storage::testing::bytes("1"));
    t_.cache = nullptr;
  }
}

// The supplicant dies after doing a request but before answering it (the
// driver answers COMMUNICATION; the restarted supplicant serves the next
// call). Cut each RPC of each kind of update in turn: the update fails
// STORAGE_NOT_AVAILABLE (never OUT_OF_MEMORY) or succeeds, and the running
// store then shows exactly what a fresh store (a restarted stack) reads
// from the disk, which is the old or the new state, each object whole
// under one name. A store that kept its cached directory across the cut
// would show the old state while the disk holds the new one.
TEST_F(FsRpcTest, AnAnswerLostAfterItsRequestLandedLeavesTheStoreInStepWithTheDisk) {
  using View = std::map<std::string, std::vector<uint8_t>>;  // object -> content
  const auto small_old = storage::testing::pattern(100, 1), small_new = storage::testing::pattern(200, 2);
  const auto big_old = storage::testing::pattern(40000, 3), big_new = storage::testing::pattern(50000, 4);
  auto view_of = [](storage::TaStore& ta, storage::FsBackend& fs) {
    View v;
    for (const char* id : {"x", "y"}) {
      auto r = ta.read(fs, bytes(id), 0, 1 << 20);
      if (r.ok()) {
        v[id] = *r;
      } else if (r.error().code != ENOENT) {
        v[id] = bytes(std::string("error: ") + r.error().what);
      }
    }
    return v;
  };
  struct Update {
    const char* what;
    std::vector<uint8_t> old_content;
    std::function<Status(storage::TaStore&, storage::FsBackend&)> run;
    View after;
  };
  const std::vector<Update> updates = {
      {"inline write", small_old,
       [&](storage::TaStore& ta, storage::FsBackend& fs) { return ta.write(fs, bytes("x"), 0, small_new); },
       View{{"x", small_new}}},
      {"object-file replace", big_old,
       [&](storage::TaStore& ta, storage::FsBackend& fs) {
         return ta.create(fs, bytes("x"), {}, big_new, true);
       },
       View{{"x", big_new}}},
      {"rename", big_old,
       [&](storage::TaStore& ta, storage::FsBackend& fs) { return ta.rename(fs, bytes("x"), bytes("y")); },
       View{{"y", big_old}}},
      {"remove", small_old,
       [&](storage::TaStore& ta, storage::FsBackend& fs) { return ta.remove(fs, bytes("x")); }, View{}},
  };
  uint8_t n = 10;  // one fresh TA directory per trial
  for (const Update& u : updates) {
    int cuts = 0;
    for (int at = 1;; ++at) {
      auto store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
      ASSERT_LT(n, 250);
      auto ta = *store->ta(storage::testing::uuid_n(++n));
      RpcFsBackend fs(t_);
      ASSERT_TRUE(ta->create(fs, bytes("x"), {}, u.old_content, false).ok());
      const View before = view_of(*ta, fs);
      t_.lose_answer_at = at;
      const Status s = u.run(*ta, fs);
      const bool cut = t_.lose_answer_at == 0;
      t_.lose_answer_at = 0;
      if (!cut) break;  // the update made fewer RPCs than `at`
      ++cuts;
      SCOPED_TRACE(std::string(u.what) + ": the answer of RPC " + std::to_string(at) + " lost");
      if (!s.ok())
        EXPECT_EQ(storage::gp_result_of(s.error()), kTeeErrorStorageNotAvailable) << s.error().what;
      RpcFsBackend later(t_);  // after the restart
      const View running = view_of(*ta, later);
      auto fresh_store = std::move(storage::ObjectStore::create(storage::testing::test_huk(), {}).value());
      const View disk = view_of(**fresh_store->ta(storage::testing::uuid_n(n)), later);
      EXPECT_EQ(running, disk) << "the running store is out of step with the disk";
      EXPECT_TRUE(disk == before || disk == u.after) << "neither the old nor the new state";
      if (s.ok()) EXPECT_EQ(disk, u.after);
    }
    EXPECT_GT(cuts, 1) << u.what;
  }
}

}  // namespace
}  // namespace swtee::os
