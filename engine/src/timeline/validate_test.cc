#include "timeline/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <limits>

namespace cutroom::timeline {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kStyles = {"highlight_word", "karaoke", "minimal"};

MediaTime S(int64_t num, int64_t den = 1) { return MediaTime(num, {1, den}); }

// 10 s in total: talk 2..8 s then talk 0..4 s, captions inside.
Timeline ValidTimeline() {
  Timeline t;
  t.sources = {{"talk", "/media/talk.mp4"}, {"broll", "/media/broll.mp4"}};
  Segment a;
  a.source = "talk";
  a.in = S(2);
  a.out = S(8);
  a.crop = {{S(0), 0.3, 0.5, 1.0}, {S(3), 0.7, 0.4, 2.0}, {S(6), 0.5, 0.5, 1.0}};
  Segment b;
  b.source = "broll";
  b.in = S(0);
  b.out = S(4);
  t.segments = {a, b};
  CaptionTrack captions;
  captions.words = {{"Hello", S(0), S(5, 10)}, {"world", S(5, 10), S(1)}, {"end", S(9), S(10)}};
  t.captions = captions;
  return t;
}

struct Case {
  const char* name;
  std::function<void(Timeline&)> mutate;
  const char* expected;  // the message must contain this, starting with the field name
};

class ValidateStructureTest : public ::testing::TestWithParam<Case> {};

TEST(ValidateStructureBaseTest, ValidTimelinePasses) {
  Status status = ValidateStructure(ValidTimeline(), kStyles);
  EXPECT_TRUE(status.ok()) << status.ToString();
  Timeline no_captions = ValidTimeline();
  no_captions.captions.reset();
  no_captions.output.audio.reset();
  no_captions.audio.loudness_target_lufs.reset();
  EXPECT_TRUE(ValidateStructure(no_captions, {}).ok());
}

TEST_P(ValidateStructureTest, ErrorNamesTheField) {
  Timeline t = ValidTimeline();
  GetParam().mutate(t);
  Status status = ValidateStructure(t, kStyles);
  ASSERT_FALSE(status.ok()) << GetParam().name;
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(GetParam().expected));
}

