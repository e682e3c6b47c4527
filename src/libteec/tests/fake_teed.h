// A tiny in-test swteed: serves <tmpdir>/tee0 with the swtee UAPI framing,
// decodes requests with the UAPI codec, records them and answers through a
// programmable handler. Shm objects are real sealed memfds, mapped here too,
// so tests see exactly what a TA would see.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/shm_file.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "swtee/uapi/tee.h"

namespace swtee::teec::testing {

// One OPEN_SESSION or INVOKE as the fake received it; the handler edits
// ret/ret_origin/session/params/rc to shape the reply.
struct CallRecord {
  bool open = false;
  uint32_t func = 0;
  uint32_t session = 0;
  uint32_t cancel_id = 0;
  uint32_t login = 0;
  std::array<uint8_t, 16> uuid{};
  std::array<uint8_t, 16> clnt_uuid{};
  std::vector<tee_ioctl_param> params;
  int32_t rc = 0;
  bool drop_connection = false;  // close the connection instead of replying
  uint32_t ret = 0;
  uint32_t ret_origin = 3;  // TEEC_ORIGIN_TEE
};

struct FakeOptions {
  uint32_t impl_id = TEE_IMPL_ID_OPTEE;
  uint32_t impl_caps = TEE_OPTEE_CAP_TZ;
  uint32_t gen_caps = TEE_GEN_CAP_GP | TEE_GEN_CAP_MEMREF_NULL;
  bool create_socket = true;
};

class FakeTeed {
 public:
  using Handler = std::function<void(CallRecord&)>;

  // Creates a fresh runtime dir, listens on tee0 and points
  // SWTEE_RUNTIME_DIR at it.
  explicit FakeTeed(FakeOptions opts = {});
  ~FakeTeed();

  void set_handler(Handler h) EXCLUDES(mu_);
  // SHM_ALLOC fails with this errno from now on (0: succeeds again).
  void fail_shm_alloc(int err) EXCLUDES(mu_);
  const std::string& dir() const { return dir_; }

  // Server-side view of a live shm id (empty span when unknown).
  std::span<uint8_t> shm_bytes(int id) EXCLUDES(mu_);
  bool shm_live(int id) EXCLUDES(mu_);

  std::vector<CallRecord> calls() EXCLUDES(mu_);
  CallRecord last_call() EXCLUDES(mu_);
  std::vector<tee_ioctl_cancel_arg> cancels() EXCLUDES(mu_);
  std::vector<uint32_t> closed_sessions() EXCLUDES(mu_);
  int allocs() EXCLUDES(mu_);
  int releases() EXCLUDES(mu_);
  size_t live_shms() EXCLUDES(mu_);
  int connections() EXCLUDES(mu_);
  int disconnections() EXCLUDES(mu_);
  // Blocks until `n` connections have closed (bounded by a generous limit).
  bool wait_disconnections(int n) EXCLUDES(mu_);

 private:
  void accept_loop();
  void serve(int sock);
  std::vector<uint8_t> dispatch(uint32_t cmd, std::span<const uint8_t> arg, std::vector<UniqueFd>& fds_in,
                                std::vector<UniqueFd>& fds_out, int32_t& rc) EXCLUDES(mu_);

  FakeOptions opts_;
  std::string dir_;
  UniqueFd listen_;
  std::thread acceptor_;
  Mutex mu_;
  CondVar cv_;
  Handler handler_ GUARDED_BY(mu_);
  std::vector<std::thread> workers_ GUARDED_BY(mu_);
  std::vector<int> socks_ GUARDED_BY(mu_);
  std::map<int, std::shared_ptr<Mapping>> shms_ GUARDED_BY(mu_);
  int next_id_ GUARDED_BY(mu_) = 1;
  uint32_t next_session_ GUARDED_BY(mu_) = 100;
  std::vector<CallRecord> calls_ GUARDED_BY(mu_);
  std::vector<tee_ioctl_cancel_arg> cancels_ GUARDED_BY(mu_);
  std::vector<uint32_t> closed_ GUARDED_BY(mu_);
  int allocs_ GUARDED_BY(mu_) = 0;
  int shm_alloc_errno_ GUARDED_BY(mu_) = 0;
  int releases_ GUARDED_BY(mu_) = 0;
  int connections_ GUARDED_BY(mu_) = 0;
  int disconnections_ GUARDED_BY(mu_) = 0;
  std::atomic<bool> stopping_{false};
};

}  // namespace swtee::teec::testing
