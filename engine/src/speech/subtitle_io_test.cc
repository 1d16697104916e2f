#include "speech/subtitle_io.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cutroom::speech {
namespace {

using ::testing::HasSubstr;

MediaTime Ms(int64_t ms) { return MediaTime(ms, {1, 1000}); }

// What real SRT files contain: a BOM, CRLF, styling tags, an ASS override, entities, cue numbers
// that skip, overlapping cues out of order, a blank line inside a cue and no final newline.
TEST(SubtitleIoTest, SrtReaderSurvivesRealFiles) {
  const std::string srt =
      "\xEF\xBB\xBF" "1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> <font color=\"red\">there</font>\r\n"
      "{\\an8}second line &amp; more\r\n\r\n"
      "7\r\n00:00:05,000 --> 00:00:06,000 X1:10 X2:20 Y1:1 Y2:2\r\nLater cue\r\n\r\n"
      "continued after a blank line\r\n\r\n"
      "3\r\n00:00:01,500 --> 00:00:03,000\r\nOverlapping a < b";
  Result<std::vector<Cue>> cues = ParseSrt(srt);
  ASSERT_TRUE(cues.ok()) << cues.status().ToString();
  ASSERT_EQ(cues->size(), 3u);
  EXPECT_EQ((*cues)[0].text, "Hello there\nsecond line & more");
  EXPECT_EQ((*cues)[0].start, Ms(1000));
  EXPECT_EQ((*cues)[0].end, Ms(2500));
  EXPECT_EQ((*cues)[1].text, "Overlapping a < b");
  EXPECT_EQ((*cues)[1].start, Ms(1500));
  EXPECT_EQ((*cues)[2].text, "Later cue\ncontinued after a blank line");
}

TEST(SubtitleIoTest, MalformedSrtNamesTheLine) {
  Result<std::vector<Cue>> cues =
      ParseSrt("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 --> 00:0x:04,000\nbad\n");
  ASSERT_FALSE(cues.ok());
  EXPECT_EQ(cues.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(cues.status().message(), HasSubstr("line 6:"));
  Result<std::vector<Cue>> backwards = ParseSrt("1\n00:00:05,000 --> 00:00:04,000\nx\n");
  ASSERT_FALSE(backwards.ok());
  EXPECT_THAT(backwards.status().message(), HasSubstr("line 2:"));
}

TEST(SubtitleIoTest, WebVttReaderSkipsNotesAndKeepsSpeakers) {
  const std::string vtt =
      "WEBVTT - a title\n\nNOTE this is a comment\nacross lines\n\nSTYLE\n::cue { color: red }\n\n"
      "intro\n00:01.000 --> 00:02.000 align:start position:10%\n<v Ann>Hi <c.loud>all</c>\n\n"
      "01:00:00.250 --> 01:00:01.000\nTimed <00:00:00.500>words &gt; here";
  Result<std::vector<Cue>> cues = ParseWebVtt(vtt);
  ASSERT_TRUE(cues.ok()) << cues.status().ToString();
  ASSERT_EQ(cues->size(), 2u);
  EXPECT_EQ((*cues)[0].text, "Hi all");
  EXPECT_EQ((*cues)[0].speaker, "Ann");
  EXPECT_EQ((*cues)[0].start, Ms(1000));
  EXPECT_EQ((*cues)[1].start, Ms(3600250));
  EXPECT_EQ((*cues)[1].text, "Timed words > here");
  EXPECT_FALSE(ParseWebVtt("1\n00:01.000 --> 00:02.000\nx\n").ok());
}

TEST(SubtitleIoTest, AssReaderUsesTheFormatLine) {
  const std::string ass =
      "[Script Info]\nTitle: x\n\n[V4+ Styles]\nFormat: Name, Fontname\nStyle: Default,Arial\n\n"
      "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
      "Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,ignored\n"
      "Dialogue: 0,0:00:01.50,0:00:03.25,Default,Bob,0,0,0,,{\\b1}Hello,{\\b0} world\\Nnext\\hline\n";
  Result<std::vector<Cue>> cues = ParseAss(ass);
  ASSERT_TRUE(cues.ok()) << cues.status().ToString();
  ASSERT_EQ(cues->size(), 1u);
  EXPECT_EQ((*cues)[0].text, "Hello, world\nnext line");
  EXPECT_EQ((*cues)[0].speaker, "Bob");
  EXPECT_EQ((*cues)[0].start, Ms(1500));
  EXPECT_EQ((*cues)[0].end, Ms(3250));
  Result<std::vector<Cue>> bad = ParseAss("[Events]\nDialogue: 0,zero,0:00:01.00,Default,,0,0,0,,x\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("line 2:"));
}

TEST(SubtitleIoTest, WritersRoundTripThroughReaders) {
  std::vector<Cue> cues = {{Ms(0), Ms(1234), "One & two\n<three>", "Ann"},
                           {Ms(3600000 + 61000 + 5), Ms(3600000 + 62000), "Four", ""}};
  Result<std::vector<Cue>> srt = ParseSrt(WriteSrt(cues));
  Result<std::vector<Cue>> vtt = ParseWebVtt(WriteWebVtt(cues));
  Result<std::vector<Cue>> ass = ParseAss(WriteAss(cues));
  ASSERT_TRUE(srt.ok() && vtt.ok() && ass.ok());
  ASSERT_EQ(vtt->size(), 2u);
  EXPECT_EQ((*vtt)[0].text, cues[0].text);
  EXPECT_EQ((*vtt)[0].speaker, "Ann");
  EXPECT_EQ((*vtt)[1].start, cues[1].start);
  ASSERT_EQ(srt->size(), 2u);
  EXPECT_EQ((*srt)[1].start, cues[1].start);
  EXPECT_EQ((*srt)[1].end, cues[1].end);
  ASSERT_EQ(ass->size(), 2u);
  EXPECT_EQ((*ass)[0].text, cues[0].text);
  EXPECT_EQ((*ass)[1].start, Ms(3600000 + 61010));  // centiseconds, rounded
  EXPECT_EQ(DetectSubtitleFormat(WriteAss(cues)), SubtitleFormat::kAss);
  EXPECT_EQ(DetectSubtitleFormat(WriteWebVtt(cues)), SubtitleFormat::kWebVtt);
  EXPECT_EQ(DetectSubtitleFormat(WriteSrt(cues)), SubtitleFormat::kSrt);
  EXPECT_EQ(DetectSubtitleFormat("", "x.ssa"), SubtitleFormat::kAss);
}

TEST(SubtitleIoTest, CuesFromTranscriptRespectSentencesAndLineBudget) {
  Transcript t;
  t.source = TranscriptSource::kBuiltinAsr;
  const char* texts[] = {"This", "is", "a", "fairly", "long", "first", "sentence", "that", "goes",
                         "on", "and", "on", "for", "a", "while.", "Short", "one."};
  int64_t ms = 0;
  for (const char* text : texts) {
    t.words.push_back({text, Ms(ms), Ms(ms + 300)});
    ms += 350;
  }
  NormalizeTranscript(&t);
  CueOptions options;
  options.max_chars_per_line = 20;
  options.max_lines = 2;
  std::vector<Cue> cues = CuesFromTranscript(t, options);
  ASSERT_GE(cues.size(), 3u);
  EXPECT_EQ(cues.back().text, "Short one.");
  for (const Cue& cue : cues) {
    for (const std::string& line : {cue.text.substr(0, cue.text.find('\n'))}) {
      EXPECT_LE(line.size(), 24u) << cue.text;
    }
    EXPECT_LE(cue.text.size(), 41u) << cue.text;
    EXPECT_LT(cue.start, cue.end);
  }
  Transcript spread = TranscriptFromCues(cues);
  EXPECT_EQ(spread.words.size(), t.words.size());
}

}  // namespace
}  // namespace cutroom::speech
