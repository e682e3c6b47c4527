/*
 * TA trace macros (swtee TA SDK), source compatible with OP-TEE's:
 *   EMSG/IMSG/DMSG/FMSG(fmt, ...)          prefixed with function and line
 *   EMSG_RAW/IMSG_RAW/DMSG_RAW/FMSG_RAW     printed as is
 *   MSG/MSG_RAW                             always printed
 *   INMSG/OUTMSG/OUTRMSG(r)                 flow tracing (OUTRMSG returns r)
 *   EHEXDUMP/IHEXDUMP/DHEXDUMP/FHEXDUMP(buf, len)
 *
 * Messages above TRACE_LEVEL (trace_levels.h) compile to nothing, but their
 * arguments stay type-checked and count as used.
 *
 * Backend, provided by the TA runtime (libswtee-ta):
 *   void swtee_trace_printf(int level, const char *func, int line,
 *                           const char *fmt, ...);
 * `level` is TRACE_ERROR..TRACE_FLOW, or TRACE_ALWAYS (0). `func` is NULL for
 * the _RAW variants (no prefix, no added newline); otherwise the backend adds
 * the prefix and a trailing newline if missing.
 */
#ifndef SWTEE_TRACE_H
#define SWTEE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler.h"
#include "trace_levels.h"

#ifdef __cplusplus
extern "C" {
#endif

void swtee_trace_printf(int level, const char *func, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Hex dump, 16 bytes a line, through the same backend. */
static inline void swtee_trace_hexdump(int level, const char *func, int line, const void *buf,
                                       size_t len) {
  static const char kHex[] = "0123456789abcdef";
  const uint8_t *p = (const uint8_t *)buf;
  size_t off = 0;
  if (!buf) {
    swtee_trace_printf(level, func, line, "(null) len %zu", len);
    return;
  }
  while (off < len) {
    char text[16 * 3 + 1];
    size_t n = len - off < 16 ? len - off : 16;
    size_t i;
    for (i = 0; i < n; i++) {
      text[i * 3] = kHex[p[off + i] >> 4];
      text[i * 3 + 1] = kHex[p[off + i] & 0xF];
      text[i * 3 + 2] = ' ';
    }
    text[n * 3 - 1] = '\0';
    swtee_trace_printf(level, func, line, "%04zx: %s", off, text);
    off += n;
  }
}

#ifdef __cplusplus
}
#endif

/* Compiled in when `lvl` <= TRACE_LEVEL; otherwise checked but never run. */
#define SWTEE_TRACE_ON_(lvl) ((lvl) <= TRACE_LEVEL)
#define SWTEE_TRACE_(lvl, ...)                                        \
  do {                                                                \
    if (SWTEE_TRACE_ON_(lvl)) swtee_trace_printf((lvl), __func__, __LINE__, __VA_ARGS__); \
  } while (0)
#define SWTEE_TRACE_RAW_(lvl, ...)                                    \
  do {                                                                \
    if (SWTEE_TRACE_ON_(lvl)) swtee_trace_printf((lvl), NULL, 0, __VA_ARGS__); \
  } while (0)
#define SWTEE_HEXDUMP_(lvl, buf, len)                                 \
  do {                                                                \
    if (SWTEE_TRACE_ON_(lvl)) swtee_trace_hexdump((lvl), __func__, __LINE__, (buf), (len)); \
  } while (0)

#define MSG(...) SWTEE_TRACE_(TRACE_ALWAYS, __VA_ARGS__)
#define MSG_RAW(...) SWTEE_TRACE_RAW_(TRACE_ALWAYS, __VA_ARGS__)

#define EMSG(...) SWTEE_TRACE_(TRACE_ERROR, __VA_ARGS__)
#define IMSG(...) SWTEE_TRACE_(TRACE_INFO, __VA_ARGS__)
#define DMSG(...) SWTEE_TRACE_(TRACE_DEBUG, __VA_ARGS__)
#define FMSG(...) SWTEE_TRACE_(TRACE_FLOW, __VA_ARGS__)

#define EMSG_RAW(...) SWTEE_TRACE_RAW_(TRACE_ERROR, __VA_ARGS__)
#define IMSG_RAW(...) SWTEE_TRACE_RAW_(TRACE_INFO, __VA_ARGS__)
#define DMSG_RAW(...) SWTEE_TRACE_RAW_(TRACE_DEBUG, __VA_ARGS__)
#define FMSG_RAW(...) SWTEE_TRACE_RAW_(TRACE_FLOW, __VA_ARGS__)

#define INMSG(...) FMSG("> " __VA_ARGS__)
#define OUTMSG(...) FMSG("< " __VA_ARGS__)
#define OUTRMSG(r)                                     \
  do {                                                 \
    OUTMSG("r=[%x]", (unsigned int)(r));               \
    return r;                                          \
  } while (0)

#define EHEXDUMP(buf, len) SWTEE_HEXDUMP_(TRACE_ERROR, (buf), (len))
#define IHEXDUMP(buf, len) SWTEE_HEXDUMP_(TRACE_INFO, (buf), (len))
#define DHEXDUMP(buf, len) SWTEE_HEXDUMP_(TRACE_DEBUG, (buf), (len))
#define FHEXDUMP(buf, len) SWTEE_HEXDUMP_(TRACE_FLOW, (buf), (len))

#endif /* SWTEE_TRACE_H */
