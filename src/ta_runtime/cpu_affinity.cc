#include "ta_runtime/cpu_affinity.h"

namespace swtee::ta {

CpuAffinity CpuAffinity::capture() {
  CpuAffinity a;
  CPU_ZERO(&a.started_);
  a.captured_ = ::sched_getaffinity(0, sizeof(a.started_), &a.started_) == 0;
  return a;
}

bool CpuAffinity::apply(uint32_t hint) {
  if (!captured_ || hint == tachan::kCpuKeep || hint == current_ || !tachan::is_valid_cpu_hint(hint))
    return false;
  cpu_set_t want;
  if (hint == tachan::kCpuAny) {
    want = started_;
  } else {
    const unsigned cpu = hint - 1;
    if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &started_)) return false;
    CPU_ZERO(&want);
    CPU_SET(cpu, &want);
  }
  if (::sched_setaffinity(0, sizeof(want), &want) != 0) return false;
  current_ = hint;
  ++changes_;
  return true;
}

}  // namespace swtee::ta
