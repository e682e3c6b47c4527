// A PKCS#11 client for the pkcs11 integration tests and the benchmark's
// shape: dlopen()s a module, C_GetFunctionList, and a few helpers.
#pragma once

#include <dlfcn.h>
#include <p11-kit/pkcs11.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace swtee::p11test {

class Module {
 public:
  explicit Module(const std::string& path) {
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
    auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle_, "C_GetFunctionList"));
    if (get == nullptr || get(&f_) != CKR_OK) throw std::runtime_error("C_GetFunctionList failed");
  }
  ~Module() {
    if (handle_ != nullptr) dlclose(handle_);
  }
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  CK_FUNCTION_LIST* operator->() const { return f_; }

 private:
  void* handle_ = nullptr;
  CK_FUNCTION_LIST* f_ = nullptr;
};

inline CK_RV init_threaded(const Module& m) {
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  return m->C_Initialize(&args);
}

// Every object handle the session can see.
inline std::vector<CK_OBJECT_HANDLE> find_all(const Module& m, CK_SESSION_HANDLE s, CK_ATTRIBUTE* t = nullptr,
                                              CK_ULONG n = 0) {
  std::vector<CK_OBJECT_HANDLE> out;
  if (m->C_FindObjectsInit(s, t, n) != CKR_OK) return out;
  CK_OBJECT_HANDLE buf[64];
  CK_ULONG got = 0;
  while (m->C_FindObjects(s, buf, 64, &got) == CKR_OK && got > 0) out.insert(out.end(), buf, buf + got);
  m->C_FindObjectsFinal(s);
  return out;
}

inline std::vector<uint8_t> get_bytes(const Module& m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                                      CK_ATTRIBUTE_TYPE type, CK_RV* rv_out = nullptr) {
  CK_ATTRIBUTE a = {type, nullptr, 0};
  CK_RV rv = m->C_GetAttributeValue(s, o, &a, 1);
  if (rv_out) *rv_out = rv;
  if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION) return {};
  std::vector<uint8_t> v(a.ulValueLen);
  a.pValue = v.data();
  rv = m->C_GetAttributeValue(s, o, &a, 1);
  if (rv_out) *rv_out = rv;
  return rv == CKR_OK ? v : std::vector<uint8_t>{};
}

}  // namespace swtee::p11test
