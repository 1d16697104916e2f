// FCPXML, EDL and OTIO exports, checked by reading them back with independent readers: xmllint
// (libxml2) for FCPXML, a small CMX 3600 reader here, nlohmann::json for OTIO. Expected values are
// worked out by hand from docs/exports.md, not by calling the writers' helpers.
#include "export/nle_export.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "test_support.h"

namespace cutroom::export_ {
namespace {

using cutroom::testing::Run;
using cutroom::testing::TempDir;
using cutroom::testing::WriteFile;

MediaTime Sec(const char* text) { return MediaTime::Parse(text).value(); }

MediaInfo FakeSource(const std::string& path, int width, int height, Rational fps,
                     MediaTime duration, bool audio) {
  MediaInfo info;
  info.path = path;
  info.container = "mov,mp4,m4a,3gp,3g2,mj2";
  info.duration = duration;
  StreamInfo v;
  v.index = 0;
  v.type = StreamType::kVideo;
  v.codec = "h264";
  v.width = width;
  v.height = height;
  v.fps = fps;
  v.duration = duration;
  info.streams.push_back(v);
  if (audio) {
    StreamInfo a;
    a.index = 1;
    a.type = StreamType::kAudio;
    a.codec = "aac";
    a.sample_rate = 48000;
    a.channels = 2;
    a.duration = duration;
    info.streams.push_back(a);
  }
  return info;
}

// The docs/timeline.md example plus a third segment: 7.48 s + 3.5 s + 3 s at 30 fps. Cumulative
// ends 7.48, 10.98, 13.98 s -> frames 224.4, 329.4, 419.4 -> boundaries 0, 224, 329, 419.
timeline::Timeline ExampleTimeline() {
  timeline::Timeline tl;
  tl.output.width = 1080;
  tl.output.height = 1920;
  tl.output.fps = Rational{30, 1};
  tl.sources = {{"talk", "/media/talk.mp4"}, {"broll", "/media/b roll.mov"}};
  timeline::Segment a;
  a.source = "talk";
  a.in = Sec("754.32");
  a.out = Sec("761.8");
  a.crop = {{Sec("0"), 0.3, 0.45, 1.0}, {Sec("2.5"), 0.68, 0.4, 1.4}};
  timeline::Segment b;
  b.source = "broll";
  b.in = Sec("770");
  b.out = Sec("773.5");
  b.layout = timeline::Layout::kFitBlur;
  b.mute = true;
  timeline::Segment c;
  c.source = "talk";
  c.in = Sec("12");
  c.out = Sec("15");
  c.gain_db = -3.0;
  tl.segments = {a, b, c};
  timeline::CaptionTrack captions;
  captions.max_words = 3;
  auto word = [](const char* text, const char* start, const char* end) {
    return timeline::CaptionWord{text, Sec(start), Sec(end)};
  };
  captions.words = {word("Latency", "0.12", "0.6"), word("is", "0.6", "0.74"),
                    word("a", "0.74", "0.8"),       word("budget.", "0.8", "1.42"),
                    word("Spend", "7.6", "8.02"),   word("it", "8.02", "8.2"),
                    word("wisely.", "8.2", "8.9")};
  tl.captions = captions;
  return tl;
}

std::map<std::string, MediaInfo> ExampleSources() {
  return {{"talk", FakeSource("/media/talk.mp4", 1920, 1080, {30, 1}, Sec("900"), true)},
          {"broll", FakeSource("/media/b roll.mov", 1280, 720, {25, 1}, Sec("800"), false)}};
}

// Boundaries and source in points (frames at 30 fps), worked out by hand:
//   segment 0: in 754.32 + (0/30 - 0)          = 754.32    -> 22629.6 -> 22630
//   segment 1: in 770 + (224/30 - 7.48)        = 769.98667 -> 23099.6 -> 23100
//   segment 2: in 12 + (329/30 - 10.98)        = 11.98667  -> 359.6   -> 360
const int64_t kBounds[] = {0, 224, 329, 419};
const int64_t kSourceIn30[] = {22630, 23100, 360};

// ---------------------------------------------------------------------------------------------
// FCPXML

struct Fraction {
  int64_t num = 0;
  int64_t den = 1;
  bool operator==(const Fraction& o) const { return num * o.den == o.num * den; }
};
std::ostream& operator<<(std::ostream& os, const Fraction& f) {
  return os << f.num << "/" << f.den;
}

// "N/Ds" or "Ns".
Fraction ParseFcpTime(const std::string& text) {
  Fraction f;
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), 's') << text;
  if (std::sscanf(text.c_str(), "%lld/%llds", reinterpret_cast<long long*>(&f.num),
                  reinterpret_cast<long long*>(&f.den)) == 2) {
    return f;
  }
  EXPECT_EQ(std::sscanf(text.c_str(), "%llds", reinterpret_cast<long long*>(&f.num)), 1) << text;
  f.den = 1;
  return f;
}

