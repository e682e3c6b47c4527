/*
 * Trace levels for the TA trace macros (swtee TA SDK).
 *
 * A message is compiled in when its level <= TRACE_LEVEL. TRACE_LEVEL comes
 * from CFG_TEE_TA_LOG_LEVEL (OP-TEE's build knob) or may be defined directly;
 * with neither, everything is compiled in and the runtime's own level decides
 * what is printed.
 */
#ifndef SWTEE_TRACE_LEVELS_H
#define SWTEE_TRACE_LEVELS_H

#define TRACE_MIN 1
#define TRACE_ERROR TRACE_MIN
#define TRACE_INFO 2
#define TRACE_DEBUG 3
#define TRACE_FLOW 4
#define TRACE_MAX TRACE_FLOW

/* Level passed for MSG()/MSG_RAW(): printed whatever the runtime level. */
#define TRACE_ALWAYS 0

#ifndef TRACE_LEVEL
#if defined(CFG_TEE_TA_LOG_LEVEL)
#define TRACE_LEVEL CFG_TEE_TA_LOG_LEVEL
#else
#define TRACE_LEVEL TRACE_MAX
#endif
#endif

#if TRACE_LEVEL < 0 || TRACE_LEVEL > TRACE_MAX
#error "TRACE_LEVEL / CFG_TEE_TA_LOG_LEVEL must be in 0..4"
#endif

#endif /* SWTEE_TRACE_LEVELS_H */
