// libFuzzer target for the supplicant's RPC argument decoding: the params
// of one request from the secure side (RpcArgs over the ShmTable) run
// through dispatch_rpc, which checks types, counts and memref ranges for
// every command before a handler uses them. Input: command selector, param
// count, params (struct tee_ioctl_param each), then the bytes of shm 1
// (names, data, RPMB frames); fixed shm ids 1<<20 and (1<<20)+1. FS requests act on a private temp dir (fast
// storage); SHM_ALLOC goes to an in-process fake transport; RPMB requests reach the emulated device
// (supp::RpmbEmu) in that dir.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "protocol/optee_rpc_cmd.h"
#include "supplicant/rpc_handlers.h"
#include "supplicant/rpmb_emu.h"
#include "supplicant/tests/fake_transport.h"

namespace {

using namespace swtee::supp;

constexpr uint64_t kShmSize = 4096;
constexpr int32_t kFixedShm = 1 << 20;  // far from the fake transport's ids (1, 2, ...)

struct Env {
  std::string root;
  testing::FakeTransport transport;
  ShmTable shms{ShmLimits{8, 1 << 20, 4 << 20}};
  TaStore tas;
  ReeFs fs;
  ReeFsRpmbImage rpmb_image{fs, kRpmbImageFile};
  RpmbEmu rpmb{rpmb_image};
  RpcEnv env{transport, shms, tas, fs, &rpmb};
  int32_t next_free = 1;  // the first SHM_ALLOC id not yet removed
  Env(const std::string& r) : root(r), tas({r + "/ta"}), fs(ReeFsOptions{r + "/state", true, 16, 4}) {
    for (int32_t id : {kFixedShm, kFixedShm + 1}) {
      swtee::UniqueFd fd(::memfd_create("fuzz-shm", MFD_CLOEXEC));
      if (!fd || ::ftruncate(fd.get(), kShmSize) != 0) continue;
      (void)shms.insert(id, std::move(fd), kShmSize);
    }
  }
};

Env& env() {
  static Env* e = [] {
    std::string t = "/tmp/swtee-fuzz-supp-XXXXXX";
    const char* p = ::mkdtemp(t.data());
    return new Env(p != nullptr ? p : "/tmp/swtee-fuzz-supp");
  }();
  // The temp dir goes when the fuzzer exits normally (smoke runs, -runs=N).
  static const int cleanup = std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(env().root, ec);
  });
  (void)cleanup;
  return *e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Env& e = env();
  if (size < 2) return 0;
  const uint32_t func = data[0] % 14;  // every RpcCmd and one past the last
  const size_t n = data[1] % 7;
  data += 2;
  size -= 2;
  if (size < n * sizeof(tee_ioctl_param)) return 0;
  std::vector<tee_ioctl_param> params(n);
  if (n != 0) std::memcpy(params.data(), data, n * sizeof(tee_ioctl_param));
  data += n * sizeof(tee_ioctl_param);
  size -= n * sizeof(tee_ioctl_param);
  if (auto shm = e.shms.get(kFixedShm)) {
    std::memset(shm->map.data(), 0, kShmSize);
    std::memcpy(shm->map.data(), data, std::min<size_t>(size, kShmSize));
  }
  RpcArgs args(params, e.shms);
  (void)dispatch_rpc(e.env, func, args);
  // Whatever the request did, the table must not fill up for good: free
  // what SHM_ALLOC added (the fake transport numbers them from 1).
  const int32_t next = e.transport.next_id();
  for (int32_t id = e.next_free; id < next; ++id) (void)e.shms.remove(id);
  e.next_free = next;
  return 0;
}
