// 1100s: the GP Internal Core API families the TA runtime implements
// itself, driven through a real TA (ta/os_test): properties, memory
// (access rights, instance data, heap limit, mem*), cancellation and
// TEE_Wait, system time, panics, and TEE_BigInt cross-checked against
// OpenSSL's BN.
#include <openssl/bn.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "client_identity.h"
#include "common/uuid.h"
#include "xtest_common.h"

extern "C" {
#include <os_test_ta.h>
}

namespace xtest {
namespace {

const TEEC_UUID kOsTest = OS_TEST_TA_UUID;

// TEE_* values the client headers do not carry.
constexpr uint32_t kRead = 0x1, kWrite = 0x2, kAnyOwner = 0x4;
constexpr uint32_t kLoginTrustedApp = 0xF0000000;

class OsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(ctx_.result(), TEEC_SUCCESS);
    ASSERT_EQ(s_.open(ctx_.get(), kOsTest), TEEC_SUCCESS) << std::hex << s_.origin();
  }

  // GET_PROP: the getter's result; `out` gets the bytes written.
  TEEC_Result get_prop(uint32_t set, uint32_t kind, const std::string& name, std::vector<uint8_t>* out,
                       size_t cap = 256, Session* s = nullptr) {
    TEEC_Operation op = make_op(
        TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE));
    op.params[0].value.a = set;
    op.params[0].value.b = kind;
    std::string n = name;
    op.params[1].tmpref = {n.data(), n.size() + 1};
    out->assign(cap == 0 ? 1 : cap, 0);
    op.params[2].tmpref = {out->data(), cap};
    TEEC_Result r = (s != nullptr ? *s : s_).invoke(OS_TEST_CMD_GET_PROP, &op);
    out->resize(op.params[2].tmpref.size);  // on SHORT_BUFFER: the size needed
    return r;
  }
  std::string prop_string(uint32_t set, const std::string& name) {
    std::vector<uint8_t> v;
    EXPECT_EQ(get_prop(set, OS_TEST_AS_STRING, name, &v), TEEC_SUCCESS) << name;
    if (v.empty()) return "<none>";
    return std::string(v.begin(), v.end() - 1);  // without the NUL
  }
  // Checks gpd.client.identity / gpd.client.endian for each login (below).
  void expect_client_identities(bool exact);
  template <typename T>
  TEEC_Result prop_value(uint32_t set, uint32_t kind, const std::string& name, T* value,
                         Session* s = nullptr) {
    std::vector<uint8_t> v;
    TEEC_Result r = get_prop(set, kind, name, &v, sizeof(T), s);
    if (r == TEEC_SUCCESS) {
      EXPECT_EQ(v.size(), sizeof(T)) << name;
      std::memcpy(value, v.data(), std::min(v.size(), sizeof(T)));
    }
    return r;
  }
  bool prop_bool(uint32_t set, const std::string& name) {
    uint8_t b = 0xff;
    EXPECT_EQ(prop_value(set, OS_TEST_AS_BOOL, name, &b), TEEC_SUCCESS) << name;
    EXPECT_LE(b, 1) << name;
    return b == 1;
  }
  uint32_t prop_u32(uint32_t set, const std::string& name) {
    uint32_t v = 0;
    EXPECT_EQ(prop_value(set, OS_TEST_AS_U32, name, &v), TEEC_SUCCESS) << name;
    return v;
  }

  Context ctx_;
  Session s_;
};

std::string uuid_text(const TEEC_UUID& u) {
  char s[40];
  snprintf(s, sizeof(s), "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", u.timeLow, u.timeMid,
           u.timeHiAndVersion, u.clockSeqAndNode[0], u.clockSeqAndNode[1], u.clockSeqAndNode[2],
           u.clockSeqAndNode[3], u.clockSeqAndNode[4], u.clockSeqAndNode[5], u.clockSeqAndNode[6],
           u.clockSeqAndNode[7]);
  return s;
}

bool same_uuid(const TEEC_UUID& a, const TEEC_UUID& b) { return std::memcmp(&a, &b, sizeof(a)) == 0; }

struct Identity {  // TEE_Identity
  uint32_t login;
  TEEC_UUID uuid;
};
static_assert(sizeof(Identity) == 20);

