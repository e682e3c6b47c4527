#include "ta_runtime/param_convert.h"

#include "protocol/ta_channel_codec.h"
#include "tee_api_defines.h"

namespace swtee::ta {

TEE_Result params_from_wire(MemrefWindows& windows, const tachan::TaRequest& req, TEE_Param out[4],
                            uint32_t* param_types) {
  uint32_t used = 0;
  for (size_t i = 0; i < tachan::kNumParams; ++i) {
    const tachan::TaWireParam& w = req.params[i];
    if (tachan::is_memref_type(w.type) && w.present != 0)
      used |= 1u << (i * tachan::kNumWindowDirs + tachan::window_dir(w.type));
  }
  windows.trim(used);  // first, so the address space holds this call's
  uint32_t types = 0;
  for (size_t i = 0; i < tachan::kNumParams; ++i) {
    const tachan::TaWireParam& w = req.params[i];
    types |= w.type << (4 * i);
    out[i] = TEE_Param{};
    if (tachan::is_value_type(w.type)) {
      out[i].value.a = static_cast<uint32_t>(w.a);
      out[i].value.b = static_cast<uint32_t>(w.b);
    } else if (tachan::is_memref_type(w.type)) {
      if (w.b > SIZE_MAX) return TEE_ERROR_BAD_PARAMETERS;
      out[i].memref.size = static_cast<size_t>(w.b);
      if (w.present == 0) {
        out[i].memref.buffer = nullptr;
        continue;
      }
      const auto fill = w.type == TEE_PARAM_TYPE_MEMREF_INPUT   ? MemrefWindows::Fill::Read
                        : w.type == TEE_PARAM_TYPE_MEMREF_INOUT ? MemrefWindows::Fill::Write
                                                                : MemrefWindows::Fill::None;
      auto p = windows.buffer(i, tachan::window_dir(w.type), w.b, fill);
      if (!p.ok()) return TEE_ERROR_BAD_PARAMETERS;
      out[i].memref.buffer = *p;
    }
  }
  *param_types = types;
  return TEE_SUCCESS;
}

void params_to_wire(const tachan::TaRequest& req, const TEE_Param params[4], tachan::TaReply* reply) {
  for (size_t i = 0; i < tachan::kNumParams; ++i) {
    const uint32_t t = req.params[i].type;
    if (!tachan::is_output_type(t)) continue;
    if (tachan::is_value_type(t)) {
      reply->params[i].a = params[i].value.a;
      reply->params[i].b = params[i].value.b;
    } else {
      reply->params[i].a = params[i].memref.size;
    }
  }
}

}  // namespace swtee::ta
