#include "common/result.h"

#include <system_error>

namespace swtee {

Error Error::in(std::string_view outer) const& {
  Error e = *this;
  return std::move(e).in(outer);
}

Error Error::in(std::string_view outer) && {
  if (outer.empty()) return std::move(*this);
  if (context.empty()) {
    context = outer;
  } else {
    context.insert(0, ": ");
    context.insert(0, outer);
  }
  return std::move(*this);
}

std::string Error::message() const {
  std::string m = context;
  const auto append = [&m](std::string_view part) {
    if (part.empty()) return;
    if (!m.empty()) m += ": ";
    m += part;
  };
  append(what != nullptr ? what : "");
  append(std::generic_category().message(code));
  return m;
}

}  // namespace swtee
