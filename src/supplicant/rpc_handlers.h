// The supplicant's RPC services, dispatched by a table keyed by
// optee::RpcCmd (and, for FS, by optee::FsCmd). Param layouts are
// tee-supplicant's (optee-gp-facts §2.2/§2.4), indices after the META slot.
// Each handler validates types and counts and returns a TEEC_Result;
// anything without a handler is TEEC_ERROR_NOT_SUPPORTED.
#pragma once

#include <cstdint>

#include "supplicant/plugins.h"
#include "supplicant/ree_fs.h"
#include "supplicant/rpc_args.h"
#include "supplicant/shm_table.h"
#include "supplicant/supp_transport.h"
#include "supplicant/ta_store.h"

namespace swtee::supp {

class RpmbEmu;

struct RpcEnv {
  SuppTransport& transport;
  ShmTable& shms;
  const TaStore& tas;
  ReeFs& fs;
  RpmbEmu* rpmb = nullptr;  // OPTEE_RPC_CMD_RPMB; nullptr: NOT_SUPPORTED
  const PluginSet* plugins = nullptr;  // --plugin-path; none: SUPP_PLUGIN is ITEM_NOT_FOUND
};

uint32_t dispatch_rpc(RpcEnv& env, uint32_t func, RpcArgs& args);

}  // namespace swtee::supp
