// 9200s: a hostile TA against its memrefs. A TA sees a copy of each memref
// (os/ta_manager/memref_windows.h), only as far as the memref goes, and an
// input memref only read-only: a write through an input memref (directly,
// or by mprotect or by mapping the fd behind it again) and a read past the
// memref's last page fail or kill the TA (TEEC_ERROR_TARGET_DEAD, origin
// TEE); a pointer kept for a later call reaches nothing the client wrote
// since, and changes nothing of the client's.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "xtest_common.h"

namespace xtest {
namespace {

constexpr uint8_t kPattern = 0x11;
constexpr uint8_t kSecret = 0xC7;

// An allocated shared memory, released on scope exit (unless released
// earlier by release()).
class AllocatedShm {
 public:
  AllocatedShm(TEEC_Context* ctx, size_t size, uint32_t flags) {
    shm_.size = size;
    shm_.flags = flags;
    res_ = TEEC_AllocateSharedMemory(ctx, &shm_);
  }
  ~AllocatedShm() { release(); }
  AllocatedShm(const AllocatedShm&) = delete;
  AllocatedShm& operator=(const AllocatedShm&) = delete;
  TEEC_Result result() const { return res_; }
  TEEC_SharedMemory* get() { return &shm_; }
  uint8_t* bytes() { return static_cast<uint8_t*>(shm_.buffer); }
  void release() {
    if (res_ == TEEC_SUCCESS) TEEC_ReleaseSharedMemory(&shm_);
    res_ = TEEC_ERROR_GENERIC;
  }

 private:
  TEEC_SharedMemory shm_{};
  TEEC_Result res_;
};

// Stashes a pointer to a 4 KiB allocated shm in one call; then the client
// writes a secret into that shm (reusing it, say, for another TA) and into
// new allocated and registered shms, and the TA touches the stashed pointer
// (touch: 0 read, 1 write) in a later call.
void stash_then_touch(uint32_t touch) {
  Context ctx;
  Session s;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  ASSERT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS);
  AllocatedShm old_shm(ctx.get(), 4096, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
  ASSERT_EQ(old_shm.result(), TEEC_SUCCESS);
  std::memset(old_shm.bytes(), kPattern, 4096);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref.parent = old_shm.get();
  ASSERT_EQ(s.invoke(XTEST_CMD_MEMREF_STASH, &op), TEEC_SUCCESS);
  std::memset(old_shm.bytes(), kSecret, 4096);

  AllocatedShm secret(ctx.get(), 4096, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
  ASSERT_EQ(secret.result(), TEEC_SUCCESS);
  std::memset(secret.bytes(), kSecret, 4096);
  std::vector<uint8_t> registered(4096, kSecret);
  TEEC_SharedMemory reg{};
  reg.buffer = registered.data();
  reg.size = registered.size();
  reg.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_RegisterSharedMemory(ctx.get(), &reg), TEEC_SUCCESS);

  op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value.a = touch;
  op.params[1].value.a = 0xffff;
  TEEC_Result r = s.invoke(XTEST_CMD_TOUCH_STASHED, &op);
  // Either the TA dies, or it touched its own old copy.
  EXPECT_TRUE(r == TEEC_ERROR_TARGET_DEAD || r == TEEC_SUCCESS) << std::hex << r;
  if (r == TEEC_ERROR_TARGET_DEAD) EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TEE);
  if (r == TEEC_SUCCESS && touch == 0)
    EXPECT_NE(op.params[1].value.a, kSecret)
        << "a pointer from an earlier call read what the client wrote since";
  for (size_t i = 0; i < 4096; ++i)
    ASSERT_EQ(old_shm.bytes()[i], kSecret) << "the TA changed the stashed memref's shm after its call";
  for (uint8_t b : registered) ASSERT_EQ(b, kSecret) << "the TA changed a later registered shm";
  for (size_t i = 0; i < 4096; ++i)
    ASSERT_EQ(secret.bytes()[i], kSecret) << "the TA changed a later allocated shm";
  TEEC_ReleaseSharedMemory(&reg);
}

TEST(Regression9200, X9201_StashedMemrefPointerReadInALaterCall) { stash_then_touch(0); }

TEST(Regression9200, X9201_StashedMemrefPointerWrittenInALaterCall) { stash_then_touch(1); }

// 4 KiB of kPattern that the client passes as p0, an input memref of one
// of the three kinds; p1 is `p1_type`.
enum class Kind { Allocated, Temporary, Registered };

class InputMemref {
 public:
  InputMemref(Context& ctx, Kind kind, uint32_t p1_type)
      : shm_(ctx.get(), 4096, TEEC_MEM_INPUT), buf_(4096, kPattern) {
    switch (kind) {
      case Kind::Allocated:
        ok_ = shm_.result() == TEEC_SUCCESS;
        if (ok_) std::memset(shm_.bytes(), kPattern, 4096);
        op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, p1_type, TEEC_NONE, TEEC_NONE));
        op.params[0].memref = partial(shm_.get(), 0, 4096);
        client_ = ok_ ? shm_.bytes() : nullptr;
        break;
      case Kind::Temporary:
        op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, p1_type, TEEC_NONE, TEEC_NONE));
        op.params[0].tmpref.buffer = buf_.data();
        op.params[0].tmpref.size = buf_.size();
        client_ = buf_.data();
        break;
      case Kind::Registered:
        reg_.buffer = buf_.data();
        reg_.size = buf_.size();
        reg_.flags = TEEC_MEM_INPUT;
        ok_ = registered_ = TEEC_RegisterSharedMemory(ctx.get(), &reg_) == TEEC_SUCCESS;
        op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, p1_type, TEEC_NONE, TEEC_NONE));
        op.params[0].memref.parent = &reg_;
        client_ = buf_.data();
        break;
    }
  }
  ~InputMemref() {
    if (registered_) TEEC_ReleaseSharedMemory(&reg_);
  }
  InputMemref(const InputMemref&) = delete;
  InputMemref& operator=(const InputMemref&) = delete;
  bool ok() const { return ok_; }
  // The client's view of the memref's first byte.
  uint8_t client_byte() const { return *client_; }

  TEEC_Operation op{};

 private:
  AllocatedShm shm_;
  std::vector<uint8_t> buf_;
  TEEC_SharedMemory reg_{};
  bool ok_ = true, registered_ = false;
  const uint8_t* client_ = nullptr;
};

