/*
 * The TA-to-TA test TA (tests/integration/regression_1400.cc). One source
 * built as three TAs that call each other:
 *   A  instance per session (flags 0)                  next hop: B
 *   B  SINGLE_INSTANCE | MULTI_SESSION                 next hop: C
 *   C  SINGLE_INSTANCE | MULTI_SESSION, GP 1.1 mode    no next hop
 * Targets are named by index (TA2TA_A/B/C) in commands.
 */
#ifndef TA2TA_TA_H
#define TA2TA_TA_H

#define TA2TA_A_UUID \
  { 0x67c2f379, 0xc053, 0x4094, { 0x9b, 0xbd, 0x81, 0xf1, 0x90, 0x92, 0xdd, 0x45 } }
#define TA2TA_B_UUID \
  { 0xe5f1e28c, 0x5328, 0x4955, { 0xb1, 0x14, 0xbe, 0xbd, 0xdc, 0x5c, 0x50, 0xe2 } }
#define TA2TA_C_UUID \
  { 0x31a39dfe, 0x2615, 0x4cba, { 0xba, 0xc7, 0xda, 0x4d, 0xb6, 0x5b, 0x00, 0x57 } }

#define TA2TA_A 0
#define TA2TA_B 1
#define TA2TA_C 2

/* TA2TA_CMD_RELAY p0.a: target index | flags << 8 | timeout << 16. */
#define TA2TA_RELAY_UNMASK 0x1    /* unmask cancellation before calling */
#define TA2TA_RELAY_PAUSE 0x2     /* TEE_Wait(p1.value.a ms) before opening */
#define TA2TA_RELAY_TWICE 0x4     /* invoke twice; p0 reports the second */
#define TA2TA_RELAY_NO_TIMEOUT 0xFFFF
#define TA2TA_RELAY_ARG(target, flags, timeout) \
  ((uint32_t)(target) | ((uint32_t)(flags) << 8) | ((uint32_t)(timeout) << 16))
/* Set in the reported origin when the open (not the invoke) failed. */
#define TA2TA_OPEN_FAILED 0x80000000u

/*
 * TA2TA_RELAY_PAUSE: p1 is a VALUE_INPUT; the relay, holding its own
 * instance, waits p1.value.a ms (TEE_Wait, masked), then opens the target
 * and invokes with no parameters. (A barrier in the client's shared memory
 * cannot work: every TA sees its own copy of a memref.)
 */
enum ta2ta_cmd {
	TA2TA_CMD_NULL = 0,
	/*
	 * A chain of p3.value.a more hops through the next TAs.
	 *   p0 MEMREF_INPUT in, p1 MEMREF_OUTPUT out, p2 MEMREF_INOUT io,
	 *   p3 VALUE_INOUT {a = hops left, b = counter}.
	 * Each level: io bytes += 1; b += 1; forwards in + 1 (every byte, from
	 * a heap copy), out (the buffer it received) and io (from a stack copy
	 * when it is at most 64 bytes, else the received buffer). The last
	 * level writes out = reverse(in) (SHORT_BUFFER with out.size = in.size
	 * when out is smaller) and a = 1000; each level on the way back adds 1
	 * to every out byte. So with n levels: io + n, b + n,
	 * out = reverse(in + (n - 1)) + (n - 1), a = 1000.
	 */
	TA2TA_CMD_CHAIN = 1,
	/*
	 * Opens the target of p0 (see TA2TA_RELAY_ARG), invokes p0.b with
	 * p1..p3 as its p0..p2, closes. p0 out: a = result, b = origin (|
	 * TA2TA_OPEN_FAILED when the open failed, then a is the open result).
	 * Returns TEE_SUCCESS: the relay itself survives.
	 */
	TA2TA_CMD_RELAY = 2,
	/* p0 VALUE_OUTPUT: a = gpd.client.identity login; p1 MEMREF_OUTPUT
	 * (16 bytes): its UUID as 16 octets (RFC 4122 order). */
	TA2TA_CMD_IDENTITY = 3,
	/* TEE_UnmaskCancellation, then TEE_Wait(p0.value.a); its result. */
	TA2TA_CMD_WAIT = 4,
	/* TEE_Panic(0x7a7a). */
	TA2TA_CMD_PANIC = 5,
	/* p0 VALUE_OUTPUT: TEE_GetREETime. */
	TA2TA_CMD_REE_TIME = 6,
	/* p0 VALUE_OUTPUT: TEE_GetTAPersistentTime; its result. */
	TA2TA_CMD_PT_GET = 7,
	/* p0 VALUE_INPUT: TEE_SetTAPersistentTime; its result. */
	TA2TA_CMD_PT_SET = 8,
	/* TEE_InvokeTACommand on a forged handle: must panic. */
	TA2TA_CMD_BAD_HANDLE = 9,
	/* TEE_CloseTASession(TEE_HANDLE_NULL): a no-op; then TEE_SUCCESS. */
	TA2TA_CMD_CLOSE_NULL = 10,
	/* TEE_SetTAPersistentTime with millis = 1000: must panic. */
	TA2TA_CMD_PT_SET_BAD = 11,
	/* Opens the target of p0.a, keeps the session in the instance; p0.b
	 * out = result. TA2TA_CMD_CLOSE_KEPT closes it. */
	TA2TA_CMD_OPEN_KEEP = 12,
	TA2TA_CMD_CLOSE_KEPT = 13,
	/* p0 MEMREF_INPUT forwarded through A's own stack/heap to the target of
	 * p1.a with TA2TA_CMD_SUM; p1 out b = its result, a = the sum. */
	TA2TA_CMD_SUM = 14,
	/* p0 VALUE_INOUT in: a = target index, b = 0 to open it with a NULL
	 * MEMREF_INPUT of size 8, 1 to open it plainly and invoke
	 * TA2TA_CMD_NULL with that memref; out: a = result, b = origin. */
	TA2TA_CMD_NULL_MEMREF = 15,
	/* Invokes TA2TA_CMD_NULL on the session TA2TA_CMD_OPEN_KEEP kept;
	 * p0 VALUE_INOUT out: a = result, b = origin. BAD_STATE without one. */
	TA2TA_CMD_INVOKE_KEPT = 16,
};

#endif
