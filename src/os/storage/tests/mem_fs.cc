#include "os/storage/tests/mem_fs.h"

#include <cstring>

#include "protocol/guest_storage.h"
#include "protocol/optee_rpmb.h"
#include "supplicant/rpmb_emu.h"

#include <algorithm>
#include <cstring>

namespace swtee::os::storage::testing {
namespace {

std::string parent_of(const std::string& p) {
  const size_t s = p.rfind('/');
  return s == std::string::npos ? "" : p.substr(0, s);
}

bool valid_name(std::string_view n) {
  if (n.empty() || n.front() == '/') return false;
  size_t pos = 0;
  while (pos <= n.size()) {
    size_t end = n.find('/', pos);
    if (end == std::string_view::npos) end = n.size();
    auto c = n.substr(pos, end - pos);
    if (c.empty() || c == "." || c == "..") return false;
    pos = end + 1;
  }
  return true;
}

}  // namespace

bool MemFs::fail_now() {
  const bool fail = crash_at_ && calls_ >= *crash_at_;
  ++calls_;
  return fail;
}

bool MemFs::parent_exists(const std::string& path) const {
  const std::string p = parent_of(path);
  return p.empty() || dirs.count(p) != 0;
}

Result<FsHandle> MemFs::open(std::string_view name) {
  if (fail_now()) return Error{EIO, "crash"};
  if (!valid_name(name)) return Error{EINVAL, "name"};
  std::string n(name);
  if (files.count(n) == 0) return Error{ENOENT, "no file"};
  handles_[next_] = n;
  return next_++;
}

Result<FsHandle> MemFs::create(std::string_view name) {
  if (fail_now()) return Error{EIO, "crash"};
  if (!valid_name(name)) return Error{EINVAL, "name"};
  std::string n(name);
  // Up to two missing parents, like the supplicant.
  std::vector<std::string> missing;
  for (std::string p = parent_of(n); !p.empty() && dirs.count(p) == 0; p = parent_of(p)) missing.push_back(p);
  if (missing.size() > 2) return Error{ENOENT, "parents"};
  for (auto& m : missing) dirs.insert(m);
  files[n].clear();
  handles_[next_] = n;
  return next_++;
}

Status MemFs::close(FsHandle h) {
  if (fail_now()) return Error{EIO, "crash"};
  return handles_.erase(h) == 1 ? ok_status() : Status(Error{EINVAL, "handle"});
}

Result<size_t> MemFs::read(FsHandle h, uint64_t offset, std::span<uint8_t> out) {
  if (fail_now()) return Error{EIO, "crash"};
  auto it = handles_.find(h);
  if (it == handles_.end()) return Error{EINVAL, "handle"};
  auto f = files.find(it->second);
  if (f == files.end()) return Error{EIO, "file gone"};
  if (offset >= f->second.size()) return size_t{0};
  const size_t n = std::min<uint64_t>(out.size(), f->second.size() - offset);
  if (n != 0) std::memcpy(out.data(), f->second.data() + offset, n);
  return n;
}

Status MemFs::write(FsHandle h, uint64_t offset, std::span<const uint8_t> in) {
  ++writes_;
  const bool fail = fail_now();
  auto it = handles_.find(h);
  if (it == handles_.end()) return fail ? Status(Error{EIO, "crash"}) : Status(Error{EINVAL, "handle"});
  auto& f = files[it->second];
  size_t n = in.size();
  if (fail) n = static_cast<size_t>(static_cast<double>(in.size()) * torn_);
  if (f.size() < offset + n) f.resize(offset + n);
  if (n != 0) std::memcpy(f.data() + offset, in.data(), n);  // an empty file's data() is null
  if (fail) return Error{EIO, "crash"};
  return ok_status();
}

Status MemFs::truncate(FsHandle h, uint64_t length) {
  if (fail_now()) return Error{EIO, "crash"};
  auto it = handles_.find(h);
  if (it == handles_.end()) return Error{EINVAL, "handle"};
  files[it->second].resize(length);
  return ok_status();
}

Status MemFs::remove(std::string_view name) {
  if (fail_now()) return Error{EIO, "crash"};
  if (!valid_name(name)) return Error{EINVAL, "name"};
  std::string n(name);
  if (files.erase(n) == 0) return Error{ENOENT, "no file"};
  const std::string p = parent_of(n);
  if (!p.empty()) {
    const std::string prefix = p + "/";
    bool empty =
        std::none_of(files.begin(), files.end(), [&](auto& kv) { return kv.first.rfind(prefix, 0) == 0; }) &&
        std::none_of(dirs.begin(), dirs.end(), [&](auto& d) { return d.rfind(prefix, 0) == 0; });
    if (empty) dirs.erase(p);
  }
  return ok_status();
}

Status MemFs::rename(std::string_view from, std::string_view to, bool overwrite) {
  if (fail_now()) return Error{EIO, "crash"};
  if (!valid_name(from) || !valid_name(to)) return Error{EINVAL, "name"};
  std::string a(from), b(to);
  if (files.count(a) == 0) return Error{ENOENT, "no file"};
  if (!parent_exists(b)) return Error{ENOENT, "no parent"};
  if (files.count(b) != 0 && !overwrite) return Error{EEXIST, "exists"};
  files[b] = std::move(files[a]);
  files.erase(a);
  return ok_status();
}

Result<FsHandle> MemFs::opendir(std::string_view name) {
  if (fail_now()) return Error{EIO, "crash"};
  std::string n(name);
  if (!n.empty() && dirs.count(n) == 0) return Error{ENOENT, "no dir"};
  const std::string prefix = n.empty() ? "" : n + "/";
  std::set<std::string> names;
  for (auto& [path, _] : files)
    if (path.rfind(prefix, 0) == 0)
      names.insert(path.substr(prefix.size(), path.find('/', prefix.size()) - prefix.size()));
  for (auto& d : dirs)
    if (d.rfind(prefix, 0) == 0 && d.size() > prefix.size())
      names.insert(d.substr(prefix.size(), d.find('/', prefix.size()) - prefix.size()));
  dirs_[next_] = std::vector<std::string>(names.begin(), names.end());
  return next_++;
}

Status MemFs::closedir(FsHandle h) {
  if (fail_now()) return Error{EIO, "crash"};
  return dirs_.erase(h) == 1 ? ok_status() : Status(Error{EINVAL, "handle"});
}

Result<std::optional<std::string>> MemFs::readdir(FsHandle h) {
  if (fail_now()) return Error{EIO, "crash"};
  auto it = dirs_.find(h);
  if (it == dirs_.end()) return Error{EINVAL, "handle"};
  if (it->second.empty()) return std::optional<std::string>{};
  std::string n = it->second.front();
  it->second.erase(it->second.begin());
  return std::optional<std::string>(std::move(n));
}

}  // namespace swtee::os::storage::testing

