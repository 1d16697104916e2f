#include "timeline/timeline_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "timeline/validate.h"

namespace cutroom::timeline {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

MediaTime T(std::string_view text) {
  auto t = MediaTime::Parse(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : MediaTime();
}

// A Timeline that uses every field with non-default values, so a field dropped by the writer or
// the reader shows up as a difference.
Timeline FullTimeline() {
  Timeline t;
  t.output.width = 720;
  t.output.height = 1280;
  t.output.fps = Rational{30000, 1001};
  t.output.video = VideoCodecSettings{"h264", "medium", 20, "main"};
  t.output.audio = AudioCodecSettings{"aac", 192000, 44100, 1};
  t.sources = {{"talk", "/media/talk.mp4"},
               {"broll", "broll/city.mov"},
               {"slide", "slides/01.png", SourceKind::kImage},
               {"music", "music.wav"}};
  Segment a;
  a.source = "talk";
  a.in = T("1001/30000");
  a.out = T("12.48");
  a.layout = Layout::kFitBlur;
  a.crop = {{T("0"), 0.25, 0.4, 1.5}, {T("1001/30000"), 0.75, 0.6, 2.0}};
  a.interpolation = Interpolation::kLinear;
  a.gain_db = -3.5;
  a.mute = true;
  Segment b;
  b.source = "broll";
  b.in = T("7/3");
  b.out = T("10");
  b.interpolation = Interpolation::kHold;
  b.layout = Layout::kSplit;
  b.crop = {{T("0"), 0.2, 0.5, 1.0}};
  b.crop_secondary = {{T("0.5"), 0.8, 0.45, 1.25}};
  b.transition = {TransitionKind::kSlide, T("1001/3000")};
  t.segments = {a, b};
  Overlay logo;
  logo.source = "slide";
  logo.start = T("1001/30000");
  logo.end = T("11.5");
  logo.x = 0.05;
  logo.y = 0.875;
  logo.width = 0.25;
  logo.opacity = 0.8;
  logo.animation = OverlayAnimation::kRise;
  logo.animation_duration = T("0.4");
  t.overlays = {logo, Overlay{"slide", T("2"), T("3")}};
  CaptionTrack captions;
  captions.style = "karaoke";
  captions.words = {{"Hello", T("0.1"), T("0.48")},
                    {"world", T("1001/30000") + T("0.5"), T("1.2")}};
  captions.max_words = 2;
  captions.uppercase = true;
  captions.position = CaptionPosition::kTop;
  captions.font = "Inter";
  captions.font_file = "fonts/Inter.ttf";
  captions.font_size = 64.5;
  captions.primary_colour = "#EEEEEE";
  captions.highlight_colour = "#00FF00";
  captions.outline_colour = "#101010";
  t.captions = captions;
  t.audio.fade_ms = 35.0;
  t.audio.loudness_target_lufs = -16.0;
  t.audio.true_peak_dbtp = -1.5;
  AudioTrack voice;
  voice.source = "talk";
  voice.in = T("0.5");
  voice.out = T("1001/30000") + T("3");
  voice.at = T("1/3");
  voice.gain_db = -2.5;
  voice.fade_in_ms = 10;
  voice.role = AudioRole::kVoice;
  AudioTrack music;
  music.source = "music";
  music.in = T("0");
  music.out = T("30");
  music.gain_db = -8;
  music.loop = true;
  music.fade_in_ms = 500;
  music.fade_out_ms = 1500;
  music.duck_db = -12;
  music.role = AudioRole::kMusic;
  t.audio.tracks = {voice, music};
  return t;
}

// Exact comparison of every field; MediaTime equality is exact rational equality.
void ExpectSameTimeline(const Timeline& x, const Timeline& y) {
  EXPECT_EQ(x.version, y.version);
  EXPECT_EQ(x.output.width, y.output.width);
  EXPECT_EQ(x.output.height, y.output.height);
  EXPECT_EQ(x.output.fps, y.output.fps);
  EXPECT_EQ(x.output.video.codec, y.output.video.codec);
  EXPECT_EQ(x.output.video.preset, y.output.video.preset);
  EXPECT_EQ(x.output.video.crf, y.output.video.crf);
  EXPECT_EQ(x.output.video.profile, y.output.video.profile);
  ASSERT_EQ(x.output.audio.has_value(), y.output.audio.has_value());
  if (x.output.audio) {
    EXPECT_EQ(x.output.audio->codec, y.output.audio->codec);
    EXPECT_EQ(x.output.audio->bitrate, y.output.audio->bitrate);
    EXPECT_EQ(x.output.audio->sample_rate, y.output.audio->sample_rate);
    EXPECT_EQ(x.output.audio->channels, y.output.audio->channels);
  }
  ASSERT_EQ(x.sources.size(), y.sources.size());
  for (size_t i = 0; i < x.sources.size(); ++i) {
    EXPECT_EQ(x.sources[i].id, y.sources[i].id);
    EXPECT_EQ(x.sources[i].path, y.sources[i].path);
    EXPECT_EQ(x.sources[i].kind, y.sources[i].kind);
  }
  ASSERT_EQ(x.audio.tracks.size(), y.audio.tracks.size());
  for (size_t i = 0; i < x.audio.tracks.size(); ++i) {
    const AudioTrack& a = x.audio.tracks[i];
    const AudioTrack& b = y.audio.tracks[i];
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.in, b.in);
    EXPECT_EQ(a.out, b.out);
    EXPECT_EQ(a.at, b.at);
    EXPECT_EQ(a.gain_db, b.gain_db);
    EXPECT_EQ(a.loop, b.loop);
    EXPECT_EQ(a.fade_in_ms, b.fade_in_ms);
    EXPECT_EQ(a.fade_out_ms, b.fade_out_ms);
    EXPECT_EQ(a.duck_db, b.duck_db);
    EXPECT_EQ(a.role, b.role);
  }
  ASSERT_EQ(x.segments.size(), y.segments.size());
  for (size_t i = 0; i < x.segments.size(); ++i) {
    const Segment& a = x.segments[i];
    const Segment& b = y.segments[i];
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.in, b.in);
    EXPECT_EQ(a.out, b.out);
    EXPECT_EQ(a.layout, b.layout);
    EXPECT_EQ(a.interpolation, b.interpolation);
    EXPECT_EQ(a.gain_db, b.gain_db);
    EXPECT_EQ(a.mute, b.mute);
    EXPECT_EQ(a.transition.kind, b.transition.kind);
    EXPECT_EQ(a.transition.duration, b.transition.duration);
    ASSERT_EQ(a.crop_secondary.size(), b.crop_secondary.size());
    for (size_t k = 0; k < a.crop_secondary.size(); ++k) {
      EXPECT_EQ(a.crop_secondary[k].t, b.crop_secondary[k].t);
      EXPECT_EQ(a.crop_secondary[k].cx, b.crop_secondary[k].cx);
      EXPECT_EQ(a.crop_secondary[k].zoom, b.crop_secondary[k].zoom);
    }
    ASSERT_EQ(a.crop.size(), b.crop.size());
    for (size_t k = 0; k < a.crop.size(); ++k) {
      EXPECT_EQ(a.crop[k].t, b.crop[k].t);
      EXPECT_EQ(a.crop[k].cx, b.crop[k].cx);
      EXPECT_EQ(a.crop[k].cy, b.crop[k].cy);
      EXPECT_EQ(a.crop[k].zoom, b.crop[k].zoom);
    }
  }
  ASSERT_EQ(x.overlays.size(), y.overlays.size());
  for (size_t i = 0; i < x.overlays.size(); ++i) {
    const Overlay& a = x.overlays[i];
    const Overlay& b = y.overlays[i];
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.start, b.start);
    EXPECT_EQ(a.end, b.end);
    EXPECT_EQ(a.x, b.x);
    EXPECT_EQ(a.y, b.y);
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.opacity, b.opacity);
    EXPECT_EQ(a.animation, b.animation);
    EXPECT_EQ(a.animation_duration, b.animation_duration);
  }
  ASSERT_EQ(x.captions.has_value(), y.captions.has_value());
  if (x.captions) {
    const CaptionTrack& a = *x.captions;
    const CaptionTrack& b = *y.captions;
    EXPECT_EQ(a.style, b.style);
    EXPECT_EQ(a.max_words, b.max_words);
    EXPECT_EQ(a.uppercase, b.uppercase);
    EXPECT_EQ(a.position, b.position);
    EXPECT_EQ(a.font, b.font);
    EXPECT_EQ(a.font_file, b.font_file);
    EXPECT_EQ(a.font_size, b.font_size);
    EXPECT_EQ(a.primary_colour, b.primary_colour);
    EXPECT_EQ(a.highlight_colour, b.highlight_colour);
    EXPECT_EQ(a.outline_colour, b.outline_colour);
    ASSERT_EQ(a.words.size(), b.words.size());
    for (size_t i = 0; i < a.words.size(); ++i) {
      EXPECT_EQ(a.words[i].text, b.words[i].text);
      EXPECT_EQ(a.words[i].start, b.words[i].start);
      EXPECT_EQ(a.words[i].end, b.words[i].end);
    }
  }
  EXPECT_EQ(x.audio.fade_ms, y.audio.fade_ms);
  EXPECT_EQ(x.audio.loudness_target_lufs, y.audio.loudness_target_lufs);
  EXPECT_EQ(x.audio.true_peak_dbtp, y.audio.true_peak_dbtp);
}

