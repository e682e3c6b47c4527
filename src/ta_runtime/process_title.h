// What `ps` and /proc/PID/comm show for a TA process: its TA, not
// "swtee-ta-host --zygote". init() is called first thing in main(): it moves
// the environment to the heap so the argv + environ block can hold a longer
// title. set() is called in each TA process once its TA is loaded.
#pragma once

#include <string_view>

namespace swtee::ta::process_title {

void init(int argc, char** argv);
// /proc/PID/cmdline becomes `title` (truncated to the block), comm the
// first 15 bytes of `comm`.
void set(std::string_view title, std::string_view comm);

}  // namespace swtee::ta::process_title
