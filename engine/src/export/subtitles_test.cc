// Caption files: the cues are the burned-in caption screens (captions::GroupWords), and the files
// parse back with the speech module's readers.
#include "export/subtitles.h"

#include <gtest/gtest.h>

#include "captions/caption_styles.h"

namespace cutroom::export_ {
namespace {

MediaTime Sec(const char* text) { return MediaTime::Parse(text).value(); }

timeline::Timeline CaptionedTimeline() {
  timeline::Timeline tl;
  tl.sources = {{"talk", "/media/talk.mp4"}};
  timeline::Segment segment;
  segment.source = "talk";
  segment.in = Sec("100");
  segment.out = Sec("112");
  tl.segments = {segment};
  timeline::CaptionTrack track;
  track.max_words = 3;
  auto word = [](const char* text, const char* start, const char* end) {
    return timeline::CaptionWord{text, Sec(start), Sec(end)};
  };
  // "Latency is a budget." is one sentence of 4 words: 2 + 2 at max 3. "Spend it wisely." is 3.
  // "Q&A now." checks escaping in VTT.
  track.words = {
      word("Latency", "0.12", "0.6"), word("is", "0.6", "0.74"),    word("a", "0.74", "0.8"),
      word("budget.", "0.8", "1.42"), word("Spend", "7.6", "8.02"), word("it", "8.02", "8.2"),
      word("wisely.", "8.2", "8.9"),  word("Q&A", "10", "10.5"),    word("now.", "10.5", "11")};
  tl.captions = track;
  return tl;
}

TEST(SubtitlesTest, CuesAreTheBurnedCaptionGroups) {
  timeline::Timeline tl = CaptionedTimeline();
  std::vector<speech::Cue> cues = TimelineCaptionCues(tl);
  std::vector<captions::WordGroup> groups = captions::GroupWords(*tl.captions);
  ASSERT_EQ(cues.size(), groups.size());
  ASSERT_EQ(cues.size(), 4u);
  EXPECT_EQ(cues[0].text, "Latency is");
  EXPECT_EQ(cues[1].text, "a budget.");
  EXPECT_EQ(cues[2].text, "Spend it wisely.");
  EXPECT_EQ(cues[3].text, "Q&A now.");
  for (size_t i = 0; i < cues.size(); ++i) {
    EXPECT_EQ(cues[i].start, groups[i].start) << i;
    EXPECT_EQ(cues[i].end, groups[i].end) << i;
  }
}

TEST(SubtitlesTest, SrtAndVttParseBackToTheSameCues) {
  timeline::Timeline tl = CaptionedTimeline();
  std::vector<speech::Cue> expected = TimelineCaptionCues(tl);
  std::string srt = TimelineCaptionsToSrt(tl);
  EXPECT_EQ(srt.rfind("1\n00:00:00,120 --> 00:00:00,740\nLatency is\n", 0), 0u) << srt;
  std::string vtt = TimelineCaptionsToVtt(tl);
  EXPECT_EQ(vtt.rfind("WEBVTT", 0), 0u);
  EXPECT_NE(vtt.find("Q&amp;A now."), std::string::npos) << vtt;
  for (const std::string* text : {&srt, &vtt}) {
    auto parsed = text == &srt ? speech::ParseSrt(*text) : speech::ParseWebVtt(*text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    ASSERT_EQ(parsed->size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ((*parsed)[i].text, expected[i].text) << i;
      EXPECT_EQ((*parsed)[i].start.ToMicroseconds(), expected[i].start.ToMicroseconds()) << i;
      EXPECT_EQ((*parsed)[i].end.ToMicroseconds(), expected[i].end.ToMicroseconds()) << i;
    }
  }
}

TEST(SubtitlesTest, UppercaseTracksAreUppercaseInFiles) {
  timeline::Timeline tl = CaptionedTimeline();
  tl.captions->uppercase = true;
  std::vector<speech::Cue> cues = TimelineCaptionCues(tl);
  ASSERT_FALSE(cues.empty());
  EXPECT_EQ(cues[0].text, "LATENCY IS");
}

TEST(SubtitlesTest, AssIsTheStyledScriptAtTheOutputSize) {
  timeline::Timeline tl = CaptionedTimeline();
  auto ass = TimelineCaptionsToAss(tl);
  ASSERT_TRUE(ass.ok()) << ass.status().ToString();
  auto expected = captions::BuildAssScript(*tl.captions, 1080, 1920);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(*ass, *expected);
  EXPECT_NE(ass->find("PlayResY: 1920"), std::string::npos);

  tl.captions->style = "fancy";
  auto bad = TimelineCaptionsToAss(tl);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("fancy"), std::string::npos);
}

TEST(SubtitlesTest, NoCaptionsGiveEmptyFiles) {
  timeline::Timeline tl = CaptionedTimeline();
  tl.captions.reset();
  EXPECT_EQ(TimelineCaptionsToSrt(tl), "");
  auto vtt = speech::ParseWebVtt(TimelineCaptionsToVtt(tl));
  ASSERT_TRUE(vtt.ok());
  EXPECT_TRUE(vtt->empty());
  auto ass = TimelineCaptionsToAss(tl);
  ASSERT_TRUE(ass.ok()) << ass.status().ToString();
  EXPECT_EQ(ass->find("Dialogue:"), std::string::npos);
}

}  // namespace
}  // namespace cutroom::export_
