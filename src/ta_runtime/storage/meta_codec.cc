#include "ta_runtime/storage/meta_codec.h"

#include <openssl/crypto.h>

#include <cstring>
#include <new>

#include "ta_runtime/crypto/object_types.h"

namespace swtee::ta::storage {

namespace {

const crypto::ObjectTypeInfo kDataType{TEE_TYPE_DATA, crypto::KeySizeRule::kRange, 0, 0, 1, {}};

}  // namespace

MetaBlob::~MetaBlob() {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

const crypto::ObjectTypeInfo& data_object_type() noexcept { return kDataType; }

bool encode_meta(const crypto::Object& o, size_t max_len, MetaBlob* out) noexcept {
  size_t total = sizeof(MetaHeader);
  for (const auto& at : o.attrs) {
    total += sizeof(MetaAttrRecord) + at.ref.size();
    if (total > max_len) return false;
  }
  if (total > max_len) return false;
  MetaHeader h{};
  h.magic = kMetaMagic;
  h.version = kMetaVersion;
  h.object_type = o.type->type;
  h.object_size = o.key_size;
  h.max_object_size = o.max_size;
  h.usage = o.usage;
  h.attr_count = static_cast<uint32_t>(o.attrs.size());
  h.attr_bytes = static_cast<uint32_t>(total - sizeof(MetaHeader));
  std::vector<uint8_t> b;
  try {
    b.resize(total);
  } catch (const std::bad_alloc&) {
    return false;
  }
  std::memcpy(b.data(), &h, sizeof(h));
  size_t at_off = sizeof(h);
  for (const auto& at : o.attrs) {
    MetaAttrRecord r{at.id, at.a, at.b, static_cast<uint32_t>(at.ref.size())};
    std::memcpy(b.data() + at_off, &r, sizeof(r));
    at_off += sizeof(r);
    if (r.len != 0) std::memcpy(b.data() + at_off, at.ref.data(), r.len);
    at_off += r.len;
  }
  out->bytes = std::move(b);
  return true;
}

bool decode_meta_header(std::span<const uint8_t> prefix, MetaHeader* h) noexcept {
  if (prefix.size() < sizeof(MetaHeader)) return false;
  std::memcpy(h, prefix.data(), sizeof(*h));
  return h->magic == kMetaMagic && h->version == kMetaVersion && h->reserved == 0;
}

bool decode_meta(std::span<const uint8_t> blob, crypto::Object& o) noexcept {
  MetaHeader h{};
  if (!decode_meta_header(blob, &h)) return false;
  if (h.attr_bytes != blob.size() - sizeof(MetaHeader)) return false;
  const crypto::ObjectTypeInfo* t =
      h.object_type == TEE_TYPE_DATA ? &kDataType : crypto::find_object_type(h.object_type);
  if (t == nullptr) return false;
  if (t == &kDataType && (h.attr_count != 0 || h.object_size != 0)) return false;
  std::vector<crypto::Attr> attrs;
  size_t off = sizeof(MetaHeader);
  try {
    attrs.reserve(h.attr_count);
    for (uint32_t i = 0; i < h.attr_count; ++i) {
      MetaAttrRecord r{};
      if (blob.size() - off < sizeof(r)) return false;
      std::memcpy(&r, blob.data() + off, sizeof(r));
      off += sizeof(r);
      if (blob.size() - off < r.len) return false;
      if (crypto::attr_is_value(r.id) && r.len != 0) return false;
      crypto::Attr at;
      at.id = r.id;
      at.a = r.a;
      at.b = r.b;
      if (!at.ref.assign(blob.data() + off, r.len)) return false;
      off += r.len;
      attrs.push_back(std::move(at));
    }
  } catch (const std::bad_alloc&) {
    return false;
  }
  if (off != blob.size()) return false;
  o.type = t;
  o.key_size = h.object_size;
  o.max_size = h.max_object_size;
  o.usage = h.usage;
  o.attrs = std::move(attrs);
  return true;
}

}  // namespace swtee::ta::storage
