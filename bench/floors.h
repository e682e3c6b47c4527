// The raw floors of this machine, measured in the same run as the figures
// they bound: a round trip between two processes over a SOCK_SEQPACKET
// socketpair, (a) blocking, (b) with the bounded yield-spin receive the
// swtee call path uses, and (c) a chain of four processes (three hops each
// way, as client -> swteed -> swtee-os -> TA) with the yield-spin receive;
// and the same 1-hop and 3-hop shapes over shared-memory futex doorbells
// (common/doorbell.h, the conduit's transport) with a yield-spin budget.
#pragma once

#include "latency.h"

namespace swtee::bench {

Summary socket_pingpong(unsigned spin_us, size_t iterations);
Summary socket_chain(unsigned hops, unsigned spin_us, size_t iterations);
Summary futex_chain(unsigned hops, unsigned spin_us, size_t iterations);

}  // namespace swtee::bench
