#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "captions/caption_styles.h"
#include "compose/compose_job.h"
#include "media/probe.h"
#include "media/video_reader.h"
#include "test_support.h"
#include "timeline/timeline_json.h"

namespace cutroom::compose {
namespace {

namespace fs = std::filesystem;
using cutroom::testing::Ffmpeg;
using cutroom::testing::FileExists;
using cutroom::testing::ReadFile;
using cutroom::testing::TempDir;
using cutroom::testing::WriteFile;

// Visuals: 0 slide "The Moon", 1 image, 2 slide "The Sun", 3 slide (no heading), 4 slide "Summary".
constexpr const char* kScript =
    "[title]How tides work[/title]\n"
    "[alt_title]Tides in five minutes[/alt_title]\n"
    "[description]Why the sea rises.\nTwice a day.[/description]\n"
    "[tags]tides, moon, science[/tags]\n"
    "[thumbnail]Tides, explained[/thumbnail]\n"
    "[slide]# The Moon\nIt pulls.[/slide]\n"
    "[narration]The Moon pulls on the oceans. That pull makes the tides.[/narration]\n"
    "[image]moon.png[/image]\n"
    "[narration]Twice a day, the water rises.[/narration]\n"
    "[slide]## The **Sun**[/slide]\n"
    "[narration]The Sun helps a little.[/narration]\n"
    "[slide]- just a list[/slide]\n"
    "[narration]Spring tides are high.[/narration]\n"
    "[slide]# Summary[/slide]\n"
    "[narration]That is all.[/narration]\n";

Script TestScript() {
  auto script = ParseScript(kScript);
  EXPECT_TRUE(script.ok()) << script.status().ToString();
  return script.ok() ? *script : Script{};
}

// A hand-written Timeline laid out as the planner does: scenes back to back, each (id, seconds).
// A slide scene ("slide_NN") is a segment on the shared "background" picture plus its text as an
// overlay with the scene's id; any other id is a segment on a source of that id.
std::string TimelineJson(const std::vector<std::pair<std::string, int>>& scenes) {
  std::string sources, segments, overlays;
  std::vector<std::string> seen;
  auto add_source = [&](const std::string& id) {
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) return;
    seen.push_back(id);
    sources += std::string(sources.empty() ? "" : ",") + R"({"id": ")" + id + R"(", "path": "/x/)" +
               id + R"(.png", "kind": "image"})";
  };
  auto add = [](std::string& list, const std::string& item) {
    list += (list.empty() ? "" : ",") + item;
  };
  int at = 0;
  for (const auto& [id, seconds] : scenes) {
    const bool slide = id.rfind("slide_", 0) == 0;
    const std::string segment_source = slide ? "background" : id;
    add_source(segment_source);
    add(segments, R"({"source": ")" + segment_source + R"(", "in": 0, "out": )" +
                      std::to_string(seconds) + R"(, "mute": true})");
    if (slide) {
      add_source(id);
      add(overlays, R"({"source": ")" + id + R"(", "start": )" + std::to_string(at) +
                        R"(, "end": )" + std::to_string(at + seconds) + "}");
    }
    at += seconds;
  }
  return R"({"version": 1, "output": {"width": 1920, "height": 1080}, "sources": [)" + sources +
         R"(], "segments": [)" + segments + R"(], "overlays": [)" + overlays + "]}";
}

std::vector<std::pair<double, std::string>> Flat(const std::vector<Chapter>& chapters) {
  std::vector<std::pair<double, std::string>> out;
  for (const Chapter& c : chapters) out.emplace_back(c.start.ToSeconds(), c.title);
  return out;
}

using Flattened = std::vector<std::pair<double, std::string>>;

TEST(ChaptersForTest, SlideScenesStartChaptersAndTheFirstIsAtZero) {
  Script script = TestScript();
  ASSERT_EQ(script.visuals.size(), 5u);
  std::string tl = TimelineJson(
      {{"slide_01", 12}, {"image_02", 8}, {"slide_03", 15}, {"slide_04", 5}, {"slide_05", 12}});
  EXPECT_EQ(Flat(ChaptersFor(script, tl)),
            (Flattened{{0, "The Moon"}, {20, "The Sun"}, {40, "Summary"}}));
}

TEST(ChaptersForTest, IntroIsAddedWhenTheFirstSectionStartsLater) {
  Script script = TestScript();
  std::string tl = TimelineJson({{"intro", 11},
                                 {"slide_01", 12},
                                 {"image_02", 8},
                                 {"slide_03", 15},
                                 {"slide_04", 5},
                                 {"slide_05", 12}});
  EXPECT_EQ(Flat(ChaptersFor(script, tl)),
            (Flattened{{0, "Intro"}, {11, "The Moon"}, {31, "The Sun"}, {51, "Summary"}}));
}

