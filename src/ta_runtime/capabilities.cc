#include "ta_runtime/capabilities.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace swtee::ta {

Status drop_all_capabilities() {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &hdr, data) != 0) return Error::from_errno("capget");
  const bool may_drop_bounding = (data[CAP_SETPCAP / 32].effective & (1U << (CAP_SETPCAP % 32))) != 0;
  if (may_drop_bounding) {
    // Until the kernel says the number is past its last capability.
    for (int cap = 0;; ++cap) {
      if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
      if (errno == EINVAL) break;
      return Error::from_errno("PR_CAPBSET_DROP");
    }
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
    return Error::from_errno("PR_CAP_AMBIENT_CLEAR_ALL");
  __user_cap_data_struct none[2]{};
  if (::syscall(SYS_capset, &hdr, none) != 0) return Error::from_errno("capset");
  return ok_status();
}

}  // namespace swtee::ta
