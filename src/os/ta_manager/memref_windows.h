// The OS side of a TA instance's memref windows (ta_channel_wire.h): a TA
// never maps a client's memory. For each call the OS copies every memref
// into a window of its own, a memfd per parameter and direction sized to
// the memref, and after the call copies the outputs back. So the TA never
// reaches a client's pages, during the call or after it, nor anything past
// the memref's last page (SIGBUS), and an input memref is read-only to it:
// its window reaches the TA as an O_RDONLY fd (a write faults; mprotect and
// mmap PROT_WRITE answer EACCES).
//
// Between calls a window keeps its pages (up to kKeepBytes; a larger one
// is truncated to 0 after its call): a touch of it after the call reaches
// the TA's own copy of what it was given, not the client's memory. OP-TEE
// unmaps a call's memrefs after the call (core/mm/vm.c, vm_clean_param),
// so there such a touch faults. Faulting here would mean truncating every
// window after every call, and the page faults and TLB shootdowns that
// costs were measured at 40-70 us per call with a memref on the 2-vCPU VM
// (a 4 KiB temporary memref: 115 us instead of 48; docs/performance.md),
// for no data the TA had not been given already.
//
// The copies go through the OS's own mapping of a window (a memcpy)
// wherever the TA cannot shrink it under that mapping: an input window
// (the TA holds it O_RDONLY, so only the OS sizes it), and an output or
// inout window up to kKeepBytes, sealed F_SEAL_SHRINK | F_SEAL_SEAL before
// the TA gets it (the TA may grow it; the next call then replaces it, as
// it does for a smaller memref). A slot whose sealed window had to be
// replaced gets unsealed windows from then on, sized exactly each call as
// before and copied with pwrite/pread: a fresh window costs the TA a fault
// on every page it writes (an output alternating between 1 MiB and 1 MiB
// less 4 KiB took 3.6 ms a call that way, 0.14-0.27 ms resized in place).
// Only a window that kept its size since its last call is copied into
// that way; a resized one goes through pwrite, which allocates its fresh
// pages without faulting them in. The rest (windows over kKeepBytes, whose
// pages go after each call) stay on pwrite/pread. On the 2-vCPU VM a
// memcpy into kept pages took 0.07 us for 4 KiB and 21 us for 1 MiB,
// pwrite 1.6 and 47 us.
//
// What is copied: input and inout memrefs in, before the call; output and
// inout memrefs out, after the call whatever its result, as many bytes as
// the TA reported, unless that is more than the buffer (a report of the
// size needed: nothing is copied, as in optee_client's post-processing).
// An output memref starts zeroed. GP leaves its contents undefined, and
// OP-TEE differs here: its TA sees the client's bytes (the pages of
// allocated memory, and temporary memrefs, which optee_client copies in
// whatever their direction), so bytes a TA reports without writing them
// come back as the client had them there, and as zeros here.
// Not thread-safe: the instance's lock serialises its calls.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "common/result.h"
#include "common/shm_file.h"
#include "common/unique_fd.h"
#include "os/os_types.h"
#include "protocol/ta_channel_wire.h"

namespace swtee::os {

class MemrefWindows {
 public:
  // A window up to this size keeps its pages between calls, so an idle
  // instance holds at most 8 x 2 MiB of them (swtee-os's memory).
  static constexpr uint64_t kKeepBytes = tachan::kWindowKeepBytes;

  // Fills req.params from `params` (types, values, memref sizes) and
  // copies the memrefs in. Each window the TA has not got yet is created,
  // and the fd for the TA appended to `fds` (flag kParamFdAttached); those
  // fds stay open until finish(). EINVAL for an unknown type or a memref
  // outside its shm, E2BIG past kMaxCallMemrefBytes, else the errno of a
  // failed memfd operation.
  [[nodiscard]] Status stage(const OsParams& params, tachan::TaRequest& req, std::vector<int>& fds);
  // After the TA's reply (validated; null when there is none): copies the
  // output memrefs back into their shm. Always (null reply too): releases
  // the pages of every window of the call over kKeepBytes. EIO when a window came back shorter
  // than its output (the TA shrank it); nothing is copied for that memref.
  [[nodiscard]] Status finish(const tachan::TaRequest& req, const tachan::TaReply* reply,
                              const OsParams* params);
  // The instance is gone: drop every window (its process had the only
  // other reference).
  void reset();
  // For tests: the OS-side fd of a window (-1 if none) and its size now.
  int window_fd(size_t index, size_t dir) const;
  // For tests: how many copies (in or out) went through the OS's mapping.
  uint64_t mapped_copies() const { return mapped_copies_; }

 private:
  struct Window {
    UniqueFd fd;        // read-write, ours
    UniqueFd ta_fd;     // what the TA gets (read-only for input); closed once sent
    bool sent = false;  // the TA has it
    bool staged = false;
    uint64_t size = 0;           // the file's size as the OS last set it
    Mapping map;                 // ours, read-write, of a window the TA cannot shrink
    bool shrink_sealed = false;  // an output window, F_SEAL_SHRINK | F_SEAL_SEAL
    bool varies = false;         // this slot's size shrank once: never sealed again
  };
  // The window of a memref of `size` bytes, made if need be (and remade
  // when a sealed one cannot take that size).
  Result<Window*> window(size_t index, size_t dir, uint64_t size);
  void settle();
  std::array<std::array<Window, tachan::kNumWindowDirs>, tachan::kNumParams> w_;
  uint64_t mapped_copies_ = 0;
};

}  // namespace swtee::os