class Xml {
 public:
  explicit Xml(std::string path) : path_(std::move(path)) {}
  std::string Eval(const std::string& xpath) const {
    auto r = Run("xmllint --xpath \"" + xpath + "\" '" + path_ + "'");
    EXPECT_EQ(r.exit_code, 0) << xpath << "\n" << r.output;
    std::string out = r.output;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }
  std::string Str(const std::string& xpath) const { return Eval("string(" + xpath + ")"); }
  int Count(const std::string& xpath) const { return std::stoi(Eval("count(" + xpath + ")")); }
  Fraction Time(const std::string& xpath) const { return ParseFcpTime(Str(xpath)); }

 private:
  std::string path_;
};

std::string WriteFcpxml(const TempDir& dir, const timeline::Timeline& tl) {
  ExportOptions options;
  options.title = "clip 01 <Q&A>";
  auto xml = TimelineToFcpxml(tl, ExampleSources(), options);
  EXPECT_TRUE(xml.ok()) << xml.status().ToString();
  std::string path = dir.File("clip.fcpxml");
  WriteFile(path, xml.ok() ? *xml : "");
  return path;
}

TEST(FcpxmlTest, IsWellFormedVersion110WithFormatsAndAssets) {
  TempDir dir;
  std::string path = WriteFcpxml(dir, ExampleTimeline());
  auto lint = cutroom::testing::Run("xmllint --noout '" + path + "'");
  ASSERT_EQ(lint.exit_code, 0) << lint.output;
  Xml xml(path);
  EXPECT_EQ(xml.Str("/fcpxml/@version"), "1.10");
  EXPECT_EQ(xml.Str("//project/@name"), "clip 01 <Q&A>");
  // Output format: 1080x1920 at 1/30 s per frame.
  EXPECT_EQ(xml.Str("//resources/format[@id='r1']/@width"), "1080");
  EXPECT_EQ(xml.Str("//resources/format[@id='r1']/@height"), "1920");
  EXPECT_EQ(xml.Time("//resources/format[@id='r1']/@frameDuration"), (Fraction{1, 30}));
  // One asset per source, with its real duration, rate and audio.
  ASSERT_EQ(xml.Count("//resources/asset"), 2);
  EXPECT_EQ(xml.Time("//asset[@name='talk']/@duration"), (Fraction{900, 1}));
  EXPECT_EQ(xml.Str("//asset[@name='talk']/@hasAudio"), "1");
  EXPECT_EQ(xml.Str("//asset[@name='talk']/@audioRate"), "48000");
  EXPECT_EQ(xml.Str("//asset[@name='broll']/@hasAudio"), "");
  EXPECT_EQ(xml.Str("//asset[@name='broll']/media-rep/@src"), "file:///media/b%20roll.mov");
  std::string broll_format = xml.Str("//asset[@name='broll']/@format");
  EXPECT_EQ(xml.Time("//format[@id='" + broll_format + "']/@frameDuration"), (Fraction{1, 25}));
  EXPECT_EQ(xml.Str("//format[@id='" + broll_format + "']/@width"), "1280");
}

