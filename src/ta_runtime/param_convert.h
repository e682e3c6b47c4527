// Conversion between wire parameters and GP TEE_Param[4], in the TA.
#pragma once

#include "protocol/ta_channel_wire.h"
#include "ta_runtime/runtime_state.h"
#include "tee_api_types.h"

namespace swtee::ta {

// Builds TEE_Param[4] and the packed param types from a decoded request.
// Memrefs point straight into the client's shared memory (zero copy); a
// NULL memref (cookie 0) gives buffer NULL with the size as sent. Fails
// (BAD_PARAMETERS) when a memref's shm is unknown or its range does not fit.
TEE_Result params_from_wire(const ShmCache& shm, const tachan::TaRequest& req, TEE_Param out[4],
                            uint32_t* param_types);

// Copies the outputs (values; memref sizes) into the reply.
void params_to_wire(const tachan::TaRequest& req, const TEE_Param params[4], tachan::TaReply* reply);

}  // namespace swtee::ta
