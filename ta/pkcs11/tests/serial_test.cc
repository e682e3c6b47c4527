// Unit tests of the pkcs11 TA's pure layers: the serialized attribute
// format (serial.c) and the attribute rules (template.c).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

extern "C" {
#include "serial.h"
#include "template.h"
}

namespace {

// Builds a wire template: head + (id, size, value) items.
class Wire {
 public:
  Wire& add(uint32_t id, const void* v, uint32_t n) {
    put32(id);
    put32(n);
    const auto* p = static_cast<const uint8_t*>(v);
    body_.insert(body_.end(), p, p + n);
    ++count_;
    return *this;
  }
  Wire& u32(uint32_t id, uint32_t v) { return add(id, &v, 4); }
  Wire& b(uint32_t id, bool v) {
    uint8_t x = v ? 1 : 0;
    return add(id, &x, 1);
  }
  std::vector<uint8_t> bytes() const {
    std::vector<uint8_t> out(8);
    uint32_t size = static_cast<uint32_t>(body_.size());
    std::memcpy(out.data(), &size, 4);
    std::memcpy(out.data() + 4, &count_, 4);
    out.insert(out.end(), body_.begin(), body_.end());
    return out;
  }

 private:
  void put32(uint32_t v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    body_.insert(body_.end(), p, p + 4);
  }
  std::vector<uint8_t> body_;
  uint32_t count_ = 0;
};

struct Attrs {
  obj_attrs a{};
  Attrs() { p11_attrs_init(&a); }
  ~Attrs() { p11_attrs_free(&a); }
  Attrs(const Attrs&) = delete;
  Attrs& operator=(const Attrs&) = delete;
};

uint32_t parse(const std::vector<uint8_t>& w, Attrs& out) {
  size_t used = 0;
  uint32_t rc = p11_attrs_parse(w.data(), w.size(), &out.a, &used);
  if (rc == PKCS11_CKR_OK) EXPECT_EQ(used, w.size());
  return rc;
}

TEST(Pkcs11Serial, RoundTripsAndLooksUp) {
  const char label[] = "my key";
  auto w = Wire().u32(PKCS11_CKA_CLASS, PKCS11_CKO_DATA).add(PKCS11_CKA_LABEL, label, 6).b(PKCS11_CKA_TOKEN, true).bytes();
  Attrs a;
  ASSERT_EQ(parse(w, a), PKCS11_CKR_OK);
  EXPECT_EQ(a.a.count, 3u);
  uint32_t cls = 99;
  EXPECT_EQ(p11_attrs_get_u32(&a.a, PKCS11_CKA_CLASS, &cls), PKCS11_CKR_OK);
  EXPECT_EQ(cls, static_cast<uint32_t>(PKCS11_CKO_DATA));
  EXPECT_TRUE(p11_attrs_bool_or(&a.a, PKCS11_CKA_TOKEN, false));
  EXPECT_EQ(p11_attrs_get_u32(&a.a, PKCS11_CKA_ID, &cls), static_cast<uint32_t>(PKCS11_RV_NOT_FOUND));
  std::vector<uint8_t> out(p11_attrs_serial_size(&a.a));
  p11_attrs_serialize(&a.a, out.data());
  EXPECT_EQ(out, w);
}

TEST(Pkcs11Serial, SetReplacesAndRemoveShrinks) {
  Attrs a;
  ASSERT_EQ(p11_attrs_set_u32(&a.a, 1, 5), PKCS11_CKR_OK);
  ASSERT_EQ(p11_attrs_set_u32(&a.a, 2, 6), PKCS11_CKR_OK);
  ASSERT_EQ(p11_attrs_set_u32(&a.a, 1, 7), PKCS11_CKR_OK);
  EXPECT_EQ(a.a.count, 2u);
  uint32_t v = 0;
  EXPECT_EQ(p11_attrs_get_u32(&a.a, 1, &v), PKCS11_CKR_OK);
  EXPECT_EQ(v, 7u);
  p11_attrs_remove(&a.a, 2);
  EXPECT_EQ(a.a.count, 1u);
  EXPECT_EQ(a.a.size, 12u);
  EXPECT_FALSE(p11_attrs_has(&a.a, 2));
}

TEST(Pkcs11Serial, RejectsMalformedLists) {
  auto good = Wire().u32(PKCS11_CKA_CLASS, 0).bytes();
  Attrs a;
  // Truncated anywhere.
  for (size_t n = 0; n < good.size(); ++n) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<long>(n));
    Attrs t;
    EXPECT_NE(p11_attrs_parse(cut.data(), cut.size(), &t.a, nullptr), PKCS11_CKR_OK) << n;
  }
  // Count larger or smaller than the items.
  auto bad = good;
  bad[4] = 2;
  EXPECT_NE(parse(bad, a), PKCS11_CKR_OK);
  bad[4] = 0;
  EXPECT_NE(parse(bad, a), PKCS11_CKR_OK);
  // An item whose size runs past the list.
  bad = good;
  bad[12] = 5;
  EXPECT_NE(parse(bad, a), PKCS11_CKR_OK);
  // The same attribute twice.
  auto twice = Wire().u32(PKCS11_CKA_CLASS, 0).u32(PKCS11_CKA_CLASS, 1).bytes();
  EXPECT_EQ(parse(twice, a), PKCS11_CKR_TEMPLATE_INCONSISTENT);
  // Over the size limit.
  std::vector<uint8_t> huge = {0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0};
  EXPECT_NE(parse(huge, a), PKCS11_CKR_OK);
}