TEST(ChaptersForTest, AShortOpeningJoinsTheFirstSection) {
  // A 4 s title card: an "Intro" chapter that short would void every chapter.
  Script script = TestScript();
  std::string tl = TimelineJson(
      {{"title", 4}, {"slide_01", 12}, {"image_02", 8}, {"slide_03", 15}, {"slide_05", 12}});
  EXPECT_EQ(Flat(ChaptersFor(script, tl)),
            (Flattened{{0, "The Moon"}, {24, "The Sun"}, {39, "Summary"}}));
}

TEST(ChaptersForTest, FewerThanThreeChaptersGiveNone) {
  Script script = TestScript();
  // slide_05 is not in the Timeline: two sections remain.
  std::string tl = TimelineJson({{"slide_01", 30}, {"slide_03", 30}});
  EXPECT_TRUE(ChaptersFor(script, tl).empty());
}

TEST(ChaptersForTest, AChapterShorterThanTenSecondsGivesNone) {
  Script script = TestScript();
  std::string tl = TimelineJson({{"slide_01", 20}, {"slide_03", 9}, {"slide_05", 20}});
  EXPECT_TRUE(ChaptersFor(script, tl).empty());
  // The last chapter runs to the end of the video, which must also leave it 10 s.
  std::string short_end = TimelineJson({{"slide_01", 20}, {"slide_03", 20}, {"slide_05", 9}});
  EXPECT_TRUE(ChaptersFor(script, short_end).empty());
  std::string exact = TimelineJson({{"slide_01", 10}, {"slide_03", 10}, {"slide_05", 10}});
  EXPECT_EQ(ChaptersFor(script, exact).size(), 3u);
}

TEST(ChaptersForTest, SceneIdsAsSegmentSourcesAndLookalikes) {
  Script script = TestScript();
  // Scene ids may also be segment sources; unpadded numbers are the same scene; ids with a
  // suffix or a zero index are not scenes.
  std::string tl = R"({"version": 1, "sources": [
      {"id": "slide_01_2", "path": "/a.png", "kind": "image"},
      {"id": "slide_0", "path": "/b.png", "kind": "image"},
      {"id": "slide_1", "path": "/c.png", "kind": "image"},
      {"id": "slide_03", "path": "/d.png", "kind": "image"},
      {"id": "slide_005", "path": "/e.png", "kind": "image"}],
    "segments": [
      {"source": "slide_01_2", "in": 0, "out": 15, "mute": true},
      {"source": "slide_0", "in": 0, "out": 15, "mute": true},
      {"source": "slide_1", "in": 0, "out": 12, "mute": true},
      {"source": "slide_03", "in": 0, "out": 15, "mute": true},
      {"source": "slide_1", "in": 0, "out": 10, "mute": true},
      {"source": "slide_005", "in": 0, "out": 12, "mute": true}]})";
  EXPECT_EQ(Flat(ChaptersFor(script, tl)),
            (Flattened{{0, "Intro"}, {30, "The Moon"}, {42, "The Sun"}, {67, "Summary"}}));
  EXPECT_TRUE(ChaptersFor(script, "{not json").empty());
}

