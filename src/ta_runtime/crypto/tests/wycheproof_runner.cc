#include "ta_runtime/crypto/tests/wycheproof_runner.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace swtee::ta::crypto::testing {

std::string wycheproof_dir() {
  const char* d = std::getenv("SWTEE_WYCHEPROOF_DIR");
  return d != nullptr ? d : SWTEE_WYCHEPROOF_DEFAULT_DIR;
}

// The in-process runner's pins (wycheproof_pins.cc).
extern const SkipPins kInProcessSkipPins;

void run_file(const std::string& name, const Handler& h) {
  const auto j = parse_json_file(wycheproof_dir() + "/" + name);
  if (!j) {
    ADD_FAILURE() << name << ": cannot read it from " << wycheproof_dir();
    return;
  }
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
  expect_pinned_skips(kInProcessSkipPins, name, skip);
}

}  // namespace swtee::ta::crypto::testing
