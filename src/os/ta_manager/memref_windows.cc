#include "os/ta_manager/memref_windows.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "common/checked_math.h"
#include "protocol/ta_channel_codec.h"

namespace swtee::os {

Result<MemrefWindows::Window*> MemrefWindows::window(size_t index, size_t dir, uint64_t size) {
  Window& w = w_[index][dir];
  // A sealed output window cannot shrink: a smaller memref, or one over
  // kKeepBytes (whose pages go after its call), gets a fresh window, and
  // that slot's windows are not sealed again (header).
  if (w.fd && w.shrink_sealed && (size < w.size || size > kKeepBytes)) w = Window{.varies = true};
  if (w.fd) return &w;
  const bool seal = dir == 1 && size <= kKeepBytes && !w.varies;
  UniqueFd fd(::memfd_create(dir == 0 ? "swtee-memref-in" : "swtee-memref-out",
                             MFD_CLOEXEC | (seal ? MFD_ALLOW_SEALING : 0)));
  if (!fd) return Error::from_errno("memfd_create for a memref window");
  if (dir == 0) {
    // A read-only open of the same file: a mapping of it can never be
    // made writable (mprotect answers EACCES).
    const std::string path = "/proc/self/fd/" + std::to_string(fd.get());
    UniqueFd ro(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!ro) return Error::from_errno("reopen a memref window read-only");
    w.ta_fd = std::move(ro);
  } else {
    // Sealed before the TA has it: it can grow the window but never shrink
    // it, nor add seals of its own (F_SEAL_SEAL; an unsealed memfd is born
    // with it).
    if (seal && ::fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) != 0)
      return Error::from_errno("seal a memref window against shrinking");
    UniqueFd dup(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
    if (!dup) return Error::from_errno("dup a memref window");
    w.ta_fd = std::move(dup);
  }
  w.fd = std::move(fd);
  w.shrink_sealed = seal;
  w.sent = false;
  return &w;
}

Status MemrefWindows::stage(const OsParams& params, tachan::TaRequest& req, std::vector<int>& fds) {
  uint64_t total = 0;
  for (const OsParam& p : params) {
    if (!tachan::is_known_param_type(static_cast<uint32_t>(p.type))) return Error{EINVAL, "param type"};
    if (!tachan::is_memref_type(static_cast<uint32_t>(p.type)) || !p.shm) continue;
    if (!range_fits(p.offset, p.size, p.shm->size) || p.shm->map.size() < p.shm->size)
      return Error{EINVAL, "memref outside its shared memory"};
    const auto sum = checked_add<uint64_t>(total, p.size);
    if (!sum || *sum > tachan::kMaxCallMemrefBytes)
      return Error{E2BIG, "the call's memrefs exceed what a call may carry"};
    total = *sum;
  }
  for (size_t i = 0; i < kNumGpParams; ++i) {
    const OsParam& p = params[i];
    tachan::TaWireParam& wp = req.params[i];
    wp.type = static_cast<uint32_t>(p.type);
    if (tachan::is_value_type(wp.type)) {
      wp.a = p.a;
      wp.b = p.b;
      continue;
    }
    if (!tachan::is_memref_type(wp.type)) continue;
    wp.b = p.size;
    if (!p.shm) continue;  // NULL memref (a size query)
    wp.present = 1;
    const size_t dir = tachan::window_dir(wp.type);
    auto w = window(i, dir, p.size);
    if (!w.ok()) {
      settle();
      return w.error();
    }
    Window* win = *w;
    // The window had this size already: its pages are there.
    bool kept = win->size == p.size;
    // Exactly the memref's size: past its last page the TA gets SIGBUS. An
    // output window (the TA holds it read-write) may have been resized by
    // the TA, so it is always set; a sealed one the TA grew past this
    // memref cannot shrink back, and is replaced.
    Status s = ok_status();
    if (dir == 1 || !kept) {
      int rc = ::ftruncate(win->fd.get(), static_cast<off_t>(p.size));
      if (rc != 0 && errno == EPERM && win->shrink_sealed) {
        *win = Window{.varies = true};
        w = window(i, dir, p.size);
        if (!w.ok()) {
          settle();
          return w.error();
        }
        win = *w;
        kept = false;
        rc = ::ftruncate(win->fd.get(), static_cast<off_t>(p.size));
      }
      if (rc != 0)
        s = Error::from_errno("size a memref window");
      else
        win->size = p.size;
    }
    win->staged = true;
    if (!win->sent) {
      wp.flags |= tachan::kParamFdAttached;
      fds.push_back(win->ta_fd.get());
    }
    // The copy in: through our mapping when the window kept its pages and
    // only we can shrink it (header), else pwrite.
    const bool mappable = dir == 0 || win->shrink_sealed;
    if (s.ok() && p.type != OsParamType::MemrefOutput) {
      const uint8_t* src = p.shm->map.data() + p.offset;
      if (mappable && kept && p.size > 0 && win->map.size() >= p.size) {
        std::memcpy(win->map.data(), src, p.size);
        ++mapped_copies_;
      } else {
        s = shm_pwrite(win->fd.get(), {src, p.size}, 0, "copy a memref into its window");
      }
    }
    // Map a kept window for the next call's copies. Without a mapping
    // (mmap failed) they stay on pwrite/pread.
    if (s.ok() && mappable && p.size > 0 && p.size <= kKeepBytes && win->map.size() < p.size) {
      auto m = Mapping::map(win->fd.get(), p.size, /*writable=*/true);
      if (m.ok()) win->map = std::move(*m);
    }
    if (!s.ok()) {
      settle();
      return s;
    }
  }
  return ok_status();
}

Status MemrefWindows::finish(const tachan::TaRequest& req, const tachan::TaReply* reply,
                             const OsParams* params) {
  // The fds went out with the request: the TA holds them now.
  for (auto& per_index : w_)
    for (Window& w : per_index)
      if (w.staged && w.ta_fd) {
        w.ta_fd.reset();
        w.sent = true;
      }
  Status result = ok_status();
  if (reply != nullptr && params != nullptr) {
    for (size_t i = 0; i < kNumGpParams; ++i) {
      const uint32_t t = req.params[i].type;
      const OsParam& p = (*params)[i];
      if (!tachan::is_memref_type(t) || !tachan::is_output_type(t) || !p.shm) continue;
      // req holds the size as staged (params may hold the reported one by now).
      const uint64_t n = reply->params[i].a;
      if (n > req.params[i].b) continue;  // a report of the size needed: nothing written
      const Window& win = w_[i][1];
      // A sealed window is at least as long as it was staged (n or more):
      // our mapping of it cannot fault.
      if (win.shrink_sealed && win.map.size() >= n && n > 0) {
        std::memcpy(p.shm->map.data() + p.offset, win.map.data(), n);
        ++mapped_copies_;
        continue;
      }
      // Short (EIO): the TA shrank its window.
      Status s =
          shm_pread(win.fd.get(), {p.shm->map.data() + p.offset, n}, 0, "copy a memref out of its window");
      if (!s.ok() && result.ok()) result = s;
    }
  }
  settle();
  return result;
}

void MemrefWindows::settle() {
  for (auto& per_index : w_)
    for (Window& w : per_index) {
      if (!w.staged) continue;
      w.staged = false;
      if (w.size <= kKeepBytes) continue;
      // Size 0: the memory goes back, and the TA's mapping has no pages.
      // Should that fail, the window is dropped (the TA's mapping keeps
      // the pages until it maps the next window of that slot).
      if (::ftruncate(w.fd.get(), 0) == 0)
        w.size = 0;
      else
        w = Window{};
    }
}

void MemrefWindows::reset() {
  for (auto& per_index : w_)
    for (Window& w : per_index) w = Window{};
}

int MemrefWindows::window_fd(size_t index, size_t dir) const {
  return index < w_.size() && dir < tachan::kNumWindowDirs ? w_[index][dir].fd.get() : -1;
}

}  // namespace swtee::os
