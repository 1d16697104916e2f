#include "codec.h"

#include <gtest/gtest.h>

namespace cutroom::jobs {
namespace {

TEST(Codec, StringMapsRoundTripWhateverTheyHold) {
  std::map<std::string, std::string> cases[] = {
      {},
      {{"output", "/data/outputs/1/ab c"}, {"clips", "5"}},
      {{"quote\"d", "back\\\\slash"}, {"ctl", "tab\tnew\nline\rcr\x01\x1f"}, {"utf8", "Café — naïve 😀"}},
      {{"", ""}, {"slash/", "a/b"}},
  };
  for (const auto& map : cases) {
    std::string text = StringMapToJson(map);
    auto back = StringMapFromJson(text);
    ASSERT_TRUE(back.ok()) << text << " " << back.status().ToString();
    EXPECT_EQ(*back, map) << text;
  }
  // Forms this store never writes still parse (the full parser takes over).
  auto spaced = StringMapFromJson(" { \"a\" : \"\\u00e9\\u0041\" } ");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->at("a"), "\xc3\xa9" "A");
  EXPECT_EQ(StringMapFromJson("{\"a\":1}").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(StringMapFromJson("{\"a\":\"x\"").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(StringMapFromJson("[]").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(StringMapFromJson("{\"a\":\"x\"} trailing").status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace cutroom::jobs
