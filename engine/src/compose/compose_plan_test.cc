// The narrate and plan steps of a compose job, end to end: real flite speech, real slides, real
// pictures and music, rendered with the real renderer and decoded back.
#include <gtest/gtest.h>

#include <cctype>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "compose/compose_job.h"
#include "compose/compose_plan_util.h"
#include "compose/compose_plan_visuals.h"
#include "compose/script.h"
#include "compose/script_text.h"
#include "compose/slides/slide_renderer.h"
#include "cutroom/file_util.h"
#include "media/audio_reader.h"
#include "media/frames.h"
#include "media/image_writer.h"
#include "media/probe.h"
#include "media/video_reader.h"
#include "render/renderer.h"
#include "speech/speech_synthesizer.h"
#include "test_support.h"
#include "timeline/timeline_json.h"

namespace cutroom::compose {
namespace {

using cutroom::testing::TempDir;
using cutroom::testing::WriteFile;

constexpr int kWidth = 360;
constexpr int kHeight = 640;
constexpr double kMusicHz = 70;  // below the voice's pitch, so it can be measured under speech

const char kScript[] = R"([title]How tides work[/title]
[music]music.wav[/music]
[slide]
# The Moon pulls
- Gravity acts on water
[/slide]
[narration]
The Moon pulls on the oceans of the Earth. That pull is strongest on the side that faces it.
So the water there rises into a gentle bulge.
[/narration]
[image]pics/moon.png[/image]
[narration]
A second bulge forms on the far side of the planet. There the Moon pulls the Earth away from
the water. As the Earth turns, each coast passes through both bulges. That is why most places
see two high tides every day.
[/narration]
[slide]
# The Sun helps
[/slide]
[narration]
The Sun pulls on the oceans too, but less strongly. When the Sun and the Moon line up, their
pulls add together. Then the tides are larger than usual, and we call them spring tides.
[/narration]
[image]pics/coast.jpg[/image]
[narration]
When they pull at right angles, the tides are smaller. These are called neap tides. Coastlines
and the shape of the sea floor change the timing as well. Some bays see tides of more than ten
metres, and others barely notice them at all.
[/narration]
[slide]
# Thanks for watching
[/slide]
)";

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

ComposeStyle SmallStyle() {
  ComposeStyle style;
  style.width = kWidth;
  style.height = kHeight;
  style.fps = {30, 1};
  style.paragraph_pause_s = 1.5;  // room for the ducker's 300 ms release
  style.end_card_s = 2.0;
  return style;
}

// A picture with a diagonal colour gradient, as PNG.
void WriteGradientPng(const std::string& path, int width, int height) {
  auto pixels = std::make_shared<uint8_t[]>(static_cast<size_t>(width) * height * 4);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = pixels.get() + (static_cast<size_t>(y) * width + x) * 4;
      p[0] = static_cast<uint8_t>(255 * x / width);
      p[1] = static_cast<uint8_t>(255 * y / height);
      p[2] = 160;
      p[3] = 255;
    }
  }
  VideoFrame frame;
  frame.format = PixelFormat::kRgba;
  frame.width = width;
  frame.height = height;
  frame.data[0] = pixels.get();
  frame.linesize[0] = width * 4;
  frame.owner = pixels;
  ASSERT_TRUE(WritePng(frame, path).ok());
}

void WriteStripesJpeg(const std::string& path, int width, int height) {
  VideoFrame frame = media::AllocateVideoFrame(PixelFormat::kYuv420p, width, height);
  media::FillYuv(frame, 120, 150, 100);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if ((x / 20) % 2 == 0) frame.data[0][y * frame.linesize[0] + x] = 200;
    }
  }
  ASSERT_TRUE(media::WriteJpeg(frame, path, 90).ok());
}

void WriteSineWav(const std::string& path, double hz, double seconds, int rate) {
  AudioBuffer audio;
  audio.sample_rate = rate;
  audio.pts = MediaTime(0, {1, rate});
  audio.channels.assign(1, std::vector<float>(static_cast<size_t>(seconds * rate)));
  for (size_t i = 0; i < audio.channels[0].size(); ++i) {
    audio.channels[0][i] = 0.5f * static_cast<float>(std::sin(2 * M_PI * hz * i / rate));
  }
  ASSERT_TRUE(speech::WriteWav(path, audio).ok());
}