TEST(FcpxmlTest, SpineMatchesTheRenderedCutsOnTheFrameGrid) {
  TempDir dir;
  Xml xml(WriteFcpxml(dir, ExampleTimeline()));
  ASSERT_EQ(xml.Count("//spine/asset-clip"), 3);
  EXPECT_EQ(xml.Time("//sequence/@duration"), (Fraction{419, 30}));
  // start: the source in point on the source's own frame grid (talk 30 fps, broll 25 fps):
  // 754.32 -> frame 22630 at 30; 769.98667 -> 19249.67 -> 19250 at 25; 11.98667 -> 360 at 30.
  const Fraction starts[] = {{22630, 30}, {19250, 25}, {360, 30}};
  Fraction sum{0, 1};
  for (int i = 0; i < 3; ++i) {
    std::string clip = "//spine/asset-clip[" + std::to_string(i + 1) + "]";
    Fraction offset = xml.Time(clip + "/@offset");
    Fraction duration = xml.Time(clip + "/@duration");
    EXPECT_EQ(offset, (Fraction{kBounds[i], 30})) << "clip " << i;
    EXPECT_EQ(duration, (Fraction{kBounds[i + 1] - kBounds[i], 30})) << "clip " << i;
    EXPECT_EQ(offset, sum) << "clip " << i << " does not start where the previous one ends";
    sum = Fraction{sum.num * duration.den + duration.num * sum.den, sum.den * duration.den};
    EXPECT_EQ(xml.Time(clip + "/@start"), starts[i]) << "clip " << i;
  }
  EXPECT_EQ(sum, (Fraction{419, 30}));
  EXPECT_EQ(xml.Str("//spine/asset-clip[2]/@srcEnable"), "video");  // muted
  EXPECT_EQ(xml.Str("//spine/asset-clip[3]/adjust-volume/@amount"), "-3dB");
}

TEST(FcpxmlTest, CropKeyframesBecomeTransformKeyframes) {
  TempDir dir;
  Xml xml(WriteFcpxml(dir, ExampleTimeline()));
  const std::string transform = "//spine/asset-clip[1]/adjust-transform";
  ASSERT_EQ(xml.Count(transform + "/param[@name='position']/keyframeAnimation/keyframe"), 2);
  ASSERT_EQ(xml.Count(transform + "/param[@name='scale']/keyframeAnimation/keyframe"), 2);
  // 1920x1080 source into 1080x1920, conform "fit" scales the source by 0.5625.
  // Key 0 (cx .3, cy .45, zoom 1): window 607.5x1080 at x 272.25, y clamped to 0, centre
  //   (576, 540); 1080/607.5 = 1.7778 output px per source px; scale 1.7778/0.5625 = 3.160494;
  //   position x = (960-576)*1.7778*100/1920 = 35.555556, y = 0.
  // Key 1 (cx .68, cy .4, zoom 1.4): window 433.93x771.43 centred (1305.6, 432); 2.488889 px/px;
  //   scale 4.424691; x = -(345.6*2.488889)*100/1920 = -44.8; y = -(108*2.488889)*100/1920 = -14.
  struct Expected {
    Fraction time;
    double x, y, scale;
  } expected[] = {{{75432, 100}, 35.555556, 0.0, 3.160494}, {{75682, 100}, -44.8, -14.0, 4.424691}};
  for (int k = 0; k < 2; ++k) {
    std::string n = std::to_string(k + 1);
    std::string pos = transform + "/param[@name='position']/keyframeAnimation/keyframe[" + n + "]";
    std::string scale = transform + "/param[@name='scale']/keyframeAnimation/keyframe[" + n + "]";
    EXPECT_EQ(xml.Time(pos + "/@time"), expected[k].time) << "key " << k;
    EXPECT_EQ(xml.Time(scale + "/@time"), expected[k].time) << "key " << k;
    double x = 0, y = 0, sx = 0, sy = 0;
    ASSERT_EQ(std::sscanf(xml.Str(pos + "/@value").c_str(), "%lf %lf", &x, &y), 2);
    ASSERT_EQ(std::sscanf(xml.Str(scale + "/@value").c_str(), "%lf %lf", &sx, &sy), 2);
    EXPECT_NEAR(x, expected[k].x, 1e-4) << "key " << k;
    EXPECT_NEAR(y, expected[k].y, 1e-4) << "key " << k;
    EXPECT_NEAR(sx, expected[k].scale, 1e-5) << "key " << k;
    EXPECT_NEAR(sy, expected[k].scale, 1e-5) << "key " << k;
  }
  // fit_blur: the whole source fitted, no transform; a segment without crop keys: static values.
  EXPECT_EQ(xml.Count("//spine/asset-clip[2]/adjust-transform"), 0);
  EXPECT_EQ(xml.Str("//spine/asset-clip[2]/adjust-conform/@type"), "fit");
  EXPECT_EQ(xml.Count("//spine/asset-clip[3]/adjust-transform/param"), 0);
  EXPECT_EQ(xml.Str("//spine/asset-clip[3]/adjust-transform/@position"), "0 0");
  EXPECT_EQ(xml.Str("//spine/asset-clip[3]/adjust-transform/@scale"), "3.160494 3.160494");
}

