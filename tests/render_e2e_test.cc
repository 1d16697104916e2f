// End-to-end tests of `cutroom render`, run as a user runs it: the real binary, timelines written
// as JSON files, sources made with the ffmpeg CLI, results checked with ffprobe/ffmpeg.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace cutroom {
namespace {

using testing::Ffmpeg;

using testing::TempDir;

testing::CommandResult Render(const std::string& timeline, const std::string& out) {
  return testing::Run("'" + testing::CliPath() + "' render '" + timeline + "' -o '" + out + "'");
}

std::string Probe(const std::string& path, const std::string& entries) {
  return testing::Run("ffprobe -v error -select_streams v:0 -count_frames -show_entries " +
                      entries + " -of default=nw=1 '" + path + "'")
      .output;
}

// Every frame of `path` as `w`x`h` grey images.
std::vector<std::vector<uint8_t>> GrayFrames(const std::string& path, int w, int h) {
  std::string cmd = "ffmpeg -nostdin -v error -i '" + path + "' -vf scale=" + std::to_string(w) +
                    ":" + std::to_string(h) + " -f rawvideo -pix_fmt gray -";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::vector<std::vector<uint8_t>> frames;
  if (pipe == nullptr) return frames;
  std::vector<uint8_t> buf(static_cast<size_t>(w) * h);
  while (fread(buf.data(), 1, buf.size(), pipe) == buf.size()) frames.push_back(buf);
  pclose(pipe);
  return frames;
}

std::vector<float> MonoSamples(const std::string& path) {
  std::string cmd = "ffmpeg -nostdin -v error -i '" + path + "' -ac 1 -ar 48000 -f f32le -";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::vector<float> samples;
  if (pipe == nullptr) return samples;
  float buf[4096];
  size_t n;
  while ((n = fread(buf, sizeof(float), 4096, pipe)) > 0)
    samples.insert(samples.end(), buf, buf + n);
  pclose(pipe);
  return samples;
}

struct Loudness {
  double integrated = 0, true_peak = 0;
};
Loudness MeasureLoudness(const std::string& path) {
  auto r = testing::Run("ffmpeg -nostdin -nostats -i '" + path +
                        "' -af ebur128=peak=true -f null - 2>&1");
  Loudness l{-99, 99};
  auto summary = r.output.rfind("Summary:");
  if (summary == std::string::npos) return l;
  std::sscanf(r.output.c_str() + r.output.find("I:", summary), "I: %lf", &l.integrated);
  std::sscanf(r.output.c_str() + r.output.find("Peak:", summary), "Peak: %lf", &l.true_peak);
  return l;
}

// A minimal timeline: one source, segments as "[in,out]" pairs, output size and extras.
std::string TimelineJson(const std::string& source, int w, int h,
                         const std::vector<std::pair<std::string, std::string>>& segments,
                         const std::string& segment_extra = "", const std::string& top_extra = "") {
  std::string j = "{\"version\":1,\"output\":{\"width\":" + std::to_string(w) +
                  ",\"height\":" + std::to_string(h) +
                  ",\"fps\":\"30\"},\"sources\":[{\"id\":\"src\",\"path\":\"" + source +
                  "\"}],\"segments\":[";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) j += ",";
    j += "{\"source\":\"src\",\"in\":\"" + segments[i].first + "\",\"out\":\"" +
         segments[i].second + "\"" + segment_extra + "}";
  }
  return j + "]" + top_extra + "}";
}