constexpr const char* kMinimal = R"({
  "version": 1,
  "sources": [{"id": "talk", "path": "talk.mp4"}],
  "segments": [{"source": "talk", "in": "1.5", "out": 4}]
})";

// Replaces the first `from` in kMinimal-like text, failing the test when absent.
std::string Replace(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string ParseError(std::string_view json) {
  auto parsed = ParseTimelineJson(json);
  EXPECT_FALSE(parsed.ok()) << json;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().message();
}

TEST(TimelineJsonTest, RoundTripPreservesEveryFieldAndExactTimes) {
  Timeline original = FullTimeline();
  std::string json = TimelineToJson(original);
  EXPECT_THAT(json, HasSubstr("\"1001/30000\""));
  EXPECT_THAT(json, HasSubstr("\"30000/1001\""));
  EXPECT_THAT(json, HasSubstr("\"12.48\""));

  auto parsed = ParseTimelineJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << json;
  ExpectSameTimeline(original, *parsed);
  // One frame at 30000/1001 fps stays exactly one frame.
  EXPECT_EQ(parsed->segments[0].in.Rescale({1001, 30000}, Rounding::kDown), 1);
  EXPECT_EQ(parsed->segments[0].in.Rescale({1001, 30000}, Rounding::kUp), 1);
  // Canonical: writing the parsed Timeline gives the same bytes.
  EXPECT_EQ(TimelineToJson(*parsed), json);
}

TEST(TimelineJsonTest, MinimalFileGetsDocumentedDefaults) {
  auto parsed = ParseTimelineJson(kMinimal);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const Timeline& t = *parsed;
  EXPECT_EQ(t.output.width, 1080);
  EXPECT_EQ(t.output.height, 1920);
  EXPECT_EQ(t.output.fps, (Rational{30, 1}));
  ASSERT_TRUE(t.output.audio.has_value());
  EXPECT_EQ(t.output.audio->codec, "aac");
  EXPECT_FALSE(t.captions.has_value());
  ASSERT_EQ(t.segments.size(), 1u);
  EXPECT_EQ(t.segments[0].in, MediaTime(3, {1, 2}));
  EXPECT_EQ(t.segments[0].out, MediaTime(4, {1, 1}));
  EXPECT_EQ(t.segments[0].layout, Layout::kFill);
  EXPECT_EQ(t.segments[0].interpolation, Interpolation::kSmooth);
  EXPECT_TRUE(t.segments[0].crop.empty());
  EXPECT_EQ(t.segments[0].transition.kind, TransitionKind::kCut);
  EXPECT_EQ(t.segments[0].transition.duration, MediaTime::Zero());
  EXPECT_TRUE(t.overlays.empty());
  EXPECT_EQ(t.audio.loudness_target_lufs, -14.0);
  EXPECT_EQ(t.Duration(), MediaTime(5, {1, 2}));
}

TEST(TimelineJsonTest, NullOutputAudioMeansNoAudioTrackAndSurvivesRoundTrip) {
  std::string json =
      Replace(kMinimal, "\"version\": 1,", R"("version": 1, "output": {"audio": null},)");
  auto parsed = ParseTimelineJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_FALSE(parsed->output.audio.has_value());
  auto again = ParseTimelineJson(TimelineToJson(*parsed));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->output.audio.has_value());
}