namespace swtee::os::storage::testing {
namespace {

class MemImage final : public supp::RpmbImage {
 public:
  explicit MemImage(std::vector<uint8_t>& f) : f_(f) {}
  Result<std::vector<uint8_t>> load() override { return f_; }
  Status store(uint64_t offset, std::span<const uint8_t> bytes) override {
    if (f_.size() < offset + bytes.size()) f_.resize(offset + bytes.size(), 0);
    std::copy(bytes.begin(), bytes.end(), f_.begin() + static_cast<ptrdiff_t>(offset));
    return ok_status();
  }

 private:
  std::vector<uint8_t>& f_;
};

}  // namespace

Result<std::vector<uint8_t>> MemFs::rpmb(std::span<const uint8_t> req, size_t resp_size) {
  // A crash fails the request before the device sees it (its writes are atomic).
  if (fail_now()) return Error{EIO, "crash"};
  // A write request is one synchronous write.
  if (req.size() >= sizeof(optee::RpmbReq) + sizeof(optee::RpmbFrame)) {
    optee::RpmbFrame f;
    std::memcpy(&f, req.data() + sizeof(optee::RpmbReq), sizeof(f));
    const uint16_t type = optee::rpmb_be16(f.req_resp);
    if (type == optee::kRpmbReqDataWrite || type == optee::kRpmbReqKeyProgram) ++writes_;
  }
  // dev_id n is guest n's device, its image in the guest's tree (as the
  // supplicant keeps it); the device itself sees dev_id 0.
  if (req.size() < sizeof(optee::RpmbReq)) return Error{EINVAL, "RPMB request refused"};
  optee::RpmbReq head;
  std::memcpy(&head, req.data(), sizeof(head));
  const std::string name = guests::guest_storage_root(head.dev_id) + supp::kRpmbImageFile;
  std::vector<uint8_t> own(req.begin(), req.end());
  head.dev_id = 0;
  std::memcpy(own.data(), &head, sizeof(head));
  const bool existed = files.count(name) != 0;
  MemImage image(files[name]);
  auto r = supp::rpmb_in_process(image, own, resp_size);
  if (!existed && files[name].empty()) files.erase(name);
  return r;
}

}  // namespace swtee::os::storage::testing
