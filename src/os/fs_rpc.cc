#include "os/fs_rpc.h"

#include <algorithm>
#include <cstring>

#include "common/checked_math.h"
#include "os/os_counters.h"
#include "protocol/gp_results.h"
#include "protocol/optee_msg.h"
#include "protocol/optee_rpc_cmd.h"

namespace swtee::os {
namespace {

using optee::FsCmd;
using storage::FsHandle;

constexpr uint64_t kMinShm = 64 * 1024;
constexpr uint64_t kNameRoom = 1040;  // supplicant names are at most 1024 bytes + NUL
constexpr uint32_t kShmType = optee::kRpcShmTypeAppl;

constexpr uint32_t kTeeSuccess = 0;
constexpr uint32_t kTeeErrorNotSupported = 0xFFFF000A;
constexpr uint32_t kTeecAccessConflict = 0xFFFF0003;
constexpr uint32_t kTeecBadParameters = 0xFFFF0006;
constexpr uint32_t kTeecItemNotFound = 0xFFFF0008;
constexpr uint32_t kTeecOutOfMemory = 0xFFFF000C;
constexpr uint32_t kTeecShortBuffer = 0xFFFF0010;
constexpr uint32_t kTeecStorageNoSpace = 0xFFFF3041;
constexpr uint32_t kTeecStorageNotAvailable = 0xF0100003;

RawParam value_in(FsCmd cmd, uint64_t b = 0, uint64_t c = 0) {
  return {optee::kAttrTypeValueInput, static_cast<uint64_t>(cmd), b, c};
}
RawParam value_out() { return {optee::kAttrTypeValueOutput, 0, 0, 0}; }

}  // namespace

int fs_errno_of(uint32_t r) {
  switch (r) {
    case kTeecItemNotFound:
      return ENOENT;
    case kTeecAccessConflict:
      return EEXIST;
    case kTeecStorageNoSpace:
      return ENOSPC;
    case kTeecBadParameters:
      return EINVAL;
    case kTeecOutOfMemory:
      return ENOMEM;
    case kTeecShortBuffer:
      return EOVERFLOW;
    case kTeecStorageNotAvailable:
      return ECONNRESET;
    default:
      return EIO;
  }
}

RpcFsBackend::~RpcFsBackend() {
  if (&cache_ == &own_) release_shm();
}

void RpcFsBackend::release_shm() {
  if (!shm()) return;
  const uint64_t cookie = shm()->cookie;
  shm().reset();  // unmap before the normal world frees it
  (void)t_.shm_free(kShmType, cookie);
}

Status RpcFsBackend::ensure_shm(uint64_t size) {
  if (shm() && shm()->map.size() >= size) return ok_status();
  const uint64_t want = std::max(size, kMinShm);
  release_shm();
  auto fresh = t_.shm_alloc(kShmType, want);
  if (!fresh.ok()) {
    // No supplicant (ECOMM) or no normal world: storage is not available,
    // which is not a lack of memory.
    if (fresh.error().code == ECOMM || fresh.error().code == ECONNRESET)
      return Error{ECONNRESET, "FS RPC shm: no supplicant"};
    return Error{ENOMEM, "FS RPC shm"};
  }
  if ((*fresh)->map.size() < want) return Error{EPROTO, "FS RPC shm too small"};
  shm() = std::move(*fresh);
  return ok_status();
}

Result<RawParam> RpcFsBackend::put_name(std::string_view name, uint64_t offset) {
  if (name.size() + 1 > kNameRoom || name.find('\0') != std::string_view::npos)
    return Error{EINVAL, "FS name"};
  TRY_STATUS(ensure_shm(offset + kNameRoom));
  uint8_t* dst = shm()->map.data() + offset;
  std::memcpy(dst, name.data(), name.size());
  dst[name.size()] = 0;
  return RawParam{optee::kAttrTypeRmemInput, offset, name.size() + 1, shm()->cookie};
}

Result<RpcReply> RpcFsBackend::fs_call(std::span<const RawParam> params, optee::RpcCmd cmd) {
  ++rpcs_;
  auto r = t_.rpc(cmd, params);
  if (!r.ok()) return r.error().code == ECONNRESET ? r.error() : Error{EIO, "REE FS/RPMB RPC failed"};
  if (r->ret == kTeeErrorCommunication) {
    // The supplicant died (or there is none): STORAGE_NOT_AVAILABLE. What it
    // was doing may or may not have reached the disk; every cached state
    // of the store drops itself on a failed write (README.md,
    // "Atomicity"), so the next call reads the disk again.
    release_shm();  // a restarted supplicant does not know it
    return Error{ECONNRESET, "REE FS/RPMB RPC: supplicant gone"};
  }
  if (r->ret != kTeeSuccess) {
    const int err = r->ret == kTeeErrorNotSupported ? ENOTSUP : fs_errno_of(r->ret);
    // A kept shm the normal world no longer knows (e.g. a restarted
    // supplicant) fails every request: start the next one on a fresh shm.
    if (err == EINVAL || err == EIO) release_shm();
    return Error{err, "REE FS/RPMB RPC refused"};
  }
  if (r->num_params != params.size()) return Error{EPROTO, "REE FS/RPMB RPC answer param count"};
  return std::move(*r);
}

Result<FsHandle> RpcFsBackend::open_like(FsCmd cmd, std::string_view name) {
  ASSIGN_OR_RETURN(RawParam n, put_name(name, 0));
  const RawParam p[3] = {value_in(cmd), n, value_out()};
  ASSIGN_OR_RETURN(RpcReply r, fs_call(p));
  return FsHandle{r.params[2].a};  // whatever the normal world answered; it refuses what it did not
}

Status RpcFsBackend::simple(FsCmd cmd, uint64_t b, uint64_t c) {
  const RawParam p[1] = {value_in(cmd, b, c)};
  ASSIGN_OR_RETURN(RpcReply r, fs_call(p));
  (void)r;
  return ok_status();
}

Result<FsHandle> RpcFsBackend::open(std::string_view name) { return open_like(FsCmd::Open, name); }
Result<FsHandle> RpcFsBackend::create(std::string_view name) { return open_like(FsCmd::Create, name); }
Status RpcFsBackend::close(FsHandle h) { return simple(FsCmd::Close, h, 0); }
Status RpcFsBackend::truncate(FsHandle h, uint64_t length) { return simple(FsCmd::Truncate, h, length); }
Status RpcFsBackend::closedir(FsHandle h) { return simple(FsCmd::Closedir, h, 0); }

Result<size_t> RpcFsBackend::read(FsHandle h, uint64_t offset, std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    const uint64_t n = std::min<uint64_t>(out.size() - done, kFsRpcMaxIo);
    auto at = checked_add<uint64_t>(offset, done);
    if (!at) return Error{EINVAL, "FS read offset"};
    TRY_STATUS(ensure_shm(n));
    const RawParam p[2] = {value_in(FsCmd::Read, h, *at), {optee::kAttrTypeRmemOutput, 0, n, shm()->cookie}};
    ASSIGN_OR_RETURN(RpcReply r, fs_call(p));
    const uint64_t got = r.params[1].b;
    if (got > n) return Error{EPROTO, "FS read answer larger than asked"};
    std::memcpy(out.data() + done, shm()->map.data(), static_cast<size_t>(got));  // copied once
    OsCounters::add(os_counters().storage_read_bytes, got);
    done += static_cast<size_t>(got);
    if (got < n) break;  // end of file
  }
  return done;
}