TEST(FcpxmlTest, SplitBecomesTwoTrimmedClipsStackedInTheirHalves) {
  timeline::Timeline tl = ExampleTimeline();
  timeline::Segment& split = tl.segments[0];
  split.layout = timeline::Layout::kSplit;
  split.crop = {{Sec("0"), 0.35, 0.5, 1.0}};
  split.crop_secondary = {{Sec("0"), 0.65, 0.5, 1.5}};
  TempDir dir;
  Xml xml(WriteFcpxml(dir, tl));
  // 1920x1080 source, each half 1080x960 (aspect 1.125); conform "fit" scales by 0.5625.
  // Top (cx .35, zoom 1): window 1215x1080 at x 64.5, centre (672, 540); 0.888889 px/px; scale
  //   1.580247; x = 288 * 0.888889 * 100/1920 = 13.333333; y = +480 px up = 25% of 1920.
  //   Trim in % of the 1080 source height: left 64.5 -> 5.972222, right 640.5 -> 59.305556.
  // Bottom (cx .65, zoom 1.5): window 810x720 at (843, 180), centre (1248, 540); 1.333333 px/px;
  //   scale 2.370370; x = -288 * 1.333333 * 100/1920 = -20; y = 480 px down = -25.
  //   Trim: left 843 -> 78.055556, top 180 -> 16.666667, right 267 -> 24.722222, bottom 16.666667.
  struct Expected {
    std::string clip;
    double x, y, scale, left, top, right, bottom;
  } halves[] = {
      {"//spine/asset-clip[1]", 13.333333, 25.0, 1.580247, 5.972222, 0, 59.305556, 0},
      {"//spine/asset-clip[1]/asset-clip[@lane='1']", -20.0, -25.0, 2.370370, 78.055556,
       16.666667, 24.722222, 16.666667}};
  for (const Expected& e : halves) {
    double x = 0, y = 0, sx = 0, sy = 0;
    ASSERT_EQ(std::sscanf(xml.Str(e.clip + "/adjust-transform/@position").c_str(), "%lf %lf", &x,
                          &y),
              2)
        << e.clip;
    ASSERT_EQ(
        std::sscanf(xml.Str(e.clip + "/adjust-transform/@scale").c_str(), "%lf %lf", &sx, &sy), 2);
    EXPECT_NEAR(x, e.x, 1e-4) << e.clip;
    EXPECT_NEAR(y, e.y, 1e-4) << e.clip;
    EXPECT_NEAR(sx, e.scale, 1e-5) << e.clip;
    EXPECT_EQ(xml.Str(e.clip + "/adjust-crop/@mode"), "trim") << e.clip;
    const std::string rect = e.clip + "/adjust-crop/trim-rect/@";
    EXPECT_NEAR(std::stod(xml.Str(rect + "left")), e.left, 1e-5) << e.clip;
    EXPECT_NEAR(std::stod(xml.Str(rect + "top")), e.top, 1e-5) << e.clip;
    EXPECT_NEAR(std::stod(xml.Str(rect + "right")), e.right, 1e-5) << e.clip;
    EXPECT_NEAR(std::stod(xml.Str(rect + "bottom")), e.bottom, 1e-5) << e.clip;
    // The DTD's order: crop, conform, transform.
    EXPECT_EQ(xml.Str("name(" + e.clip + "/*[1])"), "adjust-crop");
    EXPECT_EQ(xml.Str("name(" + e.clip + "/*[2])"), "adjust-conform");
    EXPECT_EQ(xml.Str("name(" + e.clip + "/*[3])"), "adjust-transform");
  }
  // The bottom half plays the same source range at the same time, picture only (the spine clip
  // carries the sound once); captions go above both halves.
  const std::string bottom = "//spine/asset-clip[1]/asset-clip[@lane='1']";
  EXPECT_EQ(xml.Count(bottom), 1);
  EXPECT_EQ(xml.Str(bottom + "/@ref"), xml.Str("//spine/asset-clip[1]/@ref"));
  EXPECT_EQ(xml.Time(bottom + "/@start"), xml.Time("//spine/asset-clip[1]/@start"));
  EXPECT_EQ(xml.Time(bottom + "/@offset"), xml.Time("//spine/asset-clip[1]/@start"));
  EXPECT_EQ(xml.Time(bottom + "/@duration"), xml.Time("//spine/asset-clip[1]/@duration"));
  EXPECT_EQ(xml.Str(bottom + "/@srcEnable"), "video");
  EXPECT_GT(xml.Count("//spine/asset-clip[1]/title"), 0);
  EXPECT_EQ(xml.Count("//spine/asset-clip[1]/title[@lane!='2']"), 0);
  // Fill clips keep one clip, no trim, titles on lane 1.
  EXPECT_EQ(xml.Count("//spine/asset-clip[3]/asset-clip"), 0);
  EXPECT_EQ(xml.Count("//spine/asset-clip[3]/adjust-crop"), 0);
  EXPECT_EQ(xml.Str("name(//spine/asset-clip[3]/*[1])"), "adjust-conform");
}

