#include "timeline/trim.h"

#include <gtest/gtest.h>

#include "timeline/crop_path.h"
#include "timeline/validate.h"

namespace cutroom::timeline {
namespace {

MediaTime S(double seconds) { return MediaTime::FromSecondsApprox(seconds); }

Timeline TwoShots() {
  Timeline t;
  t.output.width = 1080;
  t.output.height = 1920;
  t.sources.push_back({});
  t.sources[0].id = "talk";
  t.sources[0].path = "talk.mp4";
  Segment a;
  a.source = "talk";
  a.in = S(100);
  a.out = S(106);
  a.crop = {{S(0), 0.2, 0.5, 1.0}, {S(4), 0.8, 0.5, 1.5}};
  a.interpolation = Interpolation::kLinear;
  Segment b;
  b.source = "talk";
  b.in = S(200);
  b.out = S(204);
  t.segments = {a, b};
  CaptionTrack c;
  c.words = {{"Hello", S(0.5), S(1.5)}, {"there", S(1.5), S(2.5)}, {"last", S(9), S(9.8)}};
  t.captions = c;
  return t;
}

TEST(TrimTimeline, CutsBothEndsAndKeepsTheFramingAtTheNewFirstFrame) {
  Timeline t = TwoShots();
  auto trimmed = TrimTimeline(t, S(2), S(1));
  ASSERT_TRUE(trimmed.ok()) << trimmed.status().ToString();
  ASSERT_EQ(trimmed->segments.size(), 2u);
  EXPECT_EQ(trimmed->Duration(), S(7));
  EXPECT_EQ(trimmed->segments[0].in, S(102));
  EXPECT_EQ(trimmed->segments[0].out, S(106));
  EXPECT_EQ(trimmed->segments[1].in, S(200));
  EXPECT_EQ(trimmed->segments[1].out, S(203));
  // At the new first frame the crop is where the old path was 2 s in (linear: halfway).
  const auto& crop = trimmed->segments[0].crop;
  ASSERT_FALSE(crop.empty());
  EXPECT_EQ(crop[0].t, MediaTime::Zero());
  EXPECT_NEAR(crop[0].cx, 0.5, 1e-9);
  EXPECT_NEAR(crop[0].zoom, 1.25, 1e-9);
  // The old keyframe at 4 s is now at 2 s, with its value.
  CropKeyframe at2 = EvaluateCrop(crop, Interpolation::kLinear, S(2));
  EXPECT_NEAR(at2.cx, 0.8, 1e-9);
  // Captions move with the picture: "Hello" is cut in half, "last" (9..9.8 s) is beyond the end.
  ASSERT_EQ(trimmed->captions->words.size(), 1u);
  EXPECT_EQ(trimmed->captions->words[0].text, "there");
  EXPECT_EQ(trimmed->captions->words[0].start, MediaTime::Zero());
  EXPECT_EQ(trimmed->captions->words[0].end, S(0.5));
  EXPECT_TRUE(ValidateStructure(*trimmed, {"highlight_word"}).ok()) << ValidateStructure(*trimmed, {"highlight_word"}).ToString();
}

TEST(TrimTimeline, DropsWholeSegmentsAndRefusesTooMuch) {
  Timeline t = TwoShots();
  auto only_second = TrimTimeline(t, S(6.5), S(0));
  ASSERT_TRUE(only_second.ok());
  ASSERT_EQ(only_second->segments.size(), 1u);
  EXPECT_EQ(only_second->segments[0].in, S(200.5));
  auto too_much = TrimTimeline(t, S(5), S(4.5));
  EXPECT_EQ(too_much.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TrimTimeline(t, S(-1), S(0)).status().code(), StatusCode::kInvalidArgument);
  auto nothing = TrimTimeline(t, S(0), S(0));
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->segments[0].crop.size(), 2u) << "an untrimmed path keeps its keyframes";
}

TEST(TrimTimeline, AudioTracksMoveWithThePicture) {
  Timeline t = TwoShots();  // 10 s
  AudioTrack voice;
  voice.source = "talk";
  voice.in = S(10);
  voice.out = S(16);
  voice.at = S(1);
  voice.role = AudioRole::kVoice;
  AudioTrack music = voice;
  music.in = S(0);
  music.out = S(4);
  music.at = S(0);
  music.loop = true;
  music.role = AudioRole::kMusic;
  AudioTrack sting = voice;
  sting.at = S(9.5);  // starts in the cut-off tail
  sting.role = AudioRole::kEffect;
  t.audio.tracks = {voice, music, sting};
  auto trimmed = TrimTimeline(t, S(2), S(1));
  ASSERT_TRUE(trimmed.ok()) << trimmed.status().ToString();
  ASSERT_EQ(trimmed->audio.tracks.size(), 2u);
  // The voice started 1 s before the new start: it now starts at 0, 1 s later into its source.
  EXPECT_EQ(trimmed->audio.tracks[0].at, MediaTime::Zero());
  EXPECT_EQ(trimmed->audio.tracks[0].in, S(11));
  EXPECT_EQ(trimmed->audio.tracks[0].out, S(16));
  // The looping music keeps its range.
  EXPECT_EQ(trimmed->audio.tracks[1].at, MediaTime::Zero());
  EXPECT_EQ(trimmed->audio.tracks[1].in, S(0));
  EXPECT_TRUE(ValidateStructure(*trimmed, {"highlight_word"}).ok());
}

}  // namespace
}  // namespace cutroom::timeline
