// Verdicts shared by both Wycheproof runners (in-process, and through the
// crypt TA in tests/integration), and the skip pins that keep them honest.
//
// A valid vector that GP cannot express is skipped, not passed. A regression
// that made key set-up fail would turn failures into skips, so every file
// pins how many of its vectors each runner skips: a change in that number
// fails the test, and a file without a pin fails too.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace swtee::ta::crypto::testing {

enum class Outcome { kPass, kFail, kSkip };

// `accepted`: the GP call succeeded; `correct`: its output is the expected one.
inline Outcome judge(const std::string& result, bool accepted, bool correct) {
  if (result == "valid") return accepted && correct ? Outcome::kPass : Outcome::kFail;
  if (result == "invalid") return !accepted || !correct ? Outcome::kPass : Outcome::kFail;
  return !accepted || correct ? Outcome::kPass : Outcome::kFail;  // acceptable
}

// For a vector GP cannot express: valid ones are skipped, others count as rejected.
inline Outcome skip_or_reject(const std::string& result) {
  return result == "valid" ? Outcome::kSkip : Outcome::kPass;
}

// Pinned skip counts by file name. kWholeFileUnsupported: the runner expects
// TEE_IsAlgorithmSupported to refuse the file's algorithm.
inline constexpr int kWholeFileUnsupported = -1;
using SkipPins = std::map<std::string, int, std::less<>>;

// Fails the current test unless `skipped` is the pin of `file`.
inline void expect_pinned_skips(const SkipPins& pins, const std::string& file, int skipped) {
  const auto it = pins.find(file);
  if (it == pins.end()) {
    ADD_FAILURE() << file << ": no skip pin (this run skipped " << skipped << ")";
    return;
  }
  EXPECT_EQ(skipped, it->second) << file << ": the number of vectors skipped as not expressible in GP "
                                 << "changed; if that is intended, update the pin";
}

}  // namespace swtee::ta::crypto::testing