const char* name_of(Kind k) {
  return k == Kind::Allocated ? "allocated" : k == Kind::Temporary ? "temporary" : "registered";
}

// Writes through p0 (an input memref) and expects the TA to die and the
// client's buffer to be unchanged.
void expect_input_write_kills(Kind kind) {
  Context ctx;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  InputMemref in(ctx, kind, TEEC_NONE);
  ASSERT_TRUE(in.ok());
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS);
  EXPECT_EQ(s.invoke(XTEST_CMD_WRITE_INPUT, &in.op), TEEC_ERROR_TARGET_DEAD)
      << name_of(kind) << ": a TA wrote to an input memref";
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TEE) << name_of(kind);
  EXPECT_EQ(in.client_byte(), kPattern) << name_of(kind) << ": the client's buffer changed";
}

TEST(Regression9200, X9202_WriteThroughAllocatedInputMemref) { expect_input_write_kills(Kind::Allocated); }
TEST(Regression9200, X9202_WriteThroughTemporaryInputMemref) { expect_input_write_kills(Kind::Temporary); }
TEST(Regression9200, X9202_WriteThroughRegisteredInputMemref) { expect_input_write_kills(Kind::Registered); }

// mprotect(PROT_WRITE) of an input memref fails, and no fd the TA holds
// maps read-write onto the client's bytes; the call itself succeeds.
void expect_protect_refused(Kind kind) {
  Context ctx;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  InputMemref in(ctx, kind, TEEC_VALUE_OUTPUT);
  ASSERT_TRUE(in.ok());
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS);
  in.op.params[1].value.a = 0xffffffff;
  in.op.params[1].value.b = 0xffffffff;
  ASSERT_EQ(s.invoke(XTEST_CMD_PROTECT_INPUT, &in.op), TEEC_SUCCESS) << name_of(kind);
  // EACCES (the TA only holds an O_RDONLY fd) is expected, but any errno
  // is a refusal.
  EXPECT_NE(in.op.params[1].value.a, 0u)
      << name_of(kind) << ": mprotect(PROT_WRITE) of an input memref succeeded";
  EXPECT_EQ(in.op.params[1].value.b, 0u)
      << name_of(kind) << ": an fd of the TA maps the memref's bytes read-write";
  EXPECT_EQ(in.client_byte(), kPattern) << name_of(kind) << ": the client's buffer changed";
}

TEST(Regression9200, X9203_MprotectOfAllocatedInputMemref) { expect_protect_refused(Kind::Allocated); }
TEST(Regression9200, X9203_MprotectOfTemporaryInputMemref) { expect_protect_refused(Kind::Temporary); }
TEST(Regression9200, X9203_MprotectOfRegisteredInputMemref) { expect_protect_refused(Kind::Registered); }

