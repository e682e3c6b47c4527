// libFuzzer target for the directory file decoder (dir_file.h): the input
// is a slot byte and then the bytes of a d0/d1 file as a hostile REE FS
// holds it. Seeds (tests/fuzz/corpus/fuzz_storage_dir_file/) are valid commits under fuzz_keys.h.
#include <cstddef>
#include <cstdint>

#include "os/storage/dir_file.h"
#include "os/storage/fuzz/fuzz_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swtee::os::storage;
  if (size < 1) return 0;
  const Bytes file(data + 1, size - 1);
  auto d = open_dir(fuzz::keys(), static_cast<uint16_t>(data[0] & 1), file);
  if (d.ok()) {
    // What a store does with an accepted commit: every inline range is
    // inside the payload, and it seals back.
    for (const DirEntry& e : d->state.entries)
      if (e.inline_len != 0 && e.inline_off + e.inline_len > d->payload.size()) __builtin_trap();
    (void)seal_dir(fuzz::keys(), d->state, d->payload);
  }
  (void)peek_dir_counter(file);
  return 0;
}