// Power of the `hz` component of samples [begin, end) (Goertzel).
double TonePower(const std::vector<float>& x, int64_t begin, int64_t end, double hz, int rate) {
  const double w = 2 * M_PI * hz / rate, coeff = 2 * std::cos(w);
  double s1 = 0, s2 = 0;
  for (int64_t i = begin; i < end; ++i) {
    double s0 = x[static_cast<size_t>(i)] + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  double n = static_cast<double>(end - begin);
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n);
}

// The 60 s script narrated, planned and rendered once for every case.
class ComposePlanTest : public ::testing::Test {
 protected:
  struct Shared {
    TempDir dir;
    std::string script_path, wav, json, assets, timeline_json, mp4;
    Status narrate, plan, render;
    double narrate_cpu_s = 0, plan_cpu_s = 0;
    Narration narration;
    Script script;
    timeline::Timeline tl;
    std::string timeline_text;
  };
  static inline Shared* shared_ = nullptr;

  static void SetUpTestSuite() {
    shared_ = new Shared;
    Shared& s = *shared_;
    ASSERT_EQ(std::system(("mkdir -p " + s.dir.File("pics")).c_str()), 0);
    WriteGradientPng(s.dir.File("pics/moon.png"), 640, 360);  // landscape: fit_blur
    WriteStripesJpeg(s.dir.File("pics/coast.jpg"), 360, 640);   // portrait: fill + Ken Burns
    WriteSineWav(s.dir.File("music.wav"), kMusicHz, 10, 44100);
    s.script_path = s.dir.File("script.txt");
    WriteFile(s.script_path, kScript);
    s.wav = s.dir.File("narration.wav");
    s.json = s.dir.File("narration.json");
    s.assets = s.dir.File("assets");
    s.timeline_json = s.dir.File("timeline.json");
    s.mp4 = s.dir.File("video.mp4");
    const ComposeStyle style = SmallStyle();
    StepEnv env;
    env.threads = 2;

    double t0 = CpuSeconds();
    s.narrate = NarrateScript(s.script_path, style, s.wav, s.json, env);
    double t1 = CpuSeconds();
    if (!s.narrate.ok()) return;
    s.plan = PlanComposition(s.script_path, style, s.wav, s.json, s.assets, s.timeline_json, env);
    double t2 = CpuSeconds();
    s.narrate_cpu_s = t1 - t0;
    s.plan_cpu_s = t2 - t1;
    std::printf("[ cpu      ] NarrateScript %.3f s, PlanComposition %.3f s\n", s.narrate_cpu_s,
                s.plan_cpu_s);
    if (!s.plan.ok()) return;
    Result<Narration> narration = ReadNarration(s.json);
    ASSERT_TRUE(narration.ok()) << narration.status().ToString();
    s.narration = *narration;
    Result<std::string> text = ReadSmallFile(s.script_path);
    ASSERT_TRUE(text.ok());
    Result<Script> script = ParseScript(*text);
    ASSERT_TRUE(script.ok());
    s.script = *script;
    Result<std::string> tl_text = ReadSmallFile(s.timeline_json);
    ASSERT_TRUE(tl_text.ok());
    s.timeline_text = *tl_text;
    Result<timeline::Timeline> tl = timeline::LoadTimelineFile(s.timeline_json);
    ASSERT_TRUE(tl.ok()) << tl.status().ToString();
    s.tl = *tl;
    render::RenderOptions options;
    options.threads = 2;
    Result<render::RenderStats> stats = render::RenderTimeline(s.tl, s.mp4, options);
    s.render = stats.ok() ? Status::Ok() : stats.status();
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(shared_->narrate.ok()) << shared_->narrate.ToString();
    ASSERT_TRUE(shared_->plan.ok()) << shared_->plan.ToString();
  }
  void RequireRender() { ASSERT_TRUE(shared_->render.ok()) << shared_->render.ToString(); }
  // The Timeline writer gained overlays and transitions in later work; until then slides have
  // no text layer in the file.
  bool TimelineHasOverlays() const {
    return shared_->timeline_text.find("\"overlays\"") != std::string::npos;
  }
  const Shared& S() const { return *shared_; }
  MediaTime SentenceStart(int sentence) const {
    return S().narration.At(S().narration.sentences[static_cast<size_t>(sentence)].start);
  }
};