Status RpcFsBackend::write(FsHandle h, uint64_t offset, std::span<const uint8_t> in) {
  size_t done = 0;
  do {
    const uint64_t n = std::min<uint64_t>(in.size() - done, kFsRpcMaxIo);
    auto at = checked_add<uint64_t>(offset, done);
    if (!at) return Error{EINVAL, "FS write offset"};
    TRY_STATUS(ensure_shm(n));
    if (n != 0) std::memcpy(shm()->map.data(), in.data() + done, static_cast<size_t>(n));
    const RawParam p[2] = {value_in(FsCmd::Write, h, *at), {optee::kAttrTypeRmemInput, 0, n, shm()->cookie}};
    ASSIGN_OR_RETURN(RpcReply r, fs_call(p));
    (void)r;
    OsCounters::add(os_counters().storage_written_bytes, n);
    done += static_cast<size_t>(n);
  } while (done < in.size());
  return ok_status();
}

Status RpcFsBackend::remove(std::string_view name) {
  ASSIGN_OR_RETURN(RawParam n, put_name(name, 0));
  const RawParam p[2] = {value_in(FsCmd::Remove), n};
  ASSIGN_OR_RETURN(RpcReply r, fs_call(p));
  (void)r;
  return ok_status();
}

Status RpcFsBackend::rename(std::string_view from, std::string_view to, bool overwrite) {
  ASSIGN_OR_RETURN(RawParam a, put_name(from, 0));
  ASSIGN_OR_RETURN(RawParam b, put_name(to, kNameRoom));
  const RawParam p[3] = {value_in(FsCmd::Rename, overwrite ? 1 : 0), a, b};
  ASSIGN_OR_RETURN(RpcReply r, fs_call(p));
  (void)r;
  return ok_status();
}

