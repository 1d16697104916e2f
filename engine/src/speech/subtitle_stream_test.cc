// Embedded subtitle streams read in process (media::ReadSubtitleCues via ReadEmbeddedSubtitles):
// the text and times of each cue, whatever the codec, with the markup removed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "media/subtitle_reader.h"
#include "speech/transcribe.h"
#include "test_support.h"

namespace cutroom::speech {
namespace {

using cutroom::testing::Ffmpeg;
using cutroom::testing::TempDir;
using cutroom::testing::WriteFile;
using ::testing::HasSubstr;

constexpr char kSrt[] =
    "1\n00:00:00,500 --> 00:00:02,000\nHello <i>there</i>, friend.\n\n"
    "2\n00:00:02,500 --> 00:00:04,250\nTwo lines,\nsecond line.\n\n"
    "3\n00:00:05,000 --> 00:00:06,000\n{\\an8}On top.\n";

constexpr char kAss[] =
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n"
    "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, "
    "Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.50,0:00:02.00,Default,Ann,0,0,0,,Hello {\\i1}there{\\i0}, friend.\n"
    "Dialogue: 0,0:00:02.50,0:00:04.25,Default,Bob,0,0,0,,Two lines,\\Nsecond line.\n"
    "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,{\\an8\\pos(10,20)}On\\htop.\n";

const std::vector<std::string> kTexts = {"Hello there, friend.", "Two lines,\nsecond line.",
                                         "On top."};
const std::vector<double> kStarts = {0.5, 2.5, 5.0};
const std::vector<double> kEnds = {2.0, 4.25, 6.0};

// A 7 s silent audio track plus the subtitle file muxed as `codec` into `container`. PCM audio
// where the container takes it: AAC's priming would move the container start 64 ms before the
// first subtitle time in Matroska (cue times count from the container start, like the audio's).
std::string Mux(const TempDir& dir, const std::string& subtitle_file, const std::string& codec,
                const std::string& container) {
  const std::string out = dir.File("muxed_" + codec + "." + container);
  EXPECT_TRUE(Ffmpeg("-f lavfi -t 7 -i anullsrc=r=16000:cl=mono -i '" + subtitle_file +
                     "' -map 0:a -map 1:s -c:a " + (container == "mp4" ? "aac" : "pcm_s16le") +
                     " -c:s " + codec + " '" + out + "'"));
  return out;
}

void ExpectKnownCues(const std::string& path) {
  Result<std::vector<Cue>> cues = ReadEmbeddedSubtitles(path, 1);
  ASSERT_TRUE(cues.ok()) << cues.status().ToString();
  ASSERT_EQ(cues->size(), kTexts.size());
  for (size_t i = 0; i < kTexts.size(); ++i) {
    EXPECT_EQ((*cues)[i].text, kTexts[i]);
    EXPECT_NEAR((*cues)[i].start.ToSeconds(), kStarts[i], 0.011) << i;
    EXPECT_NEAR((*cues)[i].end.ToSeconds(), kEnds[i], 0.011) << i;
  }
}

TEST(SubtitleStreamTest, MovTextInMp4) {
  TempDir dir;
  WriteFile(dir.File("cues.srt"), kSrt);
  ExpectKnownCues(Mux(dir, dir.File("cues.srt"), "mov_text", "mp4"));
}

TEST(SubtitleStreamTest, SubripInMatroska) {
  TempDir dir;
  WriteFile(dir.File("cues.srt"), kSrt);
  ExpectKnownCues(Mux(dir, dir.File("cues.srt"), "subrip", "mkv"));
}

TEST(SubtitleStreamTest, AssInMatroskaLosesOverrideTagsAndKeepsCommas) {
  TempDir dir;
  WriteFile(dir.File("cues.ass"), kAss);
  ExpectKnownCues(Mux(dir, dir.File("cues.ass"), "ass", "mkv"));
}

TEST(SubtitleStreamTest, WebVttInMatroska) {
  TempDir dir;
  WriteFile(dir.File("cues.srt"), kSrt);
  ExpectKnownCues(Mux(dir, dir.File("cues.srt"), "webvtt", "mkv"));
}

TEST(SubtitleStreamTest, AStreamThatIsNotSubtitlesIsAnError) {
  TempDir dir;
  WriteFile(dir.File("cues.srt"), kSrt);
  const std::string path = Mux(dir, dir.File("cues.srt"), "subrip", "mkv");
  Result<std::vector<Cue>> audio = ReadEmbeddedSubtitles(path, 0);
  ASSERT_FALSE(audio.ok());
  EXPECT_THAT(audio.status().message(), HasSubstr("not a subtitle stream"));
  EXPECT_FALSE(ReadEmbeddedSubtitles(path, 7).ok());
  EXPECT_FALSE(ReadEmbeddedSubtitles(dir.File("missing.mkv"), 1).ok());
}

TEST(SubtitleStreamTest, AssEventTextWithoutMarkup) {
  EXPECT_EQ(media::PlainTextOfAssEvent("3,0,Default,Ann,0,0,0,,{\\b1}Bold{\\b0}, then\\Nnext"),
            "Bold, then\nnext");
  EXPECT_EQ(media::PlainTextOfAssEvent("just text"), "just text");
  EXPECT_EQ(media::PlainTextOfAssEvent("0,0,Default,,0,0,0,,{\\pos(1,2)}"), "");
}

}  // namespace
}  // namespace cutroom::speech
