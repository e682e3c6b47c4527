#include "cli/restart_backoff.h"

#include <gtest/gtest.h>

namespace swtee::cli {
namespace {

// Each death as soon as the supplicant is back: at once, then 100, 200,
// 400, 800 ms; the sixth death within the minute is a crash loop.
TEST(RestartBackoff, DoublesFromOneHundredMsAndStopsAtTheSixthQuickDeath) {
  RestartBackoff b;
  int64_t now = 1000;
  for (int64_t want : {0, 100, 200, 400, 800}) {
    const auto d = b.on_death(now);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(*d, want);
    now += *d + 50;  // restarted, then dies 50 ms later
  }
  EXPECT_EQ(b.recent(), 5u);
  EXPECT_FALSE(b.on_death(now).has_value()) << "a crash loop is restarted for ever";
  EXPECT_FALSE(b.on_death(now + 1).has_value());
}

// Deaths far apart are not a crash loop: each is restarted at once.
TEST(RestartBackoff, DeathsMoreThanAMinuteApartRestartAtOnce) {
  RestartBackoff b;
  for (int i = 0; i < 20; ++i) {
    const auto d = b.on_death(int64_t{i} * (RestartBackoff::kWindowMs + 1));
    ASSERT_TRUE(d.has_value()) << "death " << i;
    EXPECT_EQ(*d, 0);
  }
}

// The window slides: once the early restarts are older than a minute they
// no longer count, and the back-off shrinks with them.
TEST(RestartBackoff, TheWindowSlides) {
  RestartBackoff b;
  ASSERT_EQ(b.on_death(0), 0);
  ASSERT_EQ(b.on_death(10), 100);
  ASSERT_EQ(b.on_death(20'000), 200);
  // 60.001 s after the first two: only the third still counts.
  EXPECT_EQ(b.on_death(60'111), 100);
  EXPECT_EQ(b.recent(), 2u);
}

}  // namespace
}  // namespace swtee::cli
