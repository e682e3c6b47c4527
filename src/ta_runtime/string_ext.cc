// libutils' string_ext.h for TAs (include/string_ext.h): strlcpy, strlcat
// and buf_compare_ct. glibc before 2.38 has no strlcpy/strlcat; the TA host
// exports these, so a TA resolves them here either way.
#include "string_ext.h"

#include <cstring>

extern "C" {

size_t strlcpy(char* dst, const char* src, size_t size) {
  const size_t n = std::strlen(src);
  if (size != 0) {
    const size_t copy = n < size - 1 ? n : size - 1;
    std::memcpy(dst, src, copy);
    dst[copy] = '\0';
  }
  return n;
}

size_t strlcat(char* dst, const char* src, size_t size) {
  const size_t have = strnlen(dst, size);
  if (have == size) return size + std::strlen(src);  // dst is not terminated within size
  return have + strlcpy(dst + have, src, size - have);
}

int buf_compare_ct(const void* s1, const void* s2, size_t n) {
  const auto* a = static_cast<const volatile unsigned char*>(s1);
  const auto* b = static_cast<const volatile unsigned char*>(s2);
  unsigned char diff = 0;
  for (size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff != 0;
}

}  // extern "C"
