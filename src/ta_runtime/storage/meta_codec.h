// The attribute ("meta") blob of a persistent object: the object's type,
// sizes, usage and key attributes, serialised by the TA runtime and stored
// by swtee-os beside the data, encrypted and authenticated (the OS treats
// it as opaque bytes). Format v1, little endian:
//
//   MetaHeader (32 bytes)
//   attr_count × { u32 id; u32 a; u32 b; u32 len; len bytes }
//
// The enumerator gets only the first storage_abi::kEnumMetaPrefix bytes,
// which hold the whole header. A blob that does not parse is a corrupt
// object. Blobs hold key material: MetaBlob wipes itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ta_runtime/crypto/object.h"

namespace swtee::ta::storage {

inline constexpr uint32_t kMetaMagic = 0x314d5053;  // "SPM1"
inline constexpr uint16_t kMetaVersion = 1;

struct MetaHeader {
  uint32_t magic;
  uint16_t version;
  uint16_t reserved;
  uint32_t object_type;
  uint32_t object_size;      // bits (TEE_ObjectInfo.objectSize)
  uint32_t max_object_size;  // bits
  uint32_t usage;
  uint32_t attr_count;
  uint32_t attr_bytes;  // bytes after the header
};
static_assert(sizeof(MetaHeader) == 32);
static_assert(offsetof(MetaHeader, object_type) == 8 && offsetof(MetaHeader, attr_bytes) == 28);

struct MetaAttrRecord {
  uint32_t id;
  uint32_t a;
  uint32_t b;
  uint32_t len;
};
static_assert(sizeof(MetaAttrRecord) == 16);

// A byte vector that is wiped when it goes.
class MetaBlob {
 public:
  MetaBlob() = default;
  ~MetaBlob();
  MetaBlob(MetaBlob&&) noexcept = default;
  MetaBlob& operator=(MetaBlob&&) noexcept = default;
  MetaBlob(const MetaBlob&) = delete;
  MetaBlob& operator=(const MetaBlob&) = delete;
  std::vector<uint8_t> bytes;
};

// The type of objects created without attributes (TEE_TYPE_DATA).
const crypto::ObjectTypeInfo& data_object_type() noexcept;

// Serialises `o`'s type, sizes, usage and attributes; false when the blob
// would exceed `max_len` or memory runs out.
[[nodiscard]] bool encode_meta(const crypto::Object& o, size_t max_len, MetaBlob* out) noexcept;
// Fills type, max_size, key_size, usage and attrs of `o` from a blob; false
// when it does not parse (unknown magic/version/type, bad lengths).
[[nodiscard]] bool decode_meta(std::span<const uint8_t> blob, crypto::Object& o) noexcept;
// The header alone (enumeration); false when it does not parse.
[[nodiscard]] bool decode_meta_header(std::span<const uint8_t> prefix, MetaHeader* h) noexcept;

}  // namespace swtee::ta::storage
