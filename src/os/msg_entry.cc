#include "os/msg_entry.h"

#include "common/log.h"

namespace swtee::os {
namespace {
constexpr GpResult kBad{kTeeErrorBadParameters, kTeeOriginTee};
constexpr GpResult kOkTee{kTeeSuccess, kTeeOriginTee};
}  // namespace

void MsgEntry::handle(std::span<uint8_t> arg_area, std::vector<UniqueFd> fds, CallRpc& rpc) {
  std::optional<ArgSnapshot> snap = snapshot_arg(arg_area);
  if (!snap) {
    write_status(arg_area, kBad);
    return;
  }
  rpc.place_rpc_arg(arg_area.subspan(optee::msg_arg_size(snap->num_params)));

  DecodedMsg msg;
  GpResult r = decode_msg(*snap, registry_, &msg);
  if (r.ret != kTeeSuccess) {
    log::debug("refused OPTEE_MSG cmd {}: {:#x}", snap->cmd, r.ret);
    write_status(arg_area, r);
    return;
  }
  const bool takes_fd = msg.cmd == optee::MsgCmd::RegisterShm;
  if (takes_fd ? fds.size() != 1 : !fds.empty()) {
    write_status(arg_area, kBad);
    return;  // fds close here
  }

  Outcome out;
  switch (msg.cmd) {
    case optee::MsgCmd::OpenSession:
      out = open_session(msg, rpc);
      break;
    case optee::MsgCmd::InvokeCommand:
      out = invoke(msg, rpc);
      break;
    case optee::MsgCmd::CloseSession:
      out = close_session(msg, rpc);
      break;
    case optee::MsgCmd::Cancel:
      out = cancel(msg);
      break;
    case optee::MsgCmd::RegisterShm:
      out = register_shm(msg, fds);
      break;
    case optee::MsgCmd::UnregisterShm:
      out = unregister_shm(msg);
      break;
    case optee::MsgCmd::DoBottomHalf:
    case optee::MsgCmd::StopAsyncNotif:
      // decode_msg refuses these (not offered).
      out.result = {kTeeErrorNotImplemented, kTeeOriginTee};
      break;
  }
  write_results(arg_area, msg, out.result, out.session);
}

bool MsgEntry::handle_cancel_without_thread(std::span<uint8_t> arg_area, bool has_fds) {
  std::optional<ArgSnapshot> snap = snapshot_arg(arg_area);
  if (!snap || has_fds || snap->cmd != static_cast<uint32_t>(optee::MsgCmd::Cancel)) return false;
  DecodedMsg msg;
  GpResult r = decode_msg(*snap, registry_, &msg);
  if (r.ret != kTeeSuccess) {
    write_status(arg_area, r);
    return true;
  }
  Outcome out = cancel(msg);
  write_results(arg_area, msg, out.result, out.session);
  return true;
}

MsgEntry::Outcome MsgEntry::open_session(DecodedMsg& m, CallRpc& rpc) {
  Outcome o;
  o.result = router_.open_session(m.ta_uuid, m.client, m.cancel_id, m.params, rpc, &o.session);
  return o;
}

MsgEntry::Outcome MsgEntry::invoke(DecodedMsg& m, CallRpc& rpc) {
  return {router_.invoke(m.session, m.func, m.cancel_id, m.params, rpc), 0};
}

MsgEntry::Outcome MsgEntry::close_session(const DecodedMsg& m, CallRpc& rpc) {
  return {router_.close_session(m.session, &rpc), 0};
}

MsgEntry::Outcome MsgEntry::cancel(const DecodedMsg& m) {
  router_.cancel(m.session, m.cancel_id);
  return {kOkTee, 0};
}

MsgEntry::Outcome MsgEntry::register_shm(const DecodedMsg& m, std::vector<UniqueFd>& fds) {
  if (registry_.find(m.shm_cookie)) return {kBad, 0};
  auto shm = adopt_phys_shm(m.shm_cookie, std::move(fds[0]), m.shm_size);
  if (!shm.ok()) {
    log::debug("REGISTER_SHM cookie {:#x} refused: {}", m.shm_cookie, shm.error());
    return {kBad, 0};
  }
  Status st = registry_.add(std::move(*shm));
  if (!st.ok()) {
    if (st.error().code == ENOSPC) return {{kTeeErrorOutOfMemory, kTeeOriginTee}, 0};
    return {kBad, 0};
  }
  return {kOkTee, 0};
}

MsgEntry::Outcome MsgEntry::unregister_shm(const DecodedMsg& m) {
  if (!registry_.remove(m.shm_cookie).ok()) return {{kTeeErrorItemNotFound, kTeeOriginTee}, 0};
  return {kOkTee, 0};
}

}  // namespace swtee::os
