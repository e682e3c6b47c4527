// 6000s: GP trusted storage through the whole stack (libteec → swteed →
// swtee-os Storage family → supplicant REE FS), after xtest's storage
// areas: create, open, read, write, seek, truncate, rename, enumerate,
// large objects, keys in persistent objects, isolation between TAs,
// concurrency, ids in shared memory, sharing rules and the panics GP lists.
// Every test uses its own object ids and removes what it made.
#include <tee_client_api.h>

#include <string>
#include <thread>
#include <vector>

#include "storage_client.h"

namespace xtest {
namespace {

std::string pattern(size_t n, uint8_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i * 7 + (i >> 9));
  return s;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v) {
    if (x == s) return true;
  }
  return false;
}

// A transient HMAC-SHA256 key object in the storage TA holding `key`; *h its id.
TEEC_Result make_hmac_key(Store& st, const std::string& key, uint32_t* h) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_VALUE_OUTPUT));
  op.params[0].value.a = ST_TYPE_HMAC_SHA256;
  op.params[0].value.b = 256;
  op.params[1].tmpref.buffer = const_cast<char*>(key.data());
  op.params[1].tmpref.size = key.size();
  const TEEC_Result r = st.session().invoke(STORAGE_CMD_MAKE_KEY, &op);
  *h = op.params[3].value.a;
  return r;
}

// ---- 6001 create / 6002 open ----

TEST(Regression6000, X6001_CreateInEveryServedStorage) {
  Store st;
  // PRIVATE and PRIVATE_REE are the REE FS store; PRIVATE_RPMB is the store
  // on the RPMB device (storage/README.md).
  for (uint32_t storage : {kPrivate, kRee, kRpmb}) {
    st.remove("x6001", storage);
    uint32_t h = 0;
    ASSERT_EQ(st.create("x6001", kAll, "hello", &h, storage), TEEC_SUCCESS) << std::hex << storage;
    EXPECT_EQ(st.read_all(h), "hello");
    EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
  }
  uint32_t h = 0;
  EXPECT_EQ(st.create("x6001", kAll, "x", &h, 0x12345678), TEEC_ERROR_ITEM_NOT_FOUND);
}

