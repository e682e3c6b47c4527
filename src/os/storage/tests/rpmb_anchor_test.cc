// The rollback anchor on the RPMB device: the secure side (RpmbClient)
// against the supplicant's emulator (supp::RpmbEmu) through MemFs, with a
// hostile normal world in between where it matters.
#include "os/storage/rpmb_anchor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "os/storage/key_chain.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"
#include "protocol/optee_rpmb.h"

namespace swtee::os::storage {
namespace {

using testing::MemFs;

TaTag tag_n(uint8_t n) {
  TaTag t{};
  t.fill(n);
  return t;
}

SecretKey key_n(uint8_t n) { return SecretKey(testing::pattern(32, n)); }

// MemFs reached through a wrapper that may stand between swtee-os and
// the device: everything is passed on; subclasses change rpmb().
class ForwardingFs : public FsBackend {
 public:
  explicit ForwardingFs(MemFs& fs) : fs_(fs) {}
  Result<FsHandle> open(std::string_view n) override { return fs_.open(n); }
  Result<FsHandle> create(std::string_view n) override { return fs_.create(n); }
  Status close(FsHandle h) override { return fs_.close(h); }
  Result<size_t> read(FsHandle h, uint64_t o, std::span<uint8_t> out) override { return fs_.read(h, o, out); }
  Status write(FsHandle h, uint64_t o, std::span<const uint8_t> in) override { return fs_.write(h, o, in); }
  Status truncate(FsHandle h, uint64_t l) override { return fs_.truncate(h, l); }
  Status remove(std::string_view n) override { return fs_.remove(n); }
  Status rename(std::string_view f, std::string_view t, bool o) override { return fs_.rename(f, t, o); }
  Result<FsHandle> opendir(std::string_view n) override { return fs_.opendir(n); }
  Status closedir(FsHandle h) override { return fs_.closedir(h); }
  Result<std::optional<std::string>> readdir(FsHandle h) override { return fs_.readdir(h); }
  Result<std::vector<uint8_t>> rpmb(std::span<const uint8_t> req, size_t resp_size) override {
    return fs_.rpmb(req, resp_size);
  }

 private:
  MemFs& fs_;
};

// RPMB answers pass through `edit` (the normal world in between).
class HostileFs final : public ForwardingFs {
 public:
  using ForwardingFs::ForwardingFs;
  Result<std::vector<uint8_t>> rpmb(std::span<const uint8_t> req, size_t resp_size) override {
    ++requests;
    auto r = ForwardingFs::rpmb(req, resp_size);
    if (r.ok() && edit) edit(*r);
    return r;
  }
  std::function<void(std::vector<uint8_t>&)> edit;
  int requests = 0;
};

TEST(RpmbAnchor, AdvancesMonotonicallyAndPersists) {
  MemFs fs;
  {
    RpmbAnchor a(key_n(1), {});
    EXPECT_EQ(*a.read(fs, tag_n(1)), 0u);  // a blank device: no key yet
    EXPECT_EQ(fs.files.count("rpmb.emu"), 0u);
    ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());  // programs the key, then writes
    ASSERT_TRUE(a.advance(fs, tag_n(2), 9).ok());
    ASSERT_TRUE(a.advance(fs, tag_n(1), 3).ok());  // never goes down
    EXPECT_EQ(*a.read(fs, tag_n(1)), 5u);
    EXPECT_EQ(a.write_counter(), 2u);  // one device write per advance
    EXPECT_EQ(a.protection_level(), 100u);
  }
  RpmbAnchor b(key_n(1), {});  // restart
  EXPECT_EQ(*b.read(fs, tag_n(1)), 5u);
  EXPECT_EQ(*b.read(fs, tag_n(2)), 9u);
  ASSERT_TRUE(b.advance(fs, tag_n(2), 10).ok());
  EXPECT_EQ(b.write_counter(), 3u);
  EXPECT_EQ(fs.open_files(), 0u);
}

TEST(RpmbAnchor, TheKeyIsProgrammedOnceAndAnotherKeyIsRefused) {
  MemFs fs;
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());
  // Another HUK's key: the device keeps the first key, every answer fails
  // authentication, and nothing is written.
  RpmbAnchor other(key_n(2), {});
  auto r = other.read(fs, tag_n(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EKEYREJECTED);
  EXPECT_FALSE(other.advance(fs, tag_n(1), 7).ok());
  RpmbAnchor again(key_n(1), {});
  EXPECT_EQ(*again.read(fs, tag_n(1)), 5u);
}

TEST(RpmbAnchor, ForgedOrReplayedAnswersAreRefused) {
  MemFs mem;
  HostileFs fs(mem);
  {
    RpmbAnchor a(key_n(1), {});
    ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());
  }
  // A changed data byte in a read answer.
  fs.edit = [](std::vector<uint8_t>& r) {
    if (r.size() > 512) r[228 + 16] ^= 1;
  };
  EXPECT_EQ(RpmbAnchor(key_n(1), {}).read(fs, tag_n(1)).error().code, EKEYREJECTED);
  // An old read answer replayed (its nonce is not this request's).
  std::vector<uint8_t> recorded;
  fs.edit = [&](std::vector<uint8_t>& r) {
    if (r.size() > 512) recorded = r;
  };
  ASSERT_TRUE(RpmbAnchor(key_n(1), {}).read(fs, tag_n(1)).ok());
  fs.edit = [&](std::vector<uint8_t>& r) {
    if (r.size() == recorded.size()) r = recorded;
  };
  EXPECT_EQ(RpmbAnchor(key_n(1), {}).read(fs, tag_n(1)).error().code, EKEYREJECTED);
  // A write answer that claims success without the counter moving.
  fs.edit = nullptr;
  RpmbAnchor w(key_n(1), {});
  ASSERT_TRUE(w.read(fs, tag_n(1)).ok());
  const auto before = mem.files["rpmb.emu"];
  fs.edit = [&](std::vector<uint8_t>& r) {
    if (r.size() == 512 && optee::rpmb_be16(r.data() + 510) == optee::kRpmbRespDataWrite) {
      mem.files["rpmb.emu"] = before;  // the write was dropped
      optee::rpmb_put32(r.data() + 500, optee::rpmb_be32(r.data() + 500) - 1);
    }
  };
  EXPECT_FALSE(w.advance(fs, tag_n(1), 6).ok());
}

