// The GP persistent-object API of the TA runtime, end to end through the
// Storage family logic (StorageCore) on an in-memory REE FS.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "common/shm_file.h"
#include "os/storage/object_store.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"
#include "os/syscalls/storage_core.h"
#include "ta_runtime/dispatcher.h"
#include "ta_runtime/runtime_state.h"
#include "ta_runtime/syscall.h"
#include "tee_internal_api.h"
#include "tee_internal_api_extensions.h"
#include "user_ta_header.h"

namespace swtee::ta {
namespace {

const auto kPanicked = ::testing::ExitedWithCode(kExitPanic);

class Service final : public os::StorageService {
 public:
  Service()
      : store_(std::move(os::storage::ObjectStore::create(os::storage::testing::test_huk(), {}).value())) {}
  Result<std::shared_ptr<os::storage::ObjectStore>> store(os::storage::FsBackend&) override { return store_; }

 private:
  std::shared_ptr<os::storage::ObjectStore> store_;
};

// One OS, and the calling "instance" (TA uuid + state slot) switchable.
class FakeOs final : public SyscallTransport {
 public:
  FakeOs() : svc(std::make_shared<Service>()), core_(svc, std::make_shared<os::StorageOpenTable>()) {}
  void drop_cache() { (*svc->store(fs).value()->ta(ta))->drop_cache(); }

  TEE_Result call(const SysCall& c, std::span<uint8_t> out, SysResult* res) noexcept override {
    ++calls;
    EXPECT_EQ(c.family, tachan::SysFamily::Storage);
    EXPECT_LE(c.in.size(), tachan::kMaxSyscallInline);
    os::StorageRequest r;
    r.fn = c.fn;
    r.args = c.args;
    r.in = c.in;
    Mapping map;
    if (!c.fds.empty()) {
      EXPECT_EQ(c.fds.size(), 1u);
      auto size = seal_and_size(c.fds[0]);
      EXPECT_TRUE(size.ok());
      if (*size != 0) map = std::move(Mapping::map(c.fds[0], *size).value());
      r.bulk = map.bytes();
      r.has_bulk = true;
    }
    os::SyscallOut o;
    core_.handle(ta, core_.handles(slots[instance]), no_rpc_path ? nullptr : &fs, r, o);
    if (o.kill) {
      killed = true;
      std::_Exit(99);  // the OS would end the instance
    }
    EXPECT_LE(o.out.size(), out.size());
    if (!o.out.empty()) std::memcpy(out.data(), o.out.data(), o.out.size());
    res->ret = o.ret;
    res->origin = o.origin;
    res->vals = o.vals;
    res->out_len = o.out.size();
    return o.ret;
  }

  std::shared_ptr<Service> svc;
  os::StorageCore core_;
  os::storage::testing::MemFs fs;
  Uuid ta = os::storage::testing::uuid_n(1);
  int instance = 0;
  std::unique_ptr<os::SyscallState> slots[2];
  int calls = 0;
  bool killed = false;
  bool no_rpc_path = false;  // calls without an RPC path: STORAGE_NOT_AVAILABLE
};

class StorageApiTest : public ::testing::Test {
 protected:
  void SetUp() override { set_syscall_transport(&os_); }
  void TearDown() override {
    set_syscall_transport(nullptr);
    runtime().info = nullptr;
  }

  TEE_ObjectHandle create(const std::string& id, const std::string& data, uint32_t flags,
                          TEE_ObjectHandle attrs = TEE_HANDLE_NULL) {
    TEE_ObjectHandle h = TEE_HANDLE_NULL;
    EXPECT_EQ(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, id.data(), id.size(), flags, attrs, data.data(),
                                         data.size(), &h),
              TEE_SUCCESS);
    return h;
  }
  // Flips a bit in every object file (each object over ~16 KiB has one) and
  // drops the OS's cache: the next access finds the objects corrupt.
  void corrupt_object_files() {
    for (auto& [name, content] : os_.fs.files) {
      if (name.size() > 2 && name[name.size() - 2] == '.') content[content.size() - 1] ^= 0x40;
    }
    os_.drop_cache();
  }
  TEE_Result read_some(TEE_ObjectHandle h) {
    char buf[16];
    size_t n = 0;
    return TEE_ReadObjectData(h, buf, sizeof(buf), &n);
  }
  size_t os_handles() { return os_.core_.handles(os_.slots[os_.instance]).size(); }
  std::string read_all(TEE_ObjectHandle h, size_t max = 1 << 20) {
    std::string s(max, '\0');
    size_t n = 0;
    EXPECT_EQ(TEE_ReadObjectData(h, s.data(), s.size(), &n), TEE_SUCCESS);
    s.resize(n);
    return s;
  }

