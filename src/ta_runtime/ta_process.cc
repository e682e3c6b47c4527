#include "ta_runtime/ta_process.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "common/doorbell.h"
#include "common/log.h"
#include "common/shm_file.h"
#include "common/uuid.h"
#include "protocol/ta_channel_codec.h"
#include "ta_runtime/dispatcher.h"
#include "ta_runtime/fd_util.h"
#include "ta_runtime/landlock.h"
#include "ta_runtime/process_title.h"
#include "ta_runtime/runtime_state.h"
#include "ta_runtime/sandbox.h"
#include "ta_runtime/sanitized.h"

namespace swtee::ta {
namespace {

[[noreturn]] void hello_and_exit(tachan::ChannelLink& channel, tachan::HelloStatus status,
                                 const char* detail) {
  if (detail != nullptr) {
    std::string line = std::string("TA load failed: ") + detail;
    if (line.size() > tachan::kMaxLogText) line.resize(tachan::kMaxLogText);
    tachan::TaLog l{1, static_cast<uint32_t>(line.size())};
    (void)tachan::send_ta_message(channel, tachan::TaMsgKind::Log, 0,
                                  {reinterpret_cast<const uint8_t*>(&l), sizeof(l)},
                                  {reinterpret_cast<const uint8_t*>(line.data()), line.size()});
  }
  tachan::TaHello h{};
  h.status = static_cast<uint32_t>(status);
  (void)tachan::send_ta_message(channel, tachan::TaMsgKind::Hello, 0,
                                {reinterpret_cast<const uint8_t*>(&h), sizeof(h)});
  ::_exit(kExitNormal);
}

template <typename T>
T lookup(void* handle, const char* name) {
  return reinterpret_cast<T>(::dlsym(handle, name));
}

Uuid uuid_of(const TEE_UUID& u) { return uuid_from_gp(u); }

// Moves `fd` to exactly `target` (CLOEXEC). Targets are small fixed numbers
// and every source has been lifted above them first.
UniqueFd move_to(UniqueFd fd, int target) {
  if (::dup3(fd.get(), target, O_CLOEXEC) != target) ::_exit(kExitProtocol);
  return UniqueFd(target);
}

UniqueFd lift(UniqueFd fd) {
  int hi = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 16);
  if (hi < 0) ::_exit(kExitProtocol);
  return UniqueFd(hi);
}

// Resource limits of a TA process (set before the sandbox forbids it): no
// core dumps (they would hold TA secrets), few fds, bounded memory. The
// memory bound as a whole (docs/sandbox.md): private memory by
// RLIMIT_DATA; everything mapped, memfds included, by RLIMIT_AS (room for
// the private part, the memref windows of one call, and syscall bulk
// buffers); memfds held open but unmapped by fds x RLIMIT_FSIZE.
constexpr rlim_t kTaMaxFds = 32;  // 8 of them the memref windows
#ifndef SWTEE_TA_SANITIZED        // the memory limits are not set under sanitizers (below)
constexpr rlim_t kPrivateMemory = rlim_t{256} << 20;
constexpr rlim_t kAddressSpaceSlack = rlim_t{128} << 20;  // code, libraries, guard pages
#endif

void limit_resources(const struct swtee_ta_info* info, bool debug) {
  rlimit core{0, 0};
  ::setrlimit(RLIMIT_CORE, &core);
  rlimit nofile{kTaMaxFds, kTaMaxFds};
  ::setrlimit(RLIMIT_NOFILE, &nofile);
  // Each bulk memfd (bulk_buffer.h) is at most the syscall bulk limit; a
  // larger ftruncate fails with EFBIG (SIGXFSZ is ignored) instead of
  // letting a TA pin unbounded tmpfs memory.
  rlimit fsize{tachan::kMaxSyscallBulk, tachan::kMaxSyscallBulk};
  ::setrlimit(RLIMIT_FSIZE, &fsize);
#ifndef SWTEE_TA_SANITIZED  // sanitizer allocators reserve far more than this
  if (debug) return;        // nor for a --debug-ta process, which may carry a sanitizer runtime
  const rlim_t data = kPrivateMemory + (info != nullptr ? info->data_size : 0);
  rlimit d{data, data};
  ::setrlimit(RLIMIT_DATA, &d);
  // The windows' bound: memref_windows.h.
  const rlim_t windows = tachan::kMaxCallMemrefBytes + 12 * tachan::kWindowMapGranule;
  const rlim_t as = data + windows + 4 * tachan::kMaxSyscallBulk + kAddressSpaceSlack;
  rlimit a{as, as};
  ::setrlimit(RLIMIT_AS, &a);
#endif
}

// The file behind a payload fd when it is a regular file on a file system
// (a --debug-ta image); empty for a memfd.
std::string debug_image_path(const std::string& fd_link) {
  char buf[PATH_MAX];
  ssize_t n = ::readlink(fd_link.c_str(), buf, sizeof(buf) - 1);
  if (n <= 0) return {};
  std::string target(buf, static_cast<size_t>(n));
  if (target.empty() || target[0] != '/' || target.starts_with("/memfd:")) return {};
  return target;
}

}  // namespace