TEST(Pkcs11Serial, ReaderStopsAtTheEnd) {
  uint8_t buf[6] = {1, 0, 0, 0, 9, 9};
  p11_reader r;
  p11_reader_init(&r, buf, sizeof(buf));
  uint32_t v = 0;
  EXPECT_EQ(p11_get_u32(&r, &v), PKCS11_CKR_OK);
  EXPECT_EQ(v, 1u);
  EXPECT_EQ(p11_get_u32(&r, &v), PKCS11_CKR_ARGUMENTS_BAD);
  const uint8_t* p = nullptr;
  EXPECT_EQ(p11_reader_done(&r), PKCS11_CKR_ARGUMENTS_BAD);
  EXPECT_EQ(p11_get_bytes(&r, 2, &p), PKCS11_CKR_OK);
  EXPECT_EQ(p11_reader_done(&r), PKCS11_CKR_OK);
}

uint32_t create(const std::vector<uint8_t>& w, p11_origin origin, uint32_t cls, uint32_t kt, Attrs& out) {
  Attrs t;
  uint32_t rc = parse(w, t);
  if (rc) return rc;
  return p11_template_create(&t.a, origin, cls, kt, PKCS11_CKM_EC_KEY_PAIR_GEN, &out.a);
}

TEST(Pkcs11Template, PrivateKeysDefaultToSensitiveAndUnextractable) {
  Attrs o;
  auto w = Wire().b(PKCS11_CKA_SIGN, true).bytes();
  ASSERT_EQ(create(w, P11_ORIGIN_GENERATE, PKCS11_CKO_PRIVATE_KEY, PKCS11_CKK_EC, o), PKCS11_CKR_OK);
  EXPECT_TRUE(p11_attrs_bool_or(&o.a, PKCS11_CKA_SENSITIVE, false));
  EXPECT_FALSE(p11_attrs_bool_or(&o.a, PKCS11_CKA_EXTRACTABLE, true));
  EXPECT_TRUE(p11_attrs_bool_or(&o.a, PKCS11_CKA_ALWAYS_SENSITIVE, false));
  EXPECT_TRUE(p11_attrs_bool_or(&o.a, PKCS11_CKA_NEVER_EXTRACTABLE, false));
  EXPECT_TRUE(p11_attrs_bool_or(&o.a, PKCS11_CKA_LOCAL, false));
  EXPECT_TRUE(p11_attrs_bool_or(&o.a, PKCS11_CKA_PRIVATE, false));
  EXPECT_EQ(p11_obj_key_type(&o.a), static_cast<uint32_t>(PKCS11_CKK_EC));
  EXPECT_TRUE(p11_attr_is_sensitive(&o.a, PKCS11_CKA_VALUE));
  EXPECT_FALSE(p11_attr_is_sensitive(&o.a, PKCS11_CKA_EC_PARAMS));
}