TEST_F(OsTest, X1101_TaPropertiesFromTheHeader) {
  TEEC_UUID app{};
  ASSERT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_UUID, "gpd.ta.appID", &app), TEEC_SUCCESS);
  EXPECT_TRUE(same_uuid(app, kOsTest));
  EXPECT_EQ(prop_string(OS_TEST_SET_TA, "gpd.ta.appID"), uuid_text(kOsTest));
  EXPECT_TRUE(prop_bool(OS_TEST_SET_TA, "gpd.ta.singleInstance"));
  EXPECT_TRUE(prop_bool(OS_TEST_SET_TA, "gpd.ta.multiSession"));
  EXPECT_FALSE(prop_bool(OS_TEST_SET_TA, "gpd.ta.instanceKeepAlive"));
  EXPECT_EQ(prop_u32(OS_TEST_SET_TA, "gpd.ta.dataSize"), (uint32_t)OS_TEST_DATA_SIZE);
  EXPECT_EQ(prop_u32(OS_TEST_SET_TA, "gpd.ta.stackSize"), 16u * 1024);
  EXPECT_EQ(prop_u32(OS_TEST_SET_TA, "gpd.ta.endian"), 0u);
  EXPECT_EQ(prop_string(OS_TEST_SET_TA, "gpd.ta.version"), "1.1");
  EXPECT_EQ(prop_string(OS_TEST_SET_TA, "gpd.ta.description"), "swtee os_test TA");

  // TA_CURRENT_TA_EXT_PROPERTIES, each type through its own getter.
  EXPECT_TRUE(prop_bool(OS_TEST_SET_TA, OS_TEST_PROP_BOOL_NAME));
  EXPECT_EQ(prop_u32(OS_TEST_SET_TA, OS_TEST_PROP_U32_NAME), OS_TEST_PROP_U32_VALUE);
  uint64_t u64 = 0;
  ASSERT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_U64, OS_TEST_PROP_U64_NAME, &u64), TEEC_SUCCESS);
  EXPECT_EQ(u64, OS_TEST_PROP_U64_VALUE);
  TEEC_UUID u{};
  ASSERT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_UUID, OS_TEST_PROP_UUID_NAME, &u), TEEC_SUCCESS);
  EXPECT_TRUE(same_uuid(u, kOsTest));
  Identity id{};
  ASSERT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_IDENTITY, OS_TEST_PROP_IDENTITY_NAME, &id), TEEC_SUCCESS);
  EXPECT_EQ(id.login, kLoginTrustedApp);
  EXPECT_TRUE(same_uuid(id.uuid, kOsTest));
  EXPECT_EQ(prop_string(OS_TEST_SET_TA, OS_TEST_PROP_IDENTITY_NAME),
            std::to_string(kLoginTrustedApp) + ":" + uuid_text(kOsTest));
  EXPECT_EQ(prop_string(OS_TEST_SET_TA, OS_TEST_PROP_STRING_NAME), OS_TEST_PROP_STRING_VALUE);
  std::vector<uint8_t> bin;
  ASSERT_EQ(get_prop(OS_TEST_SET_TA, OS_TEST_AS_BINARY, OS_TEST_PROP_BINARY_NAME, &bin), TEEC_SUCCESS);
  EXPECT_EQ(bin, (std::vector<uint8_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(prop_string(OS_TEST_SET_TA, OS_TEST_PROP_BINARY_NAME), OS_TEST_PROP_BINARY_VALUE);
  // Every type has a string form.
  EXPECT_EQ(prop_string(OS_TEST_SET_TA, OS_TEST_PROP_U32_NAME), std::to_string(OS_TEST_PROP_U32_VALUE));
  EXPECT_EQ(prop_string(OS_TEST_SET_TA, OS_TEST_PROP_BOOL_NAME), "true");
}

TEST_F(OsTest, X1102_ConversionRulesAndErrors) {
  // A string holding an integer literal converts; the same string does not
  // make a boolean.
  EXPECT_EQ(prop_u32(OS_TEST_SET_TA, OS_TEST_PROP_STRU32_NAME), 0x2au);
  uint8_t b = 0;
  EXPECT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_BOOL, OS_TEST_PROP_STRU32_NAME, &b), TEEC_ERROR_BAD_FORMAT);
  EXPECT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_BOOL, OS_TEST_PROP_U32_NAME, &b), TEEC_ERROR_BAD_FORMAT);
  uint32_t v = 0;
  EXPECT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_U32, OS_TEST_PROP_STRING_NAME, &v), TEEC_ERROR_BAD_FORMAT);
  EXPECT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_U32, OS_TEST_PROP_U64_NAME, &v), TEEC_ERROR_BAD_FORMAT);
  EXPECT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_U32, "gpd.ta.description", &v), TEEC_ERROR_BAD_FORMAT);
  TEEC_UUID u{};
  EXPECT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_UUID, "gpd.ta.singleInstance", &u), TEEC_ERROR_BAD_FORMAT);
  Identity id{};
  EXPECT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_IDENTITY, "gpd.ta.appID", &id), TEEC_ERROR_BAD_FORMAT);
  std::vector<uint8_t> bin;
  EXPECT_EQ(get_prop(OS_TEST_SET_TA, OS_TEST_AS_BINARY, OS_TEST_PROP_STRING_NAME, &bin),
            TEEC_ERROR_BAD_FORMAT);
  EXPECT_EQ(get_prop(OS_TEST_SET_TA, OS_TEST_AS_BINARY, OS_TEST_PROP_U32_NAME, &bin), TEEC_ERROR_BAD_FORMAT);
  // Widening is allowed.
  uint64_t w = 0;
  ASSERT_EQ(prop_value(OS_TEST_SET_TA, OS_TEST_AS_U64, OS_TEST_PROP_U32_NAME, &w), TEEC_SUCCESS);
  EXPECT_EQ(w, OS_TEST_PROP_U32_VALUE);
  // Missing properties, in every set.
  for (uint32_t set : {OS_TEST_SET_TA, OS_TEST_SET_CLIENT, OS_TEST_SET_IMPL})
    EXPECT_EQ(prop_value(set, OS_TEST_AS_U32, "org.swtee.no.such.property", &v), TEEC_ERROR_ITEM_NOT_FOUND);
  // SHORT_BUFFER reports the size needed, NUL included.
  std::vector<uint8_t> s;
  EXPECT_EQ(get_prop(OS_TEST_SET_TA, OS_TEST_AS_STRING, OS_TEST_PROP_STRING_NAME, &s, 4),
            TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(s.size(), sizeof(OS_TEST_PROP_STRING_VALUE));
  EXPECT_EQ(get_prop(OS_TEST_SET_TA, OS_TEST_AS_BINARY, OS_TEST_PROP_BINARY_NAME, &bin, 2),
            TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(bin.size(), 5u);
  EXPECT_EQ(s_.invoke(OS_TEST_CMD_MEM_FUNCS, nullptr), TEEC_ERROR_BAD_PARAMETERS);  // still alive
}

TEST_F(OsTest, X1103_ImplementationProperties) {
  EXPECT_EQ(prop_string(OS_TEST_SET_IMPL, "gpd.tee.apiversion"), "1.3.1");
  EXPECT_EQ(prop_u32(OS_TEST_SET_IMPL, "gpd.tee.internalCore.version"), 0x01030100u);
  EXPECT_NE(prop_string(OS_TEST_SET_IMPL, "gpd.tee.description"), "");
  EXPECT_GE(prop_u32(OS_TEST_SET_IMPL, "gpd.tee.arith.maxBigIntSize"), 2048u);
  EXPECT_EQ(prop_u32(OS_TEST_SET_IMPL, "gpd.tee.systemTime.protectionLevel"), 100u);
  EXPECT_EQ(prop_u32(OS_TEST_SET_IMPL, "gpd.tee.TAPersistentTime.protectionLevel"), 100u);
  EXPECT_EQ(prop_u32(OS_TEST_SET_IMPL, "gpd.tee.trustedStorage.antiRollback.protectionLevel"), 100u);
  EXPECT_EQ(prop_u32(OS_TEST_SET_IMPL, "gpd.tee.trustedStorage.rollbackDetection.protectionLevel"), 100u);
  const bool ecc = prop_bool(OS_TEST_SET_IMPL, "gpd.tee.cryptography.ecc");
  const bool nist = prop_bool(OS_TEST_SET_IMPL, "gpd.tee.cryptography.nist");
  EXPECT_TRUE(!nist || ecc);
  (void)prop_bool(OS_TEST_SET_IMPL, "gpd.tee.cryptography.bsi-r");
  (void)prop_bool(OS_TEST_SET_IMPL, "gpd.tee.cryptography.ietf");
  (void)prop_bool(OS_TEST_SET_IMPL, "gpd.tee.cryptography.octa");
  for (const char* p : {"gpd.tee.trustedos.implementation.version", "gpd.tee.trustedos.manufacturer",
                        "gpd.tee.firmware.implementation.version", "gpd.tee.firmware.manufacturer"})
    EXPECT_NE(prop_string(OS_TEST_SET_IMPL, p), "") << p;
  (void)prop_u32(OS_TEST_SET_IMPL, "gpd.tee.trustedos.implementation.binaryversion");
  (void)prop_u32(OS_TEST_SET_IMPL, "gpd.tee.firmware.implementation.binaryversion");

  // deviceID: a UUID, the same from a new TA instance.
  TEEC_UUID dev1{}, dev2{};
  ASSERT_EQ(prop_value(OS_TEST_SET_IMPL, OS_TEST_AS_UUID, "gpd.tee.deviceID", &dev1), TEEC_SUCCESS);
  s_.close();  // the single instance goes away with its last session
  ASSERT_EQ(s_.open(ctx_.get(), kOsTest), TEEC_SUCCESS);
  ASSERT_EQ(prop_value(OS_TEST_SET_IMPL, OS_TEST_AS_UUID, "gpd.tee.deviceID", &dev2), TEEC_SUCCESS);
  EXPECT_TRUE(same_uuid(dev1, dev2)) << uuid_text(dev1) << " vs " << uuid_text(dev2);
  EXPECT_FALSE(same_uuid(dev1, TEEC_UUID{}));
}

// gpd.client.identity for PUBLIC, USER and GROUP logins, against the
// kernel's UUIDv5 formula. `exact` also compares the UUID's first three
// fields, which must hold the RFC 4122 octets in big-endian order.
void OsTest::expect_client_identities(bool exact) {
  const swtee::Uuid ns = *swtee::Uuid::parse("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6");
  char name[32];
  snprintf(name, sizeof(name), "uid=%x", (unsigned)geteuid());
  const swtee::Uuid user = swtee::uuid_v5(ns, name);
  gid_t gid = getegid();
  snprintf(name, sizeof(name), "gid=%x", (unsigned)gid);
  const swtee::Uuid group = swtee::uuid_v5(ns, name);
  struct Case {
    uint32_t login;
    const void* data;
    swtee::Uuid want;
  };
  for (const Case& c : {Case{TEEC_LOGIN_PUBLIC, nullptr, swtee::Uuid::nil()},
                        Case{TEEC_LOGIN_USER, nullptr, user}, Case{TEEC_LOGIN_GROUP, &gid, group}}) {
    const swtee::Uuid want = identity_seen_by_ta(c.login, c.want);
    Session s;
    ASSERT_EQ(s.open(ctx_.get(), kOsTest, c.login, c.data), TEEC_SUCCESS) << "login " << c.login;
    Identity id{};
    ASSERT_EQ(prop_value(OS_TEST_SET_CLIENT, OS_TEST_AS_IDENTITY, "gpd.client.identity", &id, &s),
              TEEC_SUCCESS);
    EXPECT_EQ(id.login, c.login);
    // clockSeqAndNode is a byte array: its order never depends on the host.
    EXPECT_EQ(std::memcmp(id.uuid.clockSeqAndNode, &want.octets[8], 8), 0) << "login " << c.login;
    if (exact) {
      // Computed here, not with swtee::Uuid: an oracle independent of the
      // runtime's field/octet conversion.
      swtee::Uuid got;
      got.octets = {uint8_t(id.uuid.timeLow >> 24),         uint8_t(id.uuid.timeLow >> 16),
                    uint8_t(id.uuid.timeLow >> 8),          uint8_t(id.uuid.timeLow),
                    uint8_t(id.uuid.timeMid >> 8),          uint8_t(id.uuid.timeMid),
                    uint8_t(id.uuid.timeHiAndVersion >> 8), uint8_t(id.uuid.timeHiAndVersion)};
      std::memcpy(&got.octets[8], id.uuid.clockSeqAndNode, 8);
      EXPECT_EQ(got.to_string(), want.to_string()) << "login " << c.login;
    }
    uint32_t endian = 1;
    ASSERT_EQ(prop_value(OS_TEST_SET_CLIENT, OS_TEST_AS_U32, "gpd.client.endian", &endian, &s), TEEC_SUCCESS);
    EXPECT_EQ(endian, 0u);
  }
}

TEST_F(OsTest, X1104_ClientIdentityFollowsTheLogin) { expect_client_identities(/*exact=*/false); }

// The client UUID travels as RFC 4122 octets; the TA must see TEE_UUID
// fields with the right values (not byte-swapped on little-endian hosts).
TEST_F(OsTest, X1119_ClientIdentityUuidFieldsAreBigEndianOctets) { expect_client_identities(/*exact=*/true); }

// gpd.client.identity must be the client of the session whose entry point
// runs, not that of the session opened last.
TEST_F(OsTest, X1118_ClientIdentityIsPerSession) {
  Session user;
  ASSERT_EQ(user.open(ctx_.get(), kOsTest, TEEC_LOGIN_USER), TEEC_SUCCESS);
  Identity id{};
  // s_ (PUBLIC) was opened first; `user` last.
  ASSERT_EQ(prop_value(OS_TEST_SET_CLIENT, OS_TEST_AS_IDENTITY, "gpd.client.identity", &id), TEEC_SUCCESS);
  EXPECT_EQ(id.login, (uint32_t)TEEC_LOGIN_PUBLIC);
  ASSERT_EQ(prop_value(OS_TEST_SET_CLIENT, OS_TEST_AS_IDENTITY, "gpd.client.identity", &id, &user),
            TEEC_SUCCESS);
  EXPECT_EQ(id.login, (uint32_t)TEEC_LOGIN_USER);
}

std::map<std::string, std::string> enumerate(Session& s, uint32_t set) {
  std::map<std::string, std::string> out;
  std::vector<char> buf(8192);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value.a = set;
  op.params[1].tmpref = {buf.data(), buf.size()};
  EXPECT_EQ(s.invoke(OS_TEST_CMD_ENUM_PROPS, &op), TEEC_SUCCESS);
  std::string text(buf.data(), std::min(buf.size(), op.params[1].tmpref.size));
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    std::string line = text.substr(pos, nl - pos);
    size_t eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
    pos = nl + 1;
  }
  return out;
}

