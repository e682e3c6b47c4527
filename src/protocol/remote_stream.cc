#include "protocol/remote_stream.h"

#include <array>

#include "common/stream_socket.h"
#include "protocol/remote_codec.h"

namespace swtee::remote {

Result<Frame> read_frame(int sock) {
  std::array<uint8_t, sizeof(FrameHeader)> raw;
  TRY_STATUS(read_exact(sock, raw));
  Frame f;
  ASSIGN_OR_RETURN(f.hdr, decode_header(raw));
  f.body.resize(f.hdr.body_len);
  TRY_STATUS(read_exact(sock, f.body));
  return f;
}

Status write_frame(int sock, std::span<const uint8_t> frame) { return write_all(sock, frame); }

}  // namespace swtee::remote
