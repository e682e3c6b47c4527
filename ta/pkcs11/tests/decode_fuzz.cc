// libFuzzer target for the pkcs11 TA's decoder: control buffers as the TA
// reads them (mechanism, attribute lists), then the template rules over
// whatever decoded. Any out-of-bounds read, or a decoded list that does
// not re-serialize to its input, is a failure.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" {
#include "serial.h"
#include "template.h"
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  p11_reader r;
  p11_reader_init(&r, data, size);
  uint32_t session = 0;
  uint32_t mech = 0;
  const uint8_t* params = nullptr;
  uint32_t psize = 0;
  if (p11_get_u32(&r, &session) || p11_get_mechanism(&r, &mech, &params, &psize)) return 0;
  const uint8_t* list_start = r.p;
  obj_attrs a;
  if (p11_get_attrs(&r, &a)) return 0;
  std::vector<uint8_t> out(p11_attrs_serial_size(&a));
  p11_attrs_serialize(&a, out.data());
  if (std::memcmp(out.data(), list_start, out.size()) != 0) __builtin_trap();
  for (uint32_t origin = 0; origin < 4; ++origin) {
    obj_attrs o;
    uint32_t rc = p11_template_create(&a, static_cast<p11_origin>(origin), session % 2 ? PKCS11_UNDEFINED_ID : 3,
                                      PKCS11_UNDEFINED_ID, mech, &o);
    if (rc == PKCS11_CKR_OK) {
      // Private and secret keys come out sensitive unless asked otherwise.
      (void)p11_attr_is_sensitive(&o, PKCS11_CKA_VALUE);
      (void)p11_template_check_set(&o, &a, origin % 2);
      p11_attrs_free(&o);
    } else if (o.count != 0 || o.buf != nullptr) {
      __builtin_trap();  // nothing left behind on failure
    }
  }
  p11_attrs_free(&a);
  return 0;
}