TEST(RpmbAnchor, ABlankOrWipedDeviceReadsZeroAndIsReprogrammed) {
  MemFs fs;
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());
  fs.files.erase("rpmb.emu");
  RpmbAnchor b(key_n(1), {});
  EXPECT_EQ(*b.read(fs, tag_n(1)), 0u);  // TaStore refuses stores it cannot vouch for
  ASSERT_TRUE(b.advance(fs, tag_n(1), 7).ok());
  EXPECT_EQ(*RpmbAnchor(key_n(1), {}).read(fs, tag_n(1)), 7u);
}

TEST(RpmbAnchor, ADamagedNewestBlockRecordKeepsThePreviousValue) {
  MemFs fs;
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());  // block 0, record 0
  ASSERT_TRUE(a.advance(fs, tag_n(1), 6).ok());  // block 0, record 1
  auto& img = fs.files["rpmb.emu"];
  img[256 + 292 + 10] ^= 1;  // the newest record of block 0 (as a torn device write)
  EXPECT_EQ(*RpmbAnchor(key_n(1), {}).read(fs, tag_n(1)), 5u);
}

TEST(RpmbAnchor, FullPartitionIsNoSpace) {
  MemFs fs;
  RpmbAnchor a(key_n(1), RpmbAnchorOptions{0, 1});
  for (uint8_t i = 1; i <= kAnchorSlotsPerBlock; ++i) ASSERT_TRUE(a.advance(fs, tag_n(i), 1).ok());
  EXPECT_EQ(a.advance(fs, tag_n(99), 1).error().code, ENOSPC);
  EXPECT_TRUE(a.advance(fs, tag_n(1), 2).ok());  // existing slots still move
}

