// GP TEE Internal Core API: cancellation, TEE_Wait and system time.
//
// The OS marks a call cancelled by storing its seq into the parameter page
// (ParamPage::cancel_seq) and waking the futex there, so TEE_Wait sleeps on
// that word and wakes at once when the client cancels.
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

#include "ta_runtime/runtime_state.h"
#include "tee_internal_api.h"

using swtee::ta::runtime;

namespace {

int64_t now_ms() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

bool cancelled_unmasked() noexcept { return !runtime().cancel_masked && swtee::ta::cancel_requested(); }

// Sleeps until the cancel word changes from `seen`, a wake-up, or `ms`
// elapse (ms < 0: no timeout).
void wait_on_page(uint32_t seen, int64_t ms) noexcept {
  const auto* page = runtime().page;
  if (page == nullptr) {
    timespec ts{static_cast<time_t>(ms / 1000), static_cast<long>((ms % 1000) * 1000000)};
    if (ms >= 0) ::nanosleep(&ts, nullptr);
    return;
  }
  timespec ts{};
  timespec* tp = nullptr;
  if (ms >= 0) {
    ts.tv_sec = static_cast<time_t>(ms / 1000);
    ts.tv_nsec = static_cast<long>((ms % 1000) * 1000000);
    tp = &ts;
  }
  // A shared (not PRIVATE) futex: the OS wakes it from another process.
  ::syscall(SYS_futex, &page->cancel_seq, FUTEX_WAIT, seen, tp, nullptr, 0);
}

TEE_Result ta_wait(uint32_t timeout) noexcept {
  const bool infinite = timeout == TEE_TIMEOUT_INFINITE;
  const int64_t deadline = now_ms() + static_cast<int64_t>(timeout);
  for (;;) {
    if (cancelled_unmasked()) return TEE_ERROR_CANCEL;
    const auto* page = runtime().page;
    const uint32_t seen = page != nullptr ? page->cancel_seq.load(std::memory_order_acquire) : 0;
    if (cancelled_unmasked()) return TEE_ERROR_CANCEL;
    int64_t left = -1;
    if (!infinite) {
      left = deadline - now_ms();
      if (left <= 0) return TEE_SUCCESS;
    }
    wait_on_page(seen, left);
  }
}

}  // namespace

extern "C" {

bool TEE_GetCancellationFlag(void) { return cancelled_unmasked(); }

bool TEE_UnmaskCancellation(void) {
  const bool old = runtime().cancel_masked;
  runtime().cancel_masked = false;
  return old;
}

bool TEE_MaskCancellation(void) {
  const bool old = runtime().cancel_masked;
  runtime().cancel_masked = true;
  return old;
}

TEE_Result TEE_Wait(uint32_t timeout) { return ta_wait(timeout); }

// Monotonic, arbitrary origin (GP: "system time" need not be wall time).
void TEE_GetSystemTime(TEE_Time* time) {
  if (time == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  time->seconds = static_cast<uint32_t>(ts.tv_sec);
  time->millis = static_cast<uint32_t>(ts.tv_nsec / 1000000);
}

}  // extern "C"
