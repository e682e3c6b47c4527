// xtest 4540: key material imported into the token is not found in clear
// in the state directory, the runtime directory or a client's memory.
#pragma once

#include <string>
#include <vector>

namespace swtee::p11test {

// Initialises the token and imports the known keys (one process).
int import_known_keys(const char* module, const char* control_file, const char* pub_file);
// Uses them and searches `dirs` and this process's memory (another process).
int keys_stay(const char* module, const std::vector<std::string>& dirs, const char* control_file,
              const char* pub_file);

}  // namespace swtee::p11test
