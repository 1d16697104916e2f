#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "media/audio_reader.h"
#include "media/frames.h"
#include "media/media_writer.h"
#include "media/probe.h"
#include "media/video_reader.h"
#include "test_support.h"

namespace cutroom::media {
namespace {

using cutroom::testing::Ffmpeg;
using cutroom::testing::TempDir;

// Frame n of the counting fixture: the left half's luma encodes n % 20, the right half's n / 20,
// in steps of 10 levels so that compression cannot blur one value into the next.
uint8_t LeftLuma(int n) { return static_cast<uint8_t>(20 + (n % 20) * 10); }
uint8_t RightLuma(int n) { return static_cast<uint8_t>(20 + (n / 20) * 10); }

// Writes `frames` flat frames at 30 fps whose luma encodes their index, with our own writer.
void WriteCountingVideo(const std::string& path, int frames) {
  VideoEncodeSettings v;
  v.width = 64;
  v.height = 48;
  v.fps = {30, 1};
  v.preset = "ultrafast";
  v.crf = 10;
  auto writer = MediaWriter::Create(path, v, std::nullopt);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  for (int n = 0; n < frames; ++n) {
    VideoFrame f = AllocateVideoFrame(PixelFormat::kYuv420p, 64, 48);
    FillYuv(f, LeftLuma(n), 128, 128);
    for (int y = 0; y < 48; ++y) {
      for (int x = 32; x < 64; ++x) f.data[0][y * f.linesize[0] + x] = RightLuma(n);
    }
    ASSERT_TRUE((*writer)->WriteVideo(f).ok());
  }
  ASSERT_TRUE((*writer)->Finish().ok());
}

int FrameIndexOf(const VideoFrame& f) {
  int left = f.data[0][f.linesize[0] * (f.height / 2) + 8];
  int right = f.data[0][f.linesize[0] * (f.height / 2) + 56];
  int low = (left - 20 + 5) / 10, high = (right - 20 + 5) / 10;
  return high * 20 + low;
}

TEST(ProbeTest, ReportsStreamsOfAGeneratedFile) {
  TempDir dir;
  std::string path = dir.File("in.mp4");
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440:r=44100 "
             "-t 2 -c:v libx264 -pix_fmt yuv420p -c:a aac -ac 1 '" +
             path + "'"));
  auto info = ProbeFile(path);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->container.find("mp4") != std::string::npos, true);
  EXPECT_NEAR(info->duration.ToSeconds(), 2.0, 0.05);
  ASSERT_NE(info->video(), nullptr);
  EXPECT_EQ(info->video()->codec, "h264");
  EXPECT_EQ(info->video()->width, 320);
  EXPECT_EQ(info->video()->height, 240);
  EXPECT_EQ(info->video()->fps, (Rational{25, 1}));
  EXPECT_FALSE(info->video()->variable_frame_rate);
  EXPECT_EQ(info->video()->bit_depth, 8);
  ASSERT_NE(info->audio(), nullptr);
  EXPECT_EQ(info->audio()->sample_rate, 44100);
  EXPECT_EQ(info->audio()->channels, 1);
  std::string json = MediaInfoToJson(*info);
  EXPECT_NE(json.find("\"duration_s\":2"), std::string::npos) << json;
  EXPECT_NE(json.find("\"type\":\"audio\""), std::string::npos);
}

TEST(ProbeTest, DetectsVariableFrameRate) {
  TempDir dir;
  std::string path = dir.File("vfr.mp4");
  // Every frame for the first second, then every third frame: a phone-style VFR file.
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i testsrc2=size=160x120:rate=30 -t 4 "
             "-vf \"select='lt(n\\,30)+not(mod(n\\,3))'\" -fps_mode vfr -c:v libx264 '" +
             path + "'"));
  auto info = ProbeFile(path);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->video()->variable_frame_rate);
}

TEST(ProbeTest, BadInputsNameTheProblem) {
  TempDir dir;
  auto missing = ProbeFile(dir.File("nope.mp4"));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no such file"), std::string::npos);
  auto directory = ProbeFile(dir.path());
  EXPECT_NE(directory.status().message().find("is a directory"), std::string::npos);
  cutroom::testing::WriteFile(dir.File("empty.mp4"), "");
  EXPECT_NE(ProbeFile(dir.File("empty.mp4")).status().message().find("empty"), std::string::npos);
  cutroom::testing::WriteFile(dir.File("text.mp4"), "hello, this is a text file, not a video\n");
  auto text = ProbeFile(dir.File("text.mp4"));
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("not a media file"), std::string::npos)
      << text.status().message();
}