// A 64 KiB allocated shm passed as its first 4 KiB only: the TA reads at
// `offset` from the memref's start.
TEEC_Result read_at(uint32_t offset, uint32_t* byte, uint32_t* origin) {
  Context ctx;
  Session s;
  if (ctx.result() != TEEC_SUCCESS || s.open(ctx.get(), kMulti) != TEEC_SUCCESS) return TEEC_ERROR_GENERIC;
  AllocatedShm shm(ctx.get(), 64 * 1024, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
  if (shm.result() != TEEC_SUCCESS) return TEEC_ERROR_GENERIC;
  for (size_t i = 0; i < 64 * 1024; ++i) shm.bytes()[i] = static_cast<uint8_t>(i * 7 + 3);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE));
  op.params[0].memref = partial(shm.get(), 0, 4096);
  op.params[1].value.a = offset;
  op.params[2].value.a = 0xffff;
  TEEC_Result r = s.invoke(XTEST_CMD_READ_BEYOND, &op);
  *byte = op.params[2].value.a;
  *origin = s.origin();
  return r;
}

TEST(Regression9200, X9204_ReadWithinThePartialMemref) {
  uint32_t byte = 0, origin = 0;
  ASSERT_EQ(read_at(10, &byte, &origin), TEEC_SUCCESS);
  EXPECT_EQ(byte, static_cast<uint8_t>(10 * 7 + 3));
}

TEST(Regression9200, X9204_ReadBeyondThePartialMemref) {
  uint32_t byte = 0, origin = 0;
  EXPECT_EQ(read_at(4096 + 100, &byte, &origin), TEEC_ERROR_TARGET_DEAD)
      << "a TA read past its memref's end (byte " << byte << ", the shm's byte there is "
      << static_cast<int>(static_cast<uint8_t>((4096 + 100) * 7 + 3)) << ")";
  EXPECT_EQ(origin, (uint32_t)TEEC_ORIGIN_TEE);
}

// Control: an instance killed for its memrefs does not stop the TA from
// being opened again. (Where the hostile write does not kill it, a crash
// does, so that the control holds on any stack.)
TEST(Regression9200, X9205_TaOpensAgainAfterItsInstanceDied) {
  Context ctx;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  {
    Session s;
    ASSERT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS);
    InputMemref in(ctx, Kind::Temporary, TEEC_NONE);
    if (s.invoke(XTEST_CMD_WRITE_INPUT, &in.op) != TEEC_ERROR_TARGET_DEAD)
      ASSERT_EQ(s.invoke(XTEST_CMD_CRASH), TEEC_ERROR_TARGET_DEAD);
    EXPECT_EQ(s.invoke(XTEST_CMD_NULL), TEEC_ERROR_TARGET_DEAD);
    EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TEE);
  }
  Session fresh;
  ASSERT_EQ(fresh.open(ctx.get(), kMulti), TEEC_SUCCESS);
  EXPECT_EQ(fresh.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
}

// A TA that truncates every fd it holds once it has written its output
// (XTEST_CMD_SHRINK_OUTPUT). An output window up to 2 MiB is sealed against
// shrinking before the TA gets it, so the output comes back whole; a larger
// one is not (its pages go after each call), and the call then fails
// cleanly. Either way swtee-os never copies out of a page that is gone, and
// serves another client afterwards.
TEEC_Result shrink_output(size_t size, std::vector<uint8_t>& out, uint32_t& shrunk) {
  Context ctx;
  Session s;
  EXPECT_EQ(ctx.result(), TEEC_SUCCESS);
  EXPECT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS);
  out.assign(size, 0);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref.buffer = out.data();
  op.params[0].tmpref.size = out.size();
  const TEEC_Result r = s.invoke(XTEST_CMD_SHRINK_OUTPUT, &op);
  shrunk = op.params[1].value.a;
  Context other;
  Session fresh;
  EXPECT_EQ(fresh.open(other.get(), kMulti), TEEC_SUCCESS);
  EXPECT_EQ(fresh.invoke(XTEST_CMD_NULL), TEEC_SUCCESS) << "the stack still serves other clients";
  return r;
}

TEST(Regression9200, X9206_TaTruncatesItsKeptOutputWindow) {
  std::vector<uint8_t> out;
  uint32_t shrunk = 0;
  ASSERT_EQ(shrink_output(64 * 1024, out, shrunk), TEEC_SUCCESS);
  EXPECT_EQ(std::count(out.begin(), out.end(), 0x6B), static_cast<long>(out.size()))
      << "the output came back whole (" << shrunk << " of the TA's fds could be truncated)";
}

TEST(Regression9200, X9206_TaTruncatesItsLargeOutputWindow) {
  std::vector<uint8_t> out;
  uint32_t shrunk = 0;
  const TEEC_Result r = shrink_output(3 * 1024 * 1024, out, shrunk);
  EXPECT_GE(shrunk, 1u) << "a window over 2 MiB is not sealed";
  EXPECT_NE(r, TEEC_SUCCESS) << "an output the TA truncated cannot be a success";
}

}  // namespace
}  // namespace xtest