TEST(RenderE2E, OutputHasRequestedSizeFpsAndDuration) {
  TempDir dir;
  std::string src = dir.File("src.mp4");
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=f=330:r=44100 -t 4 "
             "-c:v libx264 -preset ultrafast -c:a aac '" +
             src + "'"));
  testing::WriteFile(dir.File("t.json"),
                     TimelineJson(src, 360, 640, {{"0.5", "2"}, {"2.5", "3.5"}}));
  auto r = Render(dir.File("t.json"), dir.File("out.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string info = Probe(dir.File("out.mp4"), "stream=width,height,r_frame_rate,nb_read_frames");
  EXPECT_NE(info.find("width=360"), std::string::npos) << info;
  EXPECT_NE(info.find("height=640"), std::string::npos) << info;
  EXPECT_NE(info.find("r_frame_rate=30/1"), std::string::npos) << info;
  // 1.5 s + 1.0 s at 30 fps.
  EXPECT_NE(info.find("nb_read_frames=75"), std::string::npos) << info;
  auto dur = testing::Run("ffprobe -v error -show_entries format=duration -of csv=p=0 '" +
                          dir.File("out.mp4") + "'");
  EXPECT_NEAR(std::stod(dur.output), 2.5, 1.0 / 30 + 0.03);
  auto faststart = testing::Run("head -c 64 '" + dir.File("out.mp4") + "' | grep -c moov");
  EXPECT_EQ(faststart.exit_code, 0) << "moov atom should come first (faststart)";
}

TEST(RenderE2E, FlashAndBeepStayInSyncAcrossACut) {
  TempDir dir;
  std::string src = dir.File("sync.mp4");
  // A white flash and a beep, both at exactly 2.0 s for 0.1 s, on black and silence.
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i "
             "\"color=black:size=320x240:rate=30,format=yuv420p,geq=lum='if(between(T,2,2.0999),"
             "235,16)':cb=128:cr=128\" "
             "-f lavfi -i \"aevalsrc='if(between(t,2,2.1),0.5*sin(2*PI*1000*t),0)':s=48000\" -t 4 "
             "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac '" +
             src + "'"));
  // Cut 0.2-0.6 and 1.0-3.5: the flash lands at 0.4 + 1.0 = 1.4 s of the output.
  testing::WriteFile(dir.File("t.json"),
                     TimelineJson(src, 320, 240, {{"0.2", "0.6"}, {"1", "3.5"}}));
  auto r = Render(dir.File("t.json"), dir.File("out.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto frames = GrayFrames(dir.File("out.mp4"), 16, 16);
  int flash = -1;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (frames[i][8 * 16 + 8] > 128) {
      flash = static_cast<int>(i);
      break;
    }
  }
  auto samples = MonoSamples(dir.File("out.mp4"));
  int64_t beep = -1;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (std::fabs(samples[i]) > 0.05) {
      beep = static_cast<int64_t>(i);
      break;
    }
  }
  ASSERT_GE(flash, 0);
  ASSERT_GE(beep, 0);
  double flash_s = flash / 30.0, beep_s = beep / 48000.0;
  EXPECT_NEAR(flash_s, 1.4, 1.0 / 30 + 1e-6);
  EXPECT_NEAR(beep_s, flash_s, 1.0 / 30) << "audio/video offset over one frame";
}

// Bright-pixel centroid of a grey frame.
std::pair<double, double> Centroid(const std::vector<uint8_t>& f, int w, int h) {
  double sx = 0, sy = 0, n = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (f[y * w + x] > 128) {
        sx += x;
        sy += y;
        n += 1;
      }
    }
  }
  return {n > 0 ? sx / n : -1, n > 0 ? sy / n : -1};
}