TEST(Regression6000, X6001_CreateExistingNeedsOverwrite) {
  Store st;
  st.remove("x6001b");
  uint32_t h = 0, h2 = 0;
  ASSERT_EQ(st.create("x6001b", kAll, "one", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  EXPECT_EQ(st.create("x6001b", kAll, "two", &h2), TEEC_ERROR_ACCESS_CONFLICT);
  ASSERT_EQ(st.create("x6001b", kAll | kOverwrite, "two", &h2), TEEC_SUCCESS);
  EXPECT_EQ(st.read_all(h2), "two");
  storage_ta_info i{};  // handleFlags keeps OVERWRITE, as on OP-TEE
  ASSERT_EQ(st.info(h2, &i), TEEC_SUCCESS);
  EXPECT_EQ(i.handle_flags, static_cast<uint32_t>(ST_HANDLE_FLAG_PERSISTENT | ST_HANDLE_FLAG_INITIALIZED |
                                                  kAll | kOverwrite));
  // An open object cannot be overwritten.
  uint32_t h3 = 0;
  EXPECT_EQ(st.create("x6001b", kAll | kOverwrite, "three", &h3), TEEC_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(st.unlink(h2), TEEC_SUCCESS);
  // Created without keeping a handle (object == NULL): it exists afterwards.
  ASSERT_EQ(st.create("x6001b", 0, "kept", nullptr, kPrivate, 0, true), TEEC_SUCCESS);
  ASSERT_EQ(st.open("x6001b", kRead | kMeta, &h), TEEC_SUCCESS);
  EXPECT_EQ(st.read_all(h), "kept");
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
}

TEST(Regression6000, X6002_OpenMissingAndWrongStorage) {
  Store st;
  uint32_t h = 0;
  EXPECT_EQ(st.open("x6002-none", kRead, &h), TEEC_ERROR_ITEM_NOT_FOUND);
  ASSERT_EQ(st.create("x6002", kAll, "d", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  // PRIVATE and PRIVATE_REE are the same store; RPMB is not served.
  EXPECT_EQ(st.open("x6002", kRead, &h, kRee), TEEC_SUCCESS);
  EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  EXPECT_EQ(st.open("x6002", kRead, &h, kRpmb), TEEC_ERROR_ITEM_NOT_FOUND);
  st.remove("x6002");
}

TEST(Regression6000, X6002_SharingRules) {
  Store st;
  st.remove("x6002s");
  uint32_t h = 0, a = 0, b = 0, c = 0;
  ASSERT_EQ(st.create("x6002s", kAll, "s", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.open("x6002s", kRead | kShareRead, &a),
            TEEC_ERROR_ACCESS_CONFLICT);  // WRITE_META is exclusive
  EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  ASSERT_EQ(st.open("x6002s", kRead | kShareRead, &a), TEEC_SUCCESS);
  EXPECT_EQ(st.open("x6002s", kRead | kShareRead, &b), TEEC_SUCCESS);
  EXPECT_EQ(st.open("x6002s", kRead, &c), TEEC_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(st.open("x6002s", kWrite | kShareRead, &c), TEEC_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(st.open("x6002s", kRead | kShareRead | kShareWrite, &c), TEEC_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(st.close(a), TEEC_SUCCESS);
  EXPECT_EQ(st.close(b), TEEC_SUCCESS);
  ASSERT_EQ(st.open("x6002s", kWrite | kShareWrite | kShareRead, &a), TEEC_SUCCESS);
  ASSERT_EQ(st.open("x6002s", kRead | kShareWrite | kShareRead, &b), TEEC_SUCCESS);
  EXPECT_EQ(st.write(a, "S2"), TEEC_SUCCESS);
  EXPECT_EQ(st.read_all(b), "S2");  // shared writers see each other's data
  EXPECT_EQ(st.close(a), TEEC_SUCCESS);
  EXPECT_EQ(st.close(b), TEEC_SUCCESS);
  // The rules hold across sessions (different TA instances) too.
  Store other;
  ASSERT_EQ(st.open("x6002s", kRead, &a), TEEC_SUCCESS);
  EXPECT_EQ(other.open("x6002s", kRead | kShareRead, &b), TEEC_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(st.close(a), TEEC_SUCCESS);
  EXPECT_EQ(other.open("x6002s", kRead | kShareRead, &b), TEEC_SUCCESS);
  EXPECT_EQ(other.close(b), TEEC_SUCCESS);
  st.remove("x6002s");
}

// ---- 6003 read / 6004 write / 6005 seek ----

TEST(Regression6000, X6003_ReadPastEndAndPositions) {
  Store st;
  st.remove("x6003");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6003", kAll, "0123456789", &h), TEEC_SUCCESS);
  std::string s;
  ASSERT_EQ(st.read(h, 4, &s), TEEC_SUCCESS);
  EXPECT_EQ(s, "0123");
  ASSERT_EQ(st.read(h, 100, &s), TEEC_SUCCESS);
  EXPECT_EQ(s, "456789");
  ASSERT_EQ(st.read(h, 100, &s), TEEC_SUCCESS);
  EXPECT_EQ(s, "");  // at the end: count 0
  storage_ta_info i{};
  ASSERT_EQ(st.info(h, &i), TEEC_SUCCESS);
  EXPECT_EQ(i.data_size, 10u);
  EXPECT_EQ(i.data_position, 10u);
  EXPECT_EQ(i.object_type, static_cast<uint32_t>(ST_TYPE_DATA));
  EXPECT_EQ(i.handle_flags,
            static_cast<uint32_t>(ST_HANDLE_FLAG_PERSISTENT | ST_HANDLE_FLAG_INITIALIZED | kAll));
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
}

TEST(Regression6000, X6004_WriteExtendsAndZeroFillsGaps) {
  Store st;
  st.remove("x6004");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6004", kAll, "", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.write(h, "abc"), TEEC_SUCCESS);
  EXPECT_EQ(st.seek(h, 6, ST_DATA_SEEK_SET), TEEC_SUCCESS);
  EXPECT_EQ(st.write(h, "xyz"), TEEC_SUCCESS);
  EXPECT_EQ(st.seek(h, 0, ST_DATA_SEEK_SET), TEEC_SUCCESS);
  EXPECT_EQ(st.read_all(h), std::string("abc\0\0\0xyz", 9));
  // Survives close and reopen.
  EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  ASSERT_EQ(st.open("x6004", kRead | kMeta, &h), TEEC_SUCCESS);
  EXPECT_EQ(st.read_all(h), std::string("abc\0\0\0xyz", 9));
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
}

TEST(Regression6000, X6005_SeekWhenceAndLimits) {
  Store st;
  st.remove("x6005");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6005", kAll, "0123456789", &h), TEEC_SUCCESS);
  std::string s;
  EXPECT_EQ(st.seek(h, -3, ST_DATA_SEEK_END), TEEC_SUCCESS);
  ASSERT_EQ(st.read(h, 10, &s), TEEC_SUCCESS);
  EXPECT_EQ(s, "789");
  EXPECT_EQ(st.seek(h, -5, ST_DATA_SEEK_CUR), TEEC_SUCCESS);
  ASSERT_EQ(st.read(h, 2, &s), TEEC_SUCCESS);
  EXPECT_EQ(s, "56");
  EXPECT_EQ(st.seek(h, -100, ST_DATA_SEEK_CUR), TEEC_SUCCESS);  // clamps to 0
  ASSERT_EQ(st.read(h, 1, &s), TEEC_SUCCESS);
  EXPECT_EQ(s, "0");
  EXPECT_EQ(st.seek(h, 0x100000000ll, ST_DATA_SEEK_SET), ST_ERROR_OVERFLOW);
  EXPECT_EQ(st.seek(h, ST_DATA_MAX_POSITION, ST_DATA_SEEK_SET), TEEC_SUCCESS);
  EXPECT_EQ(st.write(h, "x"), ST_ERROR_OVERFLOW);  // past ST_DATA_MAX_POSITION
  EXPECT_EQ(st.seek(h, 1, ST_DATA_SEEK_CUR), ST_ERROR_OVERFLOW);
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
}

// ---- 6006 delete / 6007 truncate / 6008 rename ----

TEST(Regression6000, X6006_DeleteNeedsWriteMetaAndClosesHandle) {
  Store st;
  st.remove("x6006");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6006", kAll, "d", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
  EXPECT_EQ(st.open("x6006", kRead, &h), TEEC_ERROR_ITEM_NOT_FOUND);
  // Without WRITE_META the TA panics (GP panic reason).
  ASSERT_EQ(st.create("x6006", kRead, "d", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.unlink(h), TEEC_ERROR_TARGET_DEAD);
  Store again;
  again.remove("x6006");
}

TEST(Regression6000, X6007_TruncateShrinksGrowsKeepsPosition) {
  Store st;
  st.remove("x6007");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6007", kAll, "0123456789", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.seek(h, 8, ST_DATA_SEEK_SET), TEEC_SUCCESS);
  EXPECT_EQ(st.truncate(h, 4), TEEC_SUCCESS);
  storage_ta_info i{};
  ASSERT_EQ(st.info(h, &i), TEEC_SUCCESS);
  EXPECT_EQ(i.data_size, 4u);
  EXPECT_EQ(i.data_position, 8u);
  EXPECT_EQ(st.truncate(h, 6), TEEC_SUCCESS);
  EXPECT_EQ(st.seek(h, 0, ST_DATA_SEEK_SET), TEEC_SUCCESS);
  EXPECT_EQ(st.read_all(h), std::string("0123\0\0", 6));
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
  // Truncate without ACCESS_WRITE panics.
  ASSERT_EQ(st.create("x6007", kRead, "d", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.truncate(h, 0), TEEC_ERROR_TARGET_DEAD);
  Store again;
  again.remove("x6007");
}

TEST(Regression6000, X6008_Rename) {
  Store st;
  st.remove("x6008-a");
  st.remove("x6008-b");
  st.remove("x6008-c");
  uint32_t h = 0, t = 0;
  ASSERT_EQ(st.create("x6008-a", kAll, "payload", &h), TEEC_SUCCESS);
  ASSERT_EQ(st.create("x6008-b", kAll, "", &t), TEEC_SUCCESS);
  EXPECT_EQ(st.close(t), TEEC_SUCCESS);
  EXPECT_EQ(st.rename(h, "x6008-b"), TEEC_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(st.rename(h, "x6008-a"), TEEC_ERROR_ACCESS_CONFLICT);  // its own id: held by h
  EXPECT_EQ(st.read_all(h), "payload");
  EXPECT_EQ(st.seek(h, 0, ST_DATA_SEEK_SET), TEEC_SUCCESS);
  EXPECT_EQ(st.rename(h, "x6008-c"), TEEC_SUCCESS);
  EXPECT_EQ(st.read_all(h), "payload");
  EXPECT_EQ(st.open("x6008-a", kRead, &t), TEEC_ERROR_ITEM_NOT_FOUND);
  EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  ASSERT_EQ(st.open("x6008-c", kRead | kMeta, &h), TEEC_SUCCESS);
  EXPECT_EQ(st.read_all(h), "payload");
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
  st.remove("x6008-b");
}

// ---- 6009 enumerate ----

TEST(Regression6000, X6009_EnumerateListsOwnObjectsWithInfo) {
  Store st;
  const std::vector<std::string> ids{"x6009-1", "x6009-2", "x6009-3"};
  for (const auto& id : ids) {
    st.remove(id);
    uint32_t h = 0;
    ASSERT_EQ(st.create(id, kAll, id + "-data", &h), TEEC_SUCCESS);
    EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  }
  std::vector<std::string> seen;
  std::vector<storage_ta_info> infos;
  ASSERT_EQ(st.list(&seen, kPrivate, &infos), TEEC_SUCCESS);
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i].rfind("x6009-", 0) == 0) {
      EXPECT_EQ(infos[i].data_size, 12u);
      EXPECT_EQ(infos[i].object_type, static_cast<uint32_t>(ST_TYPE_DATA));
    }
  }
  for (const auto& id : ids) EXPECT_TRUE(contains(seen, id)) << id;
  std::vector<std::string> rpmb;  // another store: none of these ids
  const TEEC_Result rr = st.list(&rpmb, kRpmb);
  EXPECT_TRUE(rr == TEEC_SUCCESS || rr == TEEC_ERROR_ITEM_NOT_FOUND) << std::hex << rr;
  for (const auto& id : ids) EXPECT_FALSE(contains(rpmb, id)) << id;
  for (const auto& id : ids) st.remove(id);
  ASSERT_EQ(st.list(&seen), TEEC_SUCCESS);
  for (const auto& id : ids) EXPECT_FALSE(contains(seen, id)) << id;
}

// ---- 6010 key in a persistent object ----

// STORAGE_CMD_GET_ATTR of TEE_ATTR_SECRET_VALUE of handle `h` into `back`.
static TEEC_Operation get_secret_op(uint32_t h, std::string& back) {
  TEEC_Operation g =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
  g.params[0].value.a = h;
  g.params[0].value.b = ST_ATTR_SECRET_VALUE;
  g.params[1].tmpref.buffer = back.data();
  g.params[1].tmpref.size = back.size();
  return g;
}

TEST(Regression6000, X6010_KeyInPersistentObjectUsableForHmac) {
  Store st;
  st.remove("x6010-key");
  const std::string key = pattern(32, 9);
  uint32_t transient = 0;
  ASSERT_EQ(make_hmac_key(st, key, &transient), TEEC_SUCCESS);
  uint32_t p = 0;
  ASSERT_EQ(st.create("x6010-key", kRead | kMeta, "", &p, kPrivate, transient), TEEC_SUCCESS);
  auto hmac = [&](uint32_t h) {
    std::string mac(32, '\0');
    TEEC_Operation m = make_op(
        TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE));
    m.params[0].value.a = h;
    m.params[0].value.b = ST_ALG_HMAC_SHA256;
    m.params[1].tmpref.buffer = const_cast<char*>("message");
    m.params[1].tmpref.size = 7;
    m.params[2].tmpref.buffer = mac.data();
    m.params[2].tmpref.size = mac.size();
    EXPECT_EQ(st.session().invoke(STORAGE_CMD_HMAC, &m), TEEC_SUCCESS);
    return mac;
  };
  const std::string want = hmac(transient);
  EXPECT_EQ(st.value_cmd(STORAGE_CMD_FREE_TRANSIENT, transient), TEEC_SUCCESS);
  EXPECT_EQ(st.close(p), TEEC_SUCCESS);
  // A new session (another instance) opens the stored key and gets the same MAC.
  Store other;
  ASSERT_EQ(other.open("x6010-key", kRead, &p), TEEC_SUCCESS);
  storage_ta_info i{};
  ASSERT_EQ(other.info(p, &i), TEEC_SUCCESS);
  EXPECT_EQ(i.object_type, static_cast<uint32_t>(ST_TYPE_HMAC_SHA256));
  EXPECT_EQ(i.object_size, 256u);
  std::string mac(32, '\0');
  TEEC_Operation m =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE));
  m.params[0].value.a = p;
  m.params[0].value.b = ST_ALG_HMAC_SHA256;
  m.params[1].tmpref.buffer = const_cast<char*>("message");
  m.params[1].tmpref.size = 7;
  m.params[2].tmpref.buffer = mac.data();
  m.params[2].tmpref.size = mac.size();
  ASSERT_EQ(other.session().invoke(STORAGE_CMD_HMAC, &m), TEEC_SUCCESS);
  EXPECT_EQ(mac, want);
  // The key is extractable (default usage): the attribute comes back.
  std::string back(64, '\0');
  TEEC_Operation g = get_secret_op(p, back);
  ASSERT_EQ(other.session().invoke(STORAGE_CMD_GET_ATTR, &g), TEEC_SUCCESS);
  back.resize(g.params[1].tmpref.size);
  EXPECT_EQ(back, key);
  EXPECT_EQ(other.close(p), TEEC_SUCCESS);
  other.remove("x6010-key");
}

// object == NULL with a transient attributes handle: the handle becomes the
// persistent object's (OP-TEE's syscall_storage_obj_create).
TEST(Regression6000, X6010_CreateWithoutHandleConvertsTransientAttributes) {
  Store st;
  st.remove("x6010-c");
  uint32_t t = 0;
  ASSERT_EQ(make_hmac_key(st, pattern(32, 5), &t), TEEC_SUCCESS);
  ASSERT_EQ(st.create("x6010-c", kAll, "data", nullptr, kPrivate, t, true), TEEC_SUCCESS);
  storage_ta_info i{};
  ASSERT_EQ(st.info(t, &i), TEEC_SUCCESS);
  EXPECT_EQ(i.handle_flags,
            static_cast<uint32_t>(ST_HANDLE_FLAG_PERSISTENT | ST_HANDLE_FLAG_INITIALIZED | kAll));
  EXPECT_EQ(i.object_type, static_cast<uint32_t>(ST_TYPE_HMAC_SHA256));
  EXPECT_EQ(st.read_all(t), "data");
  EXPECT_EQ(st.write(t, "+"), TEEC_SUCCESS);
  EXPECT_EQ(st.close(t), TEEC_SUCCESS);
  Store other;
  uint32_t h = 0;
  ASSERT_EQ(other.open("x6010-c", kRead | kMeta, &h), TEEC_SUCCESS);
  EXPECT_EQ(other.read_all(h), "data+");
  EXPECT_EQ(other.unlink(h), TEEC_SUCCESS);
  // Freeing it as a transient object panics.
  uint32_t t2 = 0;
  ASSERT_EQ(make_hmac_key(st, pattern(32, 6), &t2), TEEC_SUCCESS);
  ASSERT_EQ(st.create("x6010-c", kAll, "", nullptr, kPrivate, t2, true), TEEC_SUCCESS);
  EXPECT_EQ(st.value_cmd(STORAGE_CMD_FREE_TRANSIENT, t2), TEEC_ERROR_TARGET_DEAD);
  Store again;
  again.remove("x6010-c");
}

TEST(Regression6000, X6010_RestrictUsageIsPersisted) {
  Store st;
  st.remove("x6010-u");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6010-u", kAll, "", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.value_cmd(STORAGE_CMD_RESTRICT_USAGE, h, ST_USAGE_MAC), TEEC_SUCCESS);
  EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  ASSERT_EQ(st.open("x6010-u", kRead | kMeta, &h), TEEC_SUCCESS);
  storage_ta_info i{};
  ASSERT_EQ(st.info(h, &i), TEEC_SUCCESS);
  EXPECT_EQ(i.object_usage, static_cast<uint32_t>(ST_USAGE_MAC));
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
}

// A data object has no attributes: OP-TEE's syscall_cryp_obj_get_attr
// answers BAD_STATE (no type properties for TEE_TYPE_DATA), a panic.
TEST(Regression6000, X6010_AttributeOfADataObjectPanics) {
  Store st;
  st.remove("x6010-d");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6010-d", kAll, "plain", &h), TEEC_SUCCESS);
  std::string back(64, '\0');
  TEEC_Operation g = get_secret_op(h, back);
  EXPECT_EQ(st.session().invoke(STORAGE_CMD_GET_ATTR, &g), TEEC_ERROR_TARGET_DEAD);
  Store again;
  again.remove("x6010-d");
}

// ---- 6012 isolation ----

TEST(Regression6000, X6012_TasCannotSeeEachOthersObjects) {
  Store a(kStorageTa);
  Store b(kStorageTa2);
  a.remove("x6012");
  b.remove("x6012");
  uint32_t h = 0;
  ASSERT_EQ(a.create("x6012", kAll, "belongs to A", &h), TEEC_SUCCESS);
  EXPECT_EQ(a.close(h), TEEC_SUCCESS);
  EXPECT_EQ(b.open("x6012", kRead, &h), TEEC_ERROR_ITEM_NOT_FOUND);
  std::vector<std::string> ids;
  ASSERT_EQ(b.list(&ids), TEEC_SUCCESS);
  EXPECT_FALSE(contains(ids, "x6012"));
  // B may use the same id for its own, separate object.
  ASSERT_EQ(b.create("x6012", kAll, "B", &h), TEEC_SUCCESS);
  EXPECT_EQ(b.unlink(h), TEEC_SUCCESS);
  ASSERT_EQ(a.open("x6012", kRead | kMeta, &h), TEEC_SUCCESS);
  EXPECT_EQ(a.read_all(h), "belongs to A");
  EXPECT_EQ(a.unlink(h), TEEC_SUCCESS);
}

// ---- 6013 concurrency ----

TEST(Regression6000, X6013_ConcurrentSessions) {
  constexpr int kWorkers = 4;
  std::vector<TEEC_Result> results(kWorkers, TEEC_ERROR_GENERIC);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([w, &results] {
      Store st;
      TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE));
      op.params[0].value.a = 20;
      op.params[0].value.b = static_cast<uint32_t>(w);
      op.params[1].value.a = 3000;
      results[w] = st.session().invoke(STORAGE_CMD_STRESS, &op);
    });
  }
  for (auto& t : threads) t.join();
  for (int w = 0; w < kWorkers; ++w) EXPECT_EQ(results[w], TEEC_SUCCESS) << "worker " << w;
}

TEST(Regression6000, X6013_ConcurrentWritersOfOneSharedObject) {
  Store setup;
  setup.remove("x6013s");
  uint32_t h = 0;
  ASSERT_EQ(setup.create("x6013s", kAll, std::string(8, '.'), &h), TEEC_SUCCESS);
  EXPECT_EQ(setup.close(h), TEEC_SUCCESS);
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([w, &failures] {
      Store st;
      uint32_t hh = 0;
      if (st.open("x6013s", kWrite | kRead | kShareRead | kShareWrite, &hh) != TEEC_SUCCESS) {
        failures[w]++;
        return;
      }
      for (int i = 0; i < 10; ++i) {
        if (st.seek(hh, w * 2, ST_DATA_SEEK_SET) != TEEC_SUCCESS) failures[w]++;
        if (st.write(hh, std::string(2, static_cast<char>('a' + w))) != TEEC_SUCCESS) failures[w]++;
      }
      st.close(hh);
    });
  }
  for (auto& t : threads) t.join();
  for (int f : failures) EXPECT_EQ(f, 0);
  ASSERT_EQ(setup.open("x6013s", kRead | kMeta, &h), TEEC_SUCCESS);
  EXPECT_EQ(setup.read_all(h), "aabbccdd");  // every write landed whole
  EXPECT_EQ(setup.unlink(h), TEEC_SUCCESS);
}

// ---- 6016 large objects ----

TEST(Regression6000, X6016_LargeObjects) {
  Store st;
  st.remove("x6016");
  const std::string big = pattern(1 << 20, 3);  // 1 MiB
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6016", kAll, big, &h), TEEC_SUCCESS);
  std::string back;
  ASSERT_EQ(st.read(h, big.size() + 100, &back), TEEC_SUCCESS);
  EXPECT_TRUE(back == big) << "1 MiB read back differs";
  // Append 512 KiB more in one write, then read a range across the boundary.
  const std::string more = pattern(512 * 1024, 77);
  EXPECT_EQ(st.write(h, more), TEEC_SUCCESS);
  EXPECT_EQ(st.seek(h, (1 << 20) - 10, ST_DATA_SEEK_SET), TEEC_SUCCESS);
  ASSERT_EQ(st.read(h, 20, &back), TEEC_SUCCESS);
  EXPECT_EQ(back, big.substr(big.size() - 10) + more.substr(0, 10));
  storage_ta_info i{};
  ASSERT_EQ(st.info(h, &i), TEEC_SUCCESS);
  EXPECT_EQ(i.data_size, (1u << 20) + 512u * 1024u);
  EXPECT_EQ(st.unlink(h), TEEC_SUCCESS);
}

// ---- 6017 object id in shared memory ----

TEST(Regression6000, X6017_ObjectIdInSharedMemory) {
  Store st;
  st.remove("x6017-shm-id");
  TEEC_SharedMemory shm{};
  shm.size = 64;
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(st.ctx(), &shm), TEEC_SUCCESS);
  const std::string id = "x6017-shm-id";
  std::memcpy(shm.buffer, id.data(), id.size());
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_VALUE_INOUT));
  op.params[0].memref.parent = &shm;
  op.params[0].memref.offset = 0;
  op.params[0].memref.size = id.size();
  op.params[1].value.a = kAll;
  op.params[1].value.b = kPrivate;
  ASSERT_EQ(st.session().invoke(STORAGE_CMD_CREATE, &op), TEEC_SUCCESS);
  const uint32_t h = op.params[3].value.a;
  EXPECT_EQ(st.close(h), TEEC_SUCCESS);
  TEEC_Operation o2 =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_VALUE_OUTPUT));
  o2.params[0].memref.parent = &shm;
  o2.params[0].memref.offset = 0;
  o2.params[0].memref.size = id.size();
  o2.params[1].value.a = kRead | kMeta;
  o2.params[1].value.b = kPrivate;
  ASSERT_EQ(st.session().invoke(STORAGE_CMD_OPEN, &o2), TEEC_SUCCESS);
  EXPECT_EQ(st.unlink(o2.params[3].value.a), TEEC_SUCCESS);
  TEEC_ReleaseSharedMemory(&shm);
}

