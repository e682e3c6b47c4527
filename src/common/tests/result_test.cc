#include "common/result.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace swtee {
namespace {

TEST(Error, PrintsContextOperationAndStrerrorText) {
  Error e{ENOENT, "open"};
  EXPECT_EQ(e.message(), "open: No such file or directory");
  Error outer = std::move(e).in("reading /state/huk").in("starting swtee-os");
  EXPECT_EQ(outer.message(), "starting swtee-os: reading /state/huk: open: No such file or directory");
  EXPECT_EQ(fmt::format("{}", outer), outer.message());
  EXPECT_EQ(outer.code, ENOENT);
}

TEST(Error, NeverPrintsErrnoNumbers) {
  for (int code : {EPERM, EINVAL, ENOSPC, EPROTO, EBADMSG, 4095}) {
    const std::string m = Error{code, ""}.message();
    EXPECT_EQ(m.find("errno"), std::string::npos) << m;
    EXPECT_FALSE(m.empty());
  }
}

TEST(Error, FromErrnoKeepsContext) {
  errno = EACCES;
  Error e = Error::from_errno("mkdir", "runtime dir /run/x");
  EXPECT_EQ(e.code, EACCES);
  EXPECT_EQ(e.message(), "runtime dir /run/x: mkdir: Permission denied");
}

}  // namespace
}  // namespace swtee
