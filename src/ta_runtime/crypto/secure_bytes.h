// SecureBytes: an owned byte buffer for key material and buffered secret
// data; wiped (OPENSSL_cleanse) whenever it shrinks, is reassigned or dies.
#pragma once

#include <openssl/crypto.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

namespace swtee::ta::crypto {

class SecureBytes {
 public:
  SecureBytes() = default;
  ~SecureBytes() { wipe(); }
  SecureBytes(const SecureBytes& o) { (void)assign(o.data(), o.size()); }
  SecureBytes& operator=(const SecureBytes& o) {
    if (this != &o) (void)assign(o.data(), o.size());
    return *this;
  }
  SecureBytes(SecureBytes&& o) noexcept : buf_(std::move(o.buf_)), size_(o.size_), cap_(o.cap_) {
    o.size_ = o.cap_ = 0;
  }
  SecureBytes& operator=(SecureBytes&& o) noexcept {
    if (this != &o) {
      wipe();
      buf_ = std::move(o.buf_);
      size_ = o.size_;
      cap_ = o.cap_;
      o.size_ = o.cap_ = 0;
    }
    return *this;
  }

  // Replaces the content. False (content cleared) when memory runs out.
  [[nodiscard]] bool assign(const void* p, size_t n) noexcept {
    if (!reserve(n)) return false;
    if (n != 0) std::memcpy(buf_.get(), p, n);
    if (n < size_) OPENSSL_cleanse(buf_.get() + n, size_ - n);
    size_ = n;
    return true;
  }
  // Appends; false (content unchanged) when memory runs out.
  [[nodiscard]] bool append(const void* p, size_t n) noexcept {
    if (n == 0) return true;
    if (size_ + n < size_ || !reserve(size_ + n)) return false;
    std::memcpy(buf_.get() + size_, p, n);
    size_ += n;
    return true;
  }
  // Grows the capacity keeping the content (wiping the old block).
  [[nodiscard]] bool reserve(size_t n) noexcept {
    if (n <= cap_) return true;
    std::unique_ptr<uint8_t[]> nb(new (std::nothrow) uint8_t[n]);
    if (!nb) return false;
    if (size_ != 0) std::memcpy(nb.get(), buf_.get(), size_);
    if (buf_) OPENSSL_cleanse(buf_.get(), cap_);
    buf_ = std::move(nb);
    cap_ = n;
    return true;
  }
  // Sets the size; new bytes are zero. False (unchanged) when memory runs out.
  [[nodiscard]] bool resize(size_t n) noexcept {
    if (!reserve(n)) return false;
    if (n > size_) std::memset(buf_.get() + size_, 0, n - size_);
    if (n < size_) OPENSSL_cleanse(buf_.get() + n, size_ - n);
    size_ = n;
    return true;
  }
  void clear() noexcept {
    if (buf_) OPENSSL_cleanse(buf_.get(), size_);
    size_ = 0;
  }
  void wipe() noexcept {
    if (buf_) OPENSSL_cleanse(buf_.get(), cap_);
    buf_.reset();
    size_ = cap_ = 0;
  }

  [[nodiscard]] const uint8_t* data() const noexcept { return buf_.get(); }
  [[nodiscard]] uint8_t* data() noexcept { return buf_.get(); }
  [[nodiscard]] size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::span<const uint8_t> span() const noexcept { return {buf_.get(), size_}; }

 private:
  std::unique_ptr<uint8_t[]> buf_;
  size_t size_ = 0;
  size_t cap_ = 0;
};

}  // namespace swtee::ta::crypto
