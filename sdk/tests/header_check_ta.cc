// C++ build of the header check (see header_check_ta.c).
#include "header_check_ta.c"