TEST(FcpxmlTest, MovingSplitWindowsGetTrimKeyframes) {
  timeline::Timeline tl = ExampleTimeline();
  timeline::Segment& split = tl.segments[0];
  split.layout = timeline::Layout::kSplit;
  split.crop = {{Sec("0"), 0.35, 0.5, 1.0}};
  split.crop_secondary = {{Sec("0"), 0.65, 0.5, 1.5}, {Sec("2"), 0.7, 0.5, 1.5}};
  TempDir dir;
  Xml xml(WriteFcpxml(dir, tl));
  const std::string rect = "//spine/asset-clip[1]/asset-clip[@lane='1']/adjust-crop/trim-rect";
  ASSERT_EQ(xml.Count(rect + "/param"), 4);
  // Left inset at 2 s: window x = 0.7 * 1920 - 405 = 939 -> 86.944444% of 1080; at the clip's
  // local time in + 2 = 756.32 s.
  const std::string left = rect + "/param[@name='left']/keyframeAnimation/keyframe";
  ASSERT_EQ(xml.Count(left), 2);
  EXPECT_EQ(xml.Time(left + "[2]/@time"), (Fraction{75632, 100}));
  EXPECT_NEAR(std::stod(xml.Str(left + "[2]/@value")), 86.944444, 1e-5);
  EXPECT_NEAR(std::stod(xml.Str(left + "[1]/@value")), 78.055556, 1e-5);
  // The steady top half keeps a static trim.
  EXPECT_EQ(xml.Count("//spine/asset-clip[1]/adjust-crop/trim-rect/param"), 0);
}

TEST(FcpxmlTest, CaptionGroupsBecomeConnectedTitles) {
  TempDir dir;
  Xml xml(WriteFcpxml(dir, ExampleTimeline()));
  // GroupWords at max 3: "Latency is" | "a budget." (4 words balanced 2+2) | "Spend it wisely.".
  ASSERT_EQ(xml.Count("//title"), 3);
  EXPECT_EQ(xml.Count("//spine/asset-clip[1]/title"), 2);
  EXPECT_EQ(xml.Count("//spine/asset-clip[2]/title"), 1);
  EXPECT_EQ(xml.Str("//spine/asset-clip[1]/title[1]/text/text-style"), "Latency is");
  EXPECT_EQ(xml.Str("//spine/asset-clip[2]/title[1]/text/text-style"), "Spend it wisely.");
  EXPECT_EQ(xml.Str("//spine/asset-clip[1]/title[1]/@lane"), "1");
  // Offsets are in the parent clip's time: its start plus the distance into the cut.
  // "Latency is": 0.12 s = frame 3.6 -> 4; start 22630/30 + 4/30. Ends at 0.74 = frame 22.2 -> 22.
  EXPECT_EQ(xml.Time("//spine/asset-clip[1]/title[1]/@offset"), (Fraction{22634, 30}));
  EXPECT_EQ(xml.Time("//spine/asset-clip[1]/title[1]/@duration"), (Fraction{18, 30}));
  // "Spend it wisely.": 7.6 s = frame 228, 4 frames into segment 1, whose start is 770 s.
  EXPECT_EQ(xml.Time("//spine/asset-clip[2]/title[1]/@offset"), (Fraction{770 * 30 + 4, 30}));
  EXPECT_EQ(xml.Time("//spine/asset-clip[2]/title[1]/@duration"), (Fraction{267 - 228, 30}));
  // Every title refers to a Basic Title effect in the resources.
  std::string ref = xml.Str("//title[1]/@ref");
  EXPECT_EQ(xml.Str("//resources/effect[@id='" + ref + "']/@name"), "Basic Title");
}