TEST(Pkcs11Template, ExtractableNonSensitiveSecretIsReadable) {
  Attrs o;
  uint8_t key[16] = {};
  auto w = Wire()
               .u32(PKCS11_CKA_CLASS, PKCS11_CKO_SECRET_KEY)
               .u32(PKCS11_CKA_KEY_TYPE, PKCS11_CKK_AES)
               .add(PKCS11_CKA_VALUE, key, 16)
               .b(PKCS11_CKA_SENSITIVE, false)
               .b(PKCS11_CKA_EXTRACTABLE, true)
               .bytes();
  ASSERT_EQ(create(w, P11_ORIGIN_IMPORT, PKCS11_UNDEFINED_ID, PKCS11_UNDEFINED_ID, o), PKCS11_CKR_OK);
  EXPECT_FALSE(p11_attr_is_sensitive(&o.a, PKCS11_CKA_VALUE));
  EXPECT_FALSE(p11_attrs_bool_or(&o.a, PKCS11_CKA_LOCAL, true));
  EXPECT_FALSE(p11_attrs_bool_or(&o.a, PKCS11_CKA_ALWAYS_SENSITIVE, true));
}

TEST(Pkcs11Template, RefusesWhatOnlyTheTokenMaySet) {
  Attrs o;
  EXPECT_EQ(create(Wire().b(PKCS11_CKA_LOCAL, true).bytes(), P11_ORIGIN_GENERATE, PKCS11_CKO_PRIVATE_KEY,
                   PKCS11_CKK_EC, o),
            PKCS11_CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(create(Wire().b(PKCS11_CKA_ALWAYS_SENSITIVE, true).bytes(), P11_ORIGIN_GENERATE,
                   PKCS11_CKO_PRIVATE_KEY, PKCS11_CKK_EC, o),
            PKCS11_CKR_ATTRIBUTE_READ_ONLY);
  uint8_t v[32] = {};
  // Key material in a generation template.
  EXPECT_EQ(create(Wire().add(PKCS11_CKA_VALUE, v, 32).bytes(), P11_ORIGIN_GENERATE, PKCS11_CKO_PRIVATE_KEY,
                   PKCS11_CKK_EC, o),
            PKCS11_CKR_TEMPLATE_INCONSISTENT);
  // Class or key type other than the mechanism's.
  EXPECT_EQ(create(Wire().u32(PKCS11_CKA_CLASS, PKCS11_CKO_SECRET_KEY).bytes(), P11_ORIGIN_GENERATE,
                   PKCS11_CKO_PRIVATE_KEY, PKCS11_CKK_EC, o),
            PKCS11_CKR_TEMPLATE_INCONSISTENT);
  EXPECT_EQ(create(Wire().u32(PKCS11_CKA_KEY_TYPE, PKCS11_CKK_RSA).bytes(), P11_ORIGIN_GENERATE,
                   PKCS11_CKO_PRIVATE_KEY, PKCS11_CKK_EC, o),
            PKCS11_CKR_TEMPLATE_INCONSISTENT);
  // Wrong value sizes and unknown attributes.
  EXPECT_EQ(create(Wire().u32(PKCS11_CKA_SIGN, 1).bytes(), P11_ORIGIN_GENERATE, PKCS11_CKO_PRIVATE_KEY,
                   PKCS11_CKK_EC, o),
            PKCS11_CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(create(Wire().u32(0x7777, 1).bytes(), P11_ORIGIN_GENERATE, PKCS11_CKO_PRIVATE_KEY, PKCS11_CKK_EC, o),
            PKCS11_CKR_ATTRIBUTE_TYPE_INVALID);
  // An attribute of another class.
  EXPECT_EQ(create(Wire().b(PKCS11_CKA_VERIFY, true).bytes(), P11_ORIGIN_GENERATE, PKCS11_CKO_PRIVATE_KEY,
                   PKCS11_CKK_EC, o),
            PKCS11_CKR_TEMPLATE_INCONSISTENT);
  EXPECT_EQ(o.a.count, 0u);  // nothing built on failure
}

TEST(Pkcs11Template, ImportNeedsTheKeyMaterial) {
  Attrs o;
  auto w = Wire().u32(PKCS11_CKA_CLASS, PKCS11_CKO_SECRET_KEY).u32(PKCS11_CKA_KEY_TYPE, PKCS11_CKK_AES).bytes();
  EXPECT_EQ(create(w, P11_ORIGIN_IMPORT, PKCS11_UNDEFINED_ID, PKCS11_UNDEFINED_ID, o),
            PKCS11_CKR_TEMPLATE_INCOMPLETE);
  auto nocls = Wire().b(PKCS11_CKA_TOKEN, true).bytes();
  EXPECT_EQ(create(nocls, P11_ORIGIN_IMPORT, PKCS11_UNDEFINED_ID, PKCS11_UNDEFINED_ID, o),
            PKCS11_CKR_TEMPLATE_INCOMPLETE);
  auto data = Wire().u32(PKCS11_CKA_CLASS, PKCS11_CKO_DATA).bytes();
  EXPECT_EQ(create(data, P11_ORIGIN_IMPORT, PKCS11_UNDEFINED_ID, PKCS11_UNDEFINED_ID, o), PKCS11_CKR_OK);
  EXPECT_FALSE(p11_attrs_bool_or(&o.a, PKCS11_CKA_PRIVATE, true));
}

TEST(Pkcs11Template, SetRulesAreOneWay) {
  Attrs o;
  auto w = Wire().b(PKCS11_CKA_SENSITIVE, false).b(PKCS11_CKA_EXTRACTABLE, true).bytes();
  ASSERT_EQ(create(w, P11_ORIGIN_GENERATE, PKCS11_CKO_SECRET_KEY, PKCS11_CKK_AES, o), PKCS11_CKR_OK);
  auto mk = [](const std::vector<uint8_t>& wire, Attrs& t) { ASSERT_EQ(parse(wire, t), PKCS11_CKR_OK); };
  {
    Attrs t;
    mk(Wire().b(PKCS11_CKA_SENSITIVE, true).b(PKCS11_CKA_EXTRACTABLE, false).bytes(), t);
    EXPECT_EQ(p11_template_check_set(&o.a, &t.a, false), PKCS11_CKR_OK);
  }
  ASSERT_EQ(p11_attrs_set_bool(&o.a, PKCS11_CKA_SENSITIVE, true), PKCS11_CKR_OK);
  ASSERT_EQ(p11_attrs_set_bool(&o.a, PKCS11_CKA_EXTRACTABLE, false), PKCS11_CKR_OK);
  {
    Attrs t;
    mk(Wire().b(PKCS11_CKA_SENSITIVE, false).bytes(), t);
    EXPECT_EQ(p11_template_check_set(&o.a, &t.a, false), PKCS11_CKR_ATTRIBUTE_READ_ONLY);
  }
  {
    Attrs t;
    mk(Wire().b(PKCS11_CKA_EXTRACTABLE, true).bytes(), t);
    EXPECT_EQ(p11_template_check_set(&o.a, &t.a, false), PKCS11_CKR_ATTRIBUTE_READ_ONLY);
  }
  {
    Attrs t;
    uint32_t kt = PKCS11_CKK_GENERIC_SECRET;
    mk(Wire().add(PKCS11_CKA_KEY_TYPE, &kt, 4).bytes(), t);
    EXPECT_EQ(p11_template_check_set(&o.a, &t.a, false), PKCS11_CKR_ATTRIBUTE_READ_ONLY);
  }
  ASSERT_EQ(p11_attrs_set_bool(&o.a, PKCS11_CKA_MODIFIABLE, false), PKCS11_CKR_OK);
  {
    Attrs t;
    mk(Wire().add(PKCS11_CKA_LABEL, "x", 1).bytes(), t);
    EXPECT_EQ(p11_template_check_set(&o.a, &t.a, false), PKCS11_CKR_ACTION_PROHIBITED);
    EXPECT_EQ(p11_template_check_set(&o.a, &t.a, true), PKCS11_CKR_OK);
  }
}

}  // namespace
