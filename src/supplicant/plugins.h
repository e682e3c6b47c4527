// Supplicant plugins, as OP-TEE's tee-supplicant has them: shared objects
// named *.plugin in one directory (--plugin-path), each exporting
// `struct plugin_method plugin_method` (include/tee_plugin_method.h). They
// are loaded once at start (init() called when non-NULL) and serve
// OPTEE_RPC_CMD_SUPP_PLUGIN for their UUID (rpc_handlers.cc). A plugin is
// trusted code of the supplicant's user: the directory must be owned by
// that user or root and not writable by others.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/uuid.h"
#include "tee_plugin_method.h"

namespace swtee::supp {

// At most this many plugins are loaded from one directory.
inline constexpr size_t kMaxPlugins = 64;
// Largest data buffer one plugin invocation carries in and out.
inline constexpr uint64_t kMaxPluginData = 1u << 20;

class PluginSet {
 public:
  PluginSet() = default;
  ~PluginSet();
  PluginSet(PluginSet&& o) noexcept;
  PluginSet& operator=(PluginSet&& o) noexcept {
    plugins_.swap(o.plugins_);  // what was ours closes with `o`
    return *this;
  }
  PluginSet(const PluginSet&) = delete;
  PluginSet& operator=(const PluginSet&) = delete;

  // Loads every *.plugin of `dir` (in name order). A plugin that fails to
  // load or whose init() fails is an error: nothing half-loaded serves.
  static Result<PluginSet> load_dir(const std::string& dir);

  // The plugin serving `uuid`, or nullptr.
  const plugin_method* find(const Uuid& uuid) const;
  size_t size() const { return plugins_.size(); }

 private:
  struct Loaded {
    void* handle = nullptr;
    const plugin_method* method = nullptr;
    Uuid uuid;
  };
  std::vector<Loaded> plugins_;
};

}  // namespace swtee::supp