TEST_F(OsTest, X1105_EnumeratorsListEverySet) {
  auto ta = enumerate(s_, OS_TEST_SET_TA);
  for (const char* p : {"gpd.ta.appID", "gpd.ta.singleInstance", "gpd.ta.multiSession",
                        "gpd.ta.instanceKeepAlive", "gpd.ta.dataSize", "gpd.ta.stackSize", "gpd.ta.version",
                        "gpd.ta.description", "gpd.ta.endian", OS_TEST_PROP_BOOL_NAME, OS_TEST_PROP_U32_NAME,
                        OS_TEST_PROP_U64_NAME, OS_TEST_PROP_UUID_NAME, OS_TEST_PROP_IDENTITY_NAME,
                        OS_TEST_PROP_STRING_NAME, OS_TEST_PROP_BINARY_NAME, OS_TEST_PROP_STRU32_NAME})
    EXPECT_EQ(ta.count(p), 1u) << p;
  EXPECT_EQ(ta["gpd.ta.appID"], uuid_text(kOsTest));
  EXPECT_EQ(ta[OS_TEST_PROP_STRING_NAME], OS_TEST_PROP_STRING_VALUE);
  auto client = enumerate(s_, OS_TEST_SET_CLIENT);
  EXPECT_EQ(client.count("gpd.client.identity"), 1u);
  EXPECT_EQ(client["gpd.client.identity"], "0:" + uuid_text(TEEC_UUID{}));
  auto impl = enumerate(s_, OS_TEST_SET_IMPL);
  for (const char* p :
       {"gpd.tee.apiversion", "gpd.tee.description", "gpd.tee.deviceID", "gpd.tee.arith.maxBigIntSize",
        "gpd.tee.systemTime.protectionLevel", "gpd.tee.TAPersistentTime.protectionLevel",
        "gpd.tee.cryptography.ecc", "gpd.tee.trustedStorage.antiRollback.protectionLevel",
        "gpd.tee.internalCore.version"})
    EXPECT_EQ(impl.count(p), 1u) << p;
  for (const auto& [name, value] : impl) EXPECT_EQ(name.rfind("gpd.tee.", 0), 0u) << name;
}