TEST_F(ComposePlanTest, NarrationIsSampleExactWithTheStylesPauses) {
  const Narration& n = S().narration;
  ASSERT_EQ(n.sentences.size(), S().script.sentences.size());
  EXPECT_EQ(n.voice, "slt");
  EXPECT_GT(n.sample_rate, 0);
  EXPECT_GT(n.duration().ToSeconds(), 45);
  EXPECT_LT(n.duration().ToSeconds(), 80);
  const ComposeStyle style = SmallStyle();
  for (size_t i = 1; i < n.sentences.size(); ++i) {
    const double pause = n.sentences[i].paragraph != n.sentences[i - 1].paragraph
                             ? style.paragraph_pause_s
                             : style.sentence_gap_s;
    EXPECT_EQ(n.sentences[i].start - n.sentences[i - 1].end,
              std::llround(pause * n.sample_rate))
        << "before sentence " << i;
  }
  EXPECT_EQ(n.sentences.back().end, n.samples);  // no trailing pause
  Result<MediaInfo> wav = media::ProbeFile(S().wav);
  ASSERT_TRUE(wav.ok());
  ASSERT_NE(wav->audio(), nullptr);
  EXPECT_EQ(wav->audio()->sample_rate, n.sample_rate);
  EXPECT_NEAR(wav->duration.ToSeconds(), n.duration().ToSeconds(), 0.001);
}

TEST_F(ComposePlanTest, VideoLastsNarrationPlusEndCard) {
  const MediaTime expected = S().narration.duration() + MediaTime(2, {1, 1});
  EXPECT_EQ(S().tl.Duration(), expected);  // exact in the Timeline
  RequireRender();
  Result<MediaInfo> info = media::ProbeFile(S().mp4);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_NE(info->video(), nullptr);
  MediaTime rendered = info->video()->duration > MediaTime() ? info->video()->duration
                                                              : info->duration;
  EXPECT_NEAR(rendered.ToSeconds(), expected.ToSeconds(), 1.0 / 30 + 1e-6);
  EXPECT_EQ(info->video()->width, kWidth);
  EXPECT_EQ(info->video()->height, kHeight);
}

TEST_F(ComposePlanTest, CaptionWordsAreTheNarratedWordsInOrder) {
  ASSERT_TRUE(S().tl.captions.has_value());
  std::vector<std::string> narrated;
  std::vector<MediaTime> starts;
  for (const NarratedSentence& s : S().narration.sentences) {
    for (const NarratedWord& w : s.words) {
      narrated.push_back(w.text);
      starts.push_back(S().narration.At(w.start));
    }
  }
  // The captions show the script's spelling (case, punctuation) of the words the voice said.
  auto plain = [](const std::string& t) {
    std::string out;
    for (unsigned char c : t) {
      if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    }
    return out;
  };
  std::vector<std::string> captioned;
  for (const timeline::CaptionWord& w : S().tl.captions->words) captioned.push_back(plain(w.text));
  std::vector<std::string> said;
  for (const std::string& t : narrated) said.push_back(plain(t));
  EXPECT_EQ(captioned, said);
  int sentence_ends = 0;
  for (const timeline::CaptionWord& w : S().tl.captions->words) {
    sentence_ends += !w.text.empty() && std::string(".!?").find(w.text.back()) != std::string::npos;
  }
  EXPECT_EQ(sentence_ends, static_cast<int>(S().narration.sentences.size()));
  ASSERT_EQ(S().tl.captions->words.size(), starts.size());
  for (size_t i = 0; i < starts.size(); ++i) {
    EXPECT_EQ(S().tl.captions->words[i].start, starts[i]) << i;  // no intro: narration time
  }
  int script_words = 0;
  for (const NarrationSentence& s : S().script.sentences) script_words += CountWords(s.text);
  EXPECT_EQ(static_cast<int>(narrated.size()), script_words);
}

