#include "supplicant/plugins.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "common/log.h"

namespace swtee::supp {
namespace {

Uuid uuid_of(const TEEC_UUID& u) {
  return Uuid::from_fields(u.timeLow, u.timeMid, u.timeHiAndVersion, u.clockSeqAndNode);
}

// The directory and each plugin must not be replaceable by anyone but us
// or root: a plugin runs with the supplicant's rights.
Status check_owner_and_mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    Error e = Error::from_errno("stat", path);
    log::error("plugins: {}", e);
    return e;
  }
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
    log::error("plugins: {}: not owned by root or by the supplicant's user", path);
    return Error{EPERM, "plugin path has a foreign owner"};
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    log::error("plugins: {}: writable by group or others", path);
    return Error{EPERM, "plugin path writable by others"};
  }
  return ok_status();
}

}  // namespace

PluginSet::~PluginSet() {
  for (Loaded& p : plugins_) {
    if (p.handle != nullptr) ::dlclose(p.handle);
  }
}

PluginSet::PluginSet(PluginSet&& o) noexcept : plugins_(std::move(o.plugins_)) { o.plugins_.clear(); }

Result<PluginSet> PluginSet::load_dir(const std::string& dir) {
  TRY_STATUS(check_owner_and_mode(dir));
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".plugin") files.push_back(e.path().string());
  }
  if (ec) {
    log::error("plugins: {}: {}", dir, ec.message());
    return Error{ec.value(), "cannot list the plugin directory"};
  }
  std::sort(files.begin(), files.end());
  if (files.size() > kMaxPlugins) return Error{E2BIG, "more than 64 plugins"};
  PluginSet set;
  for (const std::string& f : files) {
    TRY_STATUS(check_owner_and_mode(f));
    void* h = ::dlopen(f.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
      log::error("plugins: {}: {}", f, ::dlerror());
      return Error{ENOEXEC, "a plugin does not load"};
    }
    set.plugins_.push_back(Loaded{h, nullptr, {}});
    const auto* m = static_cast<const plugin_method*>(::dlsym(h, "plugin_method"));
    if (m == nullptr || m->invoke == nullptr) {
      log::error("plugins: {}: no usable plugin_method", f);
      return Error{ENOEXEC, "a plugin has no usable plugin_method"};
    }
    const Uuid uuid = uuid_of(m->uuid);
    if (set.find(uuid) != nullptr) {
      log::error("plugins: {}: a second plugin for {}", f, uuid.to_string());
      return Error{EEXIST, "two plugins for one UUID"};
    }
    if (m->init != nullptr) {
      const TEEC_Result r = m->init();
      if (r != TEEC_SUCCESS) {
        log::error("plugins: {}: init() returned {:#x}", f, r);
        return Error{EIO, "a plugin's init() failed"};
      }
    }
    set.plugins_.back().method = m;
    set.plugins_.back().uuid = uuid;
    log::info("plugin {} ({}) loaded from {}", m->name != nullptr ? m->name : "?", uuid.to_string(), f);
  }
  return set;
}

const plugin_method* PluginSet::find(const Uuid& uuid) const {
  for (const Loaded& p : plugins_) {
    if (p.method != nullptr && p.uuid == uuid) return p.method;
  }
  return nullptr;
}

}  // namespace swtee::supp