TEEC_Result check_access(Session& s, uint32_t region, uint32_t flags, TEEC_Parameter* memref = nullptr,
                         uint32_t memref_type = TEEC_NONE) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, memref_type, TEEC_VALUE_OUTPUT, TEEC_NONE));
  op.params[0].value.a = region;
  op.params[0].value.b = flags;
  if (memref != nullptr) op.params[1] = *memref;
  op.params[2].value.a = 0x12345678;
  EXPECT_EQ(s.invoke(OS_TEST_CMD_CHECK_ACCESS, &op), TEEC_SUCCESS);
  return op.params[2].value.a;
}

TEST_F(OsTest, X1106_CheckMemoryAccessRights) {
  // The TA's own memory, by what its pages allow.
  for (uint32_t region : {OS_TEST_REGION_STACK, OS_TEST_REGION_HEAP, OS_TEST_REGION_DATA}) {
    EXPECT_EQ(check_access(s_, region, kRead | kWrite), TEEC_SUCCESS) << region;
    EXPECT_EQ(check_access(s_, region, kRead | kWrite | kAnyOwner), TEEC_SUCCESS) << region;
  }
  for (uint32_t region : {OS_TEST_REGION_RODATA, OS_TEST_REGION_CODE}) {
    EXPECT_EQ(check_access(s_, region, kRead), TEEC_SUCCESS) << region;
    EXPECT_EQ(check_access(s_, region, kWrite), TEEC_ERROR_ACCESS_DENIED) << region;
    EXPECT_EQ(check_access(s_, region, kRead | kWrite | kAnyOwner), TEEC_ERROR_ACCESS_DENIED) << region;
  }
  EXPECT_EQ(check_access(s_, OS_TEST_REGION_NULL, kRead), TEEC_ERROR_ACCESS_DENIED);
  EXPECT_EQ(check_access(s_, OS_TEST_REGION_WRAP, kRead), TEEC_ERROR_ACCESS_DENIED);

  // Client memory: refused unless ANY_OWNER, for temporary and registered
  // memrefs alike.
  std::vector<uint8_t> buf(8192, 0x33);
  TEEC_Parameter tmp{};
  tmp.tmpref = {buf.data(), buf.size()};
  for (uint32_t type : {(uint32_t)TEEC_MEMREF_TEMP_INPUT, (uint32_t)TEEC_MEMREF_TEMP_INOUT}) {
    EXPECT_EQ(check_access(s_, OS_TEST_REGION_PARAM, kRead, &tmp, type), TEEC_ERROR_ACCESS_DENIED) << type;
    EXPECT_EQ(check_access(s_, OS_TEST_REGION_PARAM, kRead | kAnyOwner, &tmp, type), TEEC_SUCCESS) << type;
  }
  EXPECT_EQ(check_access(s_, OS_TEST_REGION_PARAM, kRead | kWrite | kAnyOwner, &tmp, TEEC_MEMREF_TEMP_INOUT),
            TEEC_SUCCESS);
  TEEC_SharedMemory shm{};
  shm.size = 4096;
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(ctx_.get(), &shm), TEEC_SUCCESS);
  TEEC_Parameter whole{};
  whole.memref = {&shm, 0, 0};
  EXPECT_EQ(check_access(s_, OS_TEST_REGION_PARAM, kRead | kWrite, &whole, TEEC_MEMREF_WHOLE),
            TEEC_ERROR_ACCESS_DENIED);
  EXPECT_EQ(check_access(s_, OS_TEST_REGION_PARAM, kRead | kWrite | kAnyOwner, &whole, TEEC_MEMREF_WHOLE),
            TEEC_SUCCESS);
  TEEC_Parameter part{};
  part.memref = {&shm, 100, 1000};
  EXPECT_EQ(check_access(s_, OS_TEST_REGION_PARAM, kRead, &part, TEEC_MEMREF_PARTIAL_INPUT),
            TEEC_ERROR_ACCESS_DENIED);
  EXPECT_EQ(check_access(s_, OS_TEST_REGION_PARAM, kRead | kAnyOwner, &part, TEEC_MEMREF_PARTIAL_INPUT),
            TEEC_SUCCESS);
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(OsTest, X1107_InstanceDataAcrossSessionsOfASingleInstance) {
  auto call = [](Session& s, uint32_t op_code, uint32_t value, uint32_t* out) {
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].value = {op_code, value};
    TEEC_Result r = s.invoke(OS_TEST_CMD_INSTANCE_DATA, &op);
    if (out != nullptr) *out = op.params[0].value.b;
    return r;
  };
  Session other;
  ASSERT_EQ(other.open(ctx_.get(), kOsTest), TEEC_SUCCESS);
  ASSERT_EQ(call(s_, 0, 41, nullptr), TEEC_SUCCESS);
  uint32_t v = 0;
  ASSERT_EQ(call(other, 1, 0, &v), TEEC_SUCCESS);
  EXPECT_EQ(v, 41u);
  ASSERT_EQ(call(s_, 1, 0, &v), TEEC_SUCCESS);
  EXPECT_EQ(v, 42u);
  // The instance ends with its last session; a new one starts clean.
  other.close();
  s_.close();
  ASSERT_EQ(s_.open(ctx_.get(), kOsTest), TEEC_SUCCESS);
  ASSERT_EQ(call(s_, 2, 7, &v), TEEC_SUCCESS);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(call(s_, 1, 0, &v), TEEC_ERROR_BAD_STATE);
}

