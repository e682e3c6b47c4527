#include "os/ta_manager/zygote_client.h"

#include <array>
#include <cstring>

#include "common/log.h"
#include "common/seqpacket.h"
#include "protocol/zygote_wire.h"

namespace swtee::os {
namespace {

struct Started {
  ChildProcess proc;
  UniqueFd ctl;
};

Result<Started> exec_zygote(const std::string& binary, bool allow_without_landlock) {
  ASSIGN_OR_RETURN(auto pair, seqpacket_pair());
  std::vector<int> keep = {pair.second.get()};
  std::vector<std::string> argv = {binary, "--zygote"};
  if (allow_without_landlock) argv.emplace_back("--allow-without-landlock");
  ASSIGN_OR_RETURN(ChildProcess proc, ChildProcess::spawn(binary, argv, keep));
  return Started{std::move(proc), std::move(pair.first)};
}

}  // namespace

Result<std::unique_ptr<ZygoteClient>> ZygoteClient::start(const std::string& binary,
                                                          bool allow_without_landlock) {
  ASSIGN_OR_RETURN(Started s, exec_zygote(binary, allow_without_landlock));
  return std::unique_ptr<ZygoteClient>(
      new ZygoteClient(binary, allow_without_landlock, std::move(s.proc), std::move(s.ctl)));
}

Status ZygoteClient::restart() {
  log::warn("TA zygote gone; restarting {}", binary_);
  ASSIGN_OR_RETURN(Started s, exec_zygote(binary_, allow_without_landlock_));
  proc_ = std::move(s.proc);  // kills and reaps the old one, if still there
  ctl_ = std::move(s.ctl);
  return ok_status();
}

Result<SpawnedTa> ZygoteClient::spawn(int payload_fd, int channel_fd, int page_fd, const Uuid& uuid) {
  MutexLock l(mu_);
  auto r = spawn_once(payload_fd, channel_fd, page_fd, uuid);
  if (r.ok() || (r.error().code != EPIPE && r.error().code != ECONNRESET)) return r;
  TRY_STATUS(restart());
  return spawn_once(payload_fd, channel_fd, page_fd, uuid);
}

Result<SpawnedTa> ZygoteClient::spawn_once(int payload_fd, int channel_fd, int page_fd, const Uuid& uuid) {
  const uint64_t id = next_id_++;
  tachan::ZygoteRequest req{tachan::kZygoteMagic, static_cast<uint32_t>(tachan::ZygoteOp::Spawn), id, {}};
  std::memcpy(req.uuid, uuid.octets.data(), sizeof(req.uuid));
  std::array<int, tachan::kSpawnFds> fds = {payload_fd, channel_fd, page_fd};
  TRY_STATUS(send_message(ctl_.get(), {reinterpret_cast<const uint8_t*>(&req), sizeof(req)}, fds));
  tachan::ZygoteReply rep{};
  ASSIGN_OR_RETURN(ReceivedMessage m,
                   recv_message(ctl_.get(), {reinterpret_cast<uint8_t*>(&rep), sizeof(rep)}));
  if (m.length != sizeof(rep) || rep.magic != tachan::kZygoteMagic || rep.id != id)
    return Error{EPROTO, "bad zygote reply"};
  if (rep.error != 0) {
    if (!m.fds.empty()) return Error{EPROTO, "bad zygote reply"};
    return Error{rep.error > 0 ? rep.error : EIO, "zygote could not fork"};
  }
  if (m.fds.size() != 1 || rep.pid <= 0) return Error{EPROTO, "bad zygote reply"};
  return SpawnedTa{std::move(m.fds[0]), rep.pid};
}

}  // namespace swtee::os