// ---- panics ----

TEST(Regression6000, X6018_IdLongerThanMaxPanics) {
  Store st;
  uint32_t h = 0;
  EXPECT_EQ(st.open(std::string(65, 'x'), kRead, &h), TEEC_ERROR_TARGET_DEAD);
  Store st2;
  EXPECT_EQ(st2.create(std::string(65, 'x'), kAll, "", &h), TEEC_ERROR_TARGET_DEAD);
  Store st3;  // 64 is fine
  EXPECT_EQ(st3.open(std::string(64, 'x'), kRead, &h), TEEC_ERROR_ITEM_NOT_FOUND);
}

TEST(Regression6000, X6018_AccessWithoutRightsPanics) {
  Store st;
  st.remove("x6018");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6018", kRead, "data", &h), TEEC_SUCCESS);
  EXPECT_EQ(st.write(h, "x"), TEEC_ERROR_TARGET_DEAD);
  Store st2;
  ASSERT_EQ(st2.open("x6018", kWrite, &h), TEEC_SUCCESS);
  std::string s;
  EXPECT_EQ(st2.read(h, 4, &s), TEEC_ERROR_TARGET_DEAD);
  Store st3;
  ASSERT_EQ(st3.open("x6018", kRead, &h), TEEC_SUCCESS);
  EXPECT_EQ(st3.rename(h, "x6018-new"), TEEC_ERROR_TARGET_DEAD);
  Store st4;
  st4.remove("x6018");
}

