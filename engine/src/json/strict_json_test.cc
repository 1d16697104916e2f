#include "json/strict_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace cutroom::strict_json {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

enum class Fruit { kInvalid = 0, kApple, kPear };

std::string_view FruitName(Fruit fruit) {
  switch (fruit) {
    case Fruit::kApple:
      return "apple";
    case Fruit::kPear:
      return "pear";
    case Fruit::kInvalid:
      break;
  }
  return "invalid";
}

// The message of a status that must be an InvalidArgument error.
template <typename T>
std::string ErrorOf(const Result<T>& result) {
  if (result.ok()) return "(ok)";
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << result.status().ToString();
  return std::string(result.status().message());
}

std::string ErrorOf(const Status& status) {
  if (status.ok()) return "(ok)";
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  return std::string(status.message());
}

Json Parsed(std::string_view text) {
  Result<Json> j = ParseJson(text);
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  return j.ok() ? *j : Json();
}

TEST(StrictJsonTest, PathsJoinFieldsAndIndices) {
  EXPECT_EQ(FieldPath("", "version"), "version");
  EXPECT_EQ(FieldPath("output", "fps"), "output.fps");
  EXPECT_EQ(IndexPath("segments", 3), "segments[3]");
  EXPECT_EQ(FieldPath(IndexPath(FieldPath(IndexPath("segments", 0), "crop"), 1), "zoom"),
            "segments[0].crop[1].zoom");
  EXPECT_EQ(ErrorOf(FieldError("a.b", "is wrong")), "a.b: is wrong");
  EXPECT_EQ(ErrorOf(FieldError("", "is wrong")), "is wrong");
}

TEST(StrictJsonTest, DuplicateKeysAreFoundAtAnyDepth) {
  EXPECT_EQ(ErrorOf(ParseJson(R"({"a": 1, "a": 2})")), "a: field appears more than once");
  EXPECT_EQ(ErrorOf(ParseJson(R"({"a": {"b": {"c": 1, "c": 1}}})")),
            "a.b.c: field appears more than once");
  // Array elements are counted, including scalars and nested arrays before the object.
  EXPECT_EQ(ErrorOf(ParseJson(R"({"s": [1, [2], {"k": 0}, {"x": 1, "y": 2, "x": 3}]})")),
            "s[3].x: field appears more than once");
  EXPECT_EQ(ErrorOf(ParseJson(R"([[], [{"t": 0, "t": 0}]])")),
            "[1][0].t: field appears more than once");
  // The same key in sibling objects is no duplicate.
  EXPECT_TRUE(ParseJson(R"({"s": [{"x": 1}, {"x": 2}], "t": {"x": 3}})").ok());
  // The first duplicate in document order is the one reported.
  EXPECT_EQ(ErrorOf(ParseJson(R"({"a": {"z": 1, "z": 2}, "b": 1, "b": 2})")),
            "a.z: field appears more than once");
}

TEST(StrictJsonTest, SyntaxErrorsGiveTheLineAndColumn) {
  // The column is that of the last character nlohmann read: the end of the unexpected token.
  EXPECT_THAT(ErrorOf(ParseJson("{\n  \"width\": 1080,\n  \"height\" 1920\n}")),
              StartsWith("invalid JSON at line 3, column 15: syntax error"));
  EXPECT_THAT(ErrorOf(ParseJson("{\"a\": tru}")), StartsWith("invalid JSON at line 1, column "));
  EXPECT_THAT(ErrorOf(ParseJson("")), StartsWith("invalid JSON at line 1, column 1: "));
  // No position for a number that overflows; nlohmann's bracketed id is dropped.
  std::string overflow = ErrorOf(ParseJson("[1e400]"));
  EXPECT_THAT(overflow, StartsWith("invalid JSON: "));
  EXPECT_THAT(overflow, Not(HasSubstr("[json.exception")));
  // Invalid UTF-8 quoted back from the input is escaped, so the message is printable ASCII.
  std::string bad_utf8 = ErrorOf(ParseJson("{\"a\": \"\xff\"}"));
  EXPECT_THAT(bad_utf8, StartsWith("invalid JSON at line 1, column "));
  for (char c : bad_utf8) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << bad_utf8;
  EXPECT_THAT(bad_utf8, HasSubstr("\\xFF"));
}

