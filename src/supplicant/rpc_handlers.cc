#include "supplicant/rpc_handlers.h"

#include <array>
#include <cstring>
#include <limits>

#include "common/log.h"
#include "protocol/gp_results.h"
#include "protocol/optee_rpc_cmd.h"
#include "supplicant/ree_fs_path.h"
#include "supplicant/rpmb_emu.h"

namespace swtee::supp {
namespace {

using optee::FsCmd;
using optee::RpcCmd;
using Handler = uint32_t (*)(RpcEnv&, RpcArgs&);

// Copies a name out of memref `i` (read once), or nullopt.
std::optional<std::string> name_arg(const RpcArgs& args, size_t i) {
  if (!args.memref_in(i)) return std::nullopt;
  auto m = args.memref(i);
  if (!m || m->null) return std::nullopt;
  return name_from_buffer(m->bytes);
}

// ---- LOAD_TA: [0] value in a/b = UUID octets; [1] memref out (NULL: size query).
uint32_t rpc_load_ta(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 2 || !args.value_in(0) || !args.memref_out(1)) return kTeeErrorBadParameters;
  Uuid uuid;
  const uint64_t a = args.raw(0).a, b = args.raw(0).b;
  std::memcpy(uuid.octets.data(), &a, 8);
  std::memcpy(uuid.octets.data() + 8, &b, 8);
  auto m = args.memref(1);
  if (!m) return kTeeErrorBadParameters;
  uint64_t size = 0;
  uint32_t r = env.tas.load(uuid, m->null, m->bytes, &size);
  if (r == kTeeSuccess || r == kTeeErrorShortBuffer) args.set_memref_size(1, size);
  if (r == kTeeErrorItemNotFound) {
    // Shown at the default level: the one answer a user needs when a client
    // sees TEEC_ERROR_ITEM_NOT_FOUND from TEEC_OpenSession.
    std::string searched;
    for (const std::string& d : env.tas.dirs()) searched += (searched.empty() ? "" : ", ") + d;
    log::warn("LOAD_TA {}: {}.ta not found; searched: {}", uuid.to_string(), uuid.to_string(),
              searched.empty() ? "(no TA directories)" : searched);
  }
  return r;
}

// ---- SHM_ALLOC: [0] value inout a = type, b = size, c = align → c = id.
uint32_t rpc_shm_alloc(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 1 || !args.value_in(0) || !args.value_out(0)) return kTeeErrorBadParameters;
  const tee_ioctl_param p = args.raw(0);
  if (p.a != optee::kRpcShmTypeAppl && p.a != optee::kRpcShmTypeKernel && p.a != optee::kRpcShmTypeGlobal)
    return kTeeErrorBadParameters;
  // Mappings start page-aligned; larger alignments cannot be promised.
  if (p.c > 4096 || (p.c & (p.c - 1)) != 0) return kTeeErrorBadParameters;
  if (auto s = env.shms.admit(p.b); !s.ok())
    return s.error().code == ENOMEM ? kTeeErrorOutOfMemory : kTeeErrorBadParameters;
  auto alloc = env.transport.shm_alloc(p.b);
  if (!alloc.ok()) {
    log::warn("SHM_ALLOC of {} bytes failed: {}", p.b, alloc.error());
    return kTeeErrorOutOfMemory;
  }
  const int32_t id = alloc->id;
  if (auto s = env.shms.insert(id, std::move(alloc->memfd), p.b); !s.ok()) {
    log::warn("SHM_ALLOC: cannot map shm {}: {}", id, s.error());
    (void)env.transport.shm_release(id);
    return kTeeErrorOutOfMemory;
  }
  args.set_value_c(0, static_cast<uint64_t>(static_cast<uint32_t>(id)));
  return kTeeSuccess;
}

// ---- SHM_FREE: [0] value in a = type, b = id.
uint32_t rpc_shm_free(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 1 || !args.value_in(0)) return kTeeErrorBadParameters;
  const uint64_t idv = args.raw(0).b;
  if (idv > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) return kTeeErrorBadParameters;
  auto e = env.shms.remove(static_cast<int32_t>(idv));
  if (!e) return kTeeErrorBadParameters;
  if (auto s = env.transport.shm_release(e->id); !s.ok())
    log::warn("SHM_FREE: release of shm {} failed: {}", e->id, s.error());
  return kTeeSuccess;
}

