// TA side of the memref windows (ta_channel_wire.h): the OS copies each
// memref of a call into a window, a memfd per parameter and direction, as
// long as the memref (os/ta_manager/memref_windows.h). The TA maps each
// window once, at a size rounded up to kWindowMapGranule, and remaps it
// only when a call needs another number of granules. Mapped bytes stay below kMaxCallMemrefBytes
// plus 12 granules: a call's memrefs total at most kMaxCallMemrefBytes
// (the OS checks), and trim() drops large mappings of windows a call does
// not use.
//  - An input window arrives as a read-only fd and is mapped PROT_READ: a
//    write faults, and the kernel refuses mprotect(PROT_WRITE) (EACCES).
//  - Past the memref's last page a window has no pages: an access gets
//    SIGBUS.
// The pages of the call's memref (not the rest of the mapping) are
// registered in shared_ranges() as client memory, with the window's access,
// so TEE_CheckMemoryAccessRights tells them apart from the TA's own and
// refuses the pages past the memref, as OP-TEE does (they are not mapped
// there; here they are mapped but past the window's end).
#pragma once

#include <array>
#include <cstdint>

#include "common/result.h"
#include "common/shm_file.h"
#include "common/unique_fd.h"
#include "protocol/ta_channel_wire.h"

namespace swtee::ta {

// A mapping of client-visible memory, its first `exposed` bytes registered
// as a shared range (all of it until expose() says otherwise). Move-only.
class ClientMapping {
 public:
  ClientMapping() = default;
  [[nodiscard]] static Result<ClientMapping> map(int fd, uint64_t size, bool writable);
  ClientMapping(ClientMapping&& o) noexcept
      : map_(std::move(o.map_)), writable_(o.writable_), exposed_(o.exposed_) {}
  ClientMapping& operator=(ClientMapping&& o) noexcept;
  ClientMapping(const ClientMapping&) = delete;
  ClientMapping& operator=(const ClientMapping&) = delete;
  ~ClientMapping() { reset(); }

  uint8_t* data() const { return map_.data(); }
  size_t size() const { return map_.size(); }
  // Registers [data, data + n) instead (n at most size(); 0: nothing).
  [[nodiscard]] Status expose(size_t n);
  void reset();

 private:
  ClientMapping(Mapping m, bool writable) : map_(std::move(m)), writable_(writable), exposed_(map_.size()) {}
  Mapping map_;
  bool writable_ = false;
  size_t exposed_ = 0;  // bytes registered from data()
};

class MemrefWindows {
 public:
  // Takes the window fd of parameter `index`, direction `dir` (window_dir()),
  // replacing an older one. EINVAL for an index or dir out of range, or
  // for an fd that is not a regular file (memfd).
  [[nodiscard]] Status adopt(size_t index, size_t dir, UniqueFd fd);
  // How buffer() prepares the pages the OS copied in: a window over
  // kWindowKeepBytes (whose pages the OS freed after its last call) gets
  // them mapped in one call (MADV_POPULATE_*) rather than by a fault per
  // page. A smaller one keeps its mappings from call to call, and a
  // populate would only walk them again (measured: +100 us per MiB). An
  // output window's pages do not exist until written.
  enum class Fill : uint8_t { None, Read, Write };
  // The start of the window, mapped over at least `size` bytes (remapped to
  // size's number of granules when it has another). ENOENT
  // when the OS never sent that window, ERANGE past kMaxCallMemrefBytes.
  [[nodiscard]] Result<uint8_t*> buffer(size_t index, size_t dir, uint64_t size, Fill fill = Fill::None);
  // Unmaps the windows that are not in `used` (bit index * 2 + dir) and
  // hold more than one granule.
  void trim(uint32_t used);
  // Mapped bytes across all windows (address-space accounting, tests).
  uint64_t mapped_bytes() const;

 private:
  struct Window {
    UniqueFd fd;
    ClientMapping map;
  };
  std::array<std::array<Window, tachan::kNumWindowDirs>, tachan::kNumParams> w_;
};

}  // namespace swtee::ta
