// The shared half of the in-process Wycheproof runners: vector location,
// verdicts, and the per-file loop that prints "N passed, N failed". The
// policy (what counts as passed) is at the top of wycheproof_test.cc.
#pragma once

#include <functional>
#include <string>

#include "ta_runtime/crypto/tests/mini_json.h"
#include "ta_runtime/crypto/tests/wycheproof_verdict.h"
#include "tee_internal_api.h"

namespace swtee::ta::crypto::testing {

// $SWTEE_WYCHEPROOF_DIR or the checkout's shared/testvectors/wycheproof.
std::string wycheproof_dir();

using Handler = std::function<Outcome(const Json& group, const Json& test)>;

// Runs every test of `name` through `h`, prints the per-file line, and
// fails the current test on any kFail, when nothing passed, when the file is
// missing, or when the skip count is not the file's pin (wycheproof_pins.cc).
void run_file(const std::string& name, const Handler& h);

}  // namespace swtee::ta::crypto::testing
