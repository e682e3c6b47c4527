// Guests' trusted storage (storage_family.h, open_guest_storage_service):
// each guest's objects live in its own tree under its own keys and RPMB
// device; the host's layout is what it was before guests existed.
#include <gtest/gtest.h>

#include "os/storage/guest_fs.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"
#include "os/syscalls/storage_family.h"

namespace swtee::os {
namespace {

using storage::testing::bytes;
using storage::testing::uuid_n;

std::shared_ptr<StorageService> host_service() {
  return std::move(open_storage_service(StorageServiceConfig{}).value());  // key in the REE FS
}

std::shared_ptr<StorageService> guest_service(std::shared_ptr<StorageService> host, uint32_t guest) {
  return std::move(open_guest_storage_service(std::move(host), guest).value());
}

// Writes `data` as object "obj" of TA 1 in `svc`'s storage over `mem`.
void put(storage::testing::MemFs& mem, StorageService& svc, std::string_view data) {
  storage::GuestFs fs(mem, svc.guest());
  auto store = svc.store(fs);
  ASSERT_TRUE(store.ok()) << store.error().what;
  auto ta = (*store)->ta(uuid_n(1));
  ASSERT_TRUE(ta.ok());
  auto st = (*ta)->create(fs, bytes("obj"), {}, bytes(data), /*overwrite=*/true);
  ASSERT_TRUE(st.ok()) << st.error().what;
}

std::string get(storage::testing::MemFs& mem, StorageService& svc) {
  storage::GuestFs fs(mem, svc.guest());
  auto store = svc.store(fs);
  if (!store.ok()) return std::string("<no store: ") + store.error().what + ">";
  auto ta = (*store)->ta(uuid_n(1));
  if (!ta.ok()) return "<no TA store>";
  auto r = (*ta)->read(fs, bytes("obj"), 0, 1024);
  if (!r.ok()) return std::string("<") + r.error().what + ">";
  return std::string(r->begin(), r->end());
}

TEST(GuestStorage, SameObjectIdHoldsEachGuestsOwnData) {
  storage::testing::MemFs mem;
  auto host = host_service();
  auto g1 = guest_service(host, 1);
  auto g2 = guest_service(host, 2);
  put(mem, *host, "host");
  put(mem, *g1, "guest 1");
  put(mem, *g2, "guest 2");
  EXPECT_EQ(get(mem, *host), "host");
  EXPECT_EQ(get(mem, *g1), "guest 1");
  EXPECT_EQ(get(mem, *g2), "guest 2");

  // A fresh swtee-os (nothing cached) reads the same from the same files.
  auto host2 = host_service();
  EXPECT_EQ(get(mem, *guest_service(host2, 2)), "guest 2");
  EXPECT_EQ(get(mem, *guest_service(host2, 1)), "guest 1");
  EXPECT_EQ(get(mem, *host2), "host");
}

TEST(GuestStorage, EachGuestHasItsOwnTreeAndRpmbDevice) {
  storage::testing::MemFs mem;
  auto host = host_service();
  put(mem, *host, "host");
  const auto host_files = mem.files;
  put(mem, *guest_service(host, 1), "guest 1");
  put(mem, *guest_service(host, 7), "guest 7");

  size_t g1 = 0, g7 = 0;
  for (const auto& [name, content] : mem.files) {
    if (name.rfind("guests/1/", 0) == 0) {
      ++g1;
    } else if (name.rfind("guests/7/", 0) == 0) {
      ++g7;
    } else {
      // Everything else is the host's, untouched by the guests.
      ASSERT_EQ(host_files.count(name), 1u) << name;
      EXPECT_EQ(host_files.at(name), content) << name;
    }
  }
  EXPECT_GT(g1, 2u);
  EXPECT_GT(g7, 2u);
  EXPECT_EQ(mem.files.count("rpmb.emu"), 1u);
  EXPECT_EQ(mem.files.count("guests/1/rpmb.emu"), 1u);
  EXPECT_EQ(mem.files.count("guests/7/rpmb.emu"), 1u);
  EXPECT_EQ(mem.files.count("guests/1/huk.dev"), 0u);  // a guest's key is derived, never stored
}

TEST(GuestStorage, HostLayoutIsUnchanged) {
  // The host's storage through its (guest 0) view writes exactly the files
  // the plain REE FS path writes: existing state directories stay readable.
  storage::testing::MemFs viewed, plain;
  auto a = host_service();
  put(viewed, *a, "same");
  auto b = host_service();
  {
    auto store = b->store(plain);
    ASSERT_TRUE(store.ok());
    auto ta = (*store)->ta(uuid_n(1));
    ASSERT_TRUE(ta.ok());
    ASSERT_TRUE((*ta)->create(plain, bytes("obj"), {}, bytes("same"), true).ok());
  }
  std::vector<std::string> names_viewed, names_plain;
  for (auto& [n, _] : viewed.files) names_viewed.push_back(n);
  for (auto& [n, _] : plain.files) names_plain.push_back(n);
  EXPECT_EQ(names_viewed.size(), names_plain.size());
  for (auto& n : names_viewed) EXPECT_EQ(n.rfind("guests/", 0), std::string::npos) << n;
}

TEST(GuestStorage, GuestKeysAreDerivedPerGuest) {
  const storage::Huk huk = storage::testing::test_huk();
  auto k0 = storage::KeyChain::guest_huk(huk, 0);
  auto k1 = storage::KeyChain::guest_huk(huk, 1);
  auto k2 = storage::KeyChain::guest_huk(huk, 2);
  ASSERT_TRUE(k0.ok() && k1.ok() && k2.ok());
  auto same = [](const storage::Huk& a, const storage::Huk& b) {
    return std::equal(a.key().bytes().begin(), a.key().bytes().end(), b.key().bytes().begin());
  };
  EXPECT_TRUE(same(*k0, huk));
  EXPECT_FALSE(same(*k1, huk));
  EXPECT_FALSE(same(*k2, huk));
  EXPECT_FALSE(same(*k1, *k2));
  EXPECT_TRUE(same(*k1, *storage::KeyChain::guest_huk(huk, 1)));  // stable

  // The system PTA's TA-unique keys differ too.
  storage::testing::MemFs mem;
  auto host = host_service();
  auto g1 = guest_service(host, 1);
  storage::GuestFs hv(mem, 0), gv(mem, 1);
  auto th = host->ta_unique_key(hv, uuid_n(3), {}, 32);
  auto tg = g1->ta_unique_key(gv, uuid_n(3), {}, 32);
  ASSERT_TRUE(th.ok() && tg.ok());
  EXPECT_FALSE(std::equal(th->bytes().begin(), th->bytes().end(), tg->bytes().begin()));
}

TEST(GuestStorage, GuestIdsOutsideOpteeClientIdsAreRefused) {
  auto host = host_service();
  EXPECT_FALSE(open_guest_storage_service(host, 0).ok());
  EXPECT_FALSE(open_guest_storage_service(host, 65536).ok());
  EXPECT_FALSE(open_guest_storage_service(nullptr, 1).ok());
}

}  // namespace
}  // namespace swtee::os
