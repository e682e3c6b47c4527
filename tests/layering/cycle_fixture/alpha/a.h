// Fixture: alpha includes beta.
#include "beta/b.h"
