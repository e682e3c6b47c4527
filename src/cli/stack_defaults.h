// Defaults shared by `swtee run` and `swtee daemon`, relative to the
// directory of the swtee binary (build tree or install prefix).
#pragma once

#include <string>
#include <vector>

#include "cli/stack.h"

namespace swtee::cli {

// TA dirs: the given ones, else <bindir>/../ta. Public keys:
// <bindir>/../keys/ta_dev_key.pub.pem if it exists, then the given ones.
StackConfig default_stack_config(const std::string& bindir, const std::vector<std::string>& ta_dirs,
                                 const std::vector<std::string>& ta_pubkeys);

// Absolute form of a path (relative to the current directory); children may
// run elsewhere.
std::string absolute_path(const std::string& p);

}  // namespace swtee::cli
