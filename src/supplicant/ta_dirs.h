// Checks a TA directory list before anything is served from it: a TA
// directory that is empty ("") or does not exist is a configuration error,
// reported with its name, not a TEEC_ERROR_ITEM_NOT_FOUND at the first open.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace swtee::supp {

// What is wrong with the list, as a sentence naming the directory; nothing
// when every entry is an existing directory.
std::optional<std::string> ta_dirs_problem(const std::vector<std::string>& dirs);

}  // namespace swtee::supp
