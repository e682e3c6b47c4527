// Conversion between wire parameters and GP TEE_Param[4], in the TA.
#pragma once

#include "protocol/ta_channel_wire.h"
#include "ta_runtime/runtime_state.h"
#include "tee_api_types.h"

namespace swtee::ta {

// Builds TEE_Param[4] and the packed param types from a decoded request.
// A memref points at the start of its window (memref_windows.h); a NULL
// memref (present 0) gives buffer NULL with the size as sent. Fails
// (BAD_PARAMETERS) when a window was never sent or cannot be mapped.
TEE_Result params_from_wire(MemrefWindows& windows, const tachan::TaRequest& req, TEE_Param out[4],
                            uint32_t* param_types);

// Copies the outputs (values; memref sizes) into the reply.
void params_to_wire(const tachan::TaRequest& req, const TEE_Param params[4], tachan::TaReply* reply);

}  // namespace swtee::ta
