#include "ta_runtime/crypto/tests/wycheproof_runner.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace swtee::ta::crypto::testing {

std::string wycheproof_dir() {
  const char* d = std::getenv("SWTEE_WYCHEPROOF_DIR");
  return d != nullptr ? d : SWTEE_WYCHEPROOF_DEFAULT_DIR;
}

Outcome judge(const std::string& result, bool accepted, bool correct) {
  if (result == "valid") return accepted && correct ? Outcome::kPass : Outcome::kFail;
  if (result == "invalid") return !accepted || !correct ? Outcome::kPass : Outcome::kFail;
  return !accepted || correct ? Outcome::kPass : Outcome::kFail;  // acceptable
}

Outcome skip_or_reject(const std::string& result) {
  return result == "valid" ? Outcome::kSkip : Outcome::kPass;
}

void run_file(const std::string& name, const Handler& h) {
  const auto j = parse_json_file(wycheproof_dir() + "/" + name);
  if (!j) GTEST_SKIP() << name << " not available";
  int pass = 0, fail = 0, skip = 0;
  for (const auto& g : (*j)["testGroups"].arr) {
    for (const auto& t : g["tests"].arr) {
      switch (h(g, t)) {
        case Outcome::kPass:
          ++pass;
          break;
        case Outcome::kFail:
          ++fail;
          ADD_FAILURE() << name << " tcId " << t["tcId"].i() << " (" << t["result"].s() << ") "
                        << t["comment"].s();
          break;
        case Outcome::kSkip:
          ++skip;
          break;
      }
    }
  }
  std::printf("%s: %d passed, %d failed (%d skipped: not expressible in GP)\n", name.c_str(), pass, fail,
              skip);
  EXPECT_EQ(fail, 0);
  EXPECT_GT(pass, 0);
}

}  // namespace swtee::ta::crypto::testing
