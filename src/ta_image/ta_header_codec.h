// Little-endian encoding of TaImageHeader (ta_image.h) to and from bytes.
// The codec checks nothing but sizes; ta_image.cc validates the fields.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "ta_image/ta_image.h"

namespace swtee::taimg {

using HeaderBytes = std::array<uint8_t, sizeof(TaImageHeader)>;

HeaderBytes encode_header(const TaImageHeader& h);
// `bytes` must hold at least sizeof(TaImageHeader); reads exactly that many.
TaImageHeader decode_header(std::span<const uint8_t, sizeof(TaImageHeader)> bytes);

}  // namespace swtee::taimg