void run_ta_process(pid_t zygote, const SandboxPrograms& sandbox, UniqueFd payload, UniqueFd channel,
                    UniqueFd page, UniqueFd stdio) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != zygote) ::_exit(kExitNormal);
  ::prctl(PR_SET_NAME, "swtee-ta");
  log::set_tag("swtee-ta");
  signal(SIGCHLD, SIG_DFL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGXFSZ, SIG_IGN);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // stdout and stderr become the zygote's log pipe: the TA never holds the
  // stack's own stdio (files it could truncate, a log it could forge).
  stdio = lift(std::move(stdio));
  if (::dup2(stdio.get(), STDOUT_FILENO) != STDOUT_FILENO ||
      ::dup2(stdio.get(), STDERR_FILENO) != STDERR_FILENO)
    ::_exit(kExitProtocol);
  stdio.reset();
  channel = lift(std::move(channel));
  payload = lift(std::move(payload));
  page = lift(std::move(page));
  channel = move_to(std::move(channel), kTaChannelFd);
  payload = move_to(std::move(payload), kTaChannelFd + 1);
  page = move_to(std::move(page), kTaChannelFd + 2);
  close_all_fds_except({payload.get(), channel.get(), page.get()});

  Runtime& rt = runtime();
  static tachan::ChannelLink link(channel.get());  // the socket until the hello
  rt.link = &link;
  // A payload that is a real file (not a memfd) comes from `--debug-ta`
  // (os/ta_manager/debug_image.h): load it by its path, so the loader
  // records a name gdb can open, and run without any seccomp filter (gdb,
  // sanitizer symbolizers and coverage writers need exec, open, ptrace).
  std::string path = "/proc/self/fd/" + std::to_string(payload.get());
  const std::string target = debug_image_path(path);
  const bool debug = !target.empty();
  if (debug) path = target;
  if (!debug) {
    // Landlock first: the loader stage lets the loader open a path, and
    // Landlock is what keeps that path to the payload (landlock.h). A
    // kernel without it was reported once by the zygote; it fails the TA
    // unless the stack was told to run TAs without it.
    if (Status confined = confine_file_system(); !confined.ok()) {
      if (confined.error().code != EOPNOTSUPP)
        hello_and_exit(link, tachan::HelloStatus::SandboxFailed, "landlock");
      if (!rt.allow_without_landlock)
        hello_and_exit(link, tachan::HelloStatus::SandboxFailed,
                       "this kernel has no Landlock (drivers.optee.ta_without_landlock = \"refuse\")");
    }
    if (!sandbox.apply_loader().ok()) hello_and_exit(link, tachan::HelloStatus::SandboxFailed, "seccomp");
  }

  // The instance's shared memory: the parameter page, then the channel block.
  struct stat st {};
  if (::fstat(page.get(), &st) != 0 || st.st_size != static_cast<off_t>(tachan::kInstanceShmSize))
    hello_and_exit(link, tachan::HelloStatus::LoadFailed, "bad parameter page");
  auto page_map = Mapping::map(page.get(), tachan::kInstanceShmSize);
  if (!page_map.ok()) hello_and_exit(link, tachan::HelloStatus::LoadFailed, "cannot map parameter page");
  // The runtime only reads the parameter page: keep it read-only.
  if (::mprotect(page_map->data(), tachan::kParamPageSize, PROT_READ) != 0)
    hello_and_exit(link, tachan::HelloStatus::LoadFailed, "cannot protect the parameter page");
  rt.page = reinterpret_cast<const tachan::ParamPage*>(page_map->data());
  auto* block = reinterpret_cast<tachan::ChannelBlock*>(static_cast<uint8_t*>(page_map->data()) +
                                                        tachan::kChannelBlockOffset);
  page.reset();
  // The OS's waits end the moment this process dies, however it dies.
  if (!hold_life_word(&block->ta_life).ok())
    hello_and_exit(link, tachan::HelloStatus::LoadFailed, "cannot register the life word");

  void* so = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (so == nullptr) hello_and_exit(link, tachan::HelloStatus::LoadFailed, ::dlerror());
  payload.reset();

  rt.info = lookup<const struct swtee_ta_info*>(so, "swtee_ta_info");
  if (rt.info == nullptr || rt.info->abi_version != tachan::kTaAbiVersion)
    hello_and_exit(link, tachan::HelloStatus::NoInfo, "swtee_ta_info missing or of another ABI");
  rt.ep.create = lookup<decltype(rt.ep.create)>(so, "TA_CreateEntryPoint");
  rt.ep.destroy = lookup<decltype(rt.ep.destroy)>(so, "TA_DestroyEntryPoint");
  rt.ep.open_session = lookup<decltype(rt.ep.open_session)>(so, "TA_OpenSessionEntryPoint");
  rt.ep.close_session = lookup<decltype(rt.ep.close_session)>(so, "TA_CloseSessionEntryPoint");
  rt.ep.invoke = lookup<decltype(rt.ep.invoke)>(so, "TA_InvokeCommandEntryPoint");
  if (!rt.ep.create || !rt.ep.destroy || !rt.ep.open_session || !rt.ep.close_session || !rt.ep.invoke)
    hello_and_exit(link, tachan::HelloStatus::NoEntryPoint, "a GP entry point is missing");

  const Uuid uuid = uuid_of(rt.info->uuid);
  std::snprintf(rt.uuid_str, sizeof(rt.uuid_str), "%s", uuid.to_string().c_str());
  // SWTEE_LOG's ta / ta.<uuid> level, when it sets one, overrides
  // SWTEE_TA_LOG_LEVEL (TRACE_ERROR 1, TRACE_INFO 2, TRACE_FLOW 4).
  if (auto l = log::explicit_level_of("ta." + uuid.to_string())) {
    static constexpr int kTrace[] = {1, 1, 2, 4};
    rt.trace_level = kTrace[static_cast<int>(*l)];
  }
  // Named after its TA in ps (uuid and description) and in comm (the
  // description when it has one, else the uuid; 15 bytes).
  std::string desc = rt.info->description != nullptr ? rt.info->description : "";
  if (desc == "Undefined description") desc.clear();  // the SDK's default (user_ta_header.c)
  process_title::set("swtee-ta " + uuid.to_string() + (desc.empty() ? "" : " " + desc),
                     desc.empty() ? uuid.to_string() : desc);

  rt.debug = debug;
  rt.cpu = CpuAffinity::capture();  // before the sandbox, which refuses sched_getaffinity
  limit_resources(rt.info, debug);
  if (debug) {
    log::warn(
        "DEBUG TA {} in pid {}: loaded from {}, SANDBOX RELAXED (no seccomp filter); attach with: gdb -p {}",
        uuid.to_string(), ::getpid(), path, ::getpid());
  } else if (!sandbox.apply_ta().ok()) {
    hello_and_exit(link, tachan::HelloStatus::SandboxFailed, "seccomp");
  }

  tachan::TaHello h{};
  h.status = static_cast<uint32_t>(tachan::HelloStatus::Ok);
  h.abi_version = rt.info->abi_version;
  std::memcpy(h.uuid, uuid.octets.data(), sizeof(h.uuid));
  h.flags = rt.info->flags;
  h.stack_size = rt.info->stack_size;
  h.data_size = rt.info->data_size;
  if (!tachan::send_ta_message(link, tachan::TaMsgKind::Hello, 0,
                               {reinterpret_cast<const uint8_t*>(&h), sizeof(h)})
           .ok())
    ::_exit(kExitNormal);
  // Every later message travels through the channel block.
  link.attach(block, tachan::ChannelLink::Side::Ta, tachan::ta_channel_spin_us(), tachan::kTaSideCheckMs);
  (void)channel.release();                          // owned by the runtime from here on
  static Mapping keep_page = std::move(*page_map);  // lives as long as the process
  serve_channel(rt);
}

}  // namespace swtee::ta