  FakeOs os_;
};

constexpr uint32_t kAll =
    TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_ACCESS_WRITE_META;

TEST_F(StorageApiTest, CreateWriteSeekReadInfo) {
  TEE_ObjectHandle h = create("id", "0123456789", kAll);
  ASSERT_NE(h, nullptr);
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(h, &info), TEE_SUCCESS);
  EXPECT_EQ(info.objectType, TEE_TYPE_DATA);
  EXPECT_EQ(info.dataSize, 10u);
  EXPECT_EQ(info.dataPosition, 0u);
  EXPECT_EQ(info.handleFlags, TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | kAll);
  EXPECT_EQ(TEE_SeekObjectData(h, 4, TEE_DATA_SEEK_SET), TEE_SUCCESS);
  EXPECT_EQ(read_all(h, 3), "456");
  EXPECT_EQ(TEE_SeekObjectData(h, -2, TEE_DATA_SEEK_END), TEE_SUCCESS);
  EXPECT_EQ(TEE_WriteObjectData(h, "XYZ", 3), TEE_SUCCESS);
  EXPECT_EQ(TEE_SeekObjectData(h, 0, TEE_DATA_SEEK_SET), TEE_SUCCESS);
  EXPECT_EQ(read_all(h), "01234567XYZ");
  EXPECT_EQ(TEE_SeekObjectData(h, -100, TEE_DATA_SEEK_CUR), TEE_SUCCESS);
  ASSERT_EQ(TEE_GetObjectInfo1(h, &info), TEE_SUCCESS);
  EXPECT_EQ(info.dataPosition, 0u);
  EXPECT_EQ(TEE_SeekObjectData(h, 0x100000000ll, TEE_DATA_SEEK_SET), TEE_ERROR_OVERFLOW);
  EXPECT_EQ(TEE_SeekObjectData(h, 0xFFFFFFFFll, TEE_DATA_SEEK_SET), TEE_SUCCESS);
  EXPECT_EQ(TEE_WriteObjectData(h, "a", 1), TEE_ERROR_OVERFLOW);
  EXPECT_EQ(TEE_TruncateObjectData(h, 2), TEE_SUCCESS);
  ASSERT_EQ(TEE_GetObjectInfo1(h, &info), TEE_SUCCESS);
  EXPECT_EQ(info.dataSize, 2u);
  TEE_CloseObject(h);
}

TEST_F(StorageApiTest, LargeObjectThroughBulkBuffers) {
  std::string big(1 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 13 + (i >> 10));
  TEE_ObjectHandle h = create("big", big, kAll);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(read_all(h, 2 << 20), big);
  EXPECT_EQ(TEE_SeekObjectData(h, 100, TEE_DATA_SEEK_SET), TEE_SUCCESS);
  std::string chunk(40000, 'q');
  EXPECT_EQ(TEE_WriteObjectData(h, chunk.data(), chunk.size()), TEE_SUCCESS);
  big.replace(100, chunk.size(), chunk);
  EXPECT_EQ(TEE_SeekObjectData(h, 0, TEE_DATA_SEEK_SET), TEE_SUCCESS);
  EXPECT_EQ(read_all(h, 2 << 20), big);
  EXPECT_EQ(TEE_CloseAndDeletePersistentObject1(h), TEE_SUCCESS);
}

TEST_F(StorageApiTest, OpenFlagsConflictsAndNotFound) {
  TEE_ObjectHandle h = create("o", "data", TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ);
  TEE_ObjectHandle h2 = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "o", 1,
                                     TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ, &h2),
            TEE_SUCCESS);
  TEE_ObjectHandle h3 = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "o", 1, TEE_DATA_FLAG_ACCESS_WRITE, &h3),
            TEE_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(h3, nullptr);
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "none", 4, TEE_DATA_FLAG_ACCESS_READ, &h3),
            TEE_ERROR_ITEM_NOT_FOUND);
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE_RPMB, "o", 1, TEE_DATA_FLAG_ACCESS_READ, &h3),
            TEE_ERROR_ITEM_NOT_FOUND);
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE_REE, "o", 1,
                                     TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ, &h3),
            TEE_SUCCESS);
  EXPECT_EQ(read_all(h3), "data");
  TEE_CloseObject(h);
  TEE_CloseObject(h2);
  TEE_CloseObject(h3);
  // A second instance of the same TA sees the handles of the first.
  h = create("x", "", kAll);
  os_.instance = 1;
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "x", 1, TEE_DATA_FLAG_SHARE_READ, &h2),
            TEE_ERROR_ACCESS_CONFLICT);
  os_.instance = 0;
  TEE_CloseObject(h);
}

