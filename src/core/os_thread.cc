#include "core/os_thread.h"

#include <memory>

namespace swtee::core {
namespace {

void* trampoline(void* p) {
  std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(p));
  (*fn)();
  return nullptr;
}

Result<pthread_t> create(std::function<void()> fn, bool detached) {
  auto heap = std::make_unique<std::function<void()>>(std::move(fn));
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  // Serving threads do little on their own stack; 256 KiB keeps many cheap.
  pthread_attr_setstacksize(&attr, 256 * 1024);
  if (detached) pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid{};
  int rc = pthread_create(&tid, &attr, &trampoline, heap.get());
  pthread_attr_destroy(&attr);
  if (rc != 0) return Error{rc, "pthread_create"};
  (void)heap.release();  // now owned by the thread
  return tid;
}

}  // namespace

Result<OsThread> OsThread::spawn(std::function<void()> fn) {
  ASSIGN_OR_RETURN(pthread_t tid, create(std::move(fn), false));
  OsThread t;
  t.tid_ = tid;
  t.joinable_ = true;
  return t;
}

Status OsThread::spawn_detached(std::function<void()> fn) {
  TRY_STATUS(create(std::move(fn), true));
  return ok_status();
}

void OsThread::join() {
  if (!joinable_) return;
  pthread_join(tid_, nullptr);
  joinable_ = false;
}

}  // namespace swtee::core