Result<FsHandle> RpcFsBackend::opendir(std::string_view name) {
  // "" (the root) travels as a lone NUL, like tee-supplicant expects.
  return open_like(FsCmd::Opendir, name);
}

Result<std::optional<std::string>> RpcFsBackend::readdir(FsHandle h) {
  TRY_STATUS(ensure_shm(kNameRoom));
  const RawParam p[2] = {value_in(FsCmd::Readdir, h),
                         {optee::kAttrTypeRmemOutput, 0, kNameRoom, shm()->cookie}};
  auto r = fs_call(p);
  if (!r.ok()) {
    if (r.error().code == ENOENT) return std::optional<std::string>{};
    return r.error();
  }
  const uint64_t size = r->params[1].b;
  if (size == 0 || size > kNameRoom) return Error{EPROTO, "FS readdir answer size"};
  std::vector<char> copy(static_cast<size_t>(size));
  std::memcpy(copy.data(), shm()->map.data(), copy.size());  // copied once, then validated
  if (copy.back() != '\0' || std::memchr(copy.data(), 0, copy.size() - 1) != nullptr)
    return Error{EPROTO, "FS readdir name"};
  return std::optional<std::string>(std::string(copy.data(), copy.size() - 1));
}

}  // namespace swtee::os

namespace swtee::os {

Result<std::vector<uint8_t>> RpcFsBackend::rpmb(std::span<const uint8_t> req, size_t resp_size) {
  if (req.size() > kFsRpcMaxIo || resp_size > kFsRpcMaxIo) return Error{EINVAL, "RPMB request too large"};
  const uint64_t resp_off = (req.size() + 7) & ~uint64_t{7};
  TRY_STATUS(ensure_shm(resp_off + resp_size));
  std::memcpy(shm()->map.data(), req.data(), req.size());
  const RawParam p[2] = {{optee::kAttrTypeRmemInput, 0, req.size(), shm()->cookie},
                         {optee::kAttrTypeRmemOutput, resp_off, resp_size, shm()->cookie}};
  ASSIGN_OR_RETURN(RpcReply r, fs_call(p, optee::RpcCmd::Rpmb));
  if (r.params[1].b != resp_size) return Error{EPROTO, "RPMB answer size"};
  std::vector<uint8_t> out(resp_size);
  std::memcpy(out.data(), shm()->map.data() + resp_off, resp_size);  // copied once
  OsCounters::add(os_counters().storage_written_bytes, req.size());
  OsCounters::add(os_counters().storage_read_bytes, resp_size);
  return out;
}

}  // namespace swtee::os
