// RenderTimeline with audio tracks: narration ducks looping music, loops fill the video, and the
// loudness target is met on the whole mix. Levels are read back from the encoded MP4.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

#include "render/renderer.h"
#include "test_support.h"

namespace cutroom::render {
namespace {

constexpr int kRate = 48000;

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

// Level in dB of `frequency_hz` in samples [from_s, to_s) (Goertzel, Hann window).
double BandLevelDb(const std::vector<float>& x, double frequency_hz, double from_s, double to_s) {
  const auto begin = static_cast<size_t>(from_s * kRate);
  const auto end = std::min(x.size(), static_cast<size_t>(to_s * kRate));
  if (end <= begin) return -200.0;
  const double n = static_cast<double>(end - begin);
  const double coef = 2.0 * std::cos(2.0 * std::numbers::pi * frequency_hz / kRate);
  double s1 = 0.0, s2 = 0.0;
  for (size_t i = begin; i < end; ++i) {
    const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * (i - begin) / n);
    const double s = x[i] * w + coef * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const double power = s1 * s1 + s2 * s2 - coef * s1 * s2;
  return 10.0 * std::log10(power / (n * n) + 1e-20);
}

double IntegratedLufs(const std::string& path, double* true_peak) {
  auto r = testing::Run("ffmpeg -nostdin -nostats -i '" + path +
                        "' -af ebur128=peak=true -f null - 2>&1");
  double integrated = -99.0;
  *true_peak = 99.0;
  auto summary = r.output.rfind("Summary:");
  if (summary == std::string::npos) return integrated;
  std::sscanf(r.output.c_str() + r.output.find("I:", summary), "I: %lf", &integrated);
  std::sscanf(r.output.c_str() + r.output.find("Peak:", summary), "Peak: %lf", true_peak);
  return integrated;
}

class RendererAudioTracksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i color=c=blue:s=64x64 -frames:v 1 '" +
                                dir_.File("slide.png") + "'"));
    // Narration: a 1 kHz tone on for 1 s, off for 1 s, on for 1 s.
    ASSERT_TRUE(testing::Ffmpeg(
        "-f lavfi -i \"aevalsrc='if(between(t,1,2),0,0.5*sin(2*PI*1000*t))':s=48000:d=3\" '" +
        dir_.File("voice.wav") + "'"));
    // Music: 1.2 s of a 300 Hz tone, looped.
    ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i \"aevalsrc='0.3*sin(2*PI*300*t)':s=48000:d=1.2\" '" +
                                dir_.File("music.wav") + "'"));
  }

  timeline::Timeline Compose(int seconds, bool with_voice) const {
    timeline::Timeline t;
    t.output.width = 64;
    t.output.height = 64;
    t.output.video.preset = "ultrafast";
    t.sources = {{"slide", dir_.File("slide.png"), timeline::SourceKind::kImage},
                 {"voice", dir_.File("voice.wav")},
                 {"music", dir_.File("music.wav")}};
    timeline::Segment still;
    still.source = "slide";
    still.out = MediaTime(seconds, {1, 1});
    still.mute = true;
    t.segments = {still};
    timeline::AudioTrack music;
    music.source = "music";
    music.out = MediaTime(6, {1, 5});
    music.loop = true;
    music.duck_db = -12;
    music.role = timeline::AudioRole::kMusic;
    t.audio.tracks.push_back(music);
    if (with_voice) {
      timeline::AudioTrack voice;
      voice.source = "voice";
      voice.out = MediaTime(3, {1, 1});
      voice.role = timeline::AudioRole::kVoice;
      t.audio.tracks.push_back(voice);
    }
    return t;
  }

  testing::TempDir dir_;
};

TEST_F(RendererAudioTracksTest, MusicIsDuckedUnderNarrationAndLoudnessTargetIsMet) {
  const std::string out = dir_.File("narrated.mp4");
  auto stats = RenderTimeline(Compose(3, /*with_voice=*/true), out, RenderOptions{});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  std::vector<float> audio = MonoSamples(out);
  ASSERT_GE(audio.size(), static_cast<size_t>(2.9 * kRate));
  // Music while the voice speaks (well after its onset) and while it pauses (the duck released).
  const double during_voice = BandLevelDb(audio, 300.0, 0.3, 0.95);
  const double during_pause = BandLevelDb(audio, 300.0, 1.6, 1.98);
  const double during_voice_again = BandLevelDb(audio, 300.0, 2.3, 2.9);
  EXPECT_GE(during_pause - during_voice, 10.0)
      << "voice " << during_voice << " dB, pause " << during_pause << " dB";
  EXPECT_GE(during_pause - during_voice_again, 10.0);
  // The voice itself is there and is not ducked.
  EXPECT_GT(BandLevelDb(audio, 1000.0, 0.3, 0.95), during_pause);

  double true_peak = 0.0;
  EXPECT_NEAR(IntegratedLufs(out, &true_peak), -14.0, 1.0);
  EXPECT_LE(true_peak, -0.5);
}

TEST_F(RendererAudioTracksTest, LoopingMusicFillsALongerVideoAndStopsAtItsEnd) {
  const std::string out = dir_.File("music.mp4");
  timeline::Timeline t = Compose(5, /*with_voice=*/false);
  t.audio.loudness_target_lufs.reset();
  auto stats = RenderTimeline(t, out, RenderOptions{});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_NEAR(stats->duration_s, 5.0, 1e-6);
  std::vector<float> audio = MonoSamples(out);
  ASSERT_GE(audio.size(), static_cast<size_t>(4.9 * kRate));
  EXPECT_LE(audio.size(), static_cast<size_t>(5.1 * kRate));
  // Every 200 ms window holds the 300 Hz tone at its level: no gap after the 1.2 s source ends.
  const double reference = BandLevelDb(audio, 300.0, 0.2, 1.0);
  // Windows centred on the loop seams (1.2 s, 2.4 s, ...) too.
  for (double from = 0.3; from + 0.2 <= 4.8; from += 0.2) {
    EXPECT_NEAR(BandLevelDb(audio, 300.0, from, from + 0.2), reference, 2.0) << "at " << from;
  }
}

}  // namespace
}  // namespace cutroom::render
