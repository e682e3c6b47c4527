#include "ta_runtime/crypto/tests/mini_json.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace swtee::ta::crypto::testing {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& t) : t_(t) {}

  bool value(Json& out, int depth) {
    if (depth > 64) return false;
    ws();
    if (p_ >= t_.size()) return false;
    const char c = t_[p_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.kind = Json::Kind::kString;
      return string(out.str);
    }
    if (lit("true")) {
      out.kind = Json::Kind::kBool;
      out.b = true;
      return true;
    }
    if (lit("false")) {
      out.kind = Json::Kind::kBool;
      return true;
    }
    if (lit("null")) return true;
    char* end = nullptr;
    out.num = std::strtod(t_.c_str() + p_, &end);
    if (end == t_.c_str() + p_) return false;
    out.kind = Json::Kind::kNumber;
    p_ = static_cast<size_t>(end - t_.c_str());
    return true;
  }

  bool done() {
    ws();
    return p_ == t_.size();
  }

 private:
  void ws() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\r' || t_[p_] == '\t')) ++p_;
  }
  bool lit(const char* w) {
    const std::string s(w);
    if (t_.compare(p_, s.size(), s) != 0) return false;
    p_ += s.size();
    return true;
  }
  bool string(std::string& out) {
    ++p_;  // opening quote
    while (p_ < t_.size()) {
      const char c = t_[p_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (p_ >= t_.size()) return false;
      const char e = t_[p_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          if (p_ + 4 > t_.size()) return false;
          const unsigned long cp = std::strtoul(t_.substr(p_, 4).c_str(), nullptr, 16);
          p_ += 4;
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default:
          out += e;
          break;  // \" \\ \/
      }
    }
    return false;
  }
  bool array(Json& out, int depth) {
    out.kind = Json::Kind::kArray;
    ++p_;
    ws();
    if (p_ < t_.size() && t_[p_] == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      Json v;
      if (!value(v, depth + 1)) return false;
      out.arr.push_back(std::move(v));
      ws();
      if (p_ >= t_.size()) return false;
      if (t_[p_] == ',') {
        ++p_;
        continue;
      }
      if (t_[p_] == ']') {
        ++p_;
        return true;
      }
      return false;
    }
  }
  bool object(Json& out, int depth) {
    out.kind = Json::Kind::kObject;
    ++p_;
    ws();
    if (p_ < t_.size() && t_[p_] == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      ws();
      if (p_ >= t_.size() || t_[p_] != '"') return false;
      std::string key;
      if (!string(key)) return false;
      ws();
      if (p_ >= t_.size() || t_[p_] != ':') return false;
      ++p_;
      Json v;
      if (!value(v, depth + 1)) return false;
      out.obj.emplace(std::move(key), std::move(v));
      ws();
      if (p_ >= t_.size()) return false;
      if (t_[p_] == ',') {
        ++p_;
        continue;
      }
      if (t_[p_] == '}') {
        ++p_;
        return true;
      }
      return false;
    }
  }

  const std::string& t_;
  size_t p_ = 0;
};

}  // namespace

const Json& Json::operator[](const std::string& key) const {
  static const Json kNull;
  if (kind != Kind::kObject) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : it->second;
}

std::optional<Json> parse_json(const std::string& text) {
  Parser p(text);
  Json j;
  if (!p.value(j, 0) || !p.done()) return std::nullopt;
  return j;
}

std::optional<Json> parse_json_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) return std::nullopt;
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_json(ss.str());
}

}  // namespace swtee::ta::crypto::testing
