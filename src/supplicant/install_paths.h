// Paths relative to the installed binaries: the directory holding the running
// executable (/proc/self/exe) and the defaults derived from it.
#pragma once

#include <string>

namespace swtee::supp {

// Directory of the running executable; "." if it cannot be determined.
std::string self_exe_dir();
// `<bindir>/../ta`: the default TA directory of a build tree or install prefix.
std::string default_ta_dir();

}  // namespace swtee::supp
