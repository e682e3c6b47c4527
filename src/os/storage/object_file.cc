#include "os/storage/object_file.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "common/checked_math.h"
#include "os/storage/storage_errors.h"
#include "os/storage/wire.h"

namespace swtee::os::storage {
namespace {

ObjectHeader header_of(const ObjectVersion& v) {
  ObjectHeader h{};
  h.magic = kObjectMagic;
  h.format = kObjectFormat;
  h.chunk_log2 = kChunkLog2;
  h.generation = v.generation;
  h.data_len = v.data_len;
  h.meta_len = v.meta_len;
  std::memcpy(h.salt, v.salt.data(), kSaltSize);
  std::memcpy(h.uid, v.uid.data(), kUidSize);
  return h;
}

uint64_t stream_len(const ObjectVersion& v) { return v.data_len + v.meta_len; }

Nonce chunk_nonce(uint64_t i) {
  Nonce n{};
  put_le(n, 4, i, 8);
  return n;
}

std::vector<uint8_t> aad_for(const ObjectHeader& h, uint64_t i, bool last) {
  std::vector<uint8_t> aad(sizeof(ObjectHeader) + 9);
  std::memcpy(aad.data(), &h, sizeof(h));
  put_le(aad, sizeof(h), i, 8);
  aad[sizeof(h) + 8] = last ? 1 : 0;
  return aad;
}

}  // namespace

uint64_t chunk_count(const ObjectVersion& v) {
  const uint64_t n = stream_len(v);
  return n == 0 ? 1 : (n + kChunkSize - 1) / kChunkSize;
}

std::optional<uint64_t> object_file_size(const ObjectVersion& v) {
  if (v.data_len > (uint64_t{1} << 48)) return std::nullopt;  // far beyond any object limit
  const uint64_t full = stream_len(v);
  return sizeof(ObjectHeader) + full + chunk_count(v) * kTagSize;
}

Result<std::vector<uint8_t>> seal_object(const TaKeys& ta, const ObjectVersion& v, Bytes meta, Bytes data) {
  if (meta.size() != v.meta_len || data.size() != v.data_len) return Error{EINVAL, "object lengths"};
  auto size = object_file_size(v);
  if (!size) return Error{EFBIG, "object too large"};
  ASSIGN_OR_RETURN(SecretKey key, KeyChain::object_key(ta, v.uid, v.generation, v.salt));
  const ObjectHeader h = header_of(v);
  std::vector<uint8_t> out(*size);
  std::memcpy(out.data(), &h, sizeof(h));
  const uint64_t n = chunk_count(v);
  const uint64_t total = stream_len(v);
  std::vector<uint8_t> plain(static_cast<size_t>(std::min<uint64_t>(total, kChunkSize)));
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t pos = i * kChunkSize;
    const size_t len = static_cast<size_t>(std::min<uint64_t>(kChunkSize, total - pos));
    // Gather the chunk's stream bytes from meta and data.
    for (size_t k = 0; k < len; ++k) {
      const uint64_t s = pos + k;
      plain[k] = s < meta.size() ? meta[s] : data[s - meta.size()];
    }
    uint8_t* dst = out.data() + sizeof(ObjectHeader) + i * kChunkStride;
    Tag tag{};
    TRY_STATUS(gcm_seal(key, chunk_nonce(i), aad_for(h, i, i + 1 == n), Bytes(plain.data(), len),
                        std::span<uint8_t>(dst, len), &tag));
    std::memcpy(dst + len, tag.data(), kTagSize);
  }
  return out;
}

Status check_header(const ObjectVersion& v, Bytes on_disk) {
  const ObjectHeader h = header_of(v);
  if (on_disk.size() != sizeof(h) || std::memcmp(on_disk.data(), &h, sizeof(h)) != 0)
    return corrupt("object header");
  return {};
}

ChunkSpan chunks_for(const ObjectVersion& v, uint64_t pos, uint64_t len) {
  const uint64_t total = stream_len(v);
  const uint64_t n = chunk_count(v);
  ChunkSpan s;
  if (total == 0) {
    s.first = 0;
    s.count = 1;
  } else {
    const uint64_t end = std::min(total, pos + len);
    s.first = std::min(pos / kChunkSize, n - 1);
    const uint64_t last = end == 0 ? 0 : std::min((end - 1) / kChunkSize, n - 1);
    s.count = last >= s.first ? last - s.first + 1 : 1;
  }
  s.file_off = sizeof(ObjectHeader) + s.first * kChunkStride;
  const uint64_t last_idx = s.first + s.count - 1;
  const uint64_t last_len = std::min(kChunkSize, total - std::min(total, last_idx * kChunkSize));
  s.file_len = (s.count - 1) * kChunkStride + last_len + kTagSize;
  return s;
}

Result<std::vector<uint8_t>> open_chunks(const TaKeys& ta, const ObjectVersion& v, const ChunkSpan& span,
                                         Bytes file) {
  if (file.size() != span.file_len) return corrupt("object file truncated");
  ASSIGN_OR_RETURN(SecretKey key, KeyChain::object_key(ta, v.uid, v.generation, v.salt));
  const ObjectHeader h = header_of(v);
  const uint64_t n = chunk_count(v);
  const uint64_t total = stream_len(v);
  std::vector<uint8_t> out;
  out.reserve(static_cast<size_t>(span.file_len));
  for (uint64_t k = 0; k < span.count; ++k) {
    const uint64_t i = span.first + k;
    const uint64_t pos = i * kChunkSize;
    const size_t len = static_cast<size_t>(std::min<uint64_t>(kChunkSize, total - std::min(total, pos)));
    const uint8_t* src = file.data() + k * kChunkStride;
    Tag tag{};
    std::memcpy(tag.data(), src + len, kTagSize);
    const size_t at = out.size();
    out.resize(at + len);
    TRY_STATUS(gcm_open(key, chunk_nonce(i), aad_for(h, i, i + 1 == n), Bytes(src, len), tag,
                        std::span<uint8_t>(out.data() + at, len)));
  }
  return out;
}

}  // namespace swtee::os::storage
