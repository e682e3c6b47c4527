// The shared half of the in-process Wycheproof runners: vector location,
// verdicts, and the per-file loop that prints "N passed, N failed". The
// policy (what counts as passed) is at the top of wycheproof_test.cc.
#pragma once

#include <functional>
#include <string>

#include "ta_runtime/crypto/tests/mini_json.h"
#include "tee_internal_api.h"

namespace swtee::ta::crypto::testing {

enum class Outcome { kPass, kFail, kSkip };

// $SWTEE_WYCHEPROOF_DIR or the checkout's shared/testvectors/wycheproof.
std::string wycheproof_dir();

// `accepted`: the GP call succeeded; `correct`: its output is the expected one.
Outcome judge(const std::string& result, bool accepted, bool correct);
// For a vector GP cannot express: valid ones are skipped, others count as rejected.
Outcome skip_or_reject(const std::string& result);

using Handler = std::function<Outcome(const Json& group, const Json& test)>;

// Runs every test of `name` through `h`, prints the per-file line, and
// fails the current test on any kFail (or when nothing passed).
void run_file(const std::string& name, const Handler& h);

}  // namespace swtee::ta::crypto::testing
