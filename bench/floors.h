// The raw floors of this machine, measured in the same run as the figures
// they bound: a round trip between two processes over a SOCK_SEQPACKET
// socketpair, (a) blocking, (b) with the bounded yield-spin receive, and
// (c) a chain of four processes (three hops each way, as client -> swteed
// -> swtee-os -> TA) with the yield-spin receive; and the same 1-hop and
// 3-hop shapes over shared-memory futex doorbells (common/doorbell.h, the
// primitive of every doorbell hop of the product: adaptive bounded
// sched_yield spin, then FUTEX_WAIT); and the in-process memcpy of a
// buffer, the floor of any copy a call makes.
#pragma once

#include <vector>

#include "latency.h"

namespace swtee::bench {

Summary socket_pingpong(unsigned spin_us, size_t iterations);
Summary socket_chain(unsigned hops, unsigned spin_us, size_t iterations);
Summary futex_chain(unsigned hops, unsigned spin_us, size_t iterations);
// memcpy of `bytes` between two buffers of this process, both touched
// before the first measurement (no page faults in the figure).
Summary memcpy_floor(size_t bytes, size_t iterations);

// The best hand-off over `hops` doorbell hops this machine gives: the chain
// is measured at each spin budget of `budgets_us` and the one with the
// lowest p50 is the floor. Each measurement is kept for printing.
struct ChainRun {
  unsigned spin_us = 0;
  Summary s;
};
struct BestChain {
  std::vector<ChainRun> runs;
  ChainRun best;
};
BestChain best_futex_chain(unsigned hops, const std::vector<unsigned>& budgets_us, size_t iterations);

}  // namespace swtee::bench
