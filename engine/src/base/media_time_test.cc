#include "cutroom/media_time.h"

#include <gtest/gtest.h>

namespace cutroom {
namespace {

TEST(MediaTimeTest, ParsesDecimalAndFractionExactly) {
  auto a = MediaTime::Parse("12.48");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->Seconds(), (Rational{312, 25}));
  auto b = MediaTime::Parse("1001/30000");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->Rescale({1, 30000}), 1001);
  EXPECT_FALSE(MediaTime::Parse("abc").ok());
  EXPECT_FALSE(MediaTime::Parse("1/0").ok());
  EXPECT_FALSE(MediaTime::Parse("").ok());
}

TEST(MediaTimeTest, FormatsExactly) {
  EXPECT_EQ(MediaTime(1248, {1, 100}).ToString(), "12.48");
  EXPECT_EQ(MediaTime(1001, {1, 30000}).ToString(), "1001/30000");
  EXPECT_EQ(MediaTime(3, {1, 1}).ToString(), "3");
  EXPECT_EQ(MediaTime(-5, {1, 10}).ToString(), "-0.5");
  EXPECT_EQ(MediaTime(0, {1, 10}).ToString(), "0");
}

TEST(MediaTimeTest, RescaleRoundsAsAsked) {
  MediaTime t(1, {1, 3});  // 0.333.. s
  EXPECT_EQ(t.Rescale({1, 1000}, Rounding::kDown), 333);
  EXPECT_EQ(t.Rescale({1, 1000}, Rounding::kUp), 334);
  EXPECT_EQ(t.Rescale({1, 1000}, Rounding::kNearest), 333);
  EXPECT_EQ(MediaTime(-1, {1, 3}).Rescale({1, 1000}, Rounding::kDown), -334);
}

TEST(MediaTimeTest, ArithmeticAndOrderingAcrossBases) {
  MediaTime a(1, {1, 30});        // one frame at 30 fps
  MediaTime b(1600, {1, 48000});  // one frame's worth of 48 kHz samples
  EXPECT_EQ(a, b);
  EXPECT_EQ((a + b).Seconds(), (Rational{1, 15}));
  EXPECT_LT(MediaTime(1, {1, 31}), a);
  EXPECT_EQ((a - b).ticks(), 0);
}

TEST(MediaTimeTest, TenHoursAtNanosecondsDoesNotOverflow) {
  MediaTime t(36000LL * 1000000000LL, {1, 1000000000});
  EXPECT_EQ(t.Rescale({1, 90000}), 36000LL * 90000LL);
}

}  // namespace
}  // namespace cutroom