TEST_F(OsTest, X1108_HeapLimitFromTaDataSize) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  EXPECT_EQ(s_.invoke(OS_TEST_CMD_HEAP, &op), TEEC_SUCCESS) << "failed check " << op.params[0].value.b;
  EXPECT_EQ(op.params[0].value.b, 0u);
  EXPECT_GT(op.params[0].value.a, 0u);
  EXPECT_LE(op.params[0].value.a, (uint32_t)OS_TEST_DATA_SIZE / 1024);
  // Twice: TEE_Free gave every byte back.
  TEEC_Operation again = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  EXPECT_EQ(s_.invoke(OS_TEST_CMD_HEAP, &again), TEEC_SUCCESS) << "failed check " << again.params[0].value.b;
  EXPECT_EQ(again.params[0].value.a, op.params[0].value.a);
}

TEST_F(OsTest, X1109_PlainMallocPastTheLimitIsNullNotAKill) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  ASSERT_EQ(s_.invoke(OS_TEST_CMD_PLAIN_MALLOC, &op), TEEC_SUCCESS);
  if (op.params[0].value.a == 64) GTEST_SKIP() << "no RLIMIT_DATA in this build (sanitizers)";
  EXPECT_LT(op.params[0].value.a, 64u);
  TEEC_Operation mem = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  EXPECT_EQ(s_.invoke(OS_TEST_CMD_MEM_FUNCS, &mem), TEEC_SUCCESS);  // alive and well
}

