// Serialization between PKCS#11 structures (CK_ULONG-sized, pointer-laden)
// and the pkcs11 TA's wire format (32-bit, packed): attribute templates,
// mechanisms, and the answer of C_GetAttributeValue.
#pragma once

#include <p11-kit/pkcs11.h>

#include <cstdint>
#include <span>
#include <vector>

namespace swtee::pkcs11 {

class Wire {
 public:
  void u32(uint32_t v);
  void bytes(const void* p, size_t n);
  // CK_ULONG that must fit 32 bits; false otherwise.
  bool ulong(CK_ULONG v);
  std::vector<uint8_t>& buf() { return buf_; }

 private:
  std::vector<uint8_t> buf_;
};

bool is_ulong_attr(CK_ATTRIBUTE_TYPE t);

// Appends a template (object head + attributes). For C_GetAttributeValue
// (`for_get`) values are not read, only room is reserved.
CK_RV put_template(Wire& w, const CK_ATTRIBUTE* t, CK_ULONG n, bool for_get);
// Appends a mechanism (id, parameter size, parameters).
CK_RV put_mechanism(Wire& w, const CK_MECHANISM* m);
// Fills the caller's template from a C_GetAttributeValue answer laid out
// like the request. Returns the worst per-attribute outcome.
CK_RV take_attribute_values(std::span<const uint8_t> answer, CK_ATTRIBUTE* t, CK_ULONG n);

}  // namespace swtee::pkcs11
