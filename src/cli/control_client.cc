#include "cli/control_client.h"

#include <poll.h>

#include <vector>

#include "common/seqpacket.h"

namespace swtee::cli {
namespace {

// One request, one reply datagram of at most `max_reply` bytes.
Result<std::vector<uint8_t>> exchange(const std::string& runtime_dir, control::ControlCmd cmd,
                                      size_t max_reply) {
  ASSIGN_OR_RETURN(UniqueFd s, seqpacket_connect(runtime_dir + "/" + control::kSocketName));
  control::ControlRequest req{static_cast<uint32_t>(cmd), 0};
  TRY_STATUS(send_message(s.get(), {reinterpret_cast<const uint8_t*>(&req), sizeof(req)}));
  pollfd p{s.get(), POLLIN, 0};
  if (::poll(&p, 1, 5000) <= 0) return Error{ETIMEDOUT, "no reply from swteed"};
  std::vector<uint8_t> buf(max_reply + 1);  // one more: a longer reply is malformed, not cut
  ASSIGN_OR_RETURN(ReceivedMessage m, recv_message(s.get(), buf));
  buf.resize(m.length);
  return buf;
}

}  // namespace

Result<DaemonStatus> query_status(const std::string& runtime_dir) {
  ASSIGN_OR_RETURN(auto reply, exchange(runtime_dir, control::ControlCmd::Status, control::kMaxStatusReply));
  return control::decode_status_reply(reply);
}

Result<DaemonCalls> query_calls(const std::string& runtime_dir) {
  ASSIGN_OR_RETURN(auto reply, exchange(runtime_dir, control::ControlCmd::Calls, control::kMaxCallsReply));
  return control::decode_calls_reply(reply);
}

Result<osstat::OsStatus> query_os(const std::string& runtime_dir) {
  ASSIGN_OR_RETURN(auto reply, exchange(runtime_dir, control::ControlCmd::Os, control::kMaxOsReply));
  return control::decode_os_reply(reply);
}

}  // namespace swtee::cli