TEST_F(OsTest, X1110_MemMoveCompareFill) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  EXPECT_EQ(s_.invoke(OS_TEST_CMD_MEM_FUNCS, &op), TEEC_SUCCESS) << "failed check " << op.params[0].value.b;
}

struct WaitResult {
  TEEC_Result res = 0;
  uint32_t origin = 0;
  uint32_t elapsed_ms = 0;
  uint32_t flags = 0;
};

WaitResult wait_in_ta(Session& s, uint32_t timeout_ms, bool unmask, int cancel_after_ms) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {timeout_ms, unmask ? 1u : 0u};
  WaitResult w;
  std::thread t([&] { w.res = TEEC_InvokeCommand(s.get(), OS_TEST_CMD_WAIT, &op, &w.origin); });
  if (cancel_after_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(cancel_after_ms));
    TEEC_RequestCancellation(&op);
  }
  t.join();
  w.elapsed_ms = op.params[1].value.a;
  w.flags = op.params[1].value.b;
  return w;
}

TEST_F(OsTest, X1111_CancelEndsAnUnmaskedWait) {
  WaitResult w = wait_in_ta(s_, 20000, /*unmask=*/true, 200);
  EXPECT_EQ(w.res, TEEC_ERROR_CANCEL);
  EXPECT_EQ(w.origin, (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
  EXPECT_LT(w.elapsed_ms, 20000u);
  EXPECT_EQ(w.flags & 1u, 1u);                                        // TEE_GetCancellationFlag: set
  WaitResult inf = wait_in_ta(s_, 0xFFFFFFFF, /*unmask=*/true, 200);  // TEE_TIMEOUT_INFINITE
  EXPECT_EQ(inf.res, TEEC_ERROR_CANCEL);
  // The session serves the next call normally, without a stale cancel.
  WaitResult next = wait_in_ta(s_, 10, /*unmask=*/true, -1);
  EXPECT_EQ(next.res, TEEC_SUCCESS);
  EXPECT_EQ(next.flags, 0u);
}

TEST_F(OsTest, X1112_MaskedWaitIgnoresCancel) {
  WaitResult w = wait_in_ta(s_, 1000, /*unmask=*/false, 200);
  EXPECT_EQ(w.res, TEEC_SUCCESS);
  EXPECT_GE(w.elapsed_ms, 1000u);
  EXPECT_EQ(w.flags & 1u, 0u);  // masked: the flag reads false
  EXPECT_EQ(w.flags & 2u, 2u);  // unmasked afterwards: the request is there
}

TEST_F(OsTest, X1113_WaitTimeoutIsHonoured) {
  const auto t0 = std::chrono::steady_clock::now();
  WaitResult w = wait_in_ta(s_, 300, /*unmask=*/true, -1);
  const auto host_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(w.res, TEEC_SUCCESS);
  EXPECT_GE(w.elapsed_ms, 300u);
  EXPECT_GE(host_ms, 300);
  EXPECT_EQ(wait_in_ta(s_, 0, /*unmask=*/true, -1).res, TEEC_SUCCESS);
}

TEST_F(OsTest, X1114_SystemTimeIsMonotonic) {
  auto read = [&](uint32_t wait_ms, uint64_t* t0, uint64_t* t1) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_NONE));
    op.params[0].value.a = wait_ms;
    ASSERT_EQ(s_.invoke(OS_TEST_CMD_SYSTEM_TIME, &op), TEEC_SUCCESS);
    EXPECT_LT(op.params[1].value.b, 1000u);
    EXPECT_LT(op.params[2].value.b, 1000u);
    *t0 = uint64_t{op.params[1].value.a} * 1000 + op.params[1].value.b;
    *t1 = uint64_t{op.params[2].value.a} * 1000 + op.params[2].value.b;
  };
  uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  read(50, &a0, &a1);
  EXPECT_GE(a1, a0 + 50);
  read(0, &b0, &b1);
  EXPECT_GE(b0, a1);
  EXPECT_GE(b1, b0);
}

