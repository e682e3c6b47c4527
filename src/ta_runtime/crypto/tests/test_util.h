// Helpers for the GP crypto unit tests: hex, keys, random splits, and a
// one-call-per-step driver over the GP API.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ta_runtime/dispatcher.h"
#include "tee_internal_api.h"

namespace swtee::ta::crypto::testing {

using Bytes = std::vector<uint8_t>;

// How a call that must panic the TA ends, for EXPECT_EXIT.
inline const ::testing::ExitedWithCode kPanicked(kExitPanic);

Bytes hex(const std::string& s);
std::string to_hex(const Bytes& b);
Bytes random_bytes(size_t n, std::mt19937& rng);

// A transient secret-key object of `type` holding `key`, usage all.
TEE_ObjectHandle make_key(uint32_t type, const Bytes& key);

// Random cut points splitting `n` bytes into pieces (some empty).
std::vector<size_t> random_split(size_t n, std::mt19937& rng);

// Runs a cipher over `in` through Update calls at `cuts` and a DoFinal.
Bytes cipher_run(TEE_OperationHandle op, const Bytes& iv, const Bytes& in, const std::vector<size_t>& cuts);

// TEE_DigestDoFinal of msg under alg into out_len bytes (expecting success).
Bytes digest(uint32_t alg, const Bytes& msg, size_t out_len = 64);

// Allocates an operation (asserting success) and sets `key`.
TEE_OperationHandle make_op(uint32_t alg, uint32_t mode, uint32_t key_type, const Bytes& key);

}  // namespace swtee::ta::crypto::testing