// Invalid flags and whence: OP-TEE's syscalls answer BAD_PARAMETERS (and
// libutee's seek ITEM_NOT_FOUND), which libutee does not allow: a panic.
TEST(Regression6000, X6018_InvalidFlagsAndWhencePanic) {
  Store st;
  uint32_t h = 0;
  EXPECT_EQ(st.open("x6018f", kRead | kOverwrite, &h), TEEC_ERROR_TARGET_DEAD);
  Store st2;
  EXPECT_EQ(st2.create("x6018f", kAll | 0x00000800, "", &h), TEEC_ERROR_TARGET_DEAD);
  Store st3;
  st3.remove("x6018f");
  ASSERT_EQ(st3.create("x6018f", kAll, "data", &h), TEEC_SUCCESS);
  EXPECT_EQ(st3.seek(h, 0, 3), TEEC_ERROR_TARGET_DEAD);
  Store st4;
  st4.remove("x6018f");
}

// The handles of a TA instance that died are released: the object can be
// opened exclusively again.
TEST(Regression6000, X6019_DeadInstanceReleasesHandles) {
  Store st;
  st.remove("x6019");
  uint32_t h = 0;
  ASSERT_EQ(st.create("x6019", kRead, "data", &h), TEEC_SUCCESS);
  Store other;
  uint32_t h2 = 0;
  EXPECT_EQ(other.open("x6019", kAll, &h2), TEEC_ERROR_ACCESS_CONFLICT);
  EXPECT_EQ(st.write(h, "x"), TEEC_ERROR_TARGET_DEAD);  // panic: the instance dies
  EXPECT_EQ(other.open("x6019", kAll, &h2), TEEC_SUCCESS);
  EXPECT_EQ(other.unlink(h2), TEEC_SUCCESS);
}

}  // namespace
}  // namespace xtest
