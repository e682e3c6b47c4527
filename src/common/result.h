// Errors as values. Result<T> holds a T or an Error; Status is Result<void>.
// Error carries a positive errno value (the transport/argument failure class
// the UAPI speaks), the operation that failed, and the context it failed in:
// what was being done, on which path or id. It prints as text
// ("reading TA 8aaaf200-...: open: No such file or directory"), never as
// "errno N". GP results (TEEC_Result + origin) are data inside successful
// replies, never Errors.
#pragma once

#include <fmt/core.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace swtee {

struct [[nodiscard]] Error {
  int code = EIO;         // positive errno
  const char* what = "";  // the operation that failed (static string)
  std::string context{};  // what was being done, on what; outermost first

  // The failed call's errno, with the operation and optional context.
  static Error from_errno(const char* what = "", std::string context = {}) {
    return Error{errno ? errno : EIO, what, std::move(context)};
  }
  // Adds an outer layer of context: Error{ENOENT, "open"}.in("reading huk")
  // prints "reading huk: open: No such file or directory".
  Error in(std::string_view outer) const&;
  Error in(std::string_view outer) &&;
  // The text of the error: "<context>: <what>: <strerror(code)>".
  std::string message() const;

  friend bool operator==(const Error& a, const Error& b) { return a.code == b.code; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error err) : v_(std::in_place_index<1>, std::move(err)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error err) : err_(std::move(err)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return err_;
  }

 private:
  Error err_{};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace swtee

// fmt prints an Error as its message().
template <>
struct fmt::formatter<swtee::Error> {
  constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
  template <typename Ctx>
  auto format(const swtee::Error& e, Ctx& ctx) const {
    const std::string m = e.message();
    return std::copy(m.begin(), m.end(), ctx.out());
  }
};

// TRY(expr): evaluate a Result/Status; on error return the Error from the
// enclosing function (whose return type must be constructible from Error).
#define SWTEE_CONCAT_(a, b) a##b
#define SWTEE_CONCAT(a, b) SWTEE_CONCAT_(a, b)
#define TRY_STATUS(expr)                                 \
  do {                                                   \
    auto&& swtee_try_r_ = (expr);                        \
    if (!swtee_try_r_.ok()) return swtee_try_r_.error(); \
  } while (0)
// ASSIGN_OR_RETURN(lhs, expr): lhs = std::move(expr).value() or return error.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL_(SWTEE_CONCAT(swtee_r_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.error();           \
  lhs = std::move(tmp).value()
