/* SPDX-License-Identifier: MIT */
/*
 * swtee UAPI: the Linux TEE subsystem's user interface (include/uapi/linux/tee.h),
 * carried as messages over SOCK_SEQPACKET instead of ioctl()s on /dev/teeN.
 *
 * Numbers and struct layouts are the kernel's, so the same argument structs
 * travel unchanged. Framing (swtee-specific):
 *   request:  struct swtee_uapi_req_hdr  { u32 cmd; u32 len; } then `len` bytes
 *             of the ioctl argument (for buf_data ioctls: the header struct and
 *             its params, i.e. what buf_ptr would point at). Fds: SCM_RIGHTS.
 *   reply:    struct swtee_uapi_resp_hdr { s32 rc; u32 len; } then the argument
 *             as the ioctl would leave it. rc is 0 or -errno. Fds: SCM_RIGHTS.
 */
#ifndef SWTEE_UAPI_TEE_H
#define SWTEE_UAPI_TEE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TEE_IOC_MAGIC 0xa4
#define TEE_IOC_BASE 0

/* ioctl numbers, exactly as _IOR/_IOWR encode them on Linux. */
#define TEE_IOC_VERSION 0x800ca400u
#define TEE_IOC_SHM_ALLOC 0xc010a401u
#define TEE_IOC_OPEN_SESSION 0x8010a402u
#define TEE_IOC_INVOKE 0x8010a403u
#define TEE_IOC_CANCEL 0x8008a404u
#define TEE_IOC_CLOSE_SESSION 0x8004a405u
#define TEE_IOC_SUPPL_RECV 0x8010a406u
#define TEE_IOC_SUPPL_SEND 0x8010a407u
#define TEE_IOC_SHM_REGISTER_FD 0xc018a408u
#define TEE_IOC_SHM_REGISTER 0xc018a409u

#define TEE_MAX_ARG_SIZE 1024
#define TEE_IOCTL_UUID_LEN 16

#define TEE_GEN_CAP_GP (1u << 0)
#define TEE_GEN_CAP_PRIVILEGED (1u << 1)
#define TEE_GEN_CAP_REG_MEM (1u << 2)
#define TEE_GEN_CAP_MEMREF_NULL (1u << 3)

#define TEE_IMPL_ID_OPTEE 1
#define TEE_IMPL_ID_AMDTEE 2
#define TEE_OPTEE_CAP_TZ (1u << 0)

#define TEE_IOCTL_PARAM_ATTR_TYPE_NONE 0
#define TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT 1
#define TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT 2
#define TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT 3
#define TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT 5
#define TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT 6
#define TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT 7
#define TEE_IOCTL_PARAM_ATTR_TYPE_MASK 0xffu
#define TEE_IOCTL_PARAM_ATTR_META 0x100u
#define TEE_IOCTL_PARAM_ATTR_MASK (TEE_IOCTL_PARAM_ATTR_TYPE_MASK | TEE_IOCTL_PARAM_ATTR_META)

#define TEE_MEMREF_NULL ((uint64_t)-1)

#define TEE_IOCTL_LOGIN_PUBLIC 0
#define TEE_IOCTL_LOGIN_USER 1
#define TEE_IOCTL_LOGIN_GROUP 2
#define TEE_IOCTL_LOGIN_APPLICATION 4
#define TEE_IOCTL_LOGIN_USER_APPLICATION 5
#define TEE_IOCTL_LOGIN_GROUP_APPLICATION 6
#define TEE_IOCTL_LOGIN_REE_KERNEL_MIN 0x80000000u
#define TEE_IOCTL_LOGIN_REE_KERNEL_MAX 0xBFFFFFFFu
#define TEE_IOCTL_LOGIN_REE_KERNEL 0x80000000u

struct tee_ioctl_version_data {
  uint32_t impl_id;
  uint32_t impl_caps;
  uint32_t gen_caps;
};

struct tee_ioctl_shm_alloc_data {
  uint64_t size;
  uint32_t flags;
  int32_t id;
};

struct tee_ioctl_shm_register_fd_data {
  int64_t fd; /* ignored on the wire: the fd travels as SCM_RIGHTS */
  uint64_t size;
  uint32_t flags;
  int32_t id;
} __attribute__((aligned(8)));

struct tee_ioctl_shm_register_data {
  uint64_t addr;
  uint64_t length;
  uint32_t flags;
  int32_t id;
};