TEST(FcpxmlTest, RecordStartMovesTheSequenceAndSpine) {
  ExportOptions options;
  options.record_start = Sec("3600");
  auto xml_text = TimelineToFcpxml(ExampleTimeline(), ExampleSources(), options);
  ASSERT_TRUE(xml_text.ok()) << xml_text.status().ToString();
  TempDir dir;
  WriteFile(dir.File("a.fcpxml"), *xml_text);
  Xml xml(dir.File("a.fcpxml"));
  EXPECT_EQ(xml.Time("//sequence/@tcStart"), (Fraction{3600, 1}));
  EXPECT_EQ(xml.Time("//spine/asset-clip[1]/@offset"), (Fraction{3600, 1}));
  EXPECT_EQ(xml.Time("//spine/asset-clip[2]/@offset"), (Fraction{3600 * 30 + 224, 30}));
}

// ---------------------------------------------------------------------------------------------
// EDL

struct EdlEvent {
  int number = 0;
  std::string reel, channels;
  std::string src_in, src_out, rec_in, rec_out;
  std::vector<std::string> comments;
};

struct Edl {
  std::string title, fcm;
  std::vector<EdlEvent> events;
};

// A minimal CMX 3600 reader: header lines, cut events, comments attached to the last event.
Edl ParseEdl(const std::string& text) {
  Edl edl;
  std::istringstream in(text);
  std::string line;
  const std::regex event_re(
      R"(^(\d{3})  (\S{1,8}) +(\S+) +C +(\d\d:\d\d:\d\d[:;]\d\d) (\d\d:\d\d:\d\d[:;]\d\d) )"
      R"((\d\d:\d\d:\d\d[:;]\d\d) (\d\d:\d\d:\d\d[:;]\d\d)$)");
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.rfind("TITLE: ", 0) == 0) {
      edl.title = line.substr(7);
    } else if (line.rfind("FCM: ", 0) == 0) {
      edl.fcm = line.substr(5);
    } else if (std::regex_match(line, m, event_re)) {
      edl.events.push_back({std::stoi(m[1]), m[2], m[3], m[4], m[5], m[6], m[7], {}});
    } else if (line.rfind("* ", 0) == 0 && !edl.events.empty()) {
      edl.events.back().comments.push_back(line.substr(2));
    } else {
      EXPECT_TRUE(line.empty()) << "unexpected EDL line: " << line;
    }
  }
  return edl;
}

// Frames of a timecode at a nominal rate; drop-frame labels skip 2 (or 4 at 60) frame numbers
// at every minute except each tenth.
int64_t TimecodeFrames(const std::string& tc, int nominal) {
  int h = 0, m = 0, s = 0, f = 0;
  char sep = 0;
  EXPECT_EQ(std::sscanf(tc.c_str(), "%d:%d:%d%c%d", &h, &m, &s, &sep, &f), 5) << tc;
  int64_t frames = ((h * 60LL + m) * 60 + s) * nominal + f;
  if (sep == ';') {
    const int64_t minutes = h * 60LL + m;
    frames -= (nominal / 15) * (minutes - minutes / 10);
  }
  return frames;
}

TEST(EdlTest, EventsMatchSegmentsOnTheFrameGrid) {
  ExportOptions options;
  options.title = "clip 01";
  auto text = TimelineToEdl(ExampleTimeline(), ExampleSources(), options);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  Edl edl = ParseEdl(*text);
  EXPECT_EQ(edl.title, "clip 01");
  EXPECT_EQ(edl.fcm, "NON-DROP FRAME");
  ASSERT_EQ(edl.events.size(), 3u) << *text;
  const char* reels[] = {"TALK", "BROLL", "TALK"};
  const char* channels[] = {"AA/V", "V", "AA/V"};  // the b-roll segment is muted
  const char* names[] = {"talk.mp4", "b roll.mov", "talk.mp4"};
  for (int i = 0; i < 3; ++i) {
    const EdlEvent& e = edl.events[i];
    EXPECT_EQ(e.number, i + 1);
    EXPECT_EQ(e.reel, reels[i]);
    EXPECT_EQ(e.channels, channels[i]);
    EXPECT_EQ(TimecodeFrames(e.rec_in, 30), kBounds[i]) << e.rec_in;
    EXPECT_EQ(TimecodeFrames(e.rec_out, 30), kBounds[i + 1]) << e.rec_out;
    EXPECT_EQ(TimecodeFrames(e.src_in, 30), kSourceIn30[i]) << e.src_in;
    EXPECT_EQ(TimecodeFrames(e.src_out, 30) - TimecodeFrames(e.src_in, 30),
              kBounds[i + 1] - kBounds[i]);
    ASSERT_GE(e.comments.size(), 1u);
    EXPECT_EQ(e.comments[0], std::string("FROM CLIP NAME: ") + names[i]);
  }
  EXPECT_EQ(edl.events[0].src_in, "00:12:34:10");  // 754.33 s: 22630 frames
}