const Case kCases[] = {
    {"odd_width", [](Timeline& t) { t.output.width = 1081; }, "output.width: 1081 must be even"},
    {"zero_height", [](Timeline& t) { t.output.height = 0; }, "output.height: 0 must be positive"},
    {"huge_width", [](Timeline& t) { t.output.width = 8194; }, "output.width: 8194 is larger"},
    {"fps_zero",
     [](Timeline& t) {
       t.output.fps = {0, 1};
     },
     "output.fps: 0 is outside 1..240"},
    {"fps_high",
     [](Timeline& t) {
       t.output.fps = {241, 1};
     },
     "output.fps: 241 is outside"},
    {"codec", [](Timeline& t) { t.output.video.codec = "vp9"; }, "output.video.codec: "},
    {"preset", [](Timeline& t) { t.output.video.preset = "quick"; },
     "output.video.preset: unknown preset 'quick'"},
    {"crf", [](Timeline& t) { t.output.video.crf = 52; }, "output.video.crf: 52 is outside 0..51"},
    {"profile", [](Timeline& t) { t.output.video.profile = "high10"; }, "output.video.profile: "},
    {"audio_codec", [](Timeline& t) { t.output.audio->codec = "opus"; }, "output.audio.codec: "},
    {"bitrate", [](Timeline& t) { t.output.audio->bitrate = 1000; }, "output.audio.bitrate: 1000"},
    {"sample_rate", [](Timeline& t) { t.output.audio->sample_rate = 12345; },
     "output.audio.sample_rate: 12345"},
    {"channels", [](Timeline& t) { t.output.audio->channels = 6; }, "output.audio.channels: 6"},
    {"no_segments", [](Timeline& t) { t.segments.clear(); }, "segments: at least one segment"},
    {"in_after_out", [](Timeline& t) { t.segments[1].in = S(4); },
     "segments[1].out: 4 s is not after in (4 s)"},
    {"unknown_source", [](Timeline& t) { t.segments[1].source = "tlak"; },
     "segments[1].source: unknown source 'tlak' (known: talk, broll)"},
    {"duplicate_source", [](Timeline& t) { t.sources[1].id = "talk"; },
     "sources[1].id: duplicate id 'talk'"},
    {"layout_unset", [](Timeline& t) { t.segments[0].layout = Layout::kInvalid; },
     "segments[0].layout: "},
    {"crop_not_ascending", [](Timeline& t) { t.segments[0].crop[2].t = S(3); },
     "segments[0].crop[2].t: 3 s is not after the previous keyframe (3 s)"},
    {"crop_past_segment", [](Timeline& t) { t.segments[0].crop[2].t = S(13, 2); },
     "segments[0].crop[2].t: 6.5 s is past the segment's duration (6 s)"},
    {"crop_negative", [](Timeline& t) { t.segments[0].crop[0].t = S(-1); },
     "segments[0].crop[0].t: -1 s is before the segment start"},
    {"cx", [](Timeline& t) { t.segments[0].crop[1].cx = 1.25; },
     "segments[0].crop[1].cx: 1.25 is outside 0..1"},
    {"cy_nan",
     [](Timeline& t) { t.segments[0].crop[1].cy = std::numeric_limits<double>::quiet_NaN(); },
     "segments[0].crop[1].cy: "},
    {"zoom_low", [](Timeline& t) { t.segments[0].crop[0].zoom = 0.5; },
     "segments[0].crop[0].zoom: 0.5 is outside 1..20"},
    {"zoom_high", [](Timeline& t) { t.segments[0].crop[0].zoom = 21; },
     "segments[0].crop[0].zoom: 21 is outside 1..20"},
    {"style", [](Timeline& t) { t.captions->style = "fancy"; },
     "captions.style: unknown style 'fancy' (known: highlight_word, karaoke, minimal)"},
    {"max_words_0", [](Timeline& t) { t.captions->max_words = 0; },
     "captions.max_words: 0 is outside 1..4"},
    {"max_words_5", [](Timeline& t) { t.captions->max_words = 5; },
     "captions.max_words: 5 is outside 1..4"},
    {"colour", [](Timeline& t) { t.captions->highlight_colour = "yellow"; },
     "captions.highlight_colour: 'yellow' is not a colour"},
    {"colour_short", [](Timeline& t) { t.captions->outline_colour = "#000"; },
     "captions.outline_colour: '#000'"},
    {"colour_hex", [](Timeline& t) { t.captions->primary_colour = "#GG0000"; },
     "captions.primary_colour: "},
    {"word_empty", [](Timeline& t) { t.captions->words[1].text = ""; },
     "captions.words[1].text: must not be empty"},
    {"word_end_before_start", [](Timeline& t) { t.captions->words[1].end = S(5, 10); },
     "captions.words[1].end: 0.5 s is not after start (0.5 s)"},
    {"word_overlap", [](Timeline& t) { t.captions->words[1].start = S(4, 10); },
     "captions.words[1].start: 0.4 s is before the previous word's end (0.5 s)"},
    {"word_past_end", [](Timeline& t) { t.captions->words[2].end = S(21, 2); },
     "captions.words[2].end: 10.5 s is past the end of the timeline (10 s)"},
    {"loudness", [](Timeline& t) { t.audio.loudness_target_lufs = 3.0; },
     "audio.loudness_target_lufs: 3 LUFS is outside -70..0"},
    {"true_peak", [](Timeline& t) { t.audio.true_peak_dbtp = -25.0; },
     "audio.true_peak_dbtp: -25 dBTP is outside -20..0"},
    {"fade_negative", [](Timeline& t) { t.audio.fade_ms = -5; },
     "audio.fade_ms: -5 ms is outside 0..1000"},
    {"gain_huge", [](Timeline& t) { t.segments[0].gain_db = 90; },
     "segments[0].gain_db: 90 dB is outside -60..24"},
    {"font_size_negative", [](Timeline& t) { t.captions->font_size = -1; },
     "captions.font_size: -1 px is outside"},
    {"split_without_second_path", [](Timeline& t) { t.segments[0].layout = Layout::kSplit; },
     "segments[0].crop_secondary: the split layout needs"},
    {"second_path_without_split",
     [](Timeline& t) { t.segments[0].crop_secondary.push_back(CropKeyframe{}); },
     "segments[0].crop_secondary: only the split layout"},
    {"split_bad_secondary_key",
     [](Timeline& t) {
       t.segments[0].layout = Layout::kSplit;
       t.segments[0].crop_secondary.push_back(CropKeyframe{S(0, 1), 1.5, 0.5, 1.0});
     },
     "segments[0].crop_secondary[0].cx: 1.5 is outside 0..1"},
    {"transition_on_first_segment",
     [](Timeline& t) {
       t.segments[0].transition = {TransitionKind::kCrossfade, S(1, 2)};
     },
     "segments[0].transition: the first segment has nothing to transition from"},
    {"transition_zero_duration",
     [](Timeline& t) {
       t.segments[1].transition = {TransitionKind::kSlide, S(0)};
     },
     "segments[1].transition.duration: 0 s must be positive for slide"},
    {"transition_longer_than_segment",
     [](Timeline& t) {
       t.segments[1].transition = {TransitionKind::kZoom, S(9, 2)};
     },
     "segments[1].transition.duration: 4.5 s is longer than the segment (4 s)"},
    {"cut_with_duration",
     [](Timeline& t) {
       t.segments[1].transition = {TransitionKind::kCut, S(1)};
     },
     "segments[1].transition.duration: 1 s on a cut"},
    {"transition_kind_unset",
     [](Timeline& t) { t.segments[1].transition.kind = TransitionKind::kInvalid; },
     "segments[1].transition.kind: not set"},
};

