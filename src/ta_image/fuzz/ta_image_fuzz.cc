// libFuzzer target: verify_ta_image and read_ta_info_from_elf on arbitrary
// bytes must never read out of bounds or crash. A fixed public key makes the
// signature path reachable for well-formed headers.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ta_image/ta_elf_info.h"
#include "ta_image/ta_image.h"

namespace {

const std::vector<std::string>& keys() {
  static const std::vector<std::string> k = [] {
    auto pair = swtee::taimg::generate_signing_key();
    return pair.ok() ? std::vector<std::string>{pair->second} : std::vector<std::string>{};
  }();
  return k;
}

}  // namespace

// The signing key is generated before the first input, so its cost (seconds
// on a loaded machine) is not charged to that input's timeout.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)keys();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  swtee::Uuid expected{};
  if (size >= 24) std::copy(data + 8, data + 24, expected.octets.begin());
  (void)swtee::taimg::verify_ta_image(in, expected, keys());
  (void)swtee::taimg::read_ta_info_from_elf(in);
  return 0;
}
