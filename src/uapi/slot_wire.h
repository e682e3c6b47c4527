// The request slot: the shared-memory transport of the UAPI between one
// client thread and swteed (SWTEE_IOC_SLOT_OPEN below). It is a transport
// of swtee's own libteec, not part of the public UAPI: a client that speaks
// only the socket protocol (include/swtee/uapi/tee.h) never sees it.
//
// A slot is a sealed memfd that swteed creates, maps, and passes to the
// client over the context's socket. Layout (static_asserts below):
//
//   [0, 256)     DoorbellPair (common/doorbell.h): requests travel in
//                `to_server`, replies in `to_client`; the futex doorbell and
//                the adaptive yield-spin of the conduit, one of each.
//   [256, 1280)  the argument buffer: the request's argument, then, once
//                the request has been read, the reply's. Strictly one call
//                at a time, so one buffer serves both directions.
//
// Frames (the doorbell's eight words):
//   request: w0 = ioctl number, w1 = argument length, w2..w7 = 0.
//   reply:   w0 = rc (0 or -errno, as a two's-complement 32-bit value),
//            w1 = argument length, w2..w7 = 0.
// No fd travels in a slot: requests that carry one (SHM_REGISTER_FD) or get
// one back (SHM_ALLOC) use the socket, and a frame that announces an fd is
// malformed. The socket stays the context and its liveness signal.
//
// The reader of a frame copies the argument out of the buffer once, into its
// own memory, and validates only that copy (slot_codec.h): a peer that
// rewrites the buffer after ringing changes nothing already read.
#pragma once

#include <swtee/uapi/tee.h>

#include <cstddef>
#include <cstdint>

#include "common/doorbell.h"

// swtee extension ioctl: a request slot for the calling thread. Argument:
// swtee_ioctl_slot_open_arg, all zero in the request; the reply gives the
// slot's size and carries its sealed memfd (SCM_RIGHTS). Refused with EBUSY
// (the context's slots) or ENOSPC (the user's share or all of swteed's):
// the client then keeps using the socket. Number = _IOR(0xa4, 0xf1, 8).
inline constexpr uint32_t SWTEE_IOC_SLOT_OPEN = 0x8008a4f1u;
struct swtee_ioctl_slot_open_arg {
  uint32_t size;
  uint32_t flags;
};
static_assert(sizeof(swtee_ioctl_slot_open_arg) == 8);

namespace swtee::uapi {

inline constexpr size_t kSlotBellOffset = 0;
inline constexpr size_t kSlotArgOffset = sizeof(DoorbellPair);
inline constexpr size_t kSlotArgSize = TEE_MAX_ARG_SIZE;
// The memfd's size: one page.
inline constexpr size_t kSlotSize = 4096;

static_assert(kSlotArgOffset == 256);
static_assert(kSlotArgOffset + kSlotArgSize <= kSlotSize, "a slot is one page");

// Frame word indexes.
inline constexpr size_t kSlotWordCmd = 0;  // request
inline constexpr size_t kSlotWordRc = 0;   // reply
inline constexpr size_t kSlotWordLen = 1;
inline constexpr size_t kSlotFirstReservedWord = 2;
static_assert(kSlotFirstReservedWord <= kDoorbellWords);

}  // namespace swtee::uapi