TEST_F(OsTest, X1115_PanicReasonsAreTargetDead) {
  s_.close();
  for (uint32_t reason = 0; reason < OS_TEST_PANIC_COUNT; ++reason) {
    Session s;
    ASSERT_EQ(s.open(ctx_.get(), kOsTest), TEEC_SUCCESS) << "reason " << reason;
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].value = {reason, 0xC0DE};
    EXPECT_EQ(s.invoke(OS_TEST_CMD_PANIC, &op), TEEC_ERROR_TARGET_DEAD) << "reason " << reason;
    EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TEE) << "reason " << reason;
    TEEC_Operation mem = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    EXPECT_EQ(s.invoke(OS_TEST_CMD_MEM_FUNCS, &mem), TEEC_ERROR_TARGET_DEAD) << "reason " << reason;
  }
  // A fresh instance afterwards.
  ASSERT_EQ(s_.open(ctx_.get(), kOsTest), TEEC_SUCCESS);
  TEEC_Operation mem = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  EXPECT_EQ(s_.invoke(OS_TEST_CMD_MEM_FUNCS, &mem), TEEC_SUCCESS);
}

// ---- TEE_BigInt through the TA, against OpenSSL BN ------------------------

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
struct CtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};

Bn bn() { return Bn(BN_new()); }
Bn bn_rand(int bits, bool negative = false) {
  Bn b = bn();
  BN_rand(b.get(), bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);  // exactly `bits`, never 0
  BN_set_negative(b.get(), negative ? 1 : 0);
  return b;
}
Bn bn_odd(int bits) {
  Bn b = bn();
  BN_rand(b.get(), bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD);
  return b;
}

void put_operand(std::vector<uint8_t>& out, const BIGNUM* v) {
  const uint32_t sign = BN_is_negative(v) ? 1 : 0;
  const uint32_t len = static_cast<uint32_t>(BN_num_bytes(v));
  out.insert(out.end(), reinterpret_cast<const uint8_t*>(&sign), reinterpret_cast<const uint8_t*>(&sign) + 4);
  out.insert(out.end(), reinterpret_cast<const uint8_t*>(&len), reinterpret_cast<const uint8_t*>(&len) + 4);
  const size_t at = out.size();
  out.resize(at + len);
  BN_bn2bin(v, out.data() + at);
}

struct BnCall {
  TEEC_Result res = 0;
  std::vector<Bn> results;
  uint32_t extra = 0;
};

BnCall bigint(Session& s, uint32_t op_code, const BIGNUM* a, const BIGNUM* b, const BIGNUM* n,
              uint32_t extra = 0) {
  std::vector<uint8_t> in;
  put_operand(in, a);
  put_operand(in, b);
  put_operand(in, n);
  std::vector<uint8_t> out(3 * (8 + 1024));
  TEEC_Operation op = make_op(
      TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INOUT));
  op.params[0].value.a = op_code;
  op.params[1].tmpref = {in.data(), in.size()};
  op.params[2].tmpref = {out.data(), out.size()};
  op.params[3].value.a = extra;
  BnCall c;
  c.res = s.invoke(OS_TEST_CMD_BIGINT, &op);
  c.extra = op.params[3].value.a;
  if (c.res != TEEC_SUCCESS) return c;
  const size_t used = std::min(out.size(), op.params[2].tmpref.size);
  size_t off = 0;
  while (off + 8 <= used) {
    uint32_t sign = 0, len = 0;
    std::memcpy(&sign, &out[off], 4);
    std::memcpy(&len, &out[off + 4], 4);
    off += 8;
    if (len > used - off) break;
    Bn v(BN_bin2bn(out.data() + off, static_cast<int>(len), nullptr));
    BN_set_negative(v.get(), sign != 0 ? 1 : 0);
    c.results.push_back(std::move(v));
    off += len;
  }
  return c;
}

std::string hex(const BIGNUM* v) {
  char* s = BN_bn2hex(v);
  std::string r = s != nullptr ? s : "?";
  OPENSSL_free(s);
  return r;
}

#define EXPECT_BN_EQ(got, want) EXPECT_EQ(BN_cmp((got), (want)), 0) << hex(got) << " != " << hex(want)