// MemFs whose next RPMB request, once armed, waits until the test opens
// the gate: a writer held on the device while others queue behind it.
class GatedFs final : public ForwardingFs {
 public:
  using ForwardingFs::ForwardingFs;
  Result<std::vector<uint8_t>> rpmb(std::span<const uint8_t> req, size_t resp_size) override {
    std::unique_lock l(mu_);
    if (armed_) {
      armed_ = false;
      held_ = true;
      cv_.notify_all();
      cv_.wait(l, [&] { return open_; });
    }
    l.unlock();
    return ForwardingFs::rpmb(req, resp_size);
  }
  void arm() {
    std::lock_guard l(mu_);
    armed_ = true;
  }
  void wait_held() {
    std::unique_lock l(mu_);
    cv_.wait(l, [&] { return held_; });
  }
  void open_gate() {
    std::lock_guard l(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false, held_ = false, open_ = false;
};

// Group commit: while one writer holds the device, five other TAs'
// advances queue; the next writer carries all five in one device write
// (they share a block), and each of them returns only once it landed.
TEST(RpmbAnchor, AdvancesQueuedBehindAWriterLandInOneDeviceWrite) {
  MemFs mem;
  GatedFs fs(mem);
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 1).ok());  // loads, programs the key: write 1
  const uint32_t before = a.write_counter();
  fs.arm();
  std::thread first([&] { EXPECT_TRUE(a.advance(fs, tag_n(1), 2).ok()); });
  fs.wait_held();  // the first writer holds the device
  std::vector<std::thread> others;
  for (uint8_t n = 2; n <= 6; ++n)
    others.emplace_back([&, n] { EXPECT_TRUE(a.advance(fs, tag_n(n), 100 + n).ok()); });
  while (a.queued() < 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  fs.open_gate();
  first.join();
  for (auto& t : others) t.join();
  EXPECT_EQ(a.write_counter() - before, 2u) << "one write for the first, one for the five queued behind it";
  EXPECT_EQ(*a.read(fs, tag_n(1)), 2u);
  RpmbAnchor fresh(key_n(1), {});  // what the device holds
  for (uint8_t n = 2; n <= 6; ++n) EXPECT_EQ(*fresh.read(mem, tag_n(n)), 100u + n);
}

// A batch whose device write fails reports the failure to its writer and
// forgets the cached blocks; the next advance reads the device again and
// writes (a queued advance the failed batch carried does the same in its
// own thread, since it finds its value not on the device).
TEST(RpmbAnchor, AFailedBatchWriteIsReportedAndTheNextAdvanceWritesIt) {
  MemFs mem;
  HostileFs fs(mem);
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 1).ok());
  fs.edit = [&](std::vector<uint8_t>& r) { r.assign(r.size(), 0); };  // the write's answer: garbled
  EXPECT_FALSE(a.advance(fs, tag_n(1), 2).ok());
  fs.edit = nullptr;
  EXPECT_TRUE(a.advance(fs, tag_n(1), 2).ok());
  RpmbAnchor fresh(key_n(1), {});
  EXPECT_EQ(*fresh.read(mem, tag_n(1)), 2u);
}

// The write counter is not read before each write: the client carries the
// one it last saw (OP-TEE's tee_rpmb_fs does the same), one request a write.
TEST(RpmbAnchor, AWriteCarriesTheCounterLastSeenInOneRequest) {
  MemFs mem;
  HostileFs fs(mem);
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 1).ok());
  for (uint64_t v = 2; v <= 4; ++v) {
    const int before = fs.requests;
    ASSERT_TRUE(a.advance(fs, tag_n(1), v).ok());
    EXPECT_EQ(fs.requests - before, 1) << "advance to " << v;
  }
  RpmbAnchor fresh(key_n(1), {});
  EXPECT_EQ(*fresh.read(mem, tag_n(1)), 4u);
}

// Another writer moved the device's counter: the write with the old one is
// refused, the counter read again, and the write lands on the second try.
TEST(RpmbAnchor, ACounterMovedByAnotherWriterIsReadAgain) {
  MemFs mem;
  HostileFs fs(mem);
  RpmbAnchor a(key_n(1), {0, 1}), b(key_n(1), {1, 1});  // one block each
  ASSERT_TRUE(a.advance(fs, tag_n(1), 1).ok());
  ASSERT_TRUE(b.advance(mem, tag_n(2), 7).ok());
  const int before = fs.requests;
  ASSERT_TRUE(a.advance(fs, tag_n(1), 2).ok());
  EXPECT_EQ(fs.requests - before, 3) << "the refused write, the counter, the write";
  RpmbAnchor fresh_a(key_n(1), {0, 1}), fresh_b(key_n(1), {1, 1});
  EXPECT_EQ(*fresh_a.read(mem, tag_n(1)), 2u);
  EXPECT_EQ(*fresh_b.read(mem, tag_n(2)), 7u);
}

// A refusal's answer is not authenticated, so a normal world can send one
// for a write it made: the write then lands again with the next counter,
// the same data, and nothing else changes.
TEST(RpmbAnchor, AFakeRefusalCostsOneMoreWriteAndLosesNothing) {
  MemFs mem;
  HostileFs fs(mem);
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 1).ok());
  const uint32_t counter = a.write_counter();
  bool once = true;
  fs.edit = [&](std::vector<uint8_t>& r) {  // the write's answer says "refused"
    if (std::exchange(once, false))
      optee::rpmb_put16(r.data() + offsetof(optee::RpmbFrame, result), optee::kRpmbResultCounterFailure);
  };
  ASSERT_TRUE(a.advance(fs, tag_n(1), 2).ok());
  EXPECT_EQ(a.write_counter(), counter + 2);
  RpmbAnchor fresh(key_n(1), {});
  EXPECT_EQ(*fresh.read(mem, tag_n(1)), 2u);
}

}  // namespace
}  // namespace swtee::os::storage
