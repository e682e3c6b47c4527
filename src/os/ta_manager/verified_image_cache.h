// TA images that passed verification, kept so that opening another
// instance of a TA whose store file has not changed skips the signature
// check and the payload copy.
//
// Correctness: the image is still fetched through LOAD_TA on every load
// (the store stays the authority: a replaced or removed file is seen at
// once); a cached entry is used only when the fetched bytes are identical,
// byte for byte, to the bytes that were verified. Anything else goes
// through full verification again. The payload the TA process maps is the
// sealed memfd made from the verified bytes, never the fetched copy.
//
// Opt-in trust window (SWTEE_TA_IMAGE_TRUST_MS in the environment of
// swtee-os, default 0 = off, at most kMaxImageTrustMs): an image that was
// fetched and matched less than that long ago is used without LOAD_TA.
// Only for deployments whose TA store is immutable (read-only rootfs): a TA
// file replaced or removed is then seen up to that long later.
//
// Bounded: at most kMaxCachedImages entries and kMaxCachedImageBytes of
// image bytes (least recently used goes first); larger images are not
// cached at all.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "common/uuid.h"

namespace swtee::os {

inline constexpr size_t kMaxCachedImages = 32;
inline constexpr uint64_t kMaxCachedImageBytes = 32ull << 20;
inline constexpr uint64_t kMaxCachedImageSize = 8ull << 20;
inline constexpr unsigned kMaxImageTrustMs = 60000;

struct VerifiedImage {
  Uuid uuid;
  uint32_t ta_flags = 0;          // from the signed header
  std::vector<uint8_t> bytes;     // the whole image exactly as verified
  UniqueFd payload;               // sealed (write, grow, shrink, seal) memfd of the payload
};

// Verifies `image` for `uuid` against the accepted keys and makes the sealed
// payload memfd. nullopt-like null with *security = true for a rejected
// image, false for a resource failure.
std::shared_ptr<const VerifiedImage> verify_image(const Uuid& uuid, std::vector<uint8_t> image,
                                                  const std::vector<std::string>& pubkey_pems, bool* security);

class VerifiedImageCache {
 public:
  explicit VerifiedImageCache(unsigned trust_ms = 0) : trust_ms_(trust_ms) {}
  // 0, or SWTEE_TA_IMAGE_TRUST_MS clamped to kMaxImageTrustMs.
  static unsigned trust_ms_from_env();
  // The entry for `uuid` if it was fetched and matched within the trust
  // window (never when the window is 0).
  std::shared_ptr<const VerifiedImage> trusted(const Uuid& uuid) EXCLUDES(mu_);
  // The entry for `uuid` if `image` is byte-identical to it, else null.
  std::shared_ptr<const VerifiedImage> find(const Uuid& uuid, std::span<const uint8_t> image) EXCLUDES(mu_);
  // Replaces the entry of its UUID; evicts over the bounds.
  void put(std::shared_ptr<const VerifiedImage> image) EXCLUDES(mu_);
  void erase(const Uuid& uuid) EXCLUDES(mu_);
  // Bytes of the cached image of `uuid` (0: none): a hint for LOAD_TA.
  uint64_t size_hint(const Uuid& uuid) const EXCLUDES(mu_);
  size_t size() const EXCLUDES(mu_);

 private:
  struct Entry {
    std::shared_ptr<const VerifiedImage> image;
    uint64_t last_use = 0;
    std::chrono::steady_clock::time_point fetched;  // last time the store served exactly this
  };
  const unsigned trust_ms_;
  mutable Mutex mu_;
  std::map<Uuid, Entry> entries_ GUARDED_BY(mu_);
  uint64_t bytes_ GUARDED_BY(mu_) = 0;
  uint64_t tick_ GUARDED_BY(mu_) = 0;
};

}  // namespace swtee::os
