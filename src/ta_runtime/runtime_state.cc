#include "ta_runtime/runtime_state.h"

#include <atomic>

namespace swtee::ta {

Runtime& runtime() {
  static Runtime rt;
  return rt;
}

bool cancel_requested() {
  const Runtime& rt = runtime();
  return rt.page != nullptr && rt.current_seq != 0 &&
         rt.page->cancel_seq.load(std::memory_order_acquire) == rt.current_seq;
}

}  // namespace swtee::ta