TEST(ProbeTest, RotationComesOutUpright) {
  TempDir dir;
  std::string coded = dir.File("coded.mp4");
  std::string path = dir.File("rot.mp4");
  // Coded 160x96 with a white block in the top-left corner, tagged as a phone does for portrait
  // video ("rotate 90"; FFmpeg 5.1 writes the display matrix only when stream-copying).
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i color=black:size=160x96:rate=10 -t 1 "
             "-vf drawbox=x=0:y=0:w=32:h=32:color=white:t=fill -c:v libx264 -pix_fmt yuv420p '" +
             coded + "'"));
  ASSERT_TRUE(Ffmpeg("-i '" + coded + "' -c copy -metadata:s:v:0 rotate=90 '" + path + "'"));
  auto info = ProbeFile(path);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->video()->rotation_deg == 90 || info->video()->rotation_deg == 270);
  // Ground truth: where FFmpeg's own autorotation puts the block.
  int gw = 0, gh = 0;
  std::vector<uint8_t> truth = cutroom::testing::GrayFrameAt(path, 0.0, &gw, &gh);
  ASSERT_FALSE(truth.empty());
  EXPECT_EQ(info->video()->upright_width(), 96);
  EXPECT_EQ(info->video()->upright_height(), 160);
  auto reader = VideoReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  auto frame = (*reader)->FrameAt(MediaTime(0, {1, 1}));
  ASSERT_TRUE(frame.ok()) << frame.status().ToString();
  ASSERT_EQ(frame->width, 96);
  ASSERT_EQ(frame->height, 160);
  auto luma = [&](int x, int y) { return frame->data[0][y * frame->linesize[0] + x]; };
  int agree = 0, checked = 0;
  for (int y = 4; y < 160; y += 8) {
    for (int x = 4; x < 96; x += 8) {
      ++checked;
      bool ours = luma(x, y) > 128;
      bool theirs = truth.size() == 96u * 160u ? truth[y * 96 + x] > 128 : !ours;
      agree += ours == theirs;
    }
  }
  EXPECT_EQ(agree, checked) << "our upright frame differs from ffmpeg's autorotated one";
}

TEST(VideoReaderTest, FrameAtIsFrameAccurateForwardAndBackward) {
  TempDir dir;
  std::string path = dir.File("count.mp4");
  WriteCountingVideo(path, 300);  // 10 s, keyframes every 250 frames (x264 default)
  auto reader = VideoReader::Open(path, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  for (int n : {0, 1, 2, 45, 46, 260, 299, 120, 3, 280}) {
    // Ask for a time inside frame n (a third of the way in).
    MediaTime t(n * 3 + 1, {1, 90});
    auto f = (*reader)->FrameAt(t);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    EXPECT_EQ(FrameIndexOf(*f), n) << "at frame " << n;
    EXPECT_EQ(f->pts, MediaTime(n, {1, 30})) << "at frame " << n;
  }
}

TEST(VideoReaderTest, NoVideoStreamIsAClearError) {
  TempDir dir;
  std::string path = dir.File("a.m4a");
  ASSERT_TRUE(Ffmpeg("-f lavfi -i sine=f=440 -t 1 -c:a aac '" + path + "'"));
  auto reader = VideoReader::Open(path, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("has no video stream"), std::string::npos);
}

TEST(AudioReaderTest, SeekIsSampleExact) {
  TempDir dir;
  std::string path = dir.File("click.wav");
  // Silence with one loud click starting at exactly 1.5 s.
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i \"aevalsrc='if(between(t,1.5,1.5004),0.9,0)':s=48000\" -t 3 "
             "-c:a pcm_s16le '" +
             path + "'"));
  auto reader = AudioReader::Open(path, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_TRUE((*reader)->Seek(MediaTime(1, {1, 1})).ok());
  auto buf = (*reader)->Read(48000);
  ASSERT_TRUE(buf.ok());
  ASSERT_EQ(buf->frames(), 48000);
  EXPECT_EQ(buf->pts, MediaTime(1, {1, 1}));
  int64_t first = -1;
  for (int64_t i = 0; i < buf->frames(); ++i) {
    if (std::fabs(buf->channels[0][i]) > 0.3f) {
      first = i;
      break;
    }
  }
  EXPECT_NEAR(static_cast<double>(first), 24000.0, 3.0);  // 0.5 s after the seek point
  EXPECT_EQ(buf->channel_count(), 2);
}

TEST(AudioReaderTest, ReadsToTheEndThenReturnsNothing) {
  TempDir dir;
  std::string path = dir.File("tone.m4a");
  ASSERT_TRUE(Ffmpeg("-f lavfi -i sine=f=300:r=44100 -t 2 -c:a aac '" + path + "'"));
  auto reader = AudioReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->Seek(MediaTime()).ok());
  int64_t total = 0;
  for (;;) {
    auto buf = (*reader)->Read(4096);
    ASSERT_TRUE(buf.ok());
    if (buf->frames() == 0) break;
    total += buf->frames();
  }
  EXPECT_NEAR(static_cast<double>(total) / 48000.0, 2.0, 0.05);
}

TEST(MediaWriterTest, FailedWriteLeavesNoFile) {
  TempDir dir;
  std::string path = dir.File("out.mp4");
  {
    VideoEncodeSettings v;
    v.width = 64;
    v.height = 48;
    auto writer = MediaWriter::Create(path, v, AudioEncodeSettings{});
    ASSERT_TRUE(writer.ok());
    VideoFrame f = AllocateVideoFrame(PixelFormat::kYuv420p, 64, 48);
    ASSERT_TRUE((*writer)->WriteVideo(f).ok());
    // Destroyed without Finish(): as if rendering failed half-way.
  }
  EXPECT_FALSE(cutroom::testing::FileExists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  VideoEncodeSettings odd;
  odd.width = 65;
  odd.height = 48;
  EXPECT_FALSE(MediaWriter::Create(path, odd, std::nullopt).ok());
  EXPECT_FALSE(
      MediaWriter::Create(dir.File("missing/out.mp4"), VideoEncodeSettings{64, 48}, std::nullopt)
          .ok());
}

}  // namespace
}  // namespace cutroom::media
