/* Shared between the test TA and the TA host tests. */
#ifndef TEST_TA_H
#define TEST_TA_H

/* UUID 5e5e0000-7a11-4e57-8000-0000000000NN with NN = id. */
#define TEST_TA_UUID_INIT(id) \
  { 0x5e5e0000, 0x7a11, 0x4e57, { 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, (id) } }
#define TEST_TA_UUID_STR_PREFIX "5e5e0000-7a11-4e57-8000-0000000000"

/* Open-session param 0 value a: refuse the session with ACCESS_DENIED. */
#define TEST_TA_OPEN_REFUSE 0xDEAD

enum test_ta_cmd {
  TEST_CMD_INC = 0,            /* value inout: a += 1 */
  TEST_CMD_COUNTS = 1,         /* value out p0: a = creates, b = opens; p1: a = closes, b = live sessions */
  TEST_CMD_PANIC = 2,          /* TEE_Panic(TEST_TA_PANIC_CODE) */
  TEST_CMD_REVERSE = 3,        /* memref in p0 -> memref out p1 reversed; SHORT_BUFFER with size */
  TEST_CMD_WAIT = 4,           /* value in p0.a ms (p0.b != 0: mask cancellation first) -> TEE_Wait result */
  TEST_CMD_OPEN_FILE = 5,      /* value out p0: a = 1 if open("/etc/passwd") succeeded, b = errno */
  TEST_CMD_MEMORY = 6,         /* value out p0.a: bitmask of failed memory checks (0 = all good) */
  TEST_CMD_INSTANCE_DATA = 7,  /* value inout p0.a: set if non-zero; returns the stored value */
  TEST_CMD_FILL = 8,           /* memref inout p0: fill with value p1.a */
  TEST_CMD_PROPERTIES = 9,     /* value out p0.a: bitmask of failed property checks (0 = all good) */
  TEST_CMD_LOADING_TRIES = 10, /* TEST_TA_HOSTILE_LOADING only: value out p0, p1, p2: what its ELF
                                  constructor got for each try (errno, 0 = it worked): p0.a open
                                  O_RDONLY|O_CLOEXEC, p0.b open O_RDONLY, p1.a create a file,
                                  p1.b prctl(PR_SET_DUMPABLE), p2.a unshare(CLONE_NEWNS) */
};

#define TEST_TA_PANIC_CODE 0xBADC0DE

#endif
