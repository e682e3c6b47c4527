/*
 * The system pseudo TA (swtee TA SDK): the interface OP-TEE's libutee uses
 * for services beyond the GP API. Same UUID and command numbers as OP-TEE;
 * swtee-os implements the commands that apply to a TA running as a process
 * (see sdk/README.md, "Differences from OP-TEE"):
 *
 *   PTA_SYSTEM_ADD_RNG_ENTROPY       [0] memref in: entropy, mixed into the
 *                                    OS's random pool.
 *   PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY  [0] memref in: extra data (at most
 *                                    TA_DERIVED_EXTRA_DATA_MAX_SIZE bytes),
 *                                    [1] memref out: the key
 *                                    (TA_DERIVED_KEY_MIN_SIZE..MAX_SIZE
 *                                    bytes), unique to this device, the
 *                                    calling TA and the extra data.
 *   PTA_SYSTEM_SUPP_PLUGIN_INVOKE    [0] memref in: the plugin's TEE_UUID,
 *                                    [1] value in: a = cmd, b = sub_cmd,
 *                                    [2] memref inout: data, [3] value out:
 *                                    a = output length (what
 *                                    tee_invoke_supp_plugin() uses).
 *   2..12                            TEE_ERROR_NOT_SUPPORTED: mapping, TA
 *                                    binary and dl* commands serve OP-TEE's
 *                                    in-TEE loader, which swtee has not;
 *                                    there is no TPM event log.
 *   anything else                    TEE_ERROR_NOT_IMPLEMENTED (as OP-TEE).
 */
#ifndef SWTEE_PTA_SYSTEM_H
#define SWTEE_PTA_SYSTEM_H

#include "util.h"

#define PTA_SYSTEM_UUID                                    \
	{ 0x3a2f8978, 0x5dc0, 0x11e8,                      \
	  { 0x9c, 0x2d, 0xfa, 0x7a, 0xe0, 0x1b, 0xbe, 0xbc } }

#define TA_DERIVED_KEY_MIN_SIZE 16
#define TA_DERIVED_KEY_MAX_SIZE 32
#define TA_DERIVED_EXTRA_DATA_MAX_SIZE 1024

#define PTA_SYSTEM_MAP_FLAG_SHAREABLE BIT32(0)
#define PTA_SYSTEM_MAP_FLAG_WRITEABLE BIT32(1)
#define PTA_SYSTEM_MAP_FLAG_EXECUTABLE BIT32(2)

#define PTA_SYSTEM_ADD_RNG_ENTROPY 0
#define PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY 1
#define PTA_SYSTEM_MAP_ZI 2
#define PTA_SYSTEM_UNMAP 3
#define PTA_SYSTEM_OPEN_TA_BINARY 4
#define PTA_SYSTEM_CLOSE_TA_BINARY 5
#define PTA_SYSTEM_MAP_TA_BINARY 6
#define PTA_SYSTEM_COPY_FROM_TA_BINARY 7
#define PTA_SYSTEM_SET_PROT 8
#define PTA_SYSTEM_REMAP 9
#define PTA_SYSTEM_DLOPEN 10
#define PTA_SYSTEM_DLSYM 11
#define PTA_SYSTEM_GET_TPM_EVENT_LOG 12
#define PTA_SYSTEM_SUPP_PLUGIN_INVOKE 13

#endif /* SWTEE_PTA_SYSTEM_H */
