#include "cli/stack_defaults.h"

#include <limits.h>
#include <unistd.h>

#include "common/install_layout.h"

namespace swtee::cli {

std::string absolute_path(const std::string& p) {
  if (p.empty() || p[0] == '/') return p;
  char cwd[PATH_MAX];
  if (::getcwd(cwd, sizeof(cwd)) == nullptr) return p;
  return std::string(cwd) + "/" + p;
}

StackConfig default_stack_config(const std::string& bindir, const std::vector<std::string>& ta_dirs,
                                 const std::vector<std::string>& ta_pubkeys) {
  StackConfig c;
  c.bindir = bindir;
  for (const auto& d : ta_dirs) c.ta_dirs.push_back(absolute_path(d));
  if (c.ta_dirs.empty()) c.ta_dirs.push_back(bindir.empty() ? layout::default_ta_dir() : bindir + "/../ta");
  const std::string dev_key =
      bindir.empty() ? layout::build_tree_dev_pubkey() : bindir + "/../keys/ta_dev_key.pub.pem";
  if (!dev_key.empty() && ::access(dev_key.c_str(), R_OK) == 0) c.ta_pubkeys.push_back(dev_key);
  for (const auto& k : ta_pubkeys) c.ta_pubkeys.push_back(absolute_path(k));
  return c;
}

}  // namespace swtee::cli
