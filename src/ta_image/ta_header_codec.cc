#include "ta_image/ta_header_codec.h"

#include <cstddef>
#include <cstring>

namespace swtee::taimg {
namespace {

template <typename T>
void put_le(uint8_t* out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i));
}

template <typename T>
T get_le(const uint8_t* in) {
  uint64_t v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= uint64_t{in[i]} << (8 * i);
  return static_cast<T>(v);
}

}  // namespace

HeaderBytes encode_header(const TaImageHeader& h) {
  HeaderBytes b{};
  put_le(&b[offsetof(TaImageHeader, magic)], h.magic);
  put_le(&b[offsetof(TaImageHeader, format_version)], h.format_version);
  put_le(&b[offsetof(TaImageHeader, header_size)], h.header_size);
  std::memcpy(&b[offsetof(TaImageHeader, uuid)], h.uuid, sizeof(h.uuid));
  put_le(&b[offsetof(TaImageHeader, ta_flags)], h.ta_flags);
  put_le(&b[offsetof(TaImageHeader, sig_algo)], h.sig_algo);
  put_le(&b[offsetof(TaImageHeader, payload_size)], h.payload_size);
  std::memcpy(&b[offsetof(TaImageHeader, payload_hash)], h.payload_hash, sizeof(h.payload_hash));
  put_le(&b[offsetof(TaImageHeader, sig_size)], h.sig_size);
  std::memcpy(&b[offsetof(TaImageHeader, reserved)], h.reserved, sizeof(h.reserved));
  std::memcpy(&b[offsetof(TaImageHeader, signature)], h.signature, sizeof(h.signature));
  return b;
}

TaImageHeader decode_header(std::span<const uint8_t, sizeof(TaImageHeader)> bytes) {
  const uint8_t* b = bytes.data();
  TaImageHeader h{};
  h.magic = get_le<uint32_t>(b + offsetof(TaImageHeader, magic));
  h.format_version = get_le<uint16_t>(b + offsetof(TaImageHeader, format_version));
  h.header_size = get_le<uint16_t>(b + offsetof(TaImageHeader, header_size));
  std::memcpy(h.uuid, b + offsetof(TaImageHeader, uuid), sizeof(h.uuid));
  h.ta_flags = get_le<uint32_t>(b + offsetof(TaImageHeader, ta_flags));
  h.sig_algo = get_le<uint32_t>(b + offsetof(TaImageHeader, sig_algo));
  h.payload_size = get_le<uint64_t>(b + offsetof(TaImageHeader, payload_size));
  std::memcpy(h.payload_hash, b + offsetof(TaImageHeader, payload_hash), sizeof(h.payload_hash));
  h.sig_size = get_le<uint16_t>(b + offsetof(TaImageHeader, sig_size));
  std::memcpy(h.reserved, b + offsetof(TaImageHeader, reserved), sizeof(h.reserved));
  std::memcpy(h.signature, b + offsetof(TaImageHeader, signature), sizeof(h.signature));
  return h;
}

}  // namespace swtee::taimg