TEST(TimelineJsonTest, NullLoudnessTargetDisablesNormalisation) {
  std::string json = Replace(kMinimal, "\"version\": 1,",
                             R"("version": 1, "audio": {"loudness_target_lufs": null},)");
  auto parsed = ParseTimelineJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_FALSE(parsed->audio.loudness_target_lufs.has_value());
  EXPECT_EQ(parsed->audio.fade_ms, 20.0);
}

TEST(TimelineJsonTest, EveryEnumNameParsesBack) {
  for (Layout v : {Layout::kFill, Layout::kFitBlur, Layout::kSplit}) {
    Timeline t = FullTimeline();
    t.segments[0].layout = v;
    auto parsed = ParseTimelineJson(TimelineToJson(t));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->segments[0].layout, v);
  }
  for (Interpolation v : {Interpolation::kHold, Interpolation::kLinear, Interpolation::kSmooth}) {
    Timeline t = FullTimeline();
    t.segments[0].interpolation = v;
    auto parsed = ParseTimelineJson(TimelineToJson(t));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->segments[0].interpolation, v);
  }
  for (CaptionPosition v : {CaptionPosition::kBottom, CaptionPosition::kLowerThird,
                            CaptionPosition::kCenter, CaptionPosition::kTop}) {
    Timeline t = FullTimeline();
    t.captions->position = v;
    auto parsed = ParseTimelineJson(TimelineToJson(t));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->captions->position, v);
  }
  for (TransitionKind v : {TransitionKind::kCut, TransitionKind::kCrossfade, TransitionKind::kSlide,
                           TransitionKind::kZoom}) {
    Timeline t = FullTimeline();
    t.segments[1].transition.kind = v;
    auto parsed = ParseTimelineJson(TimelineToJson(t));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->segments[1].transition.kind, v);
  }
  for (OverlayAnimation v : {OverlayAnimation::kNone, OverlayAnimation::kFade,
                             OverlayAnimation::kRise, OverlayAnimation::kPop}) {
    Timeline t = FullTimeline();
    t.overlays[0].animation = v;
    auto parsed = ParseTimelineJson(TimelineToJson(t));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->overlays[0].animation, v);
  }
  EXPECT_EQ(TransitionKindName(TransitionKind::kCrossfade), "crossfade");
  EXPECT_EQ(OverlayAnimationName(OverlayAnimation::kPop), "pop");
  EXPECT_EQ(LayoutName(Layout::kFitBlur), "fit_blur");
  EXPECT_EQ(CaptionPositionName(CaptionPosition::kLowerThird), "lower_third");
}

