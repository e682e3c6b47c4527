#include "os/ta_manager/verified_image_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "common/log.h"
#include "common/shm_file.h"
#include "ta_image/ta_image.h"

namespace swtee::os {
namespace {

const char* verify_error_name(taimg::VerifyError e) {
  switch (e) {
    case taimg::VerifyError::Format:
      return "bad format";
    case taimg::VerifyError::Hash:
      return "payload hash mismatch";
    case taimg::VerifyError::Signature:
      return "bad signature";
    case taimg::VerifyError::Uuid:
      return "image is for another UUID";
  }
  return "unknown";
}

// Copies the verified payload into a memfd sealed against every change, so
// what the TA process maps is exactly what was verified.
Result<UniqueFd> payload_memfd(std::span<const uint8_t> payload) {
  ASSIGN_OR_RETURN(UniqueFd fd, create_sealed_memfd("swtee-ta-payload", payload.size()));
  size_t done = 0;
  while (done < payload.size()) {
    ssize_t n = ::pwrite(fd.get(), payload.data() + done, payload.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::from_errno("pwrite payload");
    done += static_cast<size_t>(n);
  }
  if (::fcntl(fd.get(), F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SEAL) != 0)
    return Error::from_errno("F_SEAL_WRITE");
  return fd;
}

}  // namespace

std::shared_ptr<const VerifiedImage> verify_image(const Uuid& uuid, std::vector<uint8_t> image,
                                                  const std::vector<std::string>& pubkey_pems,
                                                  bool* security) {
  *security = false;
  taimg::VerifyResult v = taimg::verify_ta_image(image, uuid, pubkey_pems);
  if (!v.ok) {
    log::error("TA {}: image rejected: {}", uuid.to_string(), verify_error_name(v.error));
    *security = true;
    return nullptr;
  }
  auto memfd = payload_memfd(v.ta.payload);
  if (!memfd.ok()) {
    log::warn("TA {}: payload memfd: {}", uuid.to_string(), memfd.error());
    return nullptr;
  }
  auto out = std::make_shared<VerifiedImage>();
  out->uuid = uuid;
  out->ta_flags = v.ta.ta_flags;
  out->payload = std::move(*memfd);
  out->bytes = std::move(image);  // v.ta.payload pointed into it; not used past here
  return out;
}

std::shared_ptr<const VerifiedImage> VerifiedImageCache::trusted(const Uuid& uuid, Clock::time_point now) {
  if (trust_ms_ == 0) return nullptr;
  MutexLock l(mu_);
  auto it = entries_.find(uuid);
  if (it == entries_.end()) return nullptr;
  if (now - it->second.fetched >= std::chrono::milliseconds(trust_ms_) || now < it->second.fetched)
    return nullptr;
  it->second.last_use = ++tick_;
  return it->second.image;
}

std::shared_ptr<const VerifiedImage> VerifiedImageCache::find(const Uuid& uuid,
                                                              std::span<const uint8_t> image,
                                                              Clock::time_point now) {
  MutexLock l(mu_);
  auto it = entries_.find(uuid);
  if (it == entries_.end()) return nullptr;
  const std::vector<uint8_t>& b = it->second.image->bytes;
  if (b.size() != image.size() || std::memcmp(b.data(), image.data(), b.size()) != 0) return nullptr;
  it->second.last_use = ++tick_;
  it->second.fetched = now;
  return it->second.image;
}

void VerifiedImageCache::put(std::shared_ptr<const VerifiedImage> image, Clock::time_point now) {
  if (!image) return;
  const uint64_t size = image->bytes.size();
  MutexLock l(mu_);
  if (auto it = entries_.find(image->uuid); it != entries_.end()) {
    bytes_ -= it->second.image->bytes.size();
    entries_.erase(it);
  }
  if (size > kMaxCachedImageSize) return;
  while (!entries_.empty() && (entries_.size() >= kMaxCachedImages || bytes_ + size > kMaxCachedImageBytes)) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->second.last_use < oldest->second.last_use) oldest = it;
    bytes_ -= oldest->second.image->bytes.size();
    entries_.erase(oldest);
  }
  bytes_ += size;
  const Uuid uuid = image->uuid;
  entries_[uuid] = Entry{std::move(image), ++tick_, now};
}

void VerifiedImageCache::erase(const Uuid& uuid) {
  MutexLock l(mu_);
  auto it = entries_.find(uuid);
  if (it == entries_.end()) return;
  bytes_ -= it->second.image->bytes.size();
  entries_.erase(it);
}

uint64_t VerifiedImageCache::size_hint(const Uuid& uuid) const {
  MutexLock l(mu_);
  auto it = entries_.find(uuid);
  return it == entries_.end() ? 0 : it->second.image->bytes.size();
}

uint64_t VerifiedImageCache::bytes() const {
  MutexLock l(mu_);
  return bytes_;
}

size_t VerifiedImageCache::size() const {
  MutexLock l(mu_);
  return entries_.size();
}

}  // namespace swtee::os
