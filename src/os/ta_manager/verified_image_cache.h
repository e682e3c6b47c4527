// TA images that passed verification, keyed by UUID, so that a cold open
// of a TA verified before needs neither the supplicant nor the signature
// check, and spares (spare_pool.h) are launched from the verified payload.
//
// Freshness: an entry is "confirmed" when it is put, and whenever the store
// (LOAD_TA) serves bytes identical, byte for byte, to the verified ones.
// For the revalidation interval after its last confirmation (default
// kDefaultImageTrustMs; TaHostConfig::image_trust_ms, from
// `swtee-os --ta-image-trust-ms` and the config key
// drivers.optee.ta_image_trust_ms; 0 = ask the store at every load, at most
// kMaxImageTrustMs) an entry is used without LOAD_TA. The first load after
// the interval asks the store again: a TA file replaced or removed is seen
// at most that long later (OP-TEE rereads the store at each TA context
// creation; a keep-alive instance there runs its old image indefinitely,
// so a bounded delay changes no promise a client can rely on). The store
// is the normal world's in any case: it could serve the old, validly
// signed image itself, so trusting it for a second more gives an attacker
// nothing.
//
// Security: an image is verified (signature, UUID, payload hash) before
// its first use; a fetched image that differs in any byte from the cached
// one is verified in full and, if good, replaces the entry (put) — the
// two are never mixed up: each entry owns the exact bytes it verified and
// the sealed memfd made from them, and spares are tied to the entry by
// pointer identity. A rejected image erases the entry.
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
#include "os/ta_host.h"  // kDefaultImageTrustMs, kMaxImageTrustMs

namespace swtee::os {

inline constexpr size_t kMaxCachedImages = 32;
inline constexpr uint64_t kMaxCachedImageBytes = 32ull << 20;
inline constexpr uint64_t kMaxCachedImageSize = 8ull << 20;

struct VerifiedImage {
  Uuid uuid;
  uint32_t ta_flags = 0;       // from the signed header
  std::vector<uint8_t> bytes;  // the whole image exactly as verified
  UniqueFd payload;            // sealed (write, grow, shrink, seal) memfd of the payload
};

// Verifies `image` for `uuid` against the accepted keys and makes the sealed
// payload memfd. nullopt-like null with *security = true for a rejected
// image, false for a resource failure.
std::shared_ptr<const VerifiedImage> verify_image(const Uuid& uuid, std::vector<uint8_t> image,
                                                  const std::vector<std::string>& pubkey_pems,
                                                  bool* security);

class VerifiedImageCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit VerifiedImageCache(unsigned trust_ms = kDefaultImageTrustMs) : trust_ms_(trust_ms) {}
  unsigned trust_ms() const { return trust_ms_; }
  // The entry for `uuid` if it was confirmed less than the revalidation
  // interval before `now` (never when the interval is 0).
  std::shared_ptr<const VerifiedImage> trusted(const Uuid& uuid, Clock::time_point now = Clock::now())
      EXCLUDES(mu_);
  // The entry for `uuid` if `image` is byte-identical to it (which confirms
  // it as of `now`), else null.
  std::shared_ptr<const VerifiedImage> find(const Uuid& uuid, std::span<const uint8_t> image,
                                            Clock::time_point now = Clock::now()) EXCLUDES(mu_);
  // Replaces the entry of its UUID (confirmed as of `now`); evicts over the
  // bounds.
  void put(std::shared_ptr<const VerifiedImage> image, Clock::time_point now = Clock::now()) EXCLUDES(mu_);
  void erase(const Uuid& uuid) EXCLUDES(mu_);
  // Bytes of the cached image of `uuid` (0: none): a hint for LOAD_TA.
  uint64_t size_hint(const Uuid& uuid) const EXCLUDES(mu_);
  size_t size() const EXCLUDES(mu_);
  uint64_t bytes() const EXCLUDES(mu_);

 private:
  struct Entry {
    std::shared_ptr<const VerifiedImage> image;
    uint64_t last_use = 0;
    Clock::time_point fetched;  // last confirmation: put, or the store served exactly this
  };
  const unsigned trust_ms_;
  mutable Mutex mu_;
  std::map<Uuid, Entry> entries_ GUARDED_BY(mu_);
  uint64_t bytes_ GUARDED_BY(mu_) = 0;
  uint64_t tick_ GUARDED_BY(mu_) = 0;
};

}  // namespace swtee::os
