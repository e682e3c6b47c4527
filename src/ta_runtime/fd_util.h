// Fd helpers for the zygote and the TA process.
#pragma once

#include <initializer_list>

namespace swtee::ta {

// Closes every fd above 2 except those listed (close_range over the gaps).
void close_all_fds_except(std::initializer_list<int> keep);

}  // namespace swtee::ta
