// The module's link to the pkcs11 TA: one TEEC context and session for the
// process, opened by C_Initialize, and the call convention of the pkcs11 TA
// protocol (include/swtee/pkcs11_ta.h): a control buffer in param 0 whose
// first 4 bytes come back as the status, input data in param 1, results
// (or a second input) in param 2.
#pragma once

#include <p11-kit/pkcs11.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace swtee::pkcs11 {

struct TaCall {
  uint32_t cmd = 0;
  std::span<const uint8_t> in;  // param 1 (none when empty and !has_in)
  bool has_in = false;
  // Param 2: output buffer (or an input when out_is_input).
  void* out = nullptr;
  size_t out_cap = 0;
  bool has_out = false;
  bool out_is_input = false;
  size_t out_len = 0;  // bytes written, or needed on CKR_BUFFER_TOO_SMALL
};

// Opens the context and the session (C_Initialize) and closes them.
CK_RV ta_open();
void ta_close();
// Runs one command; `ctrl` is the serialized control input.
CK_RV ta_invoke(std::vector<uint8_t>& ctrl, TaCall& call);

}  // namespace swtee::pkcs11