TEST(StrictJsonTest, UnknownFieldsAreNamedWithTheKnownOnes) {
  Json j = Parsed(R"({"look": {"colour": "#000000", "text": "#ffffff"}})");
  Result<ObjectReader> root = ObjectReader::MakeRoot(j, "style");
  ASSERT_TRUE(root.ok());
  Result<ObjectReader> look = ObjectReader::Make(*root->Find("look"), root->PathOf("look"));
  ASSERT_TRUE(look.ok());
  EXPECT_EQ(look->path(), "look");
  EXPECT_EQ(look->Find("background"), nullptr);
  ASSERT_NE(look->Find("text"), nullptr);
  EXPECT_EQ(ErrorOf(look->CheckNoUnknownFields()),
            "look.colour: unknown field (known: background, text)");
  EXPECT_TRUE(root->CheckNoUnknownFields().ok());
  EXPECT_EQ(ErrorOf(root->FindRequired("version")), "version: missing required field");
}

TEST(StrictJsonTest, ObjectsAreRequiredWhereExpected) {
  EXPECT_EQ(ErrorOf(ObjectReader::MakeRoot(Parsed("[1]"), "timeline")),
            "timeline: expected an object, got an array");
  EXPECT_EQ(ErrorOf(ObjectReader::Make(Parsed("\"x\""), "output")),
            "output: expected an object, got string \"x\"");
}

TEST(StrictJsonTest, TypedReadersNameWhatTheyFound) {
  EXPECT_EQ(ErrorOf(ToInt(Json("2"), "w")), "w: expected an integer, got string \"2\"");
  EXPECT_EQ(ErrorOf(ToInt(Json(1.5), "w")), "w: expected an integer, got number 1.5");
  EXPECT_EQ(ErrorOf(ToInt(Json(4294967296LL), "w")),
            "w: number 4294967296 is out of the integer range");
  EXPECT_EQ(ErrorOf(ToInt(Json(-4294967296LL), "w")),
            "w: number -4294967296 is out of the integer range");
  EXPECT_EQ(*ToInt(Json(-7), "w"), -7);
  EXPECT_EQ(ErrorOf(ToDouble(Json("2"), "z")), "z: expected a number, got string \"2\"");
  EXPECT_EQ(ErrorOf(ToDouble(Json(nullptr), "z")), "z: expected a number, got null");
  EXPECT_DOUBLE_EQ(*ToDouble(Json(3), "z"), 3.0);
  EXPECT_EQ(ErrorOf(ToBool(Json(1), "m")), "m: expected true or false, got number 1");
  EXPECT_EQ(ErrorOf(ToString(Json(true), "s")), "s: expected a string, got true");
  EXPECT_EQ(ErrorOf(ToString(Json::array(), "s")), "s: expected a string, got an array");
  EXPECT_EQ(ErrorOf(ToNonEmptyString(Json(""), "id")), "id: must not be empty");
  EXPECT_EQ(ErrorOf(ToColour(Json("#FFF"), "c")), "c: colour '#FFF' is not #RRGGBB");
  EXPECT_EQ(ErrorOf(ToColour(Json("#12345G"), "c")), "c: colour '#12345G' is not #RRGGBB");
  EXPECT_EQ(*ToColour(Json("#a0B1c2"), "c"), "#a0B1c2");
  // Long values are shortened in messages.
  EXPECT_EQ(ErrorOf(ToInt(Json(std::string(60, 'x')), "w")),
            "w: expected an integer, got string \"" + std::string(39, 'x') + "...");
}

TEST(StrictJsonTest, FrameRatesAreExact) {
  EXPECT_EQ(*ToFrameRate(Json("30000/1001"), "fps"), Rational::Make(30000, 1001));
  EXPECT_EQ(*ToFrameRate(Json("29.97"), "fps"), Rational::Make(2997, 100));
  EXPECT_EQ(*ToFrameRate(Json(25), "fps"), Rational::Make(25, 1));
  EXPECT_EQ(ErrorOf(ToFrameRate(Json("fast"), "fps")),
            "fps: expected a frame rate (\"30\", \"30000/1001\"), got 'fast'");
  EXPECT_EQ(ErrorOf(ToFrameRate(Json(29.97), "fps")),
            "fps: expected a frame rate as a string (\"30000/1001\") or an integer, got number "
            "29.97");
}

TEST(StrictJsonTest, EnumsListTheKnownNames) {
  EXPECT_EQ(*ToEnum(Json("pear"), "f", "fruit", {Fruit::kApple, Fruit::kPear}, &FruitName),
            Fruit::kPear);
  EXPECT_EQ(ErrorOf(ToEnum(Json("plum"), "f", "fruit", {Fruit::kApple, Fruit::kPear}, &FruitName)),
            "f: unknown fruit 'plum' (known: apple, pear)");
  EXPECT_EQ(ErrorOf(ToEnum(Json(1), "f", "fruit", {Fruit::kApple}, &FruitName)),
            "f: expected a string, got number 1");
  constexpr std::array<std::pair<std::string_view, Fruit>, 2> kTable = {
      {{"apple", Fruit::kApple}, {"pear", Fruit::kPear}}};
  EXPECT_EQ(*ToEnum(Json("apple"), "f", "fruit", kTable), Fruit::kApple);
  EXPECT_EQ(ErrorOf(ToEnum(Json("fig"), "f", "fruit", kTable)),
            "f: unknown fruit 'fig' (known: apple, pear)");
}

TEST(StrictJsonTest, RangesNameTheUnit) {
  EXPECT_TRUE(CheckRange(5, 0, 5, "t", "s").ok());
  EXPECT_EQ(ErrorOf(CheckRange(6, 0, 5, "t", "s")), "t: 6 s is outside 0..5");
  EXPECT_EQ(ErrorOf(CheckRange(1.5, 0, 1, "o")), "o: 1.5 is outside 0..1");
  Json j = Parsed(R"({"gain_db": 30, "gap_s": "1"})");
  Result<ObjectReader> r = ObjectReader::MakeRoot(j, "style");
  ASSERT_TRUE(r.ok());
  double gain_db = 0;
  EXPECT_EQ(ErrorOf(ReadNumber(*r, "gain_db", -60, 24, "dB", &gain_db)),
            "gain_db: 30 dB is outside -60..24");
  EXPECT_EQ(gain_db, 0) << "left unchanged on error";
  double gap_s = 0;
  EXPECT_EQ(ErrorOf(ReadNumber(*r, "gap_s", 0, 10, "s", &gap_s)),
            "gap_s: expected a number, got string \"1\"");
  double absent = 2;
  EXPECT_TRUE(ReadNumber(*r, "absent", 0, 1, "", &absent).ok());
  EXPECT_EQ(absent, 2);
}

TEST(StrictJsonTest, FieldsReadIntoTheirTargets) {
  Json j = Parsed(R"({"n": 3, "xs": [1, 2, "3"], "ys": {}, "ok": [4, 5]})");
  Result<ObjectReader> r = ObjectReader::MakeRoot(j, "doc");
  ASSERT_TRUE(r.ok());
  int n = 0;
  EXPECT_TRUE(ReadRequired(*r, "n", ToInt, &n).ok());
  EXPECT_EQ(n, 3);
  int kept = 9;
  EXPECT_TRUE(ReadOptional(*r, "absent", ToInt, &kept).ok());
  EXPECT_EQ(kept, 9);
  EXPECT_EQ(ErrorOf(ReadRequired(*r, "gone", ToInt, &kept)), "gone: missing required field");
  std::vector<int> xs;
  EXPECT_EQ(ErrorOf(ReadArray(*r, "xs", Presence::kRequired, ToInt, &xs)),
            "xs[2]: expected an integer, got string \"3\"");
  EXPECT_EQ(ErrorOf(ReadArray(*r, "ys", Presence::kOptional, ToInt, &xs)),
            "ys: expected an array, got an object");
  EXPECT_EQ(ErrorOf(ReadArray(*r, "zs", Presence::kRequired, ToInt, &xs)),
            "zs: missing required field");
  std::vector<int> ok = {7};
  EXPECT_TRUE(ReadArray(*r, "none", Presence::kOptional, ToInt, &ok).ok());
  EXPECT_EQ(ok, std::vector<int>{7});
  EXPECT_TRUE(ReadArray(*r, "ok", Presence::kOptional, ToInt, &ok).ok());
  EXPECT_EQ(ok, (std::vector<int>{4, 5}));
  EXPECT_TRUE(r->CheckNoUnknownFields().ok());
}

}  // namespace
}  // namespace cutroom::strict_json
