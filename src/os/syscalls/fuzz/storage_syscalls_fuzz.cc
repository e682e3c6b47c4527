// libFuzzer target for the Storage syscall family as a hostile TA drives it
// (storage_abi.h): a sequence of requests (function, eight arguments,
// inline input, optional bulk buffer) served by StorageCore over a fresh
// in-memory REE FS per input, with the handles the earlier requests
// returned. Two TAs take turns, so sharing rules and the open table are
// exercised. Input, per request (up to kMaxOps):
//   u8 fn | u8 ta | u8 arg_kinds | 8 x u16 args | u8 in_len | in | u8 bulk_len
// An arg whose kind bit is set names the (value % count)-th handle that TA
// holds instead of the value itself. A crash, sanitizer report or leak is
// a finding; so is a reply longer than the inline limit that is not a kill.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "os/storage/object_store.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"
#include "os/syscalls/storage_core.h"
#include "protocol/syscalls/storage_abi.h"

using namespace swtee;
using namespace swtee::os;

namespace {

constexpr size_t kMaxOps = 24;

class FuzzService final : public StorageService {
 public:
  explicit FuzzService(std::shared_ptr<storage::ObjectStore> s) : store_(std::move(s)) {}
  Result<std::shared_ptr<storage::ObjectStore>> store(storage::FsBackend&) override { return store_; }

 private:
  std::shared_ptr<storage::ObjectStore> store_;
};

struct Reader {
  const uint8_t* p;
  size_t left;
  bool take(void* out, size_t n) {
    if (left < n) return false;
    std::memcpy(out, p, n);
    p += n;
    left -= n;
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto store = storage::ObjectStore::create(storage::testing::test_huk(), {});
  if (!store.ok()) __builtin_trap();
  storage::testing::MemFs fs;
  StorageCore core(std::make_shared<FuzzService>(std::shared_ptr<storage::ObjectStore>(std::move(*store))),
                   std::make_shared<StorageOpenTable>());
  struct Ta {
    Uuid uuid;
    std::unique_ptr<SyscallState> slot;
    std::vector<uint64_t> handles;
  } tas[2] = {{storage::testing::uuid_n(1), nullptr, {}}, {storage::testing::uuid_n(2), nullptr, {}}};

  Reader r{data, size};
  for (size_t op = 0; op < kMaxOps; ++op) {
    uint8_t fn = 0, which = 0, kinds = 0, in_len = 0, bulk_len = 0;
    uint16_t raw[8];
    if (!r.take(&fn, 1) || !r.take(&which, 1) || !r.take(&kinds, 1) || !r.take(raw, sizeof(raw)) ||
        !r.take(&in_len, 1) || r.left < in_len)
      break;
    std::vector<uint8_t> in(r.p, r.p + in_len);
    r.p += in_len;
    r.left -= in_len;
    if (!r.take(&bulk_len, 1)) bulk_len = 0;
    Ta& ta = tas[which & 1];
    StorageRequest req;
    req.fn = fn % (storage_abi::kNumStorageFns + 1);  // one past the end too
    for (size_t i = 0; i < 8; ++i) {
      req.args[i] = raw[i];
      if ((kinds >> i) & 1) {
        req.args[i] = ta.handles.empty() ? raw[i] : ta.handles[raw[i] % ta.handles.size()];
      }
    }
    // Storage ids are wide values: map small ones onto the real ids.
    if (raw[0] >= 0xfff0) req.args[0] = storage_abi::kStoragePrivateRee;
    if (raw[0] >= 0xfff8) req.args[0] = storage_abi::kStoragePrivateRpmb;
    req.in = in;
    std::vector<uint8_t> bulk;
    if (bulk_len != 0) {
      bulk.assign(static_cast<size_t>(bulk_len) * 64, static_cast<uint8_t>(op));
      req.bulk = bulk;
      req.has_bulk = true;
    }
    SyscallOut out;
    core.handle(ta.uuid, core.handles(ta.slot), (which & 2) ? nullptr : &fs, req, out);
    if (!out.kill && out.out.size() > tachan::kMaxSyscallInline) __builtin_trap();
    if (out.ret == kTeeSuccess && !out.kill &&
        (req.fn == static_cast<uint32_t>(storage_abi::StorageFn::Open) ||
         req.fn == static_cast<uint32_t>(storage_abi::StorageFn::Create)))
      ta.handles.push_back(out.vals[0]);
  }
  return 0;
}