TEST(TimelineJsonTest, FrameRateAcceptsIntegerAndFraction) {
  auto a = ParseTimelineJson(
      Replace(kMinimal, "\"version\": 1,", R"("version": 1, "output": {"fps": 25},)"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->output.fps, (Rational{25, 1}));
  auto b = ParseTimelineJson(
      Replace(kMinimal, "\"version\": 1,", R"("version": 1, "output": {"fps": "24000/1001"},)"));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->output.fps, (Rational{24000, 1001}));
  EXPECT_THAT(ParseError(Replace(kMinimal, "\"version\": 1,",
                                 R"("version": 1, "output": {"fps": 29.97},)")),
              StartsWith("output.fps: "));
}

TEST(TimelineJsonTest, FloatingPointTimesAreRejectedBecauseTheyAreInexact) {
  std::string message = ParseError(Replace(kMinimal, "\"out\": 4", "\"out\": 4.1"));
  EXPECT_THAT(message, StartsWith("segments[0].out: "));
  EXPECT_THAT(message, HasSubstr("as strings"));
  EXPECT_THAT(ParseError(Replace(kMinimal, "\"in\": \"1.5\"", "\"in\": \"1,5\"")),
              StartsWith("segments[0].in: expected a time in seconds"));
}

TEST(TimelineJsonTest, UnknownFieldsAreErrorsNamingTheirPath) {
  EXPECT_THAT(ParseError(Replace(kMinimal, "\"out\": 4", "\"out\": 4, \"zom\": 2")),
              StartsWith("segments[0].zom: unknown field (known: "));
  EXPECT_THAT(ParseError(Replace(kMinimal, "\"version\": 1,", "\"version\": 1, \"extra\": true,")),
              StartsWith("extra: unknown field"));
  EXPECT_THAT(
      ParseError(Replace(kMinimal, "\"version\": 1,",
                         R"("version": 1, "output": {"video": {"crf": 20, "tune": "film"}},)")),
      StartsWith("output.video.tune: unknown field"));
}