// ---- FS sub-commands. [0] is always value in with a = sub-command.
uint32_t fs_open_create(RpcEnv& env, RpcArgs& args, bool create) {
  if (args.size() != 3 || !args.value_out(2)) return kTeeErrorBadParameters;
  auto name = name_arg(args, 1);
  if (!name) return kTeeErrorBadParameters;
  ReeFsHandle h = 0;
  uint32_t r = create ? env.fs.create(*name, &h) : env.fs.open(*name, &h);
  if (r == kTeeSuccess) args.set_value(2, h, 0, 0);
  return r;
}
uint32_t fs_open(RpcEnv& env, RpcArgs& args) { return fs_open_create(env, args, false); }
uint32_t fs_create(RpcEnv& env, RpcArgs& args) { return fs_open_create(env, args, true); }

uint32_t fs_close(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 1) return kTeeErrorBadParameters;
  return env.fs.close(args.raw(0).b);
}

uint32_t fs_read(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 2 || !args.memref_out(1)) return kTeeErrorBadParameters;
  auto m = args.memref(1);
  if (!m || m->null) return kTeeErrorBadParameters;
  size_t got = 0;
  uint32_t r = env.fs.read(args.raw(0).b, args.raw(0).c, m->bytes, &got);
  args.set_memref_size(1, r == kTeeSuccess ? got : 0);
  return r;
}

uint32_t fs_write(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 2 || !args.memref_in(1)) return kTeeErrorBadParameters;
  auto m = args.memref(1);
  if (!m || (m->null && m->size != 0)) return kTeeErrorBadParameters;
  return env.fs.write(args.raw(0).b, args.raw(0).c, m->bytes);
}

uint32_t fs_truncate(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 1) return kTeeErrorBadParameters;
  return env.fs.truncate(args.raw(0).b, args.raw(0).c);
}

uint32_t fs_remove(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 2) return kTeeErrorBadParameters;
  auto name = name_arg(args, 1);
  if (!name) return kTeeErrorBadParameters;
  return env.fs.remove(*name);
}

uint32_t fs_rename(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 3) return kTeeErrorBadParameters;
  auto from = name_arg(args, 1);
  auto to = name_arg(args, 2);
  if (!from || !to) return kTeeErrorBadParameters;
  return env.fs.rename(*from, *to, args.raw(0).b != 0);
}

uint32_t fs_opendir(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 3 || !args.value_out(2)) return kTeeErrorBadParameters;
  auto name = name_arg(args, 1);
  if (!name) return kTeeErrorBadParameters;
  ReeFsHandle h = 0;
  uint32_t r = env.fs.opendir(*name, &h);
  if (r == kTeeSuccess) args.set_value(2, h, 0, 0);
  return r;
}

uint32_t fs_closedir(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 1) return kTeeErrorBadParameters;
  return env.fs.closedir(args.raw(0).b);
}

uint32_t fs_readdir(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 2 || !args.memref_out(1)) return kTeeErrorBadParameters;
  auto m = args.memref(1);
  if (!m) return kTeeErrorBadParameters;
  size_t size = 0;
  uint32_t r = env.fs.readdir(args.raw(0).b, m->bytes, &size);
  args.set_memref_size(1, size);
  return r;
}

struct FsEntry {
  FsCmd cmd;
  Handler fn;
};
// Indexed by FsCmd; the static_asserts below keep the order honest.
constexpr std::array<FsEntry, optee::kFsCmdCount> kFsTable = {{
    {FsCmd::Open, fs_open},
    {FsCmd::Create, fs_create},
    {FsCmd::Close, fs_close},
    {FsCmd::Read, fs_read},
    {FsCmd::Write, fs_write},
    {FsCmd::Truncate, fs_truncate},
    {FsCmd::Remove, fs_remove},
    {FsCmd::Rename, fs_rename},
    {FsCmd::Opendir, fs_opendir},
    {FsCmd::Closedir, fs_closedir},
    {FsCmd::Readdir, fs_readdir},
}};
constexpr bool fs_table_ordered() {
  for (size_t i = 0; i < kFsTable.size(); ++i)
    if (static_cast<size_t>(kFsTable[i].cmd) != i) return false;
  return true;
}
static_assert(fs_table_ordered());

