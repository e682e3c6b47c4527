// The Time syscall family (time_abi.h): REE time through the calling
// secure thread's OPTEE_RPC_CMD_GET_TIME, and TA persistent time
// (persistent_time.h) kept in trusted storage.
#pragma once

#include <memory>

#include "os/syscalls/persistent_time.h"
#include "os/syscalls/storage_family.h"
#include "os/ta_manager/syscalls.h"

namespace swtee::os {

// `storage` may be null (persistent time then answers OUT_OF_MEMORY: no
// store to keep it in). `clock` is the persistent-time base.
std::shared_ptr<SyscallFamily> make_time_family(std::shared_ptr<StorageService> storage,
                                                WallClock& clock = system_wall_clock());

// The REE time for a call: OPTEE_RPC_CMD_GET_TIME through `rpc`; when
// there is no RPC path or the normal world does not answer it, the wall
// clock swtee-os shares with the REE (CLOCK_REALTIME). *millis < 1000.
void ree_time(SecureRpc* rpc, uint32_t* seconds, uint32_t* millis);

}  // namespace swtee::os
