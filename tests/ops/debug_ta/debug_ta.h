#ifndef DEBUG_TA_H
#define DEBUG_TA_H

#define DEBUG_TA_CMD_SUM 0
#define DEBUG_TA_CMD_OVERFLOW 1
#define DEBUG_TA_CMD_PANIC 2
#define DEBUG_TA_CMD_WAIT 3

#endif
