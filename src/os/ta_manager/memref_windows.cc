#include "os/ta_manager/memref_windows.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "common/checked_math.h"
#include "protocol/ta_channel_codec.h"

namespace swtee::os {
namespace {

// pwrite/pread the whole span (short transfers are retried).
Status write_all(int fd, const uint8_t* src, uint64_t n) {
  uint64_t done = 0;
  while (done < n) {
    const ssize_t w = ::pwrite(fd, src + done, n - done, static_cast<off_t>(done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return Error::from_errno("copy a memref into its window");
    done += static_cast<uint64_t>(w);
  }
  return ok_status();
}

Status read_all(int fd, uint8_t* dst, uint64_t n) {
  uint64_t done = 0;
  while (done < n) {
    const ssize_t r = ::pread(fd, dst + done, n - done, static_cast<off_t>(done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Error::from_errno("copy a memref out of its window");
    if (r == 0) return Error{EIO, "the TA shrank an output window"};
    done += static_cast<uint64_t>(r);
  }
  return ok_status();
}

}  // namespace

Result<MemrefWindows::Window*> MemrefWindows::window(size_t index, size_t dir) {
  Window& w = w_[index][dir];
  if (w.fd) return &w;
  UniqueFd fd(::memfd_create(dir == 0 ? "swtee-memref-in" : "swtee-memref-out", MFD_CLOEXEC));
  if (!fd) return Error::from_errno("memfd_create for a memref window");
  if (dir == 0) {
    // A read-only open of the same file: a mapping of it can never be
    // made writable (mprotect answers EACCES).
    const std::string path = "/proc/self/fd/" + std::to_string(fd.get());
    UniqueFd ro(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!ro) return Error::from_errno("reopen a memref window read-only");
    w.ta_fd = std::move(ro);
  } else {
    UniqueFd dup(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
    if (!dup) return Error::from_errno("dup a memref window");
    w.ta_fd = std::move(dup);
  }
  w.fd = std::move(fd);
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
    auto w = window(i, dir);
    if (!w.ok()) {
      settle();
      return w.error();
    }
    Window& win = **w;
    win.staged = true;
    if (!win.sent) {
      wp.flags |= tachan::kParamFdAttached;
      fds.push_back(win.ta_fd.get());
    }
    Status s = ok_status();
    const uint8_t* src = p.shm->map.data() + p.offset;
    // An input window of the same size as last time: its pages are there
    // and nobody but us can resize it (header).
    const bool through_map = dir == 0 && p.size > 0 && win.size == p.size && win.map.size() >= p.size;
    if (through_map) {
      std::memcpy(win.map.data(), src, p.size);
      ++mapped_copies_;
    } else if (p.type != OsParamType::MemrefOutput) {
      s = write_all(win.fd.get(), src, p.size);
    }
    // Exactly the memref's size: past its last page the TA gets SIGBUS. An
    // output window (the TA holds it read-write) may have been resized by
    // the TA, so it is always set.
    if (s.ok() && (dir == 1 || win.size != p.size)) {
      if (::ftruncate(win.fd.get(), static_cast<off_t>(p.size)) != 0)
        s = Error::from_errno("size a memref window");
      else
        win.size = p.size;
    }
    // Map a kept input window for the next call's copy. Without a mapping
    // (mmap failed) the copy stays on pwrite.
    if (s.ok() && dir == 0 && p.size > 0 && p.size <= kKeepBytes && win.map.size() < p.size) {
      auto m = Mapping::map(win.fd.get(), p.size, /*writable=*/true);
      if (m.ok()) win.map = std::move(*m);
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
      Status s = read_all(w_[i][1].fd.get(), p.shm->map.data() + p.offset, n);
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