TEST(TimelineJsonTest, TypeErrorsNameTheNestedPath) {
  std::string json =
      Replace(kMinimal, "\"out\": 4", R"("out": 4, "crop": [{"t": "0", "zoom": "2"}])");
  EXPECT_EQ(ParseError(json), "segments[0].crop[0].zoom: expected a number, got string \"2\"");
  json = Replace(kMinimal, "\"out\": 4", R"("out": 4, "mute": 1)");
  EXPECT_THAT(ParseError(json), StartsWith("segments[0].mute: expected true or false"));
  json = Replace(kMinimal, "\"version\": 1,", R"("version": 1, "output": {"width": 1080.5},)");
  EXPECT_THAT(ParseError(json), StartsWith("output.width: expected an integer"));
  EXPECT_THAT(ParseError("[1, 2]"), StartsWith("timeline: expected an object"));
}

TEST(TimelineJsonTest, MissingRequiredFieldsAreNamed) {
  EXPECT_EQ(ParseError(Replace(kMinimal, ", \"out\": 4", "")),
            "segments[0].out: missing required field");
  EXPECT_EQ(ParseError(Replace(kMinimal, "\"version\": 1,", "")),
            "version: missing required field");
  EXPECT_THAT(ParseError(Replace(kMinimal, "\"path\": \"talk.mp4\"", "\"path\": \"\"")),
              StartsWith("sources[0].path: must not be empty"));
}

TEST(TimelineJsonTest, UnknownEnumValueListsTheKnownOnes) {
  EXPECT_EQ(ParseError(Replace(kMinimal, "\"out\": 4", "\"out\": 4, \"layout\": \"crop\"")),
            "segments[0].layout: unknown layout 'crop' (known: fill, fit_blur, split)");
  EXPECT_EQ(
      ParseError(Replace(kMinimal, "\"out\": 4", "\"out\": 4, \"interpolation\": \"cubic\"")),
      "segments[0].interpolation: unknown interpolation 'cubic' (known: hold, linear, smooth)");
}

TEST(TimelineJsonTest, UnsupportedVersionIsRejected) {
  EXPECT_THAT(ParseError(Replace(kMinimal, "\"version\": 1", "\"version\": 2")),
              StartsWith("version: unsupported version 2"));
}

TEST(TimelineJsonTest, DuplicateKeyIsAnErrorNamingItsPath) {
  std::string json = Replace(kMinimal, "\"out\": 4", "\"out\": 4, \"out\": 9");
  EXPECT_EQ(ParseError(json), "segments[0].out: field appears more than once");
}

TEST(TimelineJsonTest, MalformedJsonReportsLineAndColumn) {
  // The stray `x` is on line 3, column 13.
  std::string json = "{\n  \"version\": 1,\n  \"output\": x\n}";
  std::string message = ParseError(json);
  EXPECT_THAT(message, StartsWith("invalid JSON at line 3, column 13: "));
  EXPECT_THAT(ParseError("{\"version\": 1,"), StartsWith("invalid JSON at line 1, column "));
  EXPECT_THAT(ParseError(""), StartsWith("invalid JSON at line 1, column 1: "));
  // Overflowing numbers are the caller's mistake, not an internal error.
  EXPECT_THAT(ParseError(R"({"version": 1e400})"), HasSubstr("number overflow"));
  // Invalid UTF-8 from the input is escaped, so the message itself is safe to embed in JSON.
  std::string bad_utf8 = ParseError("{\"version\": \xff}");
  EXPECT_THAT(bad_utf8, HasSubstr("\\xFF"));
  EXPECT_EQ(bad_utf8.find('\xff'), std::string::npos);
}

