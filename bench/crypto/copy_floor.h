// The floor of a call that copies its memrefs (os/ta_manager/
// memref_windows.h), measured in the same run as the crypt TA's rows: this
// process pwrite()s the input into a window memfd, a child process that
// maps the windows does the same OpenSSL EVP work on them, and this
// process pread()s the output back, with one doorbell hop each way
// (common/doorbell.h). It is what the product's copies and cross-process
// hand-off cost at best, without the three hops of the call path; the gap
// between it and OpenSSL in this process is the copy design's own, the gap
// between the TA and it is the call path's (docs/performance.md, "Crypto in
// a TA and the copies").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace swtee::bench {

class CopyFloor {
 public:
  // Forks the child. Call before this process starts threads (before the
  // first TEEC call). Null if a memfd, mapping or fork failed.
  static std::unique_ptr<CopyFloor> start(size_t max_bytes);
  ~CopyFloor();
  CopyFloor(const CopyFloor&) = delete;
  CopyFloor& operator=(const CopyFloor&) = delete;

  // AES-128-GCM of in[0, len) into out[0, len) (the 16-byte tag stays in
  // the child), as OsslGcm::encrypt; SHA-256 of in[0, len) into md32.
  bool gcm(const uint8_t* in, size_t len, uint8_t* out);
  bool sha256(const uint8_t* in, size_t len, uint8_t* md32);

 private:
  struct State;
  explicit CopyFloor(std::unique_ptr<State> s);
  bool call(uint64_t op, const uint8_t* in, size_t len, uint8_t* out, size_t out_len);
  std::unique_ptr<State> s_;
};

}  // namespace swtee::bench