TEST_F(StorageApiTest, CreateOverwriteRenameDelete) {
  TEE_ObjectHandle h = create("a", "1", kAll);
  TEE_ObjectHandle h2 = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "a", 1, kAll, TEE_HANDLE_NULL, "2", 1, &h2),
            TEE_ERROR_ACCESS_CONFLICT);
  TEE_CloseObject(h);
  EXPECT_EQ(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "a", 1, kAll, TEE_HANDLE_NULL, "2", 1, &h2),
            TEE_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "a", 1, kAll | TEE_DATA_FLAG_OVERWRITE,
                                       TEE_HANDLE_NULL, "2", 1, &h2),
            TEE_SUCCESS);
  EXPECT_EQ(read_all(h2), "2");
  // handleFlags shows the create flags as given, OVERWRITE included (OP-TEE).
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(h2, &info), TEE_SUCCESS);
  EXPECT_EQ(info.handleFlags,
            TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | kAll | TEE_DATA_FLAG_OVERWRITE);
  TEE_CloseObject(create("b", "", kAll));
  EXPECT_EQ(TEE_RenamePersistentObject(h2, "b", 1), TEE_ERROR_ACCESS_CONFLICT);
  // Onto its own id: taken by the handle itself (OP-TEE's tee_pobj_get
  // finds the object's own pobj, held with WRITE_META). Nothing changes.
  EXPECT_EQ(TEE_RenamePersistentObject(h2, "a", 1), TEE_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(TEE_SeekObjectData(h2, 0, TEE_DATA_SEEK_SET), TEE_SUCCESS);
  EXPECT_EQ(read_all(h2), "2");
  EXPECT_EQ(TEE_RenamePersistentObject(h2, "c", 1), TEE_SUCCESS);
  TEE_ObjectHandle h3 = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "a", 1, TEE_DATA_FLAG_ACCESS_READ, &h3),
            TEE_ERROR_ITEM_NOT_FOUND);
  EXPECT_EQ(TEE_CloseAndDeletePersistentObject1(h2), TEE_SUCCESS);
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "c", 1, TEE_DATA_FLAG_ACCESS_READ, &h3),
            TEE_ERROR_ITEM_NOT_FOUND);
  EXPECT_EQ(TEE_CloseAndDeletePersistentObject1(TEE_HANDLE_NULL), TEE_SUCCESS);
  // Create without keeping a handle (object == NULL).
  EXPECT_EQ(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "d", 1, 0, TEE_HANDLE_NULL, "z", 1, nullptr),
            TEE_SUCCESS);
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "d", 1, TEE_DATA_FLAG_ACCESS_READ, &h3),
            TEE_SUCCESS);
  TEE_CloseObject(h3);
}

TEST_F(StorageApiTest, EnumeratorListsObjectsWithInfo) {
  TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocatePersistentObjectEnumerator(&e), TEE_SUCCESS);
  EXPECT_EQ(TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE), TEE_ERROR_ITEM_NOT_FOUND);
  for (const char* id : {"k2", "k1", "k3"}) TEE_CloseObject(create(id, "abc", kAll));
  ASSERT_EQ(TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE), TEE_SUCCESS);
  std::vector<std::string> ids;
  for (;;) {
    TEE_ObjectInfo info{};
    char id[TEE_OBJECT_ID_MAX_LEN];
    size_t len = sizeof(id);
    const TEE_Result r = TEE_GetNextPersistentObject(e, &info, id, &len);
    if (r == TEE_ERROR_ITEM_NOT_FOUND) break;
    ASSERT_EQ(r, TEE_SUCCESS);
    EXPECT_EQ(info.objectType, TEE_TYPE_DATA);
    EXPECT_EQ(info.dataSize, 3u);
    ids.emplace_back(id, len);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"k1", "k2", "k3"}));
  TEE_ResetPersistentObjectEnumerator(e);
  char id[64];
  size_t len = sizeof(id);
  EXPECT_EQ(TEE_GetNextPersistentObject(e, nullptr, id, &len), TEE_ERROR_ITEM_NOT_FOUND);
  TEE_FreePersistentObjectEnumerator(e);
}

