#include "crypto/copy_floor.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <span>

#include "common/child_process.h"
#include "common/doorbell.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "crypto/openssl_floor.h"

namespace swtee::bench {
namespace {

enum : uint64_t { kOpGcm = 1, kOpSha256 = 2 };

// The child's loop: each frame is {op, len}; the answer {ok}.
[[noreturn]] void serve(DoorbellEnd& end, const uint8_t* in, uint8_t* out, size_t max) {
  OsslGcm gcm;
  OsslSha256 sha;
  uint8_t nonce[12] = {}, tag[16];
  for (;;) {
    auto m = end.wait();
    if (!m.ok()) _exit(0);
    DoorbellFrame f = m->frame;
    const uint64_t op = f[0], len = f[1];
    bool ok = len <= max && gcm.ok() && sha.ok();
    if (ok && op == kOpGcm)
      ok = gcm.encrypt(nonce, in, len, out, tag);
    else if (ok && op == kOpSha256)
      ok = sha.digest(in, len, out);
    else
      ok = false;
    f[0] = ok ? 1 : 0;
    if (!end.post(f).ok()) _exit(0);
  }
}

}  // namespace

struct CopyFloor::State {
  size_t max = 0;
  UniqueFd in_fd, out_fd;
  Mapping pairs;
  std::pair<UniqueFd, UniqueFd> link;
  ChildProcess child;
  std::unique_ptr<DoorbellEnd> end;
};

CopyFloor::CopyFloor(std::unique_ptr<State> s) : s_(std::move(s)) {}

CopyFloor::~CopyFloor() {
  if (s_->end) s_->end->hang_up();
  if (s_->child.valid()) (void)s_->child.wait();
}

std::unique_ptr<CopyFloor> CopyFloor::start(size_t max_bytes) {
  auto s = std::make_unique<State>();
  s->max = max_bytes;
  auto in = create_sealed_memfd("bench-copy-in", max_bytes);
  auto out = create_sealed_memfd("bench-copy-out", max_bytes);
  auto bell = create_sealed_memfd("bench-copy-doorbell", sizeof(DoorbellPair));
  if (!in.ok() || !out.ok() || !bell.ok()) return nullptr;
  s->in_fd = std::move(in).value();
  s->out_fd = std::move(out).value();
  auto pairs = Mapping::map(bell->get(), sizeof(DoorbellPair));
  auto link = seqpacket_pair();
  if (!pairs.ok() || !link.ok()) return nullptr;
  s->pairs = std::move(pairs).value();
  s->link = std::move(link).value();
  auto* pair = reinterpret_cast<DoorbellPair*>(s->pairs.data());
  const pid_t pid = ::fork();
  if (pid < 0) return nullptr;
  if (pid == 0) {
    s->link.first.reset();
    // As a TA maps its windows: the input read-only, the output read-write.
    void* i = ::mmap(nullptr, max_bytes, PROT_READ, MAP_SHARED, s->in_fd.get(), 0);
    void* o = ::mmap(nullptr, max_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, s->out_fd.get(), 0);
    if (i == MAP_FAILED || o == MAP_FAILED) _exit(1);
    DoorbellEnd end(pair, DoorbellEnd::Role::Server, s->link.second.get(), doorbell_spin_us());
    serve(end, static_cast<const uint8_t*>(i), static_cast<uint8_t*>(o), max_bytes);
  }
  s->child = ChildProcess(pid);
  s->link.second.reset();
  s->end =
      std::make_unique<DoorbellEnd>(pair, DoorbellEnd::Role::Client, s->link.first.get(), doorbell_spin_us());
  return std::unique_ptr<CopyFloor>(new CopyFloor(std::move(s)));
}

bool CopyFloor::call(uint64_t op, const uint8_t* in, size_t len, uint8_t* out, size_t out_len) {
  if (len > s_->max) return false;
  if (!shm_pwrite(s_->in_fd.get(), std::span<const uint8_t>(in, len), 0, "copy floor input").ok())
    return false;
  DoorbellFrame f{};
  f[0] = op;
  f[1] = len;
  if (!s_->end->post(f).ok()) return false;
  auto m = s_->end->wait();
  if (!m.ok() || m->frame[0] != 1) return false;
  return shm_pread(s_->out_fd.get(), std::span<uint8_t>(out, out_len), 0, "copy floor output").ok();
}

bool CopyFloor::gcm(const uint8_t* in, size_t len, uint8_t* out) { return call(kOpGcm, in, len, out, len); }

bool CopyFloor::sha256(const uint8_t* in, size_t len, uint8_t* md32) {
  return call(kOpSha256, in, len, md32, 32);
}

}  // namespace swtee::bench
