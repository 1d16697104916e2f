// Thumbnails on generated media: a clip whose first second is blurred must get a thumbnail from
// the sharp part; the JPEG decodes, has the requested size and shows the crop the clip shows.
#include "export/thumbnail.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "media/frames.h"
#include "media/image_writer.h"
#include "test_support.h"

namespace cutroom {
// Readable failure messages for times.
void PrintTo(const MediaTime& t, std::ostream* os) { *os << t.ToString() << " s"; }
}  // namespace cutroom

namespace cutroom::export_ {
namespace {

using cutroom::testing::Ffmpeg;
using cutroom::testing::FileExists;
using cutroom::testing::TempDir;

MediaTime Sec(const char* text) { return MediaTime::Parse(text).value(); }

timeline::Timeline VerticalClip(const std::string& source_path, const char* in, const char* out) {
  timeline::Timeline tl;
  tl.output.width = 360;
  tl.output.height = 640;
  tl.output.fps = Rational{30, 1};
  tl.output.audio.reset();
  tl.sources = {{"src", source_path}};
  timeline::Segment segment;
  segment.source = "src";
  segment.in = Sec(in);
  segment.out = Sec(out);
  tl.segments = {segment};
  return tl;
}

// Source seconds [1, 2) are blurred, the rest sharp. The clip starts at source second 1, so its
// first output second is the blurred one: a chooser that ignored the segment's `in` would take
// output second 1-2 (source 1-2, blurred) for sharp.
class BlurredStartTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_TRUE(
        Ffmpeg("-f lavfi -i testsrc2=size=640x360:rate=30:duration=5 "
               "-vf \"gblur=sigma=12:enable='gte(t,1)*lt(t,2)'\" -c:v libx264 "
               "-preset ultrafast -crf 16 -pix_fmt yuv420p '" +
               Path() + "'"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Path() { return dir_->File("blurred_start.mp4"); }
  static TempDir* dir_;
};
TempDir* BlurredStartTest::dir_ = nullptr;

TEST_F(BlurredStartTest, ChoosesAFrameFromTheSharpPart) {
  timeline::Timeline tl = VerticalClip(Path(), "1", "5");
  auto choice = ChooseThumbnailTime(tl);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  ASSERT_EQ(choice->candidates.size(), 12u);  // 3 s at 4 per second
  EXPECT_GE(choice->time, Sec("1.05")) << choice->time.ToString();
  EXPECT_LT(choice->time, Sec("3"));
  // The measure separates the parts: every blurred candidate is far below every sharp one.
  double blurred_max = 0, sharp_min = 1e30;
  for (const ThumbnailCandidate& c : choice->candidates) {
    // Candidate times are output frames.
    EXPECT_EQ(c.time, MediaTime(c.time.Rescale({1, 30}, Rounding::kNearest), {1, 30}));
    if (c.time < Sec("0.95")) blurred_max = std::max(blurred_max, c.sharpness);
    if (c.time > Sec("1.05")) sharp_min = std::min(sharp_min, c.sharpness);
  }
  EXPECT_LT(blurred_max * 2, sharp_min) << blurred_max << " vs " << sharp_min;
}

TEST_F(BlurredStartTest, PrefersSharpFramesWithAFace) {
  timeline::Timeline tl = VerticalClip(Path(), "1", "5");
  ThumbnailOptions options;
  options.face_score = [](MediaTime t) { return t >= Sec("2") && t < Sec("2.5") ? 1.0 : 0.0; };
  auto choice = ChooseThumbnailTime(tl, options);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_GE(choice->time, Sec("2"));
  EXPECT_LT(choice->time, Sec("2.5"));
  EXPECT_EQ(choice->face_score, 1.0);

  // A face only in blurred frames does not make a blurred thumbnail.
  options.face_score = [](MediaTime t) { return t < Sec("1") ? 1.0 : 0.0; };
  choice = ChooseThumbnailTime(tl, options);
  ASSERT_TRUE(choice.ok()) << choice.status().ToString();
  EXPECT_GE(choice->time, Sec("1.05"));
}

// Left half white, right half black: a crop on the left gives a white thumbnail, on the right a
// black one. Full-range JPEG: white decodes near 255 and black near 0 (limited range would give
// 235 and 16).
class HalfWhiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_TRUE(
        Ffmpeg("-f lavfi -i color=white:size=640x360:rate=30:duration=2 "
               "-vf \"drawbox=x=320:y=0:w=320:h=360:color=black:t=fill\" -c:v libx264 "
               "-preset ultrafast -crf 10 -pix_fmt yuv420p '" +
               Path() + "'"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Path() { return dir_->File("half_white.mp4"); }
  static TempDir* dir_;
};
TempDir* HalfWhiteTest::dir_ = nullptr;

// Decodes the JPEG with the ffmpeg CLI (not our code) to 8-bit grey; -1 when it does not decode.
// (GrayFrameAt seeks with -ss, which makes the image demuxer skip some single-image files.)
double MeanLuma(const std::string& jpeg, int* width, int* height) {
  auto size = cutroom::testing::Run(
      "ffprobe -v error -show_entries stream=width,height "
      "-of csv=p=0:s=x '" +
      jpeg + "'");
  if (size.exit_code != 0 || std::sscanf(size.output.c_str(), "%dx%d", width, height) != 2) {
    return -1;
  }
  auto gray = cutroom::testing::Run("ffmpeg -nostdin -v error -i '" + jpeg +
                                    "' -frames:v 1 -f rawvideo -pix_fmt gray - 2>/dev/null");
  if (gray.exit_code != 0 ||
      gray.output.size() != static_cast<size_t>(*width) * static_cast<size_t>(*height)) {
    return -1;
  }
  double sum = 0;
  for (unsigned char c : gray.output) sum += c;
  return sum / static_cast<double>(gray.output.size());
}

TEST_F(HalfWhiteTest, JpegHasTheRequestedSizeAndShowsTheCrop) {
  TempDir out;
  for (double cx : {0.1, 0.9}) {
    timeline::Timeline tl = VerticalClip(Path(), "0", "2");
    tl.segments[0].crop = {{Sec("0"), cx, 0.5, 1.0}};
    const std::string jpeg = out.File(cx < 0.5 ? "left.jpg" : "right.jpg");
    Status status = WriteThumbnail(tl, Sec("0.5"), jpeg, 180);
    ASSERT_TRUE(status.ok()) << status.ToString();
    ASSERT_TRUE(FileExists(jpeg));
    auto probe = cutroom::testing::Run(
        "ffprobe -v error -show_entries stream=codec_name,width,height "
        "-of csv=p=0 '" +
        jpeg + "'");
    ASSERT_EQ(probe.exit_code, 0) << probe.output;
    EXPECT_EQ(probe.output, "mjpeg,180,320\n");
    int w = 0, h = 0;
    double mean = MeanLuma(jpeg, &w, &h);
    EXPECT_EQ(w, 180);
    EXPECT_EQ(h, 320);
    if (cx < 0.5) {
      EXPECT_GT(mean, 245.0);
    } else {
      EXPECT_GE(mean, 0.0);
      EXPECT_LT(mean, 8.0);
    }
  }
}

TEST_F(HalfWhiteTest, NarrowOutputsAreNotUpscaled) {
  TempDir out;
  timeline::Timeline tl = VerticalClip(Path(), "0", "2");
  Status status = WriteThumbnail(tl, Sec("1"), out.File("t.jpg"), 4000);
  ASSERT_TRUE(status.ok()) << status.ToString();
  int w = 0, h = 0;
  EXPECT_GE(MeanLuma(out.File("t.jpg"), &w, &h), 0.0);
  EXPECT_EQ(w, 360);
  EXPECT_EQ(h, 640);
}

TEST_F(HalfWhiteTest, BadRequestsGiveClearErrors) {
  TempDir out;
  timeline::Timeline tl = VerticalClip(Path(), "0", "2");
  Status past = WriteThumbnail(tl, Sec("2"), out.File("a.jpg"), 180);
  EXPECT_EQ(past.code(), StatusCode::kOutOfRange) << past.ToString();
  EXPECT_FALSE(FileExists(out.File("a.jpg")));

  Status narrow = WriteThumbnail(tl, Sec("0"), out.File("b.jpg"), 0);
  EXPECT_EQ(narrow.code(), StatusCode::kInvalidArgument) << narrow.ToString();

  Status folder = WriteThumbnail(tl, Sec("0"), out.File("missing/c.jpg"), 180);
  EXPECT_FALSE(folder.ok());
  EXPECT_NE(folder.message().find("missing/c.jpg"), std::string::npos) << folder.ToString();

  timeline::Timeline empty = tl;
  empty.segments.clear();
  auto choice = ChooseThumbnailTime(empty);
  ASSERT_FALSE(choice.ok());
  EXPECT_EQ(choice.status().code(), StatusCode::kInvalidArgument);

  timeline::Timeline unknown = tl;
  unknown.segments[0].source = "nope";
  Status s = WriteThumbnail(unknown, Sec("0"), out.File("d.jpg"), 180);
  EXPECT_NE(s.message().find("unknown source 'nope'"), std::string::npos) << s.ToString();

  timeline::Timeline missing = tl;
  missing.sources[0].path = out.File("no-such-video.mp4");
  s = WriteThumbnail(missing, Sec("0"), out.File("e.jpg"), 180);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no-such-video.mp4"), std::string::npos) << s.ToString();
}

TEST(ImageWriterTest, RejectsFramesThatAreNotYuv420p) {
  TempDir out;
  VideoFrame gray = media::AllocateVideoFrame(PixelFormat::kGray8, 16, 16);
  Status s = media::WriteJpeg(gray, out.File("g.jpg"), 90);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_FALSE(FileExists(out.File("g.jpg")));
  EXPECT_EQ(media::WriteJpeg(VideoFrame{}, out.File("g.jpg"), 90).code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cutroom::export_