TEST_F(OsTest, X1116_BigIntThroughTheTaMatchesOpenSsl) {
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  BN_CTX* bc = ctx.get();
  const Bn zero = bn();
  for (int bits : {64, 521, 2048, 4096}) {
    for (int signs = 0; signs < 4; ++signs) {
      SCOPED_TRACE("bits " + std::to_string(bits) + " signs " + std::to_string(signs));
      Bn a = bn_rand(bits, (signs & 1) != 0);
      Bn b = bn_rand(bits / 2 + 1, (signs & 2) != 0);
      Bn want = bn();
      BnCall c = bigint(s_, OS_TEST_BN_ADD, a.get(), b.get(), zero.get());
      ASSERT_EQ(c.res, TEEC_SUCCESS);
      BN_add(want.get(), a.get(), b.get());
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_SUB, a.get(), b.get(), zero.get());
      BN_sub(want.get(), a.get(), b.get());
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_MUL, a.get(), b.get(), zero.get());
      BN_mul(want.get(), a.get(), b.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_SQUARE, a.get(), zero.get(), zero.get());
      BN_sqr(want.get(), a.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_NEG, a.get(), zero.get(), zero.get());
      BN_copy(want.get(), a.get());
      BN_set_negative(want.get(), !BN_is_negative(a.get()));
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      // Truncating division: the remainder takes the dividend's sign.
      c = bigint(s_, OS_TEST_BN_DIV, a.get(), b.get(), zero.get());
      ASSERT_EQ(c.results.size(), 2u);
      Bn q = bn(), r = bn();
      BN_div(q.get(), r.get(), a.get(), b.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), q.get());
      EXPECT_BN_EQ(c.results[1].get(), r.get());
      c = bigint(s_, OS_TEST_BN_CMP, a.get(), b.get(), zero.get());
      EXPECT_EQ(static_cast<int32_t>(c.extra), BN_cmp(a.get(), b.get()));

      // Modular functions: a positive modulus, reduced operands.
      Bn n = bn_odd(bits);
      Bn ar = bn(), br = bn();
      BN_nnmod(ar.get(), a.get(), n.get(), bc);
      BN_nnmod(br.get(), b.get(), n.get(), bc);
      c = bigint(s_, OS_TEST_BN_MOD, a.get(), zero.get(), n.get());
      EXPECT_BN_EQ(c.results[0].get(), ar.get());
      c = bigint(s_, OS_TEST_BN_ADDMOD, ar.get(), br.get(), n.get());
      BN_mod_add(want.get(), ar.get(), br.get(), n.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_SUBMOD, ar.get(), br.get(), n.get());
      BN_mod_sub(want.get(), ar.get(), br.get(), n.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_MULMOD, ar.get(), br.get(), n.get());
      BN_mod_mul(want.get(), ar.get(), br.get(), n.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_SQUAREMOD, ar.get(), zero.get(), n.get());
      BN_mod_sqr(want.get(), ar.get(), n.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_FMM, ar.get(), br.get(), n.get());
      ASSERT_EQ(c.res, TEEC_SUCCESS);
      BN_mod_mul(want.get(), ar.get(), br.get(), n.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      if (bits <= 2048) {  // ExpMod at 4096 bits is slow in debug builds
        c = bigint(s_, OS_TEST_BN_EXPMOD, ar.get(), br.get(), n.get());
        ASSERT_EQ(c.res, TEEC_SUCCESS);
        BN_mod_exp(want.get(), ar.get(), br.get(), n.get(), bc);
        EXPECT_BN_EQ(c.results[0].get(), want.get());
      }
      Bn g = bn();
      BN_gcd(g.get(), ar.get(), n.get(), bc);
      if (BN_is_one(g.get()) && !BN_is_zero(ar.get())) {
        c = bigint(s_, OS_TEST_BN_INVMOD, ar.get(), zero.get(), n.get());
        BN_mod_inverse(want.get(), ar.get(), n.get(), bc);
        EXPECT_BN_EQ(c.results[0].get(), want.get());
      }
      // Extended GCD: u*a + v*b = gcd.
      Bn pa = bn(), pb = bn();
      BN_copy(pa.get(), ar.get());
      BN_copy(pb.get(), br.get());
      if (BN_is_zero(pa.get())) BN_one(pa.get());
      c = bigint(s_, OS_TEST_BN_GCD, pa.get(), pb.get(), zero.get());
      ASSERT_EQ(c.results.size(), 3u);
      BN_gcd(want.get(), pa.get(), pb.get(), bc);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      Bn ua = bn(), vb = bn(), sum = bn();
      BN_mul(ua.get(), c.results[1].get(), pa.get(), bc);
      BN_mul(vb.get(), c.results[2].get(), pb.get(), bc);
      BN_add(sum.get(), ua.get(), vb.get());
      EXPECT_BN_EQ(sum.get(), want.get());
      EXPECT_EQ(c.extra, BN_is_one(want.get()) ? 1u : 0u);  // RelativePrime
      // Shift and bits (non-negative operand).
      Bn pos = bn_rand(bits);
      c = bigint(s_, OS_TEST_BN_SHIFT, pos.get(), zero.get(), zero.get(), 37);
      BN_rshift(want.get(), pos.get(), 37);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
      c = bigint(s_, OS_TEST_BN_BITS, pos.get(), zero.get(), zero.get(), static_cast<uint32_t>(bits + 3));
      EXPECT_EQ(c.extra, static_cast<uint32_t>(BN_num_bits(pos.get())));
      BN_copy(want.get(), pos.get());
      BN_set_bit(want.get(), bits + 3);
      EXPECT_BN_EQ(c.results[0].get(), want.get());
    }
  }
}

TEST_F(OsTest, X1117_BigIntPrimality) {
  for (int bits : {64, 512, 1024}) {
    Bn p = bn();
    ASSERT_EQ(BN_generate_prime_ex(p.get(), bits, 0, nullptr, nullptr, nullptr), 1);
    Bn q = bn();
    ASSERT_EQ(BN_generate_prime_ex(q.get(), bits / 2, 0, nullptr, nullptr, nullptr), 1);
    Bn pq = bn();
    std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
    BN_mul(pq.get(), p.get(), q.get(), ctx.get());
    const Bn zero = bn();
    BnCall c = bigint(s_, OS_TEST_BN_PRIME, p.get(), zero.get(), zero.get());
    ASSERT_EQ(c.res, TEEC_SUCCESS);
    EXPECT_NE(c.extra, 0u) << "prime of " << bits << " bits";
    c = bigint(s_, OS_TEST_BN_PRIME, pq.get(), zero.get(), zero.get());
    EXPECT_EQ(c.extra, 0u) << "composite of " << bits << " bits";
  }
}

}  // namespace
}  // namespace xtest
