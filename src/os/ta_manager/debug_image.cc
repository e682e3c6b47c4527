#include "os/ta_manager/debug_image.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

namespace swtee::os {

Result<UniqueFd> write_debug_image(const std::string& dir, const Uuid& uuid, int payload_fd) {
  struct stat st {};
  if (::fstat(payload_fd, &st) != 0) return Error::from_errno("fstat payload");
  const std::string path = dir + "/" + uuid.to_string() + ".so";
  const std::string tmp = path + ".tmp";
  (void)::unlink(tmp.c_str());
  UniqueFd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0400));
  if (!out) return Error::from_errno("create debug image");
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = ::sendfile(out.get(), payload_fd, &off, static_cast<size_t>(st.st_size - off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      (void)::unlink(tmp.c_str());
      return Error::from_errno("write debug image");
    }
  }
  out.reset();
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Error::from_errno("rename debug image");
  UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!in) return Error::from_errno("open debug image");
  return in;
}

}  // namespace swtee::os