INSTANTIATE_TEST_SUITE_P(AllChecks, ValidateStructureTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST(ValidateStructureBaseTest, ReportsEveryProblemAtOnce) {
  Timeline t = ValidTimeline();
  t.output.width = 1081;
  t.captions->style = "fancy";
  Status status = ValidateStructure(t, kStyles);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("output.width: "));
  EXPECT_THAT(status.message(), HasSubstr("captions.style: "));
}

TEST(ValidateStructureBaseTest, LongErrorListsAreCapped) {
  Timeline t = ValidTimeline();
  for (int i = 0; i < 100; ++i) t.captions->words.push_back({"", S(0), S(0)});
  Status status = ValidateStructure(t, kStyles);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("more errors"));
  EXPECT_LT(status.message().size(), 4000u);
}

StreamInfo VideoStream() {
  StreamInfo s;
  s.index = 0;
  s.type = StreamType::kVideo;
  s.width = 1920;
  s.height = 1080;
  return s;
}

StreamInfo AudioStream() {
  StreamInfo s;
  s.index = 1;
  s.type = StreamType::kAudio;
  s.sample_rate = 48000;
  s.channels = 2;
  return s;
}

MediaInfo Probe(MediaTime duration, std::vector<StreamInfo> streams) {
  MediaInfo info;
  info.duration = duration;
  info.streams = std::move(streams);
  return info;
}

std::map<std::string, MediaInfo> GoodSources() {
  return {{"talk", Probe(S(10), {VideoStream(), AudioStream()})},
          {"broll", Probe(S(4), {VideoStream(), AudioStream()})}};
}

