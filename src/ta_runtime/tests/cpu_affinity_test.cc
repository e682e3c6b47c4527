// The TA process's side of the OS's placement hint (cpu_affinity.h): each
// test runs in a forked child, since it changes the process's affinity.
#include "ta_runtime/cpu_affinity.h"

#include <gtest/gtest.h>
#include <sched.h>

#include "ta_runtime/tests/in_child.h"

namespace swtee::ta {
namespace {

cpu_set_t affinity() {
  cpu_set_t s;
  CPU_ZERO(&s);
  (void)::sched_getaffinity(0, sizeof(s), &s);
  return s;
}

int first_cpu(const cpu_set_t& s) {
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &s)) return c;
  return -1;
}

using testing::in_child;

TEST(CpuAffinity, PinsToTheHintedCpuAndBack) {
  EXPECT_EQ(in_child([] {
              const cpu_set_t started = affinity();
              const int cpu = first_cpu(started);
              if (cpu < 0) return 1;
              CpuAffinity a = CpuAffinity::capture();
              if (!a.apply(tachan::cpu_hint(static_cast<unsigned>(cpu)))) return 2;
              cpu_set_t now = affinity();
              if (CPU_COUNT(&now) != 1 || !CPU_ISSET(cpu, &now)) return 3;
              if (a.current() != tachan::cpu_hint(static_cast<unsigned>(cpu))) return 4;
              // The same hint again, and "keep", change nothing.
              if (a.apply(tachan::cpu_hint(static_cast<unsigned>(cpu))) || a.apply(tachan::kCpuKeep))
                return 5;
              if (!a.apply(tachan::kCpuAny)) return 6;
              now = affinity();
              if (!CPU_EQUAL(&now, &started)) return 7;
              return a.changes() == 2 ? 0 : 8;
            }),
            0);
}

TEST(CpuAffinity, ACpuOutsideTheStartedSetChangesNothing) {
  EXPECT_EQ(in_child([] {
              const cpu_set_t all = affinity();
              const int cpu = first_cpu(all);
              if (cpu < 0) return 1;
              // Start this process on one CPU; the hint names another one
              // (which need not exist: it is outside the set either way).
              cpu_set_t one;
              CPU_ZERO(&one);
              CPU_SET(cpu, &one);
              if (::sched_setaffinity(0, sizeof(one), &one) != 0) return 2;
              CpuAffinity a = CpuAffinity::capture();
              if (a.apply(tachan::cpu_hint(static_cast<unsigned>(cpu) + 1))) return 3;
              if (a.apply(tachan::cpu_hint(tachan::kMaxCpuHint))) return 4;  // not a valid hint
              cpu_set_t now = affinity();
              if (!CPU_EQUAL(&now, &one)) return 5;
              return a.current() == tachan::kCpuAny && a.changes() == 0 ? 0 : 6;
            }),
            0);
}

TEST(CpuAffinity, WithoutACaptureNothingChanges) {
  CpuAffinity a;  // never captured (no set to return to)
  EXPECT_FALSE(a.apply(tachan::cpu_hint(0)));
  EXPECT_FALSE(a.apply(tachan::kCpuAny));
  EXPECT_EQ(a.changes(), 0u);
}

}  // namespace
}  // namespace swtee::ta