// A small rendered composition: 6 s of 320x240 video with audio, a Timeline with a slide scene
// and an image scene and 7 caption words.
class PackageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_TRUE(
        Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 6 "
               "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -ac 1 '" +
               dir_->File("render.mp4") + "'"));
    ASSERT_TRUE(Ffmpeg("-f lavfi -i color=c=0x00FF00:size=640x360 -frames:v 1 '" +
                       dir_->File("moon.png") + "'"));
    ASSERT_TRUE(Ffmpeg("-f lavfi -i color=c=0x101418:size=320x240 -frames:v 1 '" +
                       dir_->File("background.png") + "'"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    WriteFile(work_.File("script.txt"), kScript);
    timeline::Timeline tl;
    tl.output.width = 320;
    tl.output.height = 240;
    tl.sources = {{"background", dir_->File("background.png"), timeline::SourceKind::kImage},
                  {"slide_01", dir_->File("slide_01.png"), timeline::SourceKind::kImage},
                  {"image_02", dir_->File("moon.png"), timeline::SourceKind::kImage}};
    timeline::Segment slide;
    slide.source = "background";
    slide.out = MediaTime(3, {1, 1});
    slide.mute = true;
    timeline::Segment image = slide;
    image.source = "image_02";
    tl.segments = {slide, image};
    timeline::Overlay text;
    text.source = "slide_01";
    text.start = MediaTime::Zero();
    text.end = MediaTime(3, {1, 1});
    tl.overlays = {text};
    timeline::CaptionTrack captions;
    const char* words[] = {"The", "Moon", "pulls.", "That", "pull", "makes", "tides."};
    for (int i = 0; i < 7; ++i) {
      captions.words.push_back(
          {words[i], MediaTime(i * 8, {1, 10}), MediaTime(i * 8 + 7, {1, 10})});
    }
    tl.captions = captions;
    timeline_ = tl;
    WriteFile(work_.File("timeline.json"), timeline::TimelineToJson(tl));
    env_.threads = 1;
  }

  Result<ComposeResult> Package(const std::string& video) {
    return PackageComposition(work_.File("script.txt"), style_, work_.File("timeline.json"), "",
                              video, out_dir(), env_);
  }
  std::string out_dir() const { return work_.File("out"); }
  std::string Out(const std::string& name) const { return out_dir() + "/" + name; }

  static TempDir* dir_;
  TempDir work_;
  ComposeStyle style_;
  timeline::Timeline timeline_;
  StepEnv env_;
};
TempDir* PackageTest::dir_ = nullptr;

TEST_F(PackageTest, WritesEveryFileAndTheMetadata) {
  auto result = Package(dir_->File("render.mp4"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->output_dir, out_dir());
  EXPECT_EQ(result->video, Out("video.mp4"));
  EXPECT_NEAR(result->duration_s, 6.0, 0.1);
  for (const char* name :
       {"video.mp4", "timeline.json", "video.srt", "video.vtt", "thumbnail.jpg", "metadata.json"}) {
    EXPECT_TRUE(FileExists(Out(name))) << name;
  }
  for (const auto& entry : fs::directory_iterator(out_dir())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << "temporary file left: " << entry.path();
  }
  EXPECT_EQ(ReadFile(Out("video.mp4")), ReadFile(dir_->File("render.mp4")));
  EXPECT_EQ(ReadFile(Out("timeline.json")), ReadFile(work_.File("timeline.json")));

  // Caption files: one cue per caption group, as burned.
  const size_t groups = captions::GroupWords(*timeline_.captions).size();
  ASSERT_GE(groups, 2u);
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(ReadFile(Out("video.srt")), "-->"), groups);
  EXPECT_EQ(count(ReadFile(Out("video.vtt")), "-->"), groups);
  EXPECT_EQ(ReadFile(Out("video.vtt")).rfind("WEBVTT", 0), 0u);

  // The thumbnail is a 1280x720 JPEG.
  auto info = media::ProbeFile(Out("thumbnail.jpg"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_NE(info->video(), nullptr);
  EXPECT_EQ(info->video()->codec, "mjpeg");
  EXPECT_EQ(info->video()->width, 1280);
  EXPECT_EQ(info->video()->height, 720);

  auto m = nlohmann::json::parse(ReadFile(Out("metadata.json")));
  EXPECT_EQ(m["title"], "How tides work");
  EXPECT_EQ(m["alt_title"], "Tides in five minutes");
  EXPECT_EQ(m["description"], "Why the sea rises.\nTwice a day.");
  EXPECT_EQ(m["tags"], nlohmann::json({"tides", "moon", "science"}));
  EXPECT_TRUE(m["chapters"].is_array());
  EXPECT_TRUE(m["chapters"].empty()) << "a 6 s video has no room for chapters";
  EXPECT_NEAR(m["duration"].get<double>(), 6.0, 0.1);
  EXPECT_EQ(m["voice"], "slt");
  EXPECT_EQ(m["words"], 29);
  EXPECT_EQ(m["sentences"], 6);
  EXPECT_EQ(m["width"], 320);
  EXPECT_EQ(m["height"], 240);
  EXPECT_EQ(m["files"], nlohmann::json({{"video", "video.mp4"},
                                        {"thumbnail", "thumbnail.jpg"},
                                        {"srt", "video.srt"},
                                        {"vtt", "video.vtt"},
                                        {"timeline", "timeline.json"}}));
  bool chapter_warning = false;
  for (const std::string& w : result->warnings) {
    chapter_warning |= w.find("no chapters") != std::string::npos;
  }
  EXPECT_TRUE(chapter_warning);
}

// Mean of the top-left 64x64 block of the thumbnail, in the decoder's limited-range YUV.
struct Yuv {
  double y = 0, u = 0, v = 0;
};
Yuv CornerOf(const std::string& jpg) {
  auto reader = media::VideoReader::Open(jpg, {});
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  auto frame = (*reader)->FrameAt(MediaTime::Zero());
  EXPECT_TRUE(frame.ok()) << frame.status().ToString();
  if (!frame.ok()) return {};
  Yuv sum;
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      sum.y += frame->data[0][y * frame->linesize[0] + x];
      sum.u += frame->data[1][(y / 2) * frame->linesize[1] + x / 2];
      sum.v += frame->data[2][(y / 2) * frame->linesize[2] + x / 2];
    }
  }
  return {sum.y / 4096, sum.u / 4096, sum.v / 4096};
}

