#include "compose/script_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cutroom::compose {
namespace {

std::vector<std::string> Sentences(std::string_view paragraph) {
  std::vector<std::string> out;
  for (const SentenceSpan& s : SplitSentences(paragraph)) out.push_back(s.text);
  return out;
}

using Strings = std::vector<std::string>;

TEST(SplitSentencesTest, SplitsOnTerminatorsFollowedBySpace) {
  EXPECT_EQ(Sentences("One. Two! Three? Four… Five"),
            (Strings{"One.", "Two!", "Three?", "Four…", "Five"}));
  EXPECT_EQ(Sentences("Wait?! Really... Yes."), (Strings{"Wait?!", "Really...", "Yes."}));
  EXPECT_EQ(Sentences("  Spread\n  over\tlines.  Next. "),
            (Strings{"Spread over lines.", "Next."}));
}

TEST(SplitSentencesTest, KeepsAbbreviationsAndDecimalsTogether) {
  EXPECT_EQ(Sentences("Dr. Smith met Mr. Jones. It cost 3.5 dollars. Done."),
            (Strings{"Dr. Smith met Mr. Jones.", "It cost 3.5 dollars.", "Done."}));
  EXPECT_EQ(Sentences("Fruit, e.g. Apples and pears, i.e. Food. In the U.S. Army today."),
            (Strings{"Fruit, e.g. Apples and pears, i.e. Food.", "In the U.S. Army today."}));
  // A lowercase word after the dot continues the sentence ("etc." is not in the list).
  EXPECT_EQ(Sentences("Apples, pears, etc. are fruit. Version 2. Next."),
            (Strings{"Apples, pears, etc. are fruit.", "Version 2.", "Next."}));
}

TEST(SplitSentencesTest, ClosingQuotesStayWithTheirSentence) {
  EXPECT_EQ(Sentences("She said \"Go.\" Then (quietly.) “Yes.” Done"),
            (Strings{"She said \"Go.\"", "Then (quietly.)", "“Yes.”", "Done"}));
}

TEST(SplitSentencesTest, OffsetsPointAtTheFirstCharacter) {
  std::vector<SentenceSpan> s = SplitSentences("  Hé. \n Second");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].offset, 2u);
  EXPECT_EQ(s[1].offset, 9u);  // "  Hé. \n " is 9 bytes: é takes two
}

TEST(CountWordsTest, CountsTokensWithLettersOrDigits) {
  EXPECT_EQ(CountWords("Hello, world — it's 3.5 times 😀 better!"), 6);
  EXPECT_EQ(CountWords("  naïve   café  "), 2);
  EXPECT_EQ(CountWords("— … !"), 0);
  EXPECT_EQ(CountWords(""), 0);
}

TEST(ParseDurationTest, AcceptsTheDocumentedForms) {
  EXPECT_EQ(ParseDurationSeconds("60s"), 60);
  EXPECT_EQ(ParseDurationSeconds("1m30s"), 90);
  EXPECT_EQ(ParseDurationSeconds(" 1m 30s "), 90);
  EXPECT_EQ(ParseDurationSeconds("1.5m"), 90);
  EXPECT_EQ(ParseDurationSeconds("90"), 90);
  EXPECT_EQ(ParseDurationSeconds("12.5"), 12.5);
  EXPECT_EQ(ParseDurationSeconds("1h2m3s"), 3723);
  EXPECT_EQ(ParseDurationSeconds("1:30"), 90);
  EXPECT_EQ(ParseDurationSeconds("1:02:03.5"), 3723.5);
  EXPECT_EQ(ParseDurationSeconds("0"), 0);
}

TEST(ParseDurationTest, RejectsEverythingElse) {
  for (const char* bad : {"", "s", "m30", "30s1m", "1m30", "1m1m", "1:75", "1:2:3:4", "-5", ".5",
                          "5.", "1..5", "about a minute", "60 seconds", "1:30s", "1e3"}) {
    EXPECT_FALSE(ParseDurationSeconds(bad).has_value()) << bad;
  }
}

TEST(Utf8Test, DecodesAndRejectsMalformedSequences) {
  EXPECT_EQ(DecodeUtf8("é", 0).code_point, U'é');
  EXPECT_EQ(DecodeUtf8("😀", 0).length, 4);
  EXPECT_EQ(DecodeUtf8("\x80", 0).length, 0);              // stray continuation
  EXPECT_EQ(DecodeUtf8("\xC3", 0).length, 0);              // truncated
  EXPECT_EQ(DecodeUtf8("\xE0\x80\xAF", 0).length, 0);      // overlong
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80", 0).length, 0);      // surrogate
  EXPECT_EQ(DecodeUtf8("\xF4\x90\x80\x80", 0).length, 0);  // above U+10FFFF
  EXPECT_EQ(CountCodePoints("Café — naïve 😀"), 14);
}

TEST(TextTest, TrimsAndCollapsesWhitespace) {
  EXPECT_EQ(CollapseWhitespace("\u00A0 a \n\t b\u3000"), "a b");
  EXPECT_EQ(TrimWhitespace("\u2003 x y \u00A0"), "x y");
  EXPECT_EQ(TrimBlock("\n\n    # Title\n      - item\n\n    text   \n  \n"),
            "# Title\n  - item\n\ntext");
}

}  // namespace
}  // namespace cutroom::compose