uint32_t rpc_fs(RpcEnv& env, RpcArgs& args) {
  if (args.size() < 1 || !args.value_in(0)) return kTeeErrorBadParameters;
  const uint64_t sub = args.raw(0).a;
  if (sub >= kFsTable.size()) return kTeeErrorNotSupported;
  return kFsTable[sub].fn(env, args);
}

// [0] memref in: RpmbReq ‖ frames, [1] memref out: the device's answer.
uint32_t rpc_rpmb(RpcEnv& env, RpcArgs& args) {
  if (env.rpmb == nullptr) return kTeeErrorNotSupported;
  if (args.size() != 2 || !args.memref_in(0) || !args.memref_out(1)) return kTeeErrorBadParameters;
  auto in = args.memref(0);
  auto out = args.memref(1);
  if (!in || !out || in->null || out->null) return kTeeErrorBadParameters;
  const std::vector<uint8_t> req(in->bytes.begin(), in->bytes.end());  // shared memory read once
  std::vector<uint8_t> resp(out->bytes.size());
  const uint32_t r = env.rpmb->handle(req, resp);
  if (r == kTeeSuccess) std::memcpy(out->bytes.data(), resp.data(), resp.size());
  return r;
}

// ---- SUPP_PLUGIN (protocol/optee_rpc_cmd.h): a TA's tee_invoke_supp_plugin.
uint32_t rpc_supp_plugin(RpcEnv& env, RpcArgs& args) {
  if (args.size() != 4 || !args.value_in(0) || !args.value_in(1) || !args.value_in(2) || !args.value_out(2) ||
      !args.memref_in(3) || !args.memref_out(3))
    return kTeeErrorBadParameters;
  if (args.raw(0).a != optee::kRpcSuppPluginInvoke) return kTeeErrorNotSupported;
  const uint32_t words[4] = {static_cast<uint32_t>(args.raw(0).b), static_cast<uint32_t>(args.raw(0).c),
                             static_cast<uint32_t>(args.raw(1).a), static_cast<uint32_t>(args.raw(1).b)};
  Uuid uuid;
  static_assert(sizeof(words) == sizeof(uuid.octets));
  std::memcpy(uuid.octets.data(), words, sizeof(words));
  const plugin_method* m = env.plugins != nullptr ? env.plugins->find(uuid) : nullptr;
  if (m == nullptr) {
    log::warn("SUPP_PLUGIN {}: no such plugin loaded", uuid.to_string());
    return kTeeErrorItemNotFound;
  }
  auto data = args.memref(3);
  if (!data || (data->null && data->size != 0)) return kTeeErrorBadParameters;
  if (data->size > kMaxPluginData) return kTeeErrorExcessData;
  size_t out_len = 0;
  // The plugin works on the shared buffer in place, as with tee-supplicant;
  // what it reports back is bounded by the buffer.
  const TEEC_Result r =
      m->invoke(static_cast<unsigned int>(args.raw(1).c), static_cast<unsigned int>(args.raw(2).a),
                data->bytes.data(), data->bytes.size(), &out_len);
  if (out_len > data->bytes.size()) {
    log::warn("SUPP_PLUGIN {}: plugin reported {} bytes out of a {}-byte buffer", uuid.to_string(), out_len,
              data->bytes.size());
    return kTeeErrorGeneric;
  }
  args.set_value(2, args.raw(2).a, out_len, 0);
  return r;
}

struct RpcEntry {
  RpcCmd cmd;
  Handler fn;
};
constexpr std::array<RpcEntry, 6> kRpcTable = {{
    {RpcCmd::LoadTa, rpc_load_ta},
    {RpcCmd::SuppPlugin, rpc_supp_plugin},
    {RpcCmd::Fs, rpc_fs},
    {RpcCmd::Rpmb, rpc_rpmb},
    {RpcCmd::ShmAlloc, rpc_shm_alloc},
    {RpcCmd::ShmFree, rpc_shm_free},
}};

}  // namespace

uint32_t dispatch_rpc(RpcEnv& env, uint32_t func, RpcArgs& args) {
  for (const auto& e : kRpcTable) {
    if (static_cast<uint32_t>(e.cmd) == func) return e.fn(env, args);
  }
  log::debug("RPC {} not supported", func);
  return kTeeErrorNotSupported;
}

}  // namespace swtee::supp
