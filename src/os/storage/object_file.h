// The object file format: one version of one persistent object.
//
//   ObjectHeader (64 B, plain) ‖ chunk 0 ‖ chunk 1 ‖ … ‖ chunk n-1
//   chunk i = AES-256-GCM(ciphertext of stream[i*C, (i+1)*C)) ‖ tag (16 B)
//
// stream = meta ‖ data (meta: the opaque attribute blob of the GP layer),
// C = 16 KiB; there is always at least one chunk, so the header is always
// authenticated. Chunk i uses the version key (key_chain.h: TSK, salt, uid,
// generation), nonce = 0^32 ‖ le64(i), and AAD = the expected header ‖
// le64(i) ‖ last-flag. The header is never trusted from disk: readers rebuild
// it from the directory entry (object_version), so a file of another object,
// TA or generation, a truncated or extended file, or a moved chunk fails the
// tag check. Chunks make range reads cost O(range), not O(object).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "os/storage/key_chain.h"

namespace swtee::os::storage {

inline constexpr uint32_t kObjectMagic = 0x424f5753;  // "SWOB"
inline constexpr uint16_t kObjectFormat = 1;
inline constexpr uint32_t kChunkLog2 = 14;
inline constexpr uint64_t kChunkSize = uint64_t{1} << kChunkLog2;
inline constexpr uint64_t kChunkStride = kChunkSize + kTagSize;

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "on-disk formats are little endian");

struct ObjectHeader {
  uint32_t magic;
  uint16_t format;
  uint16_t chunk_log2;
  uint64_t generation;
  uint64_t data_len;
  uint32_t meta_len;
  uint32_t reserved;
  uint8_t salt[kSaltSize];
  uint8_t uid[kUidSize];
};
static_assert(sizeof(ObjectHeader) == 64);
static_assert(offsetof(ObjectHeader, generation) == 8 && offsetof(ObjectHeader, data_len) == 16);
static_assert(offsetof(ObjectHeader, meta_len) == 24 && offsetof(ObjectHeader, salt) == 32);
static_assert(offsetof(ObjectHeader, uid) == 48);

// What the directory entry pins about one stored version.
struct ObjectVersion {
  ObjectUid uid{};
  uint64_t generation = 0;
  Salt salt{};
  uint32_t meta_len = 0;
  uint64_t data_len = 0;
};

uint64_t chunk_count(const ObjectVersion& v);
// Total file size of a version; nullopt when it overflows.
std::optional<uint64_t> object_file_size(const ObjectVersion& v);

// Seals meta ‖ data as version `v` (v.meta_len/data_len must match).
Result<std::vector<uint8_t>> seal_object(const TaKeys& ta, const ObjectVersion& v, Bytes meta, Bytes data);

// The file bytes needed to read stream range [pos, pos+len): chunks
// [first, last] at file offset `file_off`, `file_len` bytes.
struct ChunkSpan {
  uint64_t first = 0;
  uint64_t count = 0;
  uint64_t file_off = 0;
  uint64_t file_len = 0;
};
ChunkSpan chunks_for(const ObjectVersion& v, uint64_t pos, uint64_t len);

// Checks an object file's on-disk header byte for byte against the one the
// directory entry implies: the header is never trusted, but a changed
// header byte is still tampering and must be reported (CORRUPT_OBJECT).
Status check_header(const ObjectVersion& v, Bytes on_disk);

// Opens the chunks of `span` read from disk (`file` = exactly file_len bytes
// or fewer when the file is short: kErrCorrupt) into the stream bytes they
// cover, starting at stream offset span.first * kChunkSize.
Result<std::vector<uint8_t>> open_chunks(const TaKeys& ta, const ObjectVersion& v, const ChunkSpan& span,
                                         Bytes file);

}  // namespace swtee::os::storage