// Each visual becomes its scene, in script order, starting at its first sentence.
TEST_F(ComposePlanTest, ScenesFollowTheScriptInOrder) {
  const timeline::Timeline& tl = S().tl;
  std::vector<std::string> shown;  // per segment: the picture, or the slide's text layer
  std::vector<MediaTime> starts;
  MediaTime t;
  for (const timeline::Segment& seg : tl.segments) {
    const timeline::Source* src = tl.FindSource(seg.source);
    ASSERT_NE(src, nullptr);
    std::string name = src->path.substr(src->path.find_last_of('/') + 1);
    if (name.rfind("background_", 0) == 0) {
      for (const timeline::Overlay& o : tl.overlays) {
        if (o.start == t) name = tl.FindSource(o.source)->path;
      }
      name = name.substr(name.find_last_of('/') + 1);
    }
    EXPECT_EQ(src->kind, timeline::SourceKind::kImage);
    EXPECT_TRUE(seg.mute);
    shown.push_back(name);
    starts.push_back(t);
    t = t + seg.duration();
  }
  std::vector<std::string> expected = {"slide_01.png", "moon.png", "slide_03.png", "coast.jpg",
                                       "slide_05.png"};
  if (!TimelineHasOverlays()) {
    for (std::string& e : expected) {
      if (e.rfind("slide_", 0) == 0) e = "background_101418.png";
    }
  }
  EXPECT_EQ(shown, expected);
  ASSERT_EQ(starts.size(), 5u);
  for (int v = 1; v < 4; ++v) {
    EXPECT_EQ(starts[static_cast<size_t>(v)],
              SentenceStart(S().script.visuals[static_cast<size_t>(v)].from_sentence))
        << "visual " << v;
  }
  EXPECT_EQ(starts[4], S().narration.duration());  // the end card
  // The portrait picture fills the frame with a Ken Burns zoom; the landscape one is fitted.
  EXPECT_EQ(tl.segments[3].layout, timeline::Layout::kFill);
  ASSERT_EQ(tl.segments[3].crop.size(), 2u);
  EXPECT_DOUBLE_EQ(tl.segments[3].crop[0].zoom, 1.0);
  EXPECT_DOUBLE_EQ(tl.segments[3].crop[1].zoom, 1.15);
  EXPECT_EQ(tl.segments[1].layout, timeline::Layout::kFitBlur);
  // Every scene after the first crossfades in, within half its length.
  for (size_t i = 1; i < tl.segments.size() && S().timeline_text.find("\"transition\"") !=
                                                    std::string::npos;
       ++i) {
    EXPECT_EQ(tl.segments[i].transition.kind, timeline::TransitionKind::kCrossfade) << i;
    EXPECT_EQ(tl.segments[i].transition.duration, MediaTime(12, {1, 30})) << i;
  }
  // Absolute paths only.
  for (const timeline::Source& src : tl.sources) EXPECT_EQ(src.path[0], '/') << src.path;
}

TEST_F(ComposePlanTest, SlideHeadingIsVisibleInTheVideo) {
  RequireRender();
  if (!TimelineHasOverlays()) GTEST_SKIP() << "Timeline JSON has no overlays yet";
  SlideStyle look;  // the default look's fonts and colours, sized for the whole frame
  look.base_size = kHeight / 22.0;
  const internal::TextBand band = internal::SlideTextBand(SmallStyle(), /*with_captions=*/true);
  EXPECT_LT(band.height, kHeight);  // lower-third captions: the text stays above them
  Result<std::vector<SlideBlock>> blocks =
      LayoutSlide(S().script.visuals[0].body, kWidth, band.height, look);
  ASSERT_TRUE(blocks.ok());
  ASSERT_FALSE(blocks->empty());
  const SlideBlock& heading = (*blocks)[0];
  ASSERT_EQ(heading.kind, "heading");
  Result<std::unique_ptr<media::VideoReader>> reader = media::VideoReader::Open(S().mp4, {});
  ASSERT_TRUE(reader.ok());
  // Past the text animation (0.5 s), well inside the first scene.
  Result<VideoFrame> frame = (*reader)->FrameAt(MediaTime(3, {1, 2}));
  ASSERT_TRUE(frame.ok());
  ASSERT_EQ(frame->format, PixelFormat::kYuv420p);
  // The background #101418 in BT.709 limited-range luma.
  const double bg_y = 16 + 219 * (0.2126 * 0x10 + 0.7152 * 0x14 + 0.0722 * 0x18) / 255;
  auto differing = [&](int x0, int y0, int w, int h) {
    int count = 0;
    for (int y = y0; y < y0 + h; ++y) {
      for (int x = x0; x < x0 + w; ++x) {
        if (std::abs(frame->data[0][y * frame->linesize[0] + x] - bg_y) > 60) ++count;
      }
    }
    return static_cast<double>(count) / (w * h);
  };
  const int heading_y = band.top + heading.y;
  EXPECT_GT(differing(heading.x, heading_y, heading.w, heading.h), 0.08);
  EXPECT_LT(differing(0, 0, kWidth, heading_y / 2), 0.01);  // above the text: background
}