// The example in docs/timeline.md is what people copy; it must parse and validate.
TEST(TimelineJsonTest, DocumentedExampleParsesAndValidates) {
  std::ifstream in(std::string(CUTROOM_SOURCE_DIR) + "/docs/timeline.md");
  ASSERT_TRUE(in) << "docs/timeline.md is missing";
  std::stringstream doc;
  doc << in.rdbuf();
  std::string text = doc.str();
  size_t start = text.find("```json\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  size_t end = text.find("\n```", start);
  ASSERT_NE(end, std::string::npos);
  auto parsed = ParseTimelineJson(text.substr(start, end - start));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->output.fps, (Rational{30000, 1001}));
  EXPECT_EQ(parsed->Duration(), MediaTime(1098, {1, 100}));
  EXPECT_EQ(parsed->segments[0].crop.size(), 2u);
  Status valid = ValidateStructure(*parsed, {"highlight_word"});
  EXPECT_TRUE(valid.ok()) << valid.ToString();
}

class LoadTimelineFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("timeline_json_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "job");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  std::filesystem::path dir_;
};

TEST_F(LoadTimelineFileTest, ResolvesRelativeSourcePathsAgainstTheFileFolder) {
  std::string json = Replace(kMinimal, R"([{"id": "talk", "path": "talk.mp4"}])",
                             R"([{"id": "talk", "path": "../media/talk.mp4"},
                                 {"id": "abs", "path": "/srv/media/b.mp4"}])");
  auto loaded = LoadTimelineFile(Write("job/clip.timeline.json", json));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->sources.size(), 2u);
  EXPECT_EQ(loaded->sources[0].path, (dir_ / "media" / "talk.mp4").lexically_normal().string());
  EXPECT_EQ(loaded->sources[1].path, "/srv/media/b.mp4");
}

TEST_F(LoadTimelineFileTest, MissingFileIsNotFound) {
  std::string path = (dir_ / "nope.json").string();
  auto loaded = LoadTimelineFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(), HasSubstr(path));
}

TEST_F(LoadTimelineFileTest, DirectoryAndEmptyFileGiveClearErrors) {
  auto dir = LoadTimelineFile((dir_ / "job").string());
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(dir.status().message(), HasSubstr("is a directory"));
  auto empty = LoadTimelineFile(Write("empty.json", ""));
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("file is empty"));
}

TEST_F(LoadTimelineFileTest, ErrorsCarryTheFileNameAndPosition) {
  std::string path = Write("bad.json", "{\n  \"version\": 1,,\n}");
  auto loaded = LoadTimelineFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), StartsWith(path + ": invalid JSON at line 2, column 16"));

  path = Write("field.json", Replace(kMinimal, "\"out\": 4", "\"out\": 4, \"gain\": 1"));
  loaded = LoadTimelineFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), StartsWith(path + ": segments[0].gain: unknown field"));
}

TEST(TimelineJsonTest, ImageSourcesAndAudioTracksParseWithDefaults) {
  std::string json = Replace(kMinimal, R"([{"id": "talk", "path": "talk.mp4"}])",
                             R"([{"id": "talk", "path": "talk.mp4"},
                                 {"id": "slide", "path": "slide.png", "kind": "image"},
                                 {"id": "voice", "path": "voice.wav"}])");
  json = Replace(json, "\"version\": 1,", R"("version": 1,
      "audio": {"tracks": [{"source": "voice", "in": 0, "out": "2.5", "role": "voice"},
                           {"source": "talk", "in": "1", "out": 3}]},)");
  auto parsed = ParseTimelineJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->sources[0].kind, SourceKind::kVideo);
  EXPECT_EQ(parsed->sources[1].kind, SourceKind::kImage);
  ASSERT_EQ(parsed->audio.tracks.size(), 2u);
  const AudioTrack& voice = parsed->audio.tracks[0];
  EXPECT_EQ(voice.role, AudioRole::kVoice);
  EXPECT_EQ(voice.out, MediaTime(5, {1, 2}));
  const AudioTrack& other = parsed->audio.tracks[1];
  EXPECT_EQ(other.at, MediaTime::Zero());
  EXPECT_EQ(other.gain_db, 0.0);
  EXPECT_FALSE(other.loop);
  EXPECT_EQ(other.fade_in_ms, 0.0);
  EXPECT_EQ(other.fade_out_ms, 0.0);
  EXPECT_EQ(other.duck_db, 0.0);
  EXPECT_EQ(other.role, AudioRole::kEffect);
  // The writer documents the new fields too.
  std::string written = TimelineToJson(*parsed);
  EXPECT_THAT(written, HasSubstr("\"kind\": \"image\""));
  EXPECT_THAT(written, HasSubstr("\"duck_db\": 0.0"));
}

TEST(TimelineJsonTest, ImageAndAudioTrackErrorsNameTheJsonPath) {
  EXPECT_EQ(ParseError(Replace(kMinimal, R"("path": "talk.mp4")",
                               R"("path": "talk.mp4", "kind": "picture")")),
            "sources[0].kind: unknown kind 'picture' (known: video, image)");
  auto with_tracks = [](std::string_view tracks) {
    return Replace(kMinimal, "\"version\": 1,",
                   "\"version\": 1, \"audio\": {\"tracks\": " + std::string(tracks) + "},");
  };
  EXPECT_EQ(ParseError(with_tracks(R"({"source": "talk"})")),
            "audio.tracks: expected an array, got an object");
  EXPECT_EQ(ParseError(with_tracks(R"([{"source": "talk", "out": 2}])")),
            "audio.tracks[0].in: missing required field");
  EXPECT_THAT(ParseError(with_tracks(R"([{"source": "talk", "in": 0, "out": 2, "at": 1.5}])")),
              StartsWith("audio.tracks[0].at: got number 1.5; write fractional times"));
  EXPECT_EQ(ParseError(with_tracks(
                R"([{"source": "talk", "in": 0, "out": 2}, {"source": "talk", "in": 0, "out": 2,
                    "role": "narrator"}])")),
            "audio.tracks[1].role: unknown role 'narrator' (known: voice, music, effect)");
  EXPECT_EQ(ParseError(with_tracks(R"([{"source": "talk", "in": 0, "out": 2, "loop": "yes"}])")),
            "audio.tracks[0].loop: expected true or false, got string \"yes\"");
  EXPECT_EQ(ParseError(with_tracks(R"([{"source": "talk", "in": 0, "out": 2, "duck": -12}])")),
            "audio.tracks[0].duck: unknown field (known: source, in, out, at, gain_db, loop, "
            "fade_in_ms, fade_out_ms, duck_db, role)");
}

constexpr const char* kWithSlide = R"({
  "version": 1,
  "sources": [{"id": "a", "path": "a.png", "kind": "image"},
              {"id": "logo", "path": "logo.png", "kind": "image"}],
  "segments": [{"source": "a", "in": 0, "out": 2, "mute": true},
               {"source": "a", "in": 0, "out": 2, "mute": true,
                "transition": {"kind": "crossfade", "duration": "0.4"}}]
})";

TEST(TimelineJsonTest, TransitionsAndOverlaysParseWithDefaults) {
  std::string json = Replace(kWithSlide, "\"segments\"",
                             R"("overlays": [{"source": "logo", "start": "0.5", "end": 3},
                                             {"source": "logo", "start": 0, "end": "1001/1000",
                                              "x": 0.1, "y": 0.2, "width": 0.5, "opacity": 0.75,
                                              "animation": "fade",
                                              "animation_duration": "1/3"}],
                                "segments")");
  auto parsed = ParseTimelineJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->segments[0].transition.kind, TransitionKind::kCut);
  EXPECT_EQ(parsed->segments[1].transition.kind, TransitionKind::kCrossfade);
  EXPECT_EQ(parsed->segments[1].transition.duration, MediaTime(2, {1, 5}));
  ASSERT_EQ(parsed->overlays.size(), 2u);
  const Overlay& first = parsed->overlays[0];
  EXPECT_EQ(first.start, MediaTime(1, {1, 2}));
  EXPECT_EQ(first.end, MediaTime(3, {1, 1}));
  EXPECT_EQ(first.x, 0.0);
  EXPECT_EQ(first.y, 0.0);
  EXPECT_EQ(first.width, 1.0);
  EXPECT_EQ(first.opacity, 1.0);
  EXPECT_EQ(first.animation, OverlayAnimation::kNone);
  EXPECT_EQ(first.animation_duration, MediaTime::Zero());
  const Overlay& second = parsed->overlays[1];
  EXPECT_EQ(second.end, MediaTime(1001, {1, 1000}));
  EXPECT_EQ(second.width, 0.5);
  EXPECT_EQ(second.opacity, 0.75);
  EXPECT_EQ(second.animation, OverlayAnimation::kFade);
  EXPECT_EQ(second.animation_duration, MediaTime(1, {1, 3}));
  EXPECT_TRUE(ValidateStructure(*parsed, {}).ok()) << ValidateStructure(*parsed, {}).ToString();

  // The writer emits every field, and reading that back loses nothing.
  std::string written = TimelineToJson(*parsed);
  EXPECT_THAT(written, HasSubstr(R"("transition": {
        "kind": "cut",
        "duration": "0")"));
  EXPECT_THAT(written, HasSubstr(R"("animation_duration": "1/3")"));
  auto again = ParseTimelineJson(written);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ExpectSameTimeline(*parsed, *again);
  EXPECT_EQ(TimelineToJson(*again), written);
}

TEST(TimelineJsonTest, TransitionAndOverlayErrorsNameTheJsonPath) {
  EXPECT_EQ(ParseError(Replace(kWithSlide, R"("kind": "crossfade")", R"("kind": "wipe")")),
            "segments[1].transition.kind: unknown transition kind 'wipe' (known: cut, crossfade, "
            "slide, zoom)");
  EXPECT_THAT(ParseError(Replace(kWithSlide, R"("duration": "0.4")", R"("duration": 0.4)")),
              StartsWith("segments[1].transition.duration: got number 0.4; write fractional"));
  EXPECT_THAT(ParseError(Replace(kWithSlide, R"("duration": "0.4")",
                                 R"("duration": "0.4", "easing": "linear")")),
              StartsWith("segments[1].transition.easing: unknown field (known: kind, duration)"));
  EXPECT_EQ(ParseError(Replace(kWithSlide, R"({"kind": "crossfade", "duration": "0.4"})",
                               R"({"duration": "0.4"})")),
            "segments[1].transition.kind: missing required field");
  EXPECT_EQ(ParseError(Replace(kWithSlide, R"({"kind": "crossfade", "duration": "0.4"})",
                               R"("crossfade")")),
            "segments[1].transition: expected an object, got string \"crossfade\"");

  const std::string with_overlay =
      Replace(kWithSlide, "\"segments\"",
              R"("overlays": [{"source": "logo", "start": "0.5", "end": 3}], "segments")");
  EXPECT_THAT(ParseError(Replace(with_overlay, R"("end": 3)", R"("end": 3, "widht": 0.5)")),
              StartsWith("overlays[0].widht: unknown field (known: source, start, end, x, y, "
                         "width, opacity, animation, animation_duration)"));
  EXPECT_THAT(ParseError(Replace(with_overlay, R"("start": "0.5")", R"("start": 0.5)")),
              StartsWith("overlays[0].start: got number 0.5; write fractional"));
  EXPECT_EQ(ParseError(Replace(with_overlay, R"(, "end": 3)", "")),
            "overlays[0].end: missing required field");
  EXPECT_THAT(ParseError(Replace(with_overlay, R"("end": 3)", R"("end": 3, "animation": "spin")")),
              StartsWith("overlays[0].animation: unknown animation 'spin' (known: none, fade, "
                         "rise, pop)"));
  EXPECT_EQ(ParseError(Replace(with_overlay, R"("end": 3)", R"("end": 3, "opacity": "half")")),
            "overlays[0].opacity: expected a number, got string \"half\"");
  EXPECT_EQ(ParseError(Replace(kWithSlide, "\"segments\"", R"("overlays": {}, "segments")")),
            "overlays: expected an array, got an object");
}

}  // namespace
}  // namespace cutroom::timeline
