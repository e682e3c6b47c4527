// libFuzzer target for the object file decoder (object_file.h): the input
// is the version a directory entry names (DirEntryWire), a read range, and
// then the object file's bytes as a hostile REE FS holds them. Readers
// rebuild the header from the entry, compare the file's header with it and
// open only the chunks the range needs, as TaStore::read_stream does.
// Seeds (tests/fuzz/corpus/fuzz_storage_object_file/) are valid versions under fuzz_keys.h.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "os/storage/dir_file.h"
#include "os/storage/fuzz/fuzz_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swtee::os::storage;
  constexpr size_t kPrefix = sizeof(DirEntryWire) + 16;
  if (size < kPrefix) return 0;
  DirEntryWire w;
  std::memcpy(&w, data, sizeof(w));
  uint64_t pos = 0, len = 0;
  std::memcpy(&pos, data + sizeof(w), 8);
  std::memcpy(&len, data + sizeof(w) + 8, 8);
  ObjectVersion v;
  v.meta_len = w.meta_len;
  v.data_len = w.data_len;
  v.generation = w.generation;
  std::memcpy(v.uid.data(), w.uid, v.uid.size());
  std::memcpy(v.salt.data(), w.salt, v.salt.size());
  // Entries whose size does not compute never reach a reader (from_wire).
  if (!object_file_size(v) || v.meta_len > (64u << 10) || v.data_len > (64ull << 20)) return 0;
  const Bytes file(data + kPrefix, size - kPrefix);
  const uint64_t total = uint64_t{v.meta_len} + v.data_len;
  pos = total == 0 ? 0 : pos % total;
  len = len % (total - pos + 1);
  const ChunkSpan span = chunks_for(v, pos, len);
  if (file.size() < sizeof(ObjectHeader) || !check_header(v, file.first(sizeof(ObjectHeader))).ok()) return 0;
  if (span.file_off > file.size()) return 0;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(span.file_len, file.size() - span.file_off));
  auto plain = open_chunks(fuzz::keys(), v, span, file.subspan(static_cast<size_t>(span.file_off), n));
  if (plain.ok() && plain->size() > span.count * kChunkSize) __builtin_trap();
  return 0;
}