TEST_F(StorageApiTest, PersistentKeyObjectKeepsAttributesAndUsage) {
  uint8_t key[32];
  for (size_t i = 0; i < sizeof(key); ++i) key[i] = static_cast<uint8_t>(i * 7 + 1);
  TEE_ObjectHandle t = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA256, 256, &t), TEE_SUCCESS);
  TEE_Attribute a;
  TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, key, sizeof(key));
  ASSERT_EQ(TEE_PopulateTransientObject(t, &a, 1), TEE_SUCCESS);
  TEE_ObjectHandle p = create("key", "payload", kAll, t);
  TEE_FreeTransientObject(t);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(TEE_RestrictObjectUsage1(p, TEE_USAGE_MAC | TEE_USAGE_EXTRACTABLE), TEE_SUCCESS);
  TEE_CloseObject(p);
  ASSERT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "key", 3, TEE_DATA_FLAG_ACCESS_READ, &p),
            TEE_SUCCESS);
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(p, &info), TEE_SUCCESS);
  EXPECT_EQ(info.objectType, TEE_TYPE_HMAC_SHA256);
  EXPECT_EQ(info.objectSize, 256u);
  EXPECT_EQ(info.objectUsage, TEE_USAGE_MAC | TEE_USAGE_EXTRACTABLE);
  EXPECT_EQ(info.dataSize, 7u);
  uint8_t back[64];
  size_t n = sizeof(back);
  ASSERT_EQ(TEE_GetObjectBufferAttribute(p, TEE_ATTR_SECRET_VALUE, back, &n), TEE_SUCCESS);
  EXPECT_EQ(std::string(back, back + n), std::string(key, key + 32));
  // Usable as a key: HMAC with the persistent object equals HMAC with the raw key.
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256), TEE_SUCCESS);
  ASSERT_EQ(TEE_SetOperationKey(op, p), TEE_SUCCESS);
  TEE_MACInit(op, nullptr, 0);
  uint8_t mac[32];
  size_t mlen = sizeof(mac);
  ASSERT_EQ(TEE_MACComputeFinal(op, "abc", 3, mac, &mlen), TEE_SUCCESS);
  EXPECT_EQ(mlen, 32u);
  TEE_FreeOperation(op);
  TEE_CloseObject(p);
}

TEST_F(StorageApiTest, CorruptObjectIsReportedDeletedAndClosed) {
  // Large enough for an object file of its own (small versions travel
  // inline in the directory commit).
  TEE_ObjectHandle h = create("v", std::string(20000, 'v'), kAll);
  corrupt_object_files();
  EXPECT_EQ(read_some(h), TEE_ERROR_CORRUPT_OBJECT);
  // The handle is closed, the OS's too: using it again panics; the object is gone.
  EXPECT_EQ(os_handles(), 0u);
  EXPECT_EXIT(TEE_CloseObject(h), kPanicked, "");
  TEE_ObjectHandle h2 = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "v", 1, TEE_DATA_FLAG_ACCESS_READ, &h2),
            TEE_ERROR_ITEM_NOT_FOUND);
}

// TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT: as OP-TEE's remove_corrupt_obj,
// the object is deleted but the handle stays open. Data operations on it
// answer CORRUPT_OBJECT; info and close work; the OS keeps its handle (and
// counts it) until the TA closes it.
TEST_F(StorageApiTest, CorruptObjectKeepsHandleWithTheTaFlag) {
  swtee_ta_info info{};
  info.flags = TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT;
  runtime().info = &info;
  TEE_ObjectHandle h = create("v", std::string(20000, 'v'), kAll);
  TEE_ObjectHandle d = create("w", std::string(20000, 'w'), kAll);
  corrupt_object_files();
  EXPECT_EQ(read_some(h), TEE_ERROR_CORRUPT_OBJECT);
  EXPECT_EQ(os_handles(), 2u);
  EXPECT_EQ(read_some(h), TEE_ERROR_CORRUPT_OBJECT);
  EXPECT_EQ(TEE_WriteObjectData(h, "x", 1), TEE_ERROR_CORRUPT_OBJECT);
  EXPECT_EQ(TEE_TruncateObjectData(h, 0), TEE_ERROR_CORRUPT_OBJECT);
  EXPECT_EQ(TEE_SeekObjectData(h, 0, TEE_DATA_SEEK_SET), TEE_ERROR_CORRUPT_OBJECT);
  EXPECT_EQ(TEE_RenamePersistentObject(h, "v2", 2), TEE_ERROR_CORRUPT_OBJECT);
  EXPECT_EQ(TEE_RestrictObjectUsage1(h, 0), TEE_ERROR_CORRUPT_OBJECT);
  TEE_ObjectInfo oi{};
  ASSERT_EQ(TEE_GetObjectInfo1(h, &oi), TEE_SUCCESS);
  EXPECT_EQ(oi.objectType, TEE_TYPE_DATA);
  EXPECT_EQ(oi.dataSize, 0u);
  EXPECT_EQ(oi.handleFlags, TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | kAll);
  // The object is gone; its id stays held by the handle (as OP-TEE's pobj).
  TEE_ObjectHandle h2 = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "v", 1, TEE_DATA_FLAG_ACCESS_READ, &h2),
            TEE_ERROR_ACCESS_CONFLICT);
  TEE_CloseObject(h);
  EXPECT_EQ(os_handles(), 1u);
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "v", 1, TEE_DATA_FLAG_ACCESS_READ, &h2),
            TEE_ERROR_ITEM_NOT_FOUND);
  // Deleting a kept handle just closes it (the object is gone already).
  EXPECT_EQ(read_some(d), TEE_ERROR_CORRUPT_OBJECT);
  EXPECT_EQ(TEE_CloseAndDeletePersistentObject1(d), TEE_SUCCESS);
  EXPECT_EQ(os_handles(), 0u);
}

TEST_F(StorageApiTest, PanicsAsGpSays) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  std::string long_id(65, 'x');
  EXPECT_EXIT((void)TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, long_id.data(), long_id.size(),
                                             TEE_DATA_FLAG_ACCESS_READ, &h),
              kPanicked, "");
  TEE_ObjectHandle r = create("r", "x", TEE_DATA_FLAG_ACCESS_READ);
  EXPECT_EXIT((void)TEE_WriteObjectData(r, "a", 1), kPanicked, "");
  EXPECT_EXIT((void)TEE_CloseAndDeletePersistentObject1(r), kPanicked, "");
  EXPECT_EXIT((void)TEE_RenamePersistentObject(r, "q", 1), kPanicked, "");
  TEE_ObjectHandle t = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &t), TEE_SUCCESS);
  EXPECT_EXIT((void)TEE_ReadObjectData(t, nullptr, 0, nullptr), kPanicked, "");
  EXPECT_EXIT((void)TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "n", 1, 0, t, nullptr, 0, &h), kPanicked,
              "");
  EXPECT_EXIT(TEE_FreePersistentObjectEnumerator(reinterpret_cast<TEE_ObjectEnumHandle>(0x1234)), kPanicked,
              "");
  TEE_FreeTransientObject(t);
  TEE_CloseObject(r);
}

// OP-TEE's syscall_storage_obj_create with object == NULL and a transient
// attributes handle turns that handle into the new object's.
TEST_F(StorageApiTest, CreateWithoutHandleTurnsTransientAttributesIntoTheHandle) {
  uint8_t key[32];
  for (size_t i = 0; i < sizeof(key); ++i) key[i] = static_cast<uint8_t>(i + 3);
  TEE_ObjectHandle t = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA256, 256, &t), TEE_SUCCESS);
  TEE_Attribute a;
  TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, key, sizeof(key));
  ASSERT_EQ(TEE_PopulateTransientObject(t, &a, 1), TEE_SUCCESS);
  const uint32_t flags = TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_SHARE_READ |
                         TEE_DATA_FLAG_SHARE_WRITE | TEE_DATA_FLAG_OVERWRITE;
  ASSERT_EQ(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "conv", 4, flags, t, "payload", 7, nullptr),
            TEE_SUCCESS);
  TEE_ObjectInfo info{};
  ASSERT_EQ(TEE_GetObjectInfo1(t, &info), TEE_SUCCESS);
  EXPECT_EQ(info.handleFlags, TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | flags);
  EXPECT_EQ(info.objectType, TEE_TYPE_HMAC_SHA256);
  EXPECT_EQ(info.dataSize, 7u);
  EXPECT_EXIT(TEE_FreeTransientObject(t), kPanicked, "");  // it is persistent now
  EXPECT_EQ(read_all(t), "payload");
  EXPECT_EQ(TEE_WriteObjectData(t, "!", 1), TEE_SUCCESS);
  // Fully created (not OP-TEE's "being created" state): others may open it.
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_OpenPersistentObject(
                TEE_STORAGE_PRIVATE, "conv", 4,
                TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ | TEE_DATA_FLAG_SHARE_WRITE, &h),
            TEE_SUCCESS);
  EXPECT_EQ(read_all(h), "payload!");
  uint8_t back[64];
  size_t n = sizeof(back);
  ASSERT_EQ(TEE_GetObjectBufferAttribute(h, TEE_ATTR_SECRET_VALUE, back, &n), TEE_SUCCESS);
  EXPECT_EQ(std::string(back, back + n), std::string(key, key + sizeof(key)));
  TEE_CloseObject(h);
  TEE_CloseObject(t);
  // Attributes already persistent, or none: created and closed, the handle as it was.
  TEE_ObjectHandle p = create("src", "x", kAll);
  ASSERT_EQ(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "copy", 4, 0, p, "y", 1, nullptr), TEE_SUCCESS);
  ASSERT_EQ(TEE_GetObjectInfo1(p, &info), TEE_SUCCESS);
  EXPECT_EQ(info.handleFlags, TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | kAll);
  EXPECT_EQ(read_all(p), "x");
  TEE_CloseObject(p);
  ASSERT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "copy", 4, TEE_DATA_FLAG_ACCESS_READ, &h),
            TEE_SUCCESS);
  EXPECT_EQ(read_all(h), "y");
  TEE_CloseObject(h);
}

