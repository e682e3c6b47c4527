// A minimal JSON reader for the Wycheproof vector files (test-only): objects,
// arrays, strings (with \" \\ \/ \n \t \uXXXX escapes), numbers, literals.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace swtee::ta::crypto::testing {

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Json> arr;
  std::map<std::string, Json> obj;

  // Member lookup; a static null when absent or not an object.
  const Json& operator[](const std::string& key) const;
  [[nodiscard]] std::string s() const { return str; }
  [[nodiscard]] int i() const { return static_cast<int>(num); }
};

// nullopt on a syntax error.
std::optional<Json> parse_json(const std::string& text);
std::optional<Json> parse_json_file(const std::string& path);

}  // namespace swtee::ta::crypto::testing