TEST(ValidateAgainstSourcesTest, SegmentsInsideTheSourcesPass) {
  Status status = ValidateAgainstSources(ValidTimeline(), GoodSources());
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST(ValidateAgainstSourcesTest, OutPastTheSourceEndNamesTheField) {
  Timeline t = ValidTimeline();
  t.segments[1].source = "talk";
  t.segments[1].in = S(5);
  t.segments[1].out = S(25, 2);
  Status status = ValidateAgainstSources(t, GoodSources());
  EXPECT_EQ(status.message(), "segments[1].out: 12.5 s is past the end of source 'talk' (10 s)");
}

TEST(ValidateAgainstSourcesTest, InPastTheSourceEndAndNegativeInAreNamed) {
  Timeline t = ValidTimeline();
  t.segments[0].in = S(11);
  t.segments[0].out = S(12);
  t.segments[1].in = S(-1);
  Status status = ValidateAgainstSources(t, GoodSources());
  EXPECT_THAT(status.message(), HasSubstr("segments[0].in: 11 s is past the end of source 'talk'"));
  EXPECT_THAT(status.message(), HasSubstr("segments[1].in: -1 s is before the start of source"));
}

TEST(ValidateAgainstSourcesTest, SilentSourceNeedsMuteOrNoAudioOutput) {
  auto sources = GoodSources();
  sources["broll"] = Probe(S(4), {VideoStream()});
  Timeline t = ValidTimeline();
  EXPECT_EQ(ValidateAgainstSources(t, sources).message(),
            "segments[1]: source 'broll' has no audio stream; set \"mute\": true or "
            "\"output.audio\": null");
  t.segments[1].mute = true;
  EXPECT_TRUE(ValidateAgainstSources(t, sources).ok());
  t.segments[1].mute = false;
  t.output.audio.reset();
  EXPECT_TRUE(ValidateAgainstSources(t, sources).ok());
}

TEST(ValidateAgainstSourcesTest, SourceWithoutVideoIsRejectedAndCoverArtDoesNotCount) {
  auto sources = GoodSources();
  sources["talk"] = Probe(S(10), {AudioStream()});
  EXPECT_EQ(ValidateAgainstSources(ValidTimeline(), sources).message(),
            "segments[0]: source 'talk' has no video stream");
  StreamInfo cover = VideoStream();
  cover.attached_picture = true;
  sources["talk"] = Probe(S(10), {cover, AudioStream()});
  EXPECT_EQ(ValidateAgainstSources(ValidTimeline(), sources).message(),
            "segments[0]: source 'talk' has no video stream");
}

TEST(ValidateAgainstSourcesTest, FallsBackToVideoStreamDurationAndSkipsUnknown) {
  auto sources = GoodSources();
  StreamInfo video = VideoStream();
  video.duration = S(7);
  sources["talk"] = Probe(MediaTime::Zero(), {video, AudioStream()});
  EXPECT_EQ(ValidateAgainstSources(ValidTimeline(), sources).message(),
            "segments[0].out: 8 s is past the end of source 'talk' (7 s)");
  sources["talk"] = Probe(MediaTime::Zero(), {VideoStream(), AudioStream()});
  EXPECT_TRUE(ValidateAgainstSources(ValidTimeline(), sources).ok());
}

TEST(ValidateAgainstSourcesTest, UnprobedSourceIsNamed) {
  auto sources = GoodSources();
  sources.erase("broll");
  EXPECT_THAT(ValidateAgainstSources(ValidTimeline(), sources).message(),
              HasSubstr("segments[1].source: source 'broll' was not probed"));
}

// A timeline with a still image (10 s zoom) and narration over looping, ducked music.
Timeline ComposeTimeline() {
  Timeline t = ValidTimeline();
  t.sources.push_back({"slide", "/media/slide.png", SourceKind::kImage});
  t.sources.push_back({"voice", "/media/voice.wav"});
  t.sources.push_back({"music", "/media/music.wav"});
  Segment still;
  still.source = "slide";
  still.in = S(0);
  still.out = S(10);  // far past the image's probed duration: not checked for images
  still.mute = true;
  still.crop = {{S(0), 0.5, 0.5, 1.0}, {S(10), 0.6, 0.5, 1.5}};
  t.segments.push_back(still);
  AudioTrack voice;
  voice.source = "voice";
  voice.in = S(0);
  voice.out = S(3);
  voice.role = AudioRole::kVoice;
  AudioTrack music;
  music.source = "music";
  music.in = S(0);
  music.out = S(2);
  music.loop = true;
  music.duck_db = -12;
  music.role = AudioRole::kMusic;
  t.audio.tracks = {voice, music};
  return t;
}

std::map<std::string, MediaInfo> ComposeSources() {
  auto sources = GoodSources();
  sources["slide"] = Probe(S(1, 25), {VideoStream()});
  sources["voice"] = Probe(S(3), {AudioStream()});
  sources["music"] = Probe(S(2), {AudioStream()});
  return sources;
}

TEST(ValidateComposeTest, ImageSegmentsAndAudioTracksPass) {
  Timeline t = ComposeTimeline();
  Status status = ValidateStructure(t, kStyles);
  EXPECT_TRUE(status.ok()) << status.ToString();
  status = ValidateAgainstSources(t, ComposeSources());
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST(ValidateComposeTest, ImageSegmentMustBeMuted) {
  Timeline t = ComposeTimeline();
  t.segments[2].mute = false;
  EXPECT_EQ(ValidateStructure(t, kStyles).message(),
            "segments[2].mute: source 'slide' is an image (no audio); set \"mute\": true");
}

TEST(ValidateComposeTest, AudioTrackStructureErrorsNameTheField) {
  Timeline t = ComposeTimeline();
  t.audio.tracks[0].source = "voce";
  t.audio.tracks[1].out = S(0);
  t.audio.tracks[1].at = S(-1);
  t.audio.tracks[1].duck_db = 6;
  t.audio.tracks[1].fade_in_ms = -5;
  t.audio.tracks[1].gain_db = 30;
  std::string message = ValidateStructure(t, kStyles).message();
  EXPECT_THAT(message, HasSubstr("audio.tracks[0].source: unknown source 'voce' (known: talk, "
                                 "broll, slide, voice, music)"));
  EXPECT_THAT(message, HasSubstr("audio.tracks[1].out: 0 s is not after in (0 s)"));
  EXPECT_THAT(message, HasSubstr("audio.tracks[1].at: -1 s is before the timeline start"));
  EXPECT_THAT(message, HasSubstr("audio.tracks[1].duck_db: 6 dB is outside -60..0"));
  EXPECT_THAT(message, HasSubstr("audio.tracks[1].fade_in_ms: -5 ms is outside 0..60000"));
  EXPECT_THAT(message, HasSubstr("audio.tracks[1].gain_db: 30 dB is outside -60..24"));

  t = ComposeTimeline();
  t.audio.tracks[0].source = "slide";
  t.audio.tracks[0].duck_db = -6;
  message = ValidateStructure(t, kStyles).message();
  EXPECT_THAT(message, HasSubstr("audio.tracks[0].source: source 'slide' is an image"));
  EXPECT_THAT(message, HasSubstr("audio.tracks[0].duck_db: a voice track is not ducked"));
}

TEST(ValidateComposeTest, AudioTrackAgainstSourcesErrorsNameTheField) {
  Timeline t = ComposeTimeline();
  t.audio.tracks[0].out = S(7, 2);
  auto sources = ComposeSources();
  sources["music"] = Probe(S(2), {VideoStream()});
  std::string message = ValidateAgainstSources(t, sources).message();
  EXPECT_THAT(message,
              HasSubstr("audio.tracks[0].out: 3.5 s is past the end of source 'voice' (3 s)"));
  EXPECT_THAT(message, HasSubstr("audio.tracks[1].source: source 'music' has no audio stream"));
}

TEST(ValidateStructureBaseTest, TransitionsInsideTheirSegmentsPass) {
  Timeline t = ValidTimeline();
  t.segments[1].transition = {TransitionKind::kCrossfade, S(4)};  // the whole segment
  Status status = ValidateStructure(t, kStyles);
  EXPECT_TRUE(status.ok()) << status.ToString();
  t.segments[1].transition = {TransitionKind::kSlide, S(1, 30)};
  EXPECT_TRUE(ValidateStructure(t, kStyles).ok());
  // A cut with no duration on the first segment is the default, not an error.
  t.segments[0].transition = {TransitionKind::kCut, S(0)};
  EXPECT_TRUE(ValidateStructure(t, kStyles).ok());
}

Timeline OverlayTimeline() {
  Timeline t = ComposeTimeline();  // 20 s: talk 6 s, broll 4 s, slide 10 s
  t.sources.push_back({"logo", "/media/logo.png", SourceKind::kImage});
  Overlay logo;
  logo.source = "logo";
  logo.start = S(0);
  logo.end = S(20);
  logo.x = 0.75;
  logo.y = 0.05;
  logo.width = 0.2;
  logo.opacity = 0.9;
  logo.animation = OverlayAnimation::kFade;
  logo.animation_duration = S(1, 2);
  Overlay title{"slide", S(10), S(12)};
  title.animation = OverlayAnimation::kPop;
  title.animation_duration = S(2);  // the whole time it is shown
  t.overlays = {logo, title};
  return t;
}

TEST(ValidateComposeTest, OverlaysInsideTheTimelinePass) {
  Status status = ValidateStructure(OverlayTimeline(), kStyles);
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST(ValidateComposeTest, OverlayErrorsNameTheField) {
  Timeline t = OverlayTimeline();
  t.overlays[0].source = "talk";
  t.overlays[1].source = "lgoo";
  std::string message = ValidateStructure(t, kStyles).message();
  EXPECT_THAT(message, HasSubstr("overlays[0].source: source 'talk' is not an image source"));
  EXPECT_THAT(message, HasSubstr("overlays[1].source: unknown source 'lgoo' (known image "
                                 "sources: slide, logo)"));

  t = OverlayTimeline();
  t.overlays[0].start = S(-1);
  t.overlays[0].end = S(41, 2);
  t.overlays[1].end = S(10);
  message = ValidateStructure(t, kStyles).message();
  EXPECT_THAT(message, HasSubstr("overlays[0].start: -1 s is before the timeline start"));
  EXPECT_THAT(message, HasSubstr("overlays[0].end: 20.5 s is past the end of the timeline (20 s)"));
  EXPECT_THAT(message, HasSubstr("overlays[1].end: 10 s is not after start (10 s)"));

  t = OverlayTimeline();
  t.overlays[0].x = 1.5;
  t.overlays[0].y = -0.1;
  t.overlays[0].width = 0;
  t.overlays[0].opacity = 2;
  t.overlays[1].width = 1.25;
  t.overlays[1].animation_duration = S(3);
  message = ValidateStructure(t, kStyles).message();
  EXPECT_THAT(message, HasSubstr("overlays[0].x: 1.5 is outside 0..1"));
  EXPECT_THAT(message, HasSubstr("overlays[0].y: -0.1 is outside 0..1"));
  EXPECT_THAT(message, HasSubstr("overlays[0].width: 0 is outside"));
  EXPECT_THAT(message, HasSubstr("overlays[0].opacity: 2 is outside 0..1"));
  EXPECT_THAT(message, HasSubstr("overlays[1].width: 1.25 is outside"));
  EXPECT_THAT(message, HasSubstr("overlays[1].animation_duration: 3 s is longer than the "
                                 "overlay is shown (2 s)"));

  t = OverlayTimeline();
  t.overlays[0].animation_duration = S(-1, 2);
  t.overlays[1].animation = OverlayAnimation::kInvalid;
  message = ValidateStructure(t, kStyles).message();
  EXPECT_THAT(message, HasSubstr("overlays[0].animation_duration: -0.5 s is negative"));
  EXPECT_THAT(message, HasSubstr("overlays[1].animation: not set"));
}

}  // namespace
}  // namespace cutroom::timeline