struct tee_ioctl_buf_data {
  uint64_t buf_ptr;
  uint64_t buf_len;
};

struct tee_ioctl_param {
  uint64_t attr;
  uint64_t a;
  uint64_t b;
  uint64_t c;
};

struct tee_ioctl_open_session_arg {
  uint8_t uuid[TEE_IOCTL_UUID_LEN];
  uint8_t clnt_uuid[TEE_IOCTL_UUID_LEN];
  uint32_t clnt_login;
  uint32_t cancel_id;
  uint32_t session;
  uint32_t ret;
  uint32_t ret_origin;
  uint32_t num_params;
  struct tee_ioctl_param params[];
};

struct tee_ioctl_invoke_arg {
  uint32_t func;
  uint32_t session;
  uint32_t cancel_id;
  uint32_t ret;
  uint32_t ret_origin;
  uint32_t num_params;
  struct tee_ioctl_param params[];
};

struct tee_ioctl_cancel_arg {
  uint32_t cancel_id;
  uint32_t session;
};

struct tee_ioctl_close_session_arg {
  uint32_t session;
};

struct tee_iocl_supp_recv_arg {
  uint32_t func;
  uint32_t num_params;
  struct tee_ioctl_param params[];
};

struct tee_iocl_supp_send_arg {
  uint32_t ret;
  uint32_t num_params;
  struct tee_ioctl_param params[];
};

/*
 * swtee framing. `tag` is chosen by the client and echoed in the reply, so
 * several threads can have calls in flight on one context (connection) and
 * replies may come back in any order. `flags` must be 0.
 */
struct swtee_uapi_req_hdr {
  uint32_t cmd;
  uint32_t len;
  uint32_t tag;
  uint32_t flags;
};

struct swtee_uapi_resp_hdr {
  int32_t rc;
  uint32_t len;
  uint32_t tag;
  uint32_t flags;
};

/* Largest datagram either side sends: header + TEE_MAX_ARG_SIZE. */
#define SWTEE_UAPI_MAX_MSG (16 + TEE_MAX_ARG_SIZE)

/*
 * swtee extension: there is no fd whose close() the daemon could see, so a
 * client drops its reference to a shm id explicitly. Argument: struct
 * swtee_ioctl_shm_release_arg. Number = _IOW(0xa4, 0xf0, 4 bytes).
 * Closing the connection (context) drops every id it still holds.
 */
#define SWTEE_IOC_SHM_RELEASE 0x4004a4f0u
struct swtee_ioctl_shm_release_arg {
  int32_t id;
};

/* Socket names inside the runtime directory ($SWTEE_RUNTIME_DIR or /run/swtee). */
#define SWTEE_RUNTIME_DIR_ENV "SWTEE_RUNTIME_DIR"
#define SWTEE_DEFAULT_RUNTIME_DIR "/run/swtee"

#ifdef __cplusplus
}

static_assert(sizeof(tee_ioctl_version_data) == 12);
static_assert(sizeof(tee_ioctl_shm_alloc_data) == 16);
static_assert(sizeof(tee_ioctl_shm_register_fd_data) == 24);
static_assert(sizeof(tee_ioctl_shm_register_data) == 24);
static_assert(sizeof(tee_ioctl_buf_data) == 16);
static_assert(sizeof(tee_ioctl_param) == 32);
static_assert(sizeof(tee_ioctl_open_session_arg) == 56);
static_assert(__builtin_offsetof(tee_ioctl_open_session_arg, clnt_login) == 32);
static_assert(__builtin_offsetof(tee_ioctl_open_session_arg, num_params) == 52);
static_assert(sizeof(tee_ioctl_invoke_arg) == 24);
static_assert(sizeof(tee_ioctl_cancel_arg) == 8);
static_assert(sizeof(tee_ioctl_close_session_arg) == 4);
static_assert(sizeof(tee_iocl_supp_recv_arg) == 8);
static_assert(sizeof(tee_iocl_supp_send_arg) == 8);
static_assert(sizeof(swtee_uapi_req_hdr) == 16);
static_assert(sizeof(swtee_uapi_resp_hdr) == 16);
static_assert(sizeof(swtee_ioctl_shm_release_arg) == 4);
#endif

#endif /* SWTEE_UAPI_TEE_H */