TEST_F(ComposePlanTest, MusicDucksUnderSpeech) {
  RequireRender();
  media::AudioReaderOptions options;
  options.sample_rate = 48000;
  options.channels = 1;
  Result<std::unique_ptr<media::AudioReader>> reader = media::AudioReader::Open(S().mp4, options);
  ASSERT_TRUE(reader.ok());
  std::vector<float> pcm;
  for (;;) {
    Result<AudioBuffer> chunk = (*reader)->Read(48000);
    ASSERT_TRUE(chunk.ok());
    if (chunk->frames() == 0) break;
    pcm.insert(pcm.end(), chunk->channels[0].begin(), chunk->channels[0].end());
  }
  const Narration& n = S().narration;
  auto at = [&](int64_t sample, double shift_s) {
    double t = static_cast<double>(sample) / n.sample_rate + shift_s;
    return std::clamp<int64_t>(std::llround(t * 48000), 0, static_cast<int64_t>(pcm.size()));
  };
  double speech = 0, pause = 0;
  int speech_n = 0, pause_n = 0;
  for (size_t i = 0; i < n.sentences.size(); ++i) {
    const NarratedSentence& s = n.sentences[i];
    int64_t a = at(s.start, 0.3), b = at(s.end, -0.2);
    if (b - a > 4800) {
      speech += TonePower(pcm, a, b, kMusicHz, 48000);
      ++speech_n;
    }
    if (i > 0 && s.paragraph != n.sentences[i - 1].paragraph) {
      int64_t pa = at(n.sentences[i - 1].end, 0.9), pb = at(s.start, -0.02);
      ASSERT_GT(pb - pa, 4800);
      pause += TonePower(pcm, pa, pb, kMusicHz, 48000);
      ++pause_n;
    }
  }
  ASSERT_GT(speech_n, 5);
  ASSERT_EQ(pause_n, 3);
  const double speech_db = 10 * std::log10(speech / speech_n);
  const double pause_db = 10 * std::log10(pause / pause_n);
  std::printf("[ music    ] %.1f dB in pauses, %.1f dB under speech\n", pause_db, speech_db);
  EXPECT_GT(pause_db, -60);  // the music is there
  EXPECT_GE(pause_db - speech_db, 10);
}

// Small scripts for the error cases: narrated, then planned.
class ComposeErrorsTest : public ::testing::Test {
 protected:
  Status NarrateAndPlan(const std::string& script, const ComposeStyle& style) {
    WriteFile(dir_.File("script.txt"), script);
    StepEnv env;
    Status narrate = NarrateScript(dir_.File("script.txt"), style, dir_.File("n.wav"),
                                   dir_.File("n.json"), env);
    if (!narrate.ok()) return narrate;
    return PlanComposition(dir_.File("script.txt"), style, dir_.File("n.wav"), dir_.File("n.json"),
                           dir_.File("assets"), dir_.File("timeline.json"), env);
  }
  Result<timeline::Timeline> Timeline() { return timeline::LoadTimelineFile(dir_.File("timeline.json")); }
  TempDir dir_;
};

