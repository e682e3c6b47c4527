#include "protocol/remote_auth.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/unique_fd.h"

namespace swtee::remote {
namespace {
constexpr std::string_view kLabel = "swtee-remote-v1";
}  // namespace

Result<Nonce> make_nonce() {
  Nonce n;
  if (RAND_bytes(n.data(), static_cast<int>(n.size())) != 1) return Error{EIO, "RAND_bytes"};
  return n;
}

Result<Mac> auth_mac(std::span<const uint8_t> key, const Nonce& nonce, std::string_view name) {
  std::vector<uint8_t> msg(kLabel.begin(), kLabel.end());
  msg.insert(msg.end(), nonce.begin(), nonce.end());
  msg.insert(msg.end(), name.begin(), name.end());
  Mac mac;
  unsigned len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), msg.data(), msg.size(), mac.data(),
           &len) == nullptr ||
      len != mac.size())
    return Error{EIO, "HMAC-SHA256"};
  return mac;
}

bool mac_equal(const Mac& a, const Mac& b) { return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

Result<std::vector<uint8_t>> read_key_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return Error::from_errno("open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno("fstat", path);
  if (!S_ISREG(st.st_mode)) return Error{EINVAL, "key file", fmt::format("{}: not a regular file", path)};
  if ((st.st_mode & 077) != 0)
    return Error{EPERM, "key file", fmt::format("{}: readable by group or others (chmod 600)", path)};
  if (st.st_size > 4096) return Error{EFBIG, "key file", path};
  std::vector<uint8_t> key(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < key.size()) {
    ssize_t n = ::read(fd.get(), key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::from_errno("read", path);
    got += static_cast<size_t>(n);
  }
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  if (key.size() < kMinKeyLen)
    return Error{EINVAL, "key file", fmt::format("{}: shorter than {} bytes", path, kMinKeyLen)};
  return key;
}

}  // namespace swtee::remote
