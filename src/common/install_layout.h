// Where swtee's programs and data live, in a build tree and in an install
// prefix (GNUInstallDirs). docs/install.md describes the layout.
//
// Installed:   <prefix>/bin/swtee, <prefix>/sbin/{swteed,swtee-supplicant},
//              <prefix>/libexec/swtee/{swtee-os,swtee-ta-host},
//              TAs in <prefix>/lib/swtee/ta (the directories as configured).
// Build tree:  every program in <build>/bin, TAs in <build>/ta.
//
// A program counts as installed when the directory it runs from is its own
// install directory and <prefix>/<sbindir>/swteed exists; otherwise it is in
// a build tree and its companions are beside it.
#pragma once

#include <string>

namespace swtee::layout {

// Directory of the running executable; "." if it cannot be determined.
std::string self_exe_dir();

// The prefix this program was installed under; empty in a build tree.
std::string installed_prefix();

// Path of one of swtee's programs (swteed, swtee-supplicant, swtee-os,
// swtee-ta-host, swtee) as seen from the running program.
std::string program_path(const std::string& name);

// The default TA directory: <build>/ta, or <prefix>/<libdir>/swtee/ta.
std::string default_ta_dir();

// Development public key of a build tree (<build>/keys/ta_dev_key.pub.pem);
// empty when installed: development keys are never installed.
std::string build_tree_dev_pubkey();

// Default state directory of a system stack (/var/lib/swtee).
inline constexpr const char* kDefaultStateDir = "/var/lib/swtee";

}  // namespace swtee::layout