// Where OP-TEE's syscall answers a result libutee does not allow for the
// function, the TA panics (lib/libutee/tee_api_objects.c).
TEST_F(StorageApiTest, PanicsWhereOpteeLibuteePanics) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  // Invalid flags: syscall_storage_obj_open/_create answer BAD_PARAMETERS.
  EXPECT_EXIT((void)TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "f", 1,
                                             TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_OVERWRITE, &h),
              kPanicked, "");
  EXPECT_EXIT((void)TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "f", 1, 0x00010000, &h), kPanicked, "");
  EXPECT_EXIT((void)TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "f", 1, kAll | 0x00000800,
                                               TEE_HANDLE_NULL, nullptr, 0, &h),
              kPanicked, "");
  EXPECT_EXIT((void)TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "f", 1, 0x80000000u, TEE_HANDLE_NULL,
                                               nullptr, 0, nullptr),
              kPanicked, "");
  // An invalid whence: libutee's TEE_SeekObjectData answers ITEM_NOT_FOUND.
  h = create("f", "abc", kAll);
  EXPECT_EXIT((void)TEE_SeekObjectData(h, 0, static_cast<TEE_Whence>(3)), kPanicked, "");
  EXPECT_EXIT((void)TEE_SeekObjectData(h, 0, static_cast<TEE_Whence>(0x7FFFFFFF)), kPanicked, "");
  // The deprecated delete panics on any failure, STORAGE_NOT_AVAILABLE too;
  // the "1" form returns that one.
  os_.no_rpc_path = true;
  EXPECT_EXIT(TEE_CloseAndDeletePersistentObject(h), kPanicked, "");
  EXPECT_EQ(TEE_CloseAndDeletePersistentObject1(h), TEE_ERROR_STORAGE_NOT_AVAILABLE);
  os_.no_rpc_path = false;
  TEE_CloseAndDeletePersistentObject(create("g", "", kAll));
  EXPECT_EQ(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, "g", 1, TEE_DATA_FLAG_ACCESS_READ, &h),
            TEE_ERROR_ITEM_NOT_FOUND);
}

// OP-TEE's syscall_cryp_obj_get_attr finds no type properties for
// TEE_TYPE_DATA and answers BAD_STATE, which libutee turns into a panic.
TEST_F(StorageApiTest, AttributeOfADataObjectPanics) {
  TEE_ObjectHandle h = create("plain", "data", kAll);
  uint8_t buf[32];
  size_t n = sizeof(buf);
  EXPECT_EXIT((void)TEE_GetObjectBufferAttribute(h, TEE_ATTR_SECRET_VALUE, buf, &n), kPanicked, "");
  uint32_t a = 0;
  uint32_t b = 0;
  EXPECT_EXIT((void)TEE_GetObjectValueAttribute(h, TEE_ATTR_ECC_CURVE, &a, &b), kPanicked, "");
  TEE_CloseObject(h);
}

}  // namespace
}  // namespace swtee::ta