TEST(RenderE2E, CropMarkerLandsAtTheExpectedPosition) {
  TempDir dir;
  std::string src = dir.File("marker.mp4");
  // A 20x20 white marker centred at (910, 310) of a 1280x720 black frame.
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i color=black:size=1280x720:rate=30 -t 3 "
             "-vf drawbox=x=900:y=300:w=20:h=20:color=white:t=fill -c:v libx264 -preset ultrafast "
             "-pix_fmt yuv420p '" +
             src + "'"));
  // Steady crop centred at x = 896 (cx 0.7): a 405x720 window from x = 693.5.
  std::string steady = ",\"crop\":[{\"t\":\"0\",\"cx\":0.7,\"cy\":0.5,\"zoom\":1}]";
  testing::WriteFile(dir.File("steady.json"), TimelineJson(src, 360, 640, {{"0", "2"}}, steady,
                                                           ",\"output_audio_unused\":0"));
  // (the stray field above must be rejected: unknown fields are errors)
  auto bad = Render(dir.File("steady.json"), dir.File("bad.mp4"));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("output_audio_unused"), std::string::npos) << bad.output;

  std::string no_audio =
      ",\"audio\":{\"fade_ms\":20,\"loudness_target_lufs\":null,\"true_peak_dbtp\":-1}";
  std::string j = TimelineJson(src, 360, 640, {{"0", "2"}}, steady + ",\"mute\":true");
  testing::WriteFile(dir.File("steady.json"), j);
  auto r = Render(dir.File("steady.json"), dir.File("steady.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto frames = GrayFrames(dir.File("steady.mp4"), 360, 640);
  ASSERT_GT(frames.size(), 30u);
  auto [x, y] = Centroid(frames[15], 360, 640);
  EXPECT_NEAR(x, (910 - 693.5) * 360 / 405.0, 3.0);
  EXPECT_NEAR(y, 310 * 640 / 720.0, 3.0);
  // Steady means steady: the marker does not move between frames.
  for (size_t i = 1; i < frames.size(); ++i) {
    auto c = Centroid(frames[i], 360, 640);
    EXPECT_NEAR(c.first, x, 0.01) << "frame " << i;
  }

  // A linear pan from cx 0.6 to 0.8 over 2 s: at 1 s the window is centred at 0.7 again.
  std::string pan =
      ",\"interpolation\":\"linear\",\"mute\":true,\"crop\":[{\"t\":\"0\",\"cx\":0.6,\"cy\":0.5,"
      "\"zoom\":1},"
      "{\"t\":\"2\",\"cx\":0.8,\"cy\":0.5,\"zoom\":1}]";
  testing::WriteFile(dir.File("pan.json"), TimelineJson(src, 360, 640, {{"0", "2"}}, pan));
  r = Render(dir.File("pan.json"), dir.File("pan.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  frames = GrayFrames(dir.File("pan.mp4"), 360, 640);
  ASSERT_GT(frames.size(), 31u);
  auto mid = Centroid(frames[30], 360, 640);
  EXPECT_NEAR(mid.first, (910 - 693.5) * 360 / 405.0, 3.0);
  // The pan is smooth: the marker moves by the same sub-pixel step every frame.
  double step = (0.2 * 1280 / 60.0) * 360 / 405.0;  // output px per frame
  for (int i = 10; i < 50; ++i) {
    double d = Centroid(frames[i], 360, 640).first - Centroid(frames[i + 1], 360, 640).first;
    EXPECT_NEAR(d, step, 0.6) << "frame " << i;
  }
  (void)no_audio;
}

TEST(RenderE2E, CaptionsAppearWhileTheWordIsActiveAndNotBefore) {
  TempDir dir;
  std::string src = dir.File("grey.mp4");
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i color=0x404040:size=640x360:rate=30 -f lavfi -i anullsrc=r=48000 -t 3 "
             "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac '" +
             src + "'"));
  std::string captions =
      ",\"captions\":{\"style\":\"highlight_word\",\"words\":[{\"text\":\"HELLO\",\"start\":\"1\","
      "\"end\":\"1.6\"},"
      "{\"text\":\"world.\",\"start\":\"1.6\",\"end\":\"2.2\"}]}";
  testing::WriteFile(dir.File("t.json"), TimelineJson(src, 360, 640, {{"0", "3"}}, "", captions));
  auto r = Render(dir.File("t.json"), dir.File("out.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto frames = GrayFrames(dir.File("out.mp4"), 360, 640);
  ASSERT_EQ(frames.size(), 90u);
  auto bright = [&](int frame) {
    int n = 0;
    for (uint8_t v : frames[frame]) n += v > 160;
    return n;
  };
  EXPECT_EQ(bright(0), 0);
  EXPECT_EQ(bright(29), 0) << "caption shown before its word starts (frame 29 = 0.967 s)";
  EXPECT_GT(bright(30), 200) << "caption missing when its word starts (frame 30 = 1.0 s)";
  EXPECT_GT(bright(60), 200);
  EXPECT_EQ(bright(75), 0) << "caption still shown after the last word ended";
  // The caption sits in the lower part of the frame, inside the platform-safe zone.
  auto [cx, cy] = Centroid(frames[40], 360, 640);
  EXPECT_GT(cy, 640 * 0.5);
  EXPECT_LT(cy, 640 * 0.85);
  EXPECT_NEAR(cx, 180, 60);
}

TEST(RenderE2E, LoudnessIsNormalisedAndTruePeakLimited) {
  TempDir dir;
  std::string src = dir.File("loud.mp4");
  // Quiet pink noise with a few loud bursts: normalising to -14 LUFS needs the limiter.
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i color=black:size=320x240:rate=30 "
             "-f lavfi -i \"anoisesrc=color=pink:amplitude=0.03:seed=7:r=48000\" "
             "-f lavfi -i \"aevalsrc='if(lt(mod(t,2),0.05),0.9*sin(2*PI*440*t),0)':s=48000\" "
             "-filter_complex \"[1][2]amix=inputs=2:normalize=0[a]\" -map 0:v -map \"[a]\" -t 8 "
             "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 192k '" +
             src + "'"));
  for (double target : {-14.0, -23.0}) {
    std::string audio =
        ",\"audio\":{\"fade_ms\":20,\"loudness_target_lufs\":" + std::to_string(target) +
        ",\"true_peak_dbtp\":-1}";
    testing::WriteFile(dir.File("t.json"), TimelineJson(src, 320, 240, {{"0", "8"}}, "", audio));
    auto r = Render(dir.File("t.json"), dir.File("out.mp4"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    Loudness l = MeasureLoudness(dir.File("out.mp4"));
    EXPECT_NEAR(l.integrated, target, 1.0) << "target " << target;
    EXPECT_LE(l.true_peak, -1.0) << "target " << target;
  }
}

TEST(RenderE2E, RotatedPhoneVideoComesOutUpright) {
  TempDir dir;
  std::string coded = dir.File("coded.mp4"), src = dir.File("phone.mp4");
  // Landscape-coded 640x360 with a marker at the top-left, tagged to display rotated (portrait).
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i color=black:size=640x360:rate=30 -t 1 "
             "-vf drawbox=x=0:y=0:w=60:h=60:color=white:t=fill -c:v libx264 -preset ultrafast "
             "-pix_fmt yuv420p '" +
             coded + "'"));
  ASSERT_TRUE(Ffmpeg("-i '" + coded + "' -c copy -metadata:s:v:0 rotate=90 '" + src + "'"));
  testing::WriteFile(dir.File("t.json"),
                     TimelineJson(src, 360, 640, {{"0", "1"}}, ",\"mute\":true"));
  auto r = Render(dir.File("t.json"), dir.File("out.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto ours = GrayFrames(dir.File("out.mp4"), 36, 64);
  // FFmpeg's own autorotation of the source is the reference picture.
  auto theirs = GrayFrames(src, 36, 64);
  ASSERT_FALSE(ours.empty());
  ASSERT_FALSE(theirs.empty());
  auto a = Centroid(ours[5], 36, 64), b = Centroid(theirs[5], 36, 64);
  EXPECT_NEAR(a.first, b.first, 2.0);
  EXPECT_NEAR(a.second, b.second, 2.0);
}

TEST(RenderE2E, FitBlurShowsTheWholeSourceOverABlurredFill) {
  TempDir dir;
  std::string src = dir.File("wide.mp4");
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i color=0x808080:size=640x360:rate=30 -t 1 "
             "-vf drawbox=x=0:y=0:w=640:h=360:color=white:t=8 -c:v libx264 -preset ultrafast "
             "-pix_fmt yuv420p '" +
             src + "'"));
  testing::WriteFile(dir.File("t.json"), TimelineJson(src, 360, 640, {{"0", "1"}},
                                                      ",\"layout\":\"fit_blur\",\"mute\":true"));
  auto r = Render(dir.File("t.json"), dir.File("out.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto frames = GrayFrames(dir.File("out.mp4"), 360, 640);
  ASSERT_FALSE(frames.empty());
  const auto& f = frames[10];
  // The fitted source spans the full width, 202.5 px tall, centred: its white border shows at
  // both side edges at mid height, and the band above it is the dimmed, blurred fill.
  EXPECT_GT(f[320 * 360 + 1], 180);
  EXPECT_GT(f[320 * 360 + 358], 180);
  int fill = f[100 * 360 + 180];
  EXPECT_GT(fill, 20);
  EXPECT_LT(fill, 128) << "background should be a dimmed copy";
}

TEST(RenderE2E, AFramingChangeIsNotAnAudioCut) {
  TempDir dir;
  std::string src = dir.File("tone.mp4");
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i color=gray:size=320x240:rate=30 -f lavfi -i sine=f=440:r=48000 -t 4 "
             "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a pcm_s16le -f mov '" +
             src + "'"));
  // 0-1 then 1-2 (the same audio continues: a new framing) then 3-4 (a real cut).
  std::string audio =
      ",\"audio\":{\"fade_ms\":20,\"loudness_target_lufs\":null,\"true_peak_dbtp\":-1}";
  testing::WriteFile(dir.File("t.json"),
                     TimelineJson(src, 320, 240, {{"0", "1"}, {"1", "2"}, {"3", "4"}}, "", audio));
  auto r = Render(dir.File("t.json"), dir.File("out.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto samples = MonoSamples(dir.File("out.mp4"));
  ASSERT_GT(samples.size(), 48000u * 3 - 2000);
  auto peak_around = [&](double t_s) {
    float peak = 0;
    for (int i = -48; i < 48; ++i) {  // +-1 ms
      peak = std::max(peak, std::fabs(samples[static_cast<size_t>(t_s * 48000) + i]));
    }
    return peak;
  };
  float steady = peak_around(0.5);
  ASSERT_GT(steady, 0.08f);  // lavfi sine: amplitude 1/8
  EXPECT_GT(peak_around(1.0), 0.8f * steady) << "audio dipped at a framing change";
  EXPECT_LT(peak_around(2.0), 0.3f * steady) << "no fade at a real cut";
}

TEST(RenderE2E, SplitStacksTwoSubjects) {
  TempDir dir;
  std::string src = dir.File("two.mp4");
  // Two people side by side: a bright marker on the left third, a grey one on the right third.
  ASSERT_TRUE(
      Ffmpeg("-f lavfi -i color=black:size=1280x720:rate=30 -t 1 "
             "-vf \"drawbox=x=300:y=340:w=40:h=40:color=white:t=fill,"
             "drawbox=x=940:y=340:w=40:h=40:color=0x909090:t=fill\" -c:v libx264 "
             "-preset ultrafast -pix_fmt yuv420p '" +
             src + "'"));
  std::string split =
      ",\"layout\":\"split\",\"mute\":true,"
      "\"crop\":[{\"t\":\"0\",\"cx\":0.25,\"cy\":0.5,\"zoom\":2}],"
      "\"crop_secondary\":[{\"t\":\"0\",\"cx\":0.75,\"cy\":0.5,\"zoom\":2}]";
  testing::WriteFile(dir.File("t.json"), TimelineJson(src, 360, 640, {{"0", "1"}}, split));
  auto r = Render(dir.File("t.json"), dir.File("out.mp4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto frames = GrayFrames(dir.File("out.mp4"), 360, 640);
  ASSERT_FALSE(frames.empty());
  const auto& f = frames[5];
  // Each half is a 9:8 window (zoom 2: 405x360 source px) centred on its subject.
  EXPECT_GT(f[160 * 360 + 180], 200) << "left subject should fill the top half's centre";
  int bottom = f[480 * 360 + 180];
  EXPECT_GT(bottom, 100);
  EXPECT_LT(bottom, 190) << "right (grey) subject should be in the bottom half";
  EXPECT_LT(f[20 * 360 + 20], 40);
}

}  // namespace
}  // namespace cutroom