TEST(EdlTest, NtscRateUsesDropFrameTimecode) {
  timeline::Timeline tl = ExampleTimeline();
  tl.output.fps = Rational{30000, 1001};
  tl.captions.reset();
  tl.segments.resize(1);
  tl.segments[0].in = Sec("60");
  tl.segments[0].out = Sec("760");  // 700 s = 20979.02 frames -> 20979
  ExportOptions options;
  options.record_start = Sec("3600");  // 107892 frames: exactly 01:00:00;00 in drop frame
  auto text = TimelineToEdl(tl, ExampleSources(), options);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  Edl edl = ParseEdl(*text);
  EXPECT_EQ(edl.fcm, "DROP FRAME");
  ASSERT_EQ(edl.events.size(), 1u);
  EXPECT_EQ(edl.events[0].rec_in, "01:00:00;00");
  EXPECT_EQ(TimecodeFrames(edl.events[0].rec_out, 30) - 107892, 20979);
  // 60 s = 1798.2 frames -> 1798, labelled 00:00:59;28 (no labels are dropped in minute 0).
  EXPECT_EQ(edl.events[0].src_in, "00:00:59;28");
  EXPECT_EQ(TimecodeFrames(edl.events[0].src_out, 30), 1798 + 20979);
}

TEST(EdlTest, RelativeSourcePathsResolveAgainstBaseDir) {
  timeline::Timeline tl = ExampleTimeline();
  tl.sources[0].path = "../media/talk.mp4";
  ExportOptions options;
  options.base_dir = "/jobs/7/clips";
  auto text = TimelineToEdl(tl, ExampleSources(), options);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  Edl edl = ParseEdl(*text);
  ASSERT_EQ(edl.events.size(), 3u);
  ASSERT_EQ(edl.events[0].comments.size(), 2u);
  EXPECT_EQ(edl.events[0].comments[1], "SOURCE FILE: /jobs/7/media/talk.mp4");
  EXPECT_EQ(edl.title, "cutroom clip");
}

TEST(EdlTest, ReelNamesAreShortUniqueAndPlain) {
  std::vector<std::string> reels =
      ReelNames({"talk", "Talk", "interview_long_name", "interview_long_name2", "日本", ""});
  ASSERT_EQ(reels.size(), 6u);
  EXPECT_EQ(reels[0], "TALK");
  EXPECT_EQ(reels[1], "TALK2");
  EXPECT_EQ(reels[2], "INTERVIE");
  EXPECT_EQ(reels[3], "INTERVI2");
  EXPECT_EQ(reels[4], "SRC");
  EXPECT_EQ(reels[5], "SRC2");
  std::set<std::string> unique(reels.begin(), reels.end());
  EXPECT_EQ(unique.size(), reels.size());
  for (const std::string& r : reels) EXPECT_LE(r.size(), 8u);
}

// ---------------------------------------------------------------------------------------------
// OTIO