TEST_F(ComposeErrorsTest, MissingImageNamesTheFileAndLine) {
  Status s = NarrateAndPlan("[narration]The tide comes in.[/narration]\n[image]pics/gone.png[/image]\n",
                            SmallStyle());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("line 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("image file not found: pics/gone.png"), std::string::npos)
      << s.message();
}

TEST_F(ComposeErrorsTest, UnsupportedImageIsAClearError) {
  WriteFile(dir_.File("x.png"), "this is text, not a picture\n");
  Status s = NarrateAndPlan("[narration]The tide comes in.[/narration]\n\n[image]x.png[/image]\n",
                            SmallStyle());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("line 3"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("x.png"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("cannot decode"), std::string::npos) << s.message();
}

TEST_F(ComposeErrorsTest, ImagePromptNeedsAGenerator) {
  Status s = NarrateAndPlan(
      "[narration]The tide comes in.[/narration]\n[image]a calm sea at dawn[/image]\n",
      SmallStyle());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("line 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("image generator"), std::string::npos) << s.message();
}

TEST_F(ComposeErrorsTest, UnreadableFontNamesTheFile) {
  ComposeStyle style = SmallStyle();
  style.look.font_file = dir_.File("missing-font.ttf");
  Status s = NarrateAndPlan("[slide]# Tides[/slide]\n[narration]The tide comes in.[/narration]\n",
                            style);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing-font.ttf"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("line 1"), std::string::npos) << s.message();
}

TEST_F(ComposeErrorsTest, TooLongNarrationIsRefusedNamingBothDurations) {
  ComposeStyle style = SmallStyle();
  style.max_duration_s = 2;
  Status s = NarrateAndPlan(
      "[narration]The tide comes in. The tide goes out. It happens twice a day, every day of "
      "the year.[/narration]\n",
      style);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("max_duration_s 2.00 s"), std::string::npos) << s.message();
  EXPECT_FALSE(cutroom::testing::FileExists(dir_.File("n.json")));
}

TEST_F(ComposeErrorsTest, UnknownVoiceListsTheVoices) {
  ComposeStyle style = SmallStyle();
  style.voice = "robot";
  Status s = NarrateAndPlan("[narration]The tide comes in.[/narration]\n", style);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("robot"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("slt"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("espeak"), std::string::npos) << s.message();
}

TEST_F(ComposeErrorsTest, MissingMusicIsAnError) {
  Status s = NarrateAndPlan(
      "[music]nothing.wav[/music]\n[narration]The tide comes in.[/narration]\n", SmallStyle());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nothing.wav"), std::string::npos) << s.message();
}

// A title card before the first visual, an intro without sound, a short b-roll looped to fill its
// scene.
TEST_F(ComposeErrorsTest, IntroTitleCardAndLoopedBroll) {
  ASSERT_TRUE(cutroom::testing::Ffmpeg("-f lavfi -i testsrc=size=320x568:rate=30:duration=1 "
                                       "-pix_fmt yuv420p " + dir_.File("intro.mp4")));
  ASSERT_TRUE(cutroom::testing::Ffmpeg("-f lavfi -i testsrc=size=320x568:rate=30:duration=0.5 "
                                       "-pix_fmt yuv420p " + dir_.File("clip.mp4")));
  ComposeStyle style = SmallStyle();
  style.intro = dir_.File("intro.mp4");
  Status s = NarrateAndPlan(
      "[title]Tides[/title]\n[narration]The tide comes in.[/narration]\n"
      "[broll]clip.mp4[/broll]\n[narration]The tide goes out again, slowly.[/narration]\n",
      style);
  ASSERT_TRUE(s.ok()) << s.ToString();
  Result<timeline::Timeline> tl = Timeline();
  ASSERT_TRUE(tl.ok()) << tl.status().ToString();
  Result<Narration> n = ReadNarration(dir_.File("n.json"));
  ASSERT_TRUE(n.ok());
  const MediaTime intro(1, {1, 1});
  ASSERT_GE(tl->segments.size(), 4u);
  EXPECT_TRUE(tl->segments[0].mute);  // the intro has no audio stream
  EXPECT_EQ(tl->segments[0].duration(), intro);
  EXPECT_EQ(tl->Duration(), intro + n->duration());
  // Title card, then b-roll pieces of at most 0.5 s filling the second sentence's scene.
  EXPECT_EQ(tl->segments[1].duration(), n->At(n->sentences[1].start));
  MediaTime broll;
  for (size_t i = 2; i < tl->segments.size(); ++i) {
    EXPECT_LE(tl->segments[i].duration(), MediaTime(1, {1, 2}));
    EXPECT_TRUE(tl->segments[i].mute);
    broll = broll + tl->segments[i].duration();
  }
  EXPECT_EQ(broll, n->duration() - n->At(n->sentences[1].start));
  ASSERT_EQ(tl->audio.tracks.size(), 1u);
  EXPECT_EQ(tl->audio.tracks[0].at, intro);
  ASSERT_TRUE(tl->captions.has_value());
  EXPECT_EQ(tl->captions->words[0].start, intro + n->At(n->sentences[0].words[0].start));
}

TEST(CaptionTextsTest, CaptionsKeepTheScriptsPunctuation) {
  auto w = [](std::vector<std::string> texts) {
    std::vector<NarratedWord> words;
    for (auto& t : texts) words.push_back({t, 0, 0});
    return words;
  };
  EXPECT_EQ(internal::CaptionTexts("Waste is washed away.", w({"waste", "is", "washed", "away"})),
            (std::vector<std::string>{"Waste", "is", "washed", "away."}));
  // The voice said more words than the text has tokens ("2,000" as "two thousand"): its words,
  // the last closed with the sentence's punctuation.
  EXPECT_EQ(internal::CaptionTexts("It costs 2,000 dollars!", w({"it", "costs", "two", "thousand", "dollars"})),
            (std::vector<std::string>{"it", "costs", "two", "thousand", "dollars!"}));
  EXPECT_EQ(internal::CaptionTexts("Is it \"done?\"", w({"is", "it", "not", "done"})).back(), "done?\"");
  EXPECT_TRUE(internal::CaptionTexts("Hm.", {}).empty());
}

}  // namespace
}  // namespace cutroom::compose
