// libFuzzer target for the OPTEE_MSG decoder: the input is the content of a
// carve-out slot (the arg at offset 0) as a hostile normal world writes it.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/shm_file.h"
#include "os/msg_decode.h"
#include "os/shm_registry.h"
#include "protocol/conduit.h"

namespace {

swtee::os::ShmRegistry& registry() {
  static swtee::os::ShmRegistry* reg = [] {
    auto* r = new swtee::os::ShmRegistry();
    for (uint64_t cookie : {1ull, 2ull, 0x1000ull}) {
      auto fd = swtee::create_sealed_memfd("fuzz", cookie * 16);
      if (!fd.ok()) continue;
      auto shm = swtee::os::adopt_phys_shm(cookie, std::move(*fd), cookie * 16);
      if (shm.ok()) (void)r->add(std::move(*shm));
    }
    return r;
  }();
  return *reg;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> slot(swtee::conduit::kCarveoutSlotSize);
  std::memcpy(slot.data(), data, std::min(size, slot.size()));
  // The first byte also picks where the arg sits, to exercise area sizes.
  const size_t off = size > 0 ? (data[0] % 64) * 8 : 0;
  std::span<uint8_t> area(slot.data() + off, slot.size() - off);
  auto snap = swtee::os::snapshot_arg(area);
  if (!snap) {
    swtee::os::write_status(area, {swtee::kTeeErrorBadParameters, swtee::kTeeOriginTee});
    return 0;
  }
  swtee::os::DecodedMsg msg;
  swtee::GpResult r = swtee::os::decode_msg(*snap, registry(), &msg);
  if (r.ret == swtee::kTeeSuccess) {
    swtee::os::write_results(area, msg, r, 1);
  } else {
    swtee::os::write_status(area, r);
  }
  return 0;
}