TEST(OtioTest, LoadsAsJsonWithTheSameCutsAndCropMetadata) {
  auto text = TimelineToOtio(ExampleTimeline(), ExampleSources(), ExportOptions{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  nlohmann::json otio = nlohmann::json::parse(*text);  // throws (fails the test) if not JSON
  EXPECT_EQ(otio["OTIO_SCHEMA"], "Timeline.1");
  const auto& stack = otio["tracks"];
  EXPECT_EQ(stack["OTIO_SCHEMA"], "Stack.1");
  ASSERT_EQ(stack["children"].size(), 2u);
  const auto& video = stack["children"][0];
  const auto& audio = stack["children"][1];
  EXPECT_EQ(video["OTIO_SCHEMA"], "Track.1");
  EXPECT_EQ(video["kind"], "Video");
  EXPECT_EQ(audio["kind"], "Audio");
  ASSERT_EQ(video["children"].size(), 3u);
  ASSERT_EQ(audio["children"].size(), 3u);
  double record = 0;
  for (int i = 0; i < 3; ++i) {
    const auto& clip = video["children"][i];
    EXPECT_EQ(clip["OTIO_SCHEMA"], "Clip.1");
    const auto& range = clip["source_range"];
    EXPECT_EQ(range["start_time"]["rate"], 30.0);
    EXPECT_EQ(range["start_time"]["value"], static_cast<double>(kSourceIn30[i]));
    EXPECT_EQ(range["duration"]["value"], static_cast<double>(kBounds[i + 1] - kBounds[i]));
    EXPECT_EQ(record, static_cast<double>(kBounds[i]));  // track items play back to back
    record += range["duration"]["value"].get<double>();
    EXPECT_EQ(clip["media_reference"]["OTIO_SCHEMA"], "ExternalReference.1");
  }
  EXPECT_EQ(record, 419.0);
  EXPECT_EQ(video["children"][0]["media_reference"]["target_url"], "file:///media/talk.mp4");
  // available_range: the whole source in its own rate (talk 900 s at 30, broll 800 s at 25).
  const auto& talk_range = video["children"][0]["media_reference"]["available_range"];
  EXPECT_EQ(talk_range["duration"]["value"], 27000.0);
  EXPECT_EQ(talk_range["duration"]["rate"], 30.0);
  EXPECT_EQ(video["children"][1]["media_reference"]["available_range"]["duration"]["value"],
            20000.0);
  // The muted segment leaves a gap of the same length in the audio track.
  EXPECT_EQ(audio["children"][0]["OTIO_SCHEMA"], "Clip.1");
  EXPECT_EQ(audio["children"][1]["OTIO_SCHEMA"], "Gap.1");
  EXPECT_EQ(audio["children"][1]["source_range"]["duration"]["value"], 105.0);
  // Crop keyframes, exactly as in the Timeline.
  const auto& meta = video["children"][0]["metadata"]["cutroom"];
  EXPECT_EQ(meta["layout"], "fill");
  EXPECT_EQ(meta["interpolation"], "smooth");
  ASSERT_EQ(meta["crop"].size(), 2u);
  EXPECT_EQ(meta["crop"][1]["t"], "2.5");
  EXPECT_EQ(meta["crop"][1]["cx"], 0.68);
  EXPECT_EQ(meta["crop"][1]["cy"], 0.4);
  EXPECT_EQ(meta["crop"][1]["zoom"], 1.4);
  EXPECT_EQ(video["children"][1]["metadata"]["cutroom"]["layout"], "fit_blur");
  // Caption groups in the timeline metadata, on the frame grid.
  const auto& cues = otio["metadata"]["cutroom"]["captions"]["cues"];
  ASSERT_EQ(cues.size(), 3u);
  EXPECT_EQ(cues[2]["text"], "Spend it wisely.");
  EXPECT_EQ(cues[2]["range"]["start_time"]["value"], 228.0);
}

TEST(OtioTest, NoAudioOutputMeansNoAudioTrack) {
  timeline::Timeline tl = ExampleTimeline();
  tl.output.audio.reset();
  auto text = TimelineToOtio(tl, ExampleSources(), ExportOptions{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  nlohmann::json otio = nlohmann::json::parse(*text);
  ASSERT_EQ(otio["tracks"]["children"].size(), 1u);
  EXPECT_EQ(otio["tracks"]["children"][0]["kind"], "Video");
}

// ---------------------------------------------------------------------------------------------
// Bad input: every writer refuses with an error that names the problem.

using Writer = Result<std::string> (*)(const timeline::Timeline&,
                                       const std::map<std::string, MediaInfo>&,
                                       const ExportOptions&);

TEST(NleExportErrorsTest, BadTimelinesGiveClearErrors) {
  const Writer writers[] = {&TimelineToFcpxml, &TimelineToEdl, &TimelineToOtio};
  for (Writer write : writers) {
    timeline::Timeline empty = ExampleTimeline();
    empty.segments.clear();
    empty.captions.reset();
    auto r = write(empty, ExampleSources(), ExportOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("segments"), std::string::npos) << r.status().message();

    timeline::Timeline unknown = ExampleTimeline();
    unknown.segments[1].source = "tlak";
    r = write(unknown, ExampleSources(), ExportOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("unknown source 'tlak'"), std::string::npos)
        << r.status().message();

    auto sources = ExampleSources();
    sources.erase("broll");
    r = write(ExampleTimeline(), sources, ExportOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("'broll' was not probed"), std::string::npos)
        << r.status().message();

    timeline::Timeline past_end = ExampleTimeline();
    past_end.segments[2].out = Sec("901");
    r = write(past_end, ExampleSources(), ExportOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("segments[2].out"), std::string::npos)
        << r.status().message();
  }
}

}  // namespace
}  // namespace cutroom::export_
