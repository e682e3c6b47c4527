#include "core/dispatch.h"

#include <array>

#include "core/handlers.h"

namespace swtee::core {
namespace {

using uapi::UapiCmd;

// Indexed by UapiCmd; checked below.
constexpr std::array<DispatchEntry, uapi::kNumUapiCmds> kTable{{
    {UapiCmd::Version, &handlers::version, Blocking::No, TakesFds::No},
    {UapiCmd::ShmAlloc, &handlers::shm_alloc, Blocking::No, TakesFds::No},
    {UapiCmd::OpenSession, &handlers::open_session, Blocking::Yes, TakesFds::No},
    {UapiCmd::Invoke, &handlers::invoke, Blocking::Yes, TakesFds::No},
    {UapiCmd::Cancel, &handlers::cancel, Blocking::No, TakesFds::No},
    {UapiCmd::CloseSession, &handlers::close_session, Blocking::Yes, TakesFds::No},
    {UapiCmd::SupplRecv, &handlers::supp_recv, Blocking::Yes, TakesFds::No},
    {UapiCmd::SupplSend, &handlers::supp_send, Blocking::Yes, TakesFds::No},
    {UapiCmd::ShmRegisterFd, &handlers::shm_register_fd, Blocking::No, TakesFds::Yes},
    {UapiCmd::ShmRegister, &handlers::shm_register, Blocking::No, TakesFds::No},
    {UapiCmd::ShmRelease, &handlers::shm_release, Blocking::No, TakesFds::No},
    {UapiCmd::SlotOpen, nullptr, Blocking::No, TakesFds::No},  // the connection's (connection.h)
}};

constexpr bool table_is_indexed() {
  for (size_t i = 0; i < kTable.size(); ++i)
    if (static_cast<size_t>(kTable[i].cmd) != i) return false;
  return true;
}
static_assert(table_is_indexed(), "dispatch table must be indexed by UapiCmd");

}  // namespace

const DispatchEntry& dispatch_entry(uapi::UapiCmd cmd) { return kTable[static_cast<size_t>(cmd)]; }

}  // namespace swtee::core
