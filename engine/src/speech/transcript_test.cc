#include "speech/transcript.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cutroom::speech {
namespace {

using ::testing::HasSubstr;

MediaTime Ms(int64_t ms) { return MediaTime(ms, {1, 1000}); }

Transcript Sample() {
  Transcript t;
  t.language = "en";
  t.source = TranscriptSource::kBuiltinAsr;
  t.words = {{"Hello", Ms(100), Ms(400), 0.9f, "A"},
             {"world.", Ms(450), Ms(900), 0.8f, ""},
             {"after", Ms(2000), Ms(2300), 0.5f, ""},
             {"pause", Ms(2350), Ms(2700), 0.25f, ""},
             {"again", Ms(3600), Ms(3900), 1.0f, ""}};
  NormalizeTranscript(&t);
  return t;
}

TEST(TranscriptTest, SentencesEndAtPunctuationAndPauses) {
  Transcript t = Sample();
  ASSERT_EQ(t.sentences.size(), 3u);
  EXPECT_EQ(t.sentences[0].text, "Hello world.");
  EXPECT_EQ(t.sentences[1].text, "after pause");
  EXPECT_EQ(t.sentences[1].first_word, 2);
  EXPECT_EQ(t.sentences[1].start, Ms(2000));
  EXPECT_EQ(t.sentences[1].end, Ms(2700));
  EXPECT_EQ(t.sentences[2].text, "again");
}

TEST(TranscriptTest, JsonRoundTrip) {
  Transcript t = Sample();
  t.warnings.push_back("audio is 8000 Hz");
  const std::string json = TranscriptToJson(t);
  EXPECT_THAT(json, HasSubstr("\"start_s\": 0.1"));
  EXPECT_THAT(json, HasSubstr("\"source\": \"builtin_asr\""));
  Result<Transcript> back = TranscriptFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->words.size(), t.words.size());
  for (size_t i = 0; i < t.words.size(); ++i) {
    EXPECT_EQ(back->words[i].text, t.words[i].text);
    EXPECT_EQ(back->words[i].start, t.words[i].start);
    EXPECT_EQ(back->words[i].end, t.words[i].end);
    EXPECT_FLOAT_EQ(back->words[i].confidence, t.words[i].confidence);
    EXPECT_EQ(back->words[i].speaker, t.words[i].speaker);
  }
  EXPECT_EQ(back->sentences.size(), 3u);
  EXPECT_EQ(back->warnings, t.warnings);
  EXPECT_EQ(back->source, TranscriptSource::kBuiltinAsr);
}

TEST(TranscriptTest, BadJsonNamesTheProblem) {
  EXPECT_THAT(TranscriptFromJson("{").status().message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(TranscriptFromJson(R"({"source":"radio","words":[]})").status().message(),
              HasSubstr("radio"));
  EXPECT_THAT(
      TranscriptFromJson(R"({"source":"alignment","words":[{"text":"x","start_s":2,"end_s":1}]})")
          .status()
          .message(),
      HasSubstr("words[0]"));
  EXPECT_THAT(TranscriptFromJson(R"({"source":"alignment","words":[{"text":"x","end_s":1}]})")
                  .status()
                  .message(),
              HasSubstr("start_s"));
}

TEST(TranscriptTest, NormalizeRemovesOverlaps) {
  Transcript t;
  t.words = {{"b", Ms(500), Ms(900)}, {"a", Ms(0), Ms(600)}, {"c", Ms(700), Ms(700)}};
  NormalizeTranscript(&t);
  EXPECT_EQ(t.words[0].text, "a");
  EXPECT_EQ(t.words[1].start, Ms(600));
  EXPECT_EQ(t.words[2].start, Ms(900));
  EXPECT_EQ(t.words[2].end, Ms(901));
}

TEST(TranscriptTest, WordErrorRateIgnoresCaseAndPunctuation) {
  EXPECT_DOUBLE_EQ(WordErrorRate(SplitWords("Hello, World!"), {"hello", "world"}), 0.0);
  EXPECT_DOUBLE_EQ(WordErrorRate(SplitWords("a b c d"), SplitWords("a x c")), 0.5);
  EXPECT_DOUBLE_EQ(WordErrorRate({}, {}), 0.0);
  EXPECT_EQ(NormalizeWord("\"Don't,"), "don't");
  EXPECT_EQ(NormalizeWord("--"), "");
}

}  // namespace
}  // namespace cutroom::speech
