// `cutroom analyze` end to end: fixtures built with the ffmpeg CLI from real photos and clips with
// known cut frames, face paths and silences; the CLI runs as a user runs it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.h"

namespace {

namespace t = cutroom::testing;
using nlohmann::json;

std::string Q(const std::string& s) { return "'" + s + "'"; }
std::string Photo(const std::string& name) { return Q(t::SharedTestData("faces/" + name)); }

// Runs `cutroom analyze` and parses its JSON; fails the test when it does not exit 0.
json Analyze(const std::string& file, const std::string& extra = "") {
  t::TempDir dir;
  const std::string out = dir.File("analysis.json");
  const t::CommandResult r = t::Run(Q(t::CliPath()) + " analyze " + Q(file) + " -o " + Q(out) + " " + extra);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  if (r.exit_code != 0) return json();
  return json::parse(t::ReadFile(out), nullptr, false);
}

bool HasNote(const json& a, const std::string& text) {
  for (const auto& n : a["notes"]) {
    if (n.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

// An edit of photos and clips, 320x180 at 30 fps, with cuts at known frames: a still photo, a
// moving test pattern, a photo with a slow zoom, a fast pan over a photo (no cut inside it), a
// photo fading out to black, colour bars fading in, and a cellular-automaton clip.
TEST(AnalyzeE2eTest, SceneCutsWithinOneFrame) {
  t::TempDir dir;
  const std::string video = dir.File("edit.mp4");
  const std::string norm = "scale=320:180:force_original_aspect_ratio=increase,crop=320:180,setsar=1,fps=30,format=yuv420p";
  const std::string graph =
      "[0:v]" + norm + ",trim=end_frame=45,setpts=PTS-STARTPTS[a];"
      "[1:v]" + norm + ",trim=end_frame=45,setpts=PTS-STARTPTS[b];"
      "[2:v]scale=640:360:force_original_aspect_ratio=increase,crop=640:360,"
      "zoompan=z='1+0.004*on':d=1:s=320x180:fps=30,setsar=1,format=yuv420p,trim=end_frame=45,setpts=PTS-STARTPTS[c];"
      "[3:v]scale=1280:1280,crop=320:180:x='t*450':y=500,setsar=1,fps=30,format=yuv420p,trim=end_frame=60,setpts=PTS-STARTPTS[d];"
      "[4:v]" + norm + ",trim=end_frame=45,setpts=PTS-STARTPTS,fade=t=out:st=1.0:d=0.5[e];"
      "[5:v]" + norm + ",trim=end_frame=45,setpts=PTS-STARTPTS,fade=t=in:st=0:d=0.5[f];"
      "[6:v]" + norm + ",trim=end_frame=30,setpts=PTS-STARTPTS[g];"
      "[a][b][c][d][e][f][g]concat=n=7:v=1:a=0[v]";
  ASSERT_TRUE(t::Ffmpeg(
      "-loop 1 -framerate 30 -t 2 -i " + Photo("astronaut.jpg") +
      " -f lavfi -i testsrc2=s=320x180:r=30:d=2"
      " -loop 1 -framerate 30 -t 2 -i " + Photo("messi5.jpg") +
      " -loop 1 -framerate 30 -t 2.5 -i " + Photo("cameraman_no_face_visible.jpg") +
      " -loop 1 -framerate 30 -t 2 -i " + Photo("messi5.jpg") +
      " -f lavfi -i smptehdbars=s=320x180:r=30:d=2"
      " -f lavfi -t 2 -i life=s=320x180:r=30:mold=10:ratio=0.1:life_color=#00ff00:death_color=#aa2020"
      " -filter_complex \"" + graph + "\" -map [v] -c:v libx264 -preset ultrafast -crf 18 " + Q(video)));
  const std::vector<int> truth = {45, 90, 135, 195, 240, 285};

  const json a = Analyze(video, "--face-fps 0");
  ASSERT_TRUE(a.is_object());
  std::vector<int> found;
  for (const auto& c : a["cuts"]) found.push_back(c["frame"].get<int>());
  int matched = 0;
  std::vector<bool> used(found.size(), false);
  for (int want : truth) {
    for (size_t i = 0; i < found.size(); ++i) {
      if (!used[i] && std::abs(found[i] - want) <= 1) {
        used[i] = true;
        ++matched;
        break;
      }
    }
  }
  const double precision = found.empty() ? 0.0 : static_cast<double>(matched) / found.size();
  const double recall = static_cast<double>(matched) / truth.size();
  std::string list;
  for (int f : found) list += std::to_string(f) + " ";
  std::printf("scene cuts: found [%s], precision %.3f, recall %.3f\n", list.c_str(), precision, recall);
  EXPECT_GE(precision, 0.95) << list;
  EXPECT_GE(recall, 0.95) << list;
  // The fade is reported as one.
  bool fade = false;
  for (const auto& c : a["cuts"]) fade |= c["kind"] == "fade" && std::abs(c["frame"].get<int>() - 240) <= 1;
  EXPECT_TRUE(fade);
  // No audio stream: video-only with a note.
  EXPECT_TRUE(a["audio"].is_null());
  EXPECT_TRUE(HasNote(a, "no audio stream"));
  // Motion: the fast pan (frames 136..194) moves left (content moves towards -x), the still
  // photo (frames 1..44) does not move.
  const auto& motion = a["motion"]["samples"];
  ASSERT_EQ(motion.size(), 315u);
  double pan = 0.0, still = 0.0;
  for (int i = 140; i < 190; ++i) pan += motion[static_cast<size_t>(i)]["pan_x"].get<double>();
  for (int i = 1; i < 44; ++i) still += std::abs(motion[static_cast<size_t>(i)]["pan_x"].get<double>());
  EXPECT_LT(pan / 50, -0.02);  // 450 px/s over a 1280 px wide picture: ~4.7% of the frame a frame
  EXPECT_LT(still / 43, 0.002);
}

// The astronaut's portrait on a grey canvas, filmed by a virtual camera that pans and zooms in.
// Face centre in the 512 px photo: (223, 127), measured by FaceDetectorTest at full size.
TEST(AnalyzeE2eTest, FaceFollowedAlongAPanAndZoomWithOneId) {
  t::TempDir dir;
  const std::string video = dir.File("face_path.mp4");
  ASSERT_TRUE(t::Ffmpeg(
      "-loop 1 -framerate 30 -t 4 -i " + Photo("astronaut.jpg") +
      " -vf \"crop=512:400:0:0,scale=820:640,pad=1280:720:230:40:color=0x505050,"
      "zoompan=z='1.2+0.005*on':x='30+1.5*on':y='20+0.5*on':d=1:s=640x360:fps=30,format=yuv420p\""
      " -frames:v 120 -c:v libx264 -preset ultrafast -crf 18 " + Q(video)));
  const json a = Analyze(video);
  ASSERT_TRUE(a.is_object());
  const auto& tracks = a["faces"]["tracks"];
  ASSERT_EQ(tracks.size(), 1u) << tracks.dump();
  const double fx = 230 + 223.0 * 820 / 512, fy = 40 + 127.0 * 640 / 400;
  int detected = 0;
  double worst = 0.0;
  for (const auto& s : tracks[0]["samples"]) {
    if (s["bridged"].get<bool>()) continue;
    ++detected;
    const int n = static_cast<int>(std::lround(s["time_s"].get<double>() * 30));
    const double z = 1.2 + 0.005 * n, x = 30 + 1.5 * n, y = 20 + 0.5 * n;
    const double want_x = (fx - x) * z * 640 / 1280 / 640;  // normalised
    const double want_y = (fy - y) * z * 360 / 720 / 360;
    const double got_x = s["x"].get<double>() + s["w"].get<double>() / 2;
    const double got_y = s["y"].get<double>() + s["h"].get<double>() / 2;
    worst = std::max(worst, std::hypot(got_x - want_x, (got_y - want_y) * 360 / 640));
  }
  const int samples = 20;  // 4 s at 5 samples per second
  std::printf("face path: detected in %d/%d samples, worst centre error %.3f of frame width\n",
              detected, samples, worst);
  EXPECT_GE(detected, static_cast<int>(std::ceil(0.95 * samples)));
  EXPECT_LE(worst, 0.05);
}

TEST(AnalyzeE2eTest, TwoFacesSideBySideKeepTwoIds) {
  t::TempDir dir;
  const std::string video = dir.File("two.mp4");
  ASSERT_TRUE(t::Ffmpeg(
      "-loop 1 -framerate 30 -t 3 -i " + Photo("astronaut.jpg") +
      " -filter_complex \"[0:v]crop=300:330:70:0,split[l][r];[r]hflip[rf];[l][rf]hstack,"
      "pad=640:360:20:15:color=0x404040,format=yuv420p[v]\" -map [v] -frames:v 90"
      " -c:v libx264 -preset ultrafast -crf 18 " + Q(video)));
  const json a = Analyze(video);
  ASSERT_TRUE(a.is_object());
  const auto& tracks = a["faces"]["tracks"];
  ASSERT_EQ(tracks.size(), 2u) << tracks.dump();
  for (const auto& track : tracks) {
    EXPECT_GE(track["samples"].size(), 14u);  // 15 samples in 3 s
    const double x0 = track["samples"][0]["x"].get<double>();
    for (const auto& s : track["samples"]) EXPECT_NEAR(s["x"].get<double>(), x0, 0.03);
  }
  EXPECT_NE(tracks[0]["id"], tracks[1]["id"]);
}

TEST(AnalyzeE2eTest, HiddenFaceGivesNoTrackLongerThanOneSecond) {
  t::TempDir dir;
  const std::string video = dir.File("cameraman.mp4");
  ASSERT_TRUE(t::Ffmpeg("-loop 1 -framerate 30 -t 4 -i " + Photo("cameraman_no_face_visible.jpg") +
                        " -vf \"scale=-2:360,pad=640:360:(ow-iw)/2:0,format=yuv420p\" -frames:v 120"
                        " -c:v libx264 -preset ultrafast " + Q(video)));
  const json a = Analyze(video);
  ASSERT_TRUE(a.is_object());
  for (const auto& track : a["faces"]["tracks"]) {
    EXPECT_LE(track["end_s"].get<double>() - track["start_s"].get<double>(), 1.0) << track.dump();
  }
}

// Audio-only files: a steady -23 LUFS tone, and the same tone with silences at 1.2-2.0 s and from
// 3.5 s to the end (4.5 s).
TEST(AnalyzeE2eTest, AudioOnlyLoudnessAndSilences) {
  t::TempDir dir;
  const double amplitude = std::pow(10.0, -23.0 / 20.0);
  auto make = [&](const std::string& name, const std::string& gate, double seconds) {
    char expr[256];
    std::snprintf(expr, sizeof(expr), "%.6f*sin(2*PI*1000*t)%s", amplitude, gate.c_str());
    const std::string wav = dir.File(name);
    EXPECT_TRUE(t::Ffmpeg("-f lavfi -i \"aevalsrc='" + std::string(expr) + "|" + expr +
                          "':s=48000:d=" + std::to_string(seconds) + "\" -c:a pcm_s16le " + Q(wav)));
    return wav;
  };
  const json tone = Analyze(make("tone.wav", "", 6.0));
  ASSERT_TRUE(tone.is_object());
  EXPECT_TRUE(HasNote(tone, "no video stream"));
  EXPECT_TRUE(tone["cuts"].empty());
  ASSERT_TRUE(tone["audio"].is_object());
  std::printf("tone: integrated %.2f LUFS\n", tone["audio"]["integrated_lufs"].get<double>());
  EXPECT_NEAR(tone["audio"]["integrated_lufs"].get<double>(), -23.0, 0.5);
  EXPECT_EQ(tone["audio"]["loudness"]["momentary_lufs"].size(), 60u);  // every 100 ms
  EXPECT_TRUE(tone["audio"]["silences"].empty());

  const json gaps = Analyze(make("gaps.wav", "*(lt(t,1.2)+gte(t,2.0)*lt(t,3.5))", 4.5));
  ASSERT_TRUE(gaps.is_object());
  const auto& silences = gaps["audio"]["silences"];
  std::printf("silences %s\n", silences.dump().c_str());
  ASSERT_EQ(silences.size(), 2u);
  EXPECT_NEAR(silences[0]["start_s"].get<double>(), 1.2, 0.05);
  EXPECT_NEAR(silences[0]["end_s"].get<double>(), 2.0, 0.05);
  EXPECT_NEAR(silences[1]["start_s"].get<double>(), 3.5, 0.05);
  EXPECT_NEAR(silences[1]["end_s"].get<double>(), 4.5, 0.05);
}

TEST(AnalyzeE2eTest, RealClipWithAudioAndVideo) {
  const json a = Analyze(t::SharedTestData("video/Megamind.avi"), "--face-fps 2");
  ASSERT_TRUE(a.is_object());
  EXPECT_TRUE(a["source"]["has_video"].get<bool>());
  EXPECT_TRUE(a["source"]["has_audio"].get<bool>());
  EXPECT_GT(a["motion"]["samples"].size(), 250u);
  EXPECT_LT(a["audio"]["integrated_lufs"].get<double>(), -5.0);
  EXPECT_GT(a["audio"]["integrated_lufs"].get<double>(), -50.0);
}

// A file cut short (an interrupted copy: the header declares 10 s, the data stops half way) is
// analysed as far as it goes, with a note that says what is missing; a whole file gets no note.
TEST(AnalyzeE2eTest, ATruncatedFileIsAnalysedWithANoteSayingSo) {
  t::TempDir dir;
  ASSERT_TRUE(t::Ffmpeg("-f lavfi -i testsrc2=size=320x180:rate=30 -f lavfi -i sine=r=48000 -t 10 "
                        "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -movflags +faststart " +
                        Q(dir.File("whole.mp4"))));
  ASSERT_TRUE(t::Ffmpeg("-f lavfi -i sine=r=48000 -t 10 -c:a aac -movflags +faststart " +
                        Q(dir.File("whole.m4a"))));
  for (const char* name : {"whole.mp4", "whole.m4a"}) {
    const std::string bytes = t::ReadFile(dir.File(name));
    const std::string cut = dir.File(std::string("half_") + name);
    t::WriteFile(cut, bytes.substr(0, bytes.size() / 2));
    const json whole = Analyze(dir.File(name), "--face-fps 1");
    ASSERT_TRUE(whole.is_object()) << name;
    EXPECT_FALSE(HasNote(whole, "truncated")) << whole["notes"].dump();
    const json half = Analyze(cut, "--face-fps 1");
    ASSERT_TRUE(half.is_object()) << name;
    EXPECT_TRUE(HasNote(half, "the source looks truncated")) << name << " " << half["notes"].dump();
    EXPECT_TRUE(HasNote(half, "of the 10.0 s its header declares")) << half["notes"].dump();
  }
}

TEST(AnalyzeE2eTest, BadInputsFailWithAClearMessage) {
  t::TempDir dir;
  const std::string cli = Q(t::CliPath());
  t::WriteFile(dir.File("empty.mp4"), "");
  t::WriteFile(dir.File("notes.txt"), "this is not a video\n");
  struct Case {
    std::string args;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"analyze " + Q(dir.File("missing.mp4")), 1, "missing.mp4"},
      {"analyze " + Q(dir.path()), 1, ""},
      {"analyze " + Q(dir.File("empty.mp4")), 1, "empty"},
      {"analyze " + Q(dir.File("notes.txt")), 1, "notes.txt"},
      {"analyze", 2, "expected one FILE"},
      {"analyze a b", 2, "expected one FILE"},
      {"analyze x.mp4 --face-fps fast", 2, "--face-fps"},
      {"analyze x.mp4 --bogus", 2, "--bogus"},
  };
  for (const auto& c : cases) {
    const t::CommandResult r = t::Run(cli + " " + c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n" << r.output;
  }
  const t::CommandResult help = t::Run(cli + " analyze --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("analysis.json"), std::string::npos);
  // A damaged stream degrades or fails with a message; it never crashes.
  const t::CommandResult bugy = t::Run(cli + " analyze " + Q(t::SharedTestData("video/Megamind_bugy.avi")) +
                                       " --face-fps 1 -o " + Q(dir.File("bugy.json")));
  EXPECT_TRUE(bugy.exit_code == 0 || bugy.exit_code == 1) << bugy.output;
  if (bugy.exit_code == 1) {
    EXPECT_FALSE(bugy.output.empty());
  }
}

}  // namespace
