// Defaults shared by `swtee run` and `swtee daemon`, relative to the
// directory of the swtee binary (build tree or install prefix).
#pragma once

#include <string>
#include <vector>

#include "cli/stack.h"

namespace swtee::cli {

// Programs: from `bindir` when given (tests), else where the install layout
// puts them (common/install_layout.h). TA dirs: the given ones, else the
// default TA dir. Public keys: a build tree's development key if it exists
// (never an installed one), then the given ones.
StackConfig default_stack_config(const std::string& bindir, const std::vector<std::string>& ta_dirs,
                                 const std::vector<std::string>& ta_pubkeys);

// Absolute form of a path (relative to the current directory); children may
// run elsewhere.
std::string absolute_path(const std::string& p);

}  // namespace swtee::cli
