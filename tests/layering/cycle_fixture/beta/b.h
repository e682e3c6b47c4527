// Fixture: beta includes alpha, closing a cycle.
#include "alpha/a.h"