TEST_F(PackageTest, ThumbnailShowsTheImageSceneDarkened) {
  ASSERT_TRUE(Package(dir_->File("render.mp4")).ok());
  // Pure green darkened by half is RGB (0, 128, 0): in the JPEG's BT.601, read back in limited
  // range, Y about 80, U and V well below 128.
  Yuv corner = CornerOf(Out("thumbnail.jpg"));
  EXPECT_NEAR(corner.y, 80, 8);
  EXPECT_LT(corner.u, 110);
  EXPECT_LT(corner.v, 110);
}

TEST_F(PackageTest, WithoutAnImageTheThumbnailUsesTheSlideColour) {
  // The first slide scene (visual 0) has its own look.
  style_.scenes.resize(1);
  style_.scenes[0].background = "#C02020";
  timeline_.segments.resize(1);
  timeline_.segments[0].out = MediaTime(6, {1, 1});
  WriteFile(work_.File("timeline.json"), timeline::TimelineToJson(timeline_));
  ASSERT_TRUE(Package(dir_->File("render.mp4")).ok());
  // #C02020 (BT.601, limited range): Y about 85, V (red) well above 128.
  Yuv corner = CornerOf(Out("thumbnail.jpg"));
  EXPECT_NEAR(corner.y, 85, 8);
  EXPECT_GT(corner.v, 170);
}

TEST_F(PackageTest, VoiceComesFromTheNarration) {
  WriteFile(work_.File("narration.json"),
            R"({"voice": "kal", "sample_rate": 16000, "samples": 16000, "sentences": []})");
  auto result =
      PackageComposition(work_.File("script.txt"), style_, work_.File("timeline.json"),
                         work_.File("narration.json"), dir_->File("render.mp4"), out_dir(), env_);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(nlohmann::json::parse(ReadFile(Out("metadata.json")))["voice"], "kal");
  bool warned = false;
  for (const std::string& w : result->warnings)
    warned |= w.find("0 sentences") != std::string::npos;
  EXPECT_TRUE(warned) << "a narration of another script version is pointed out";

  WriteFile(work_.File("narration.json"), "{}");
  fs::remove(Out("metadata.json"));
  auto bad =
      PackageComposition(work_.File("script.txt"), style_, work_.File("timeline.json"),
                         work_.File("narration.json"), dir_->File("render.mp4"), out_dir(), env_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(work_.File("narration.json")), std::string::npos);
  EXPECT_FALSE(FileExists(Out("metadata.json")));
}

TEST_F(PackageTest, NoTitleIsAWarning) {
  std::string script = kScript;
  script.erase(0, script.find('\n') + 1);
  WriteFile(work_.File("script.txt"), script);
  auto result = Package(dir_->File("render.mp4"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  bool warned = false;
  for (const std::string& w : result->warnings) warned |= w.find("[title]") != std::string::npos;
  EXPECT_TRUE(warned);
  EXPECT_EQ(nlohmann::json::parse(ReadFile(Out("metadata.json")))["title"], "");
}

TEST_F(PackageTest, MissingVideoIsAClearErrorAndWritesNoMetadata) {
  const std::string missing = work_.File("never_rendered.mp4");
  auto result = Package(missing);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(missing), std::string::npos)
      << result.status().message();
  EXPECT_FALSE(FileExists(Out("metadata.json")));
  EXPECT_FALSE(FileExists(Out("video.mp4")));
}

TEST_F(PackageTest, BadTimelineIsNamed) {
  WriteFile(work_.File("timeline.json"), R"({"version": 1, "sources": [], "segmnts": []})");
  auto result = Package(dir_->File("render.mp4"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(work_.File("timeline.json")), std::string::npos)
      << result.status().message();
  EXPECT_FALSE(FileExists(Out("metadata.json")));
}

}  // namespace
}  // namespace cutroom::compose
