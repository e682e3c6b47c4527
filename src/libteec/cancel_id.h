// Per-operation cancel ids.
//
// OP-TEE's libteec sends cancel_id 0 for every call, so a cancellation hits
// whichever call of the session the TEE matches first. swtee derives the id
// from the address of the TEEC_Operation instead: the operation is the
// identity the GP API gives a call, RequestCancellation receives exactly that
// pointer, and so the id is recomputed there and stored nowhere. Two calls in
// flight at once on one session with different operations collide only if
// their 32-bit mixes collide (a missed or extra cancel, never a wrong
// session: the core scopes cancel ids to the context and OP-TEE matches them
// per session). 0 is kept for "no operation, not cancellable".
#pragma once

#include <cstdint>

#include "tee_client_api.h"

namespace swtee::teec {

inline uint32_t cancel_id_for(const TEEC_Operation* op) {
  if (op == nullptr) return 0;
  uint64_t x = reinterpret_cast<uintptr_t>(op);
  // SplitMix64 finaliser: spreads nearby stack addresses over all 32 bits.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  uint32_t id = static_cast<uint32_t>(x ^ (x >> 32));
  return id != 0 ? id : 1;
}

}  // namespace swtee::teec
