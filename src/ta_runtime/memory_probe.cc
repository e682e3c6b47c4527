#include "ta_runtime/memory_probe.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "common/checked_math.h"

namespace swtee::ta {
namespace {

uintptr_t page_size() noexcept {
  static const uintptr_t ps = [] {
    const long v = ::sysconf(_SC_PAGESIZE);  // from the auxv: no syscall
    return v > 0 ? static_cast<uintptr_t>(v) : uintptr_t{4096};
  }();
  return ps;
}

bool word_readable(uintptr_t word) noexcept {
  timespec zero{0, 0};
  for (;;) {
    const long r =
        ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_PRIVATE, 0u, &zero, nullptr, 0u);
    if (r == 0) return true;  // woken: it read the word
    if (errno == EINTR) continue;
    return errno != EFAULT;  // EAGAIN (value differs) or ETIMEDOUT (equal)
  }
}

bool word_writable(uintptr_t word) noexcept {
  static uint32_t no_waiters = 0;  // uaddr1: nobody ever waits here
  const uint32_t add_zero = FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0);
  for (;;) {
    const long r = ::syscall(SYS_futex, &no_waiters, FUTEX_WAKE_OP_PRIVATE, 0u,
                             reinterpret_cast<const timespec*>(uintptr_t{0}) /* nr_wake2 = 0 */,
                             reinterpret_cast<uint32_t*>(word), add_zero);
    if (r >= 0) return true;
    if (errno == EINTR || errno == EAGAIN) continue;
    return false;
  }
}

}  // namespace

bool probe_memory(uintptr_t start, size_t size, bool write) noexcept {
  if (size == 0) return true;
  const auto end = checked_add<uintptr_t>(start, size);
  if (!end || start == 0) return false;
  const uintptr_t ps = page_size();
  uintptr_t at = start;
  while (at < *end) {
    const uintptr_t word = at & ~uintptr_t{3};  // same page as `at`
    if (!word_readable(word)) return false;
    if (write && !word_writable(word)) return false;
    const uintptr_t next_page = (at & ~(ps - 1)) + ps;
    if (next_page <= at) break;  // the last page of the address space
    at = next_page;
  }
  return true;
}

}  // namespace swtee::ta
