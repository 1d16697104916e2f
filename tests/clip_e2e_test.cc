// Acceptance tests of `cutroom clip` on a generated two-person conversation with known ground
// truth (who speaks when, which turns were written as strong moments). One clip run is shared by
// the suite; each test checks one promise of the issue against it.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <cmath>
#include <sstream>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "timeline/crop_path.h"
#include "timeline/timeline_json.h"

namespace cutroom {
namespace {

using Json = nlohmann::json;

class ClipE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto gen = testing::Run("'" + testing::CliPath() + "' sample --conversation -o '" + dir_->path() + "'");
    ASSERT_EQ(gen.exit_code, 0) << gen.output;
    // fill framing so the camera's choice of speaker is what the test sees.
    clip_ = new testing::CommandResult(testing::Run(
        "'" + testing::CliPath() + "' clip '" + dir_->File("conversation.mp4") + "' -o '" +
        dir_->File("out") + "' --data '" + dir_->File("jobs") + "' --clips 3 --min-s 8 --max-s 30 --layout fill --size 360x640"));
    truth_ = new Json(Json::parse(testing::ReadFile(dir_->File("conversation.truth.json"))));
  }
  static void TearDownTestSuite() {
    delete truth_;
    delete clip_;
    delete dir_;
  }
  void SetUp() override { ASSERT_EQ(clip_->exit_code, 0) << clip_->output; }

  static Json Manifest() { return Json::parse(testing::ReadFile(dir_->File("out/manifest.json"))); }
  static Json Transcript() { return Json::parse(testing::ReadFile(dir_->File("out/transcript.json"))); }
  static std::string Out(const std::string& rel) { return dir_->File("out/" + rel); }

  // The truth's speaker at source time t, or -1 in a pause.
  static int SpeakerAt(double t) {
    for (const auto& turn : (*truth_)["turns"]) {
      if (t >= turn["start_s"].get<double>() && t < turn["end_s"].get<double>()) return turn["speaker"];
    }
    return -1;
  }

  static testing::TempDir* dir_;
  static testing::CommandResult* clip_;
  static Json* truth_;
};

testing::TempDir* ClipE2E::dir_ = nullptr;
testing::CommandResult* ClipE2E::clip_ = nullptr;
Json* ClipE2E::truth_ = nullptr;

TEST_F(ClipE2E, ClipsStartAndEndOnSentenceBoundariesWithoutCuttingWords) {
  Json m = Manifest(), t = Transcript();
  ASSERT_EQ(m["clips"].size(), 3u);
  for (const auto& clip : m["clips"]) {
    double start = clip["start_s"], end = clip["end_s"];
    double best_start = 1e9, best_end = 1e9;
    for (const auto& s : t["sentences"]) {
      best_start = std::min(best_start, std::fabs(s["start_s"].get<double>() - start));
      best_end = std::min(best_end, std::fabs(s["end_s"].get<double>() - end));
    }
    EXPECT_LE(best_start, 0.15) << "clip " << clip["index"] << " starts off a sentence";
    EXPECT_LE(best_end, 0.15) << "clip " << clip["index"] << " ends off a sentence";
    for (const auto& w : t["words"]) {
      double ws = w["start_s"], we = w["end_s"];
      bool cut = (ws < start - 0.04 && we > start + 0.04) || (ws < end - 0.04 && we > end + 0.04);
      EXPECT_FALSE(cut) << "word '" << w["text"] << "' cut at a clip edge";
    }
    EXPECT_GE(clip["duration_s"].get<double>(), 8.0 - 0.1);
    EXPECT_LE(clip["duration_s"].get<double>(), 30.0 + 0.1);
  }
}

TEST_F(ClipE2E, TheActiveSpeakerStaysInsideTheCropAndStillShotsDoNotMove) {
  Json m = Manifest();
  int inside = 0, total = 0;
  for (const auto& clip : m["clips"]) {
    auto tl = timeline::LoadTimelineFile(Out(clip["timeline"]));
    ASSERT_TRUE(tl.ok()) << tl.status().ToString();
    for (const auto& seg : tl->segments) {
      // The people in the fixture never move: every framing must be locked off.
      for (size_t k = 1; k < seg.crop.size(); ++k) {
        EXPECT_NEAR(seg.crop[k].cx, seg.crop[0].cx, 1e-9) << "crop moves on a still subject";
      }
      for (double t = seg.in.ToSeconds(); t < seg.out.ToSeconds(); t += 1.0 / 30) {
        int who = SpeakerAt(t);
        if (who < 0) continue;
        auto key = timeline::EvaluateCrop(seg.crop, seg.interpolation,
                                          MediaTime::FromSecondsApprox(t - seg.in.ToSeconds()));
        RectF w = timeline::CropWindow(key, 1280, 720, tl->output.width, tl->output.height);
        double face_x = (*truth_)["faces"][who]["cx"].get<double>() * 1280;
        ++total;
        inside += face_x >= w.x && face_x <= w.x + w.w;
      }
    }
  }
  ASSERT_GT(total, 100);
  EXPECT_GE(static_cast<double>(inside) / total, 0.95) << inside << " of " << total << " frames";
}

TEST_F(ClipE2E, CaptionWordsAreTheTranscriptWordsTimedWithinAFrame) {
  Json m = Manifest(), t = Transcript();
  for (const auto& clip : m["clips"]) {
    auto tl = timeline::LoadTimelineFile(Out(clip["timeline"]));
    ASSERT_TRUE(tl.ok());
    ASSERT_TRUE(tl->captions.has_value());
    double start = tl->segments.front().in.ToSeconds(), end = tl->segments.back().out.ToSeconds();
    std::vector<Json> expected;
    for (const auto& w : t["words"]) {
      if (w["start_s"].get<double>() >= start - 1e-3 && w["start_s"].get<double>() < end) expected.push_back(w);
    }
    ASSERT_EQ(tl->captions->words.size(), expected.size()) << "clip " << clip["index"];
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(tl->captions->words[i].text, expected[i]["text"].get<std::string>());
      EXPECT_NEAR(tl->captions->words[i].start.ToSeconds() + start, expected[i]["start_s"].get<double>(),
                  1.0 / 30);
    }
  }
}

TEST_F(ClipE2E, StrongMomentsRankAboveWeakOnes) {
  Json m = Manifest();
  for (const auto& clip : m["clips"]) {
    double start = clip["start_s"], end = clip["end_s"], strong = 0;
    for (const auto& turn : (*truth_)["turns"]) {
      if (!turn["strong"].get<bool>()) continue;
      double a = std::max(start, turn["start_s"].get<double>());
      double b = std::min(end, turn["end_s"].get<double>());
      strong += std::max(0.0, b - a);
    }
    EXPECT_GE(strong / (end - start), 0.6) << "clip " << clip["index"] << " (" << clip["reason"]
                                            << ") is mostly weak material";
    EXPECT_FALSE(clip["reason"].get<std::string>().empty());
    EXPECT_FALSE(clip["title"].get<std::string>().empty());
    EXPECT_FALSE(clip["components"].empty());
  }
  EXPECT_GE(m["clips"][0]["score"].get<double>(), m["clips"][2]["score"].get<double>());
}

TEST_F(ClipE2E, EveryFileInTheManifestExistsAndProbes) {
  Json m = Manifest();
  for (const auto& clip : m["clips"]) {
    for (const std::string rel : {clip["file"], clip["thumbnail"], clip["timeline"],
                                  clip["captions"]["srt"], clip["captions"]["vtt"], clip["captions"]["ass"],
                                  clip["exports"]["fcpxml"], clip["exports"]["edl"], clip["exports"]["otio"]}) {
      EXPECT_TRUE(testing::FileExists(Out(rel))) << rel;
    }
    auto probe = testing::Run("ffprobe -v error -show_entries format=duration:stream=width,height "
                              "-of default=nw=1 '" + Out(clip["file"]) + "'");
    EXPECT_NE(probe.output.find("width=360"), std::string::npos) << probe.output;
    EXPECT_NE(probe.output.find("height=640"), std::string::npos) << probe.output;
    auto d = probe.output.find("duration=");
    ASSERT_NE(d, std::string::npos);
    EXPECT_NEAR(std::stod(probe.output.substr(d + 9)), clip["duration_s"].get<double>(), 0.1);
    auto jpg = testing::Run("ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '" +
                            Out(clip["thumbnail"]) + "'");
    EXPECT_NE(jpg.output.find("mjpeg"), std::string::npos) << jpg.output;
  }
}

TEST_F(ClipE2E, ExportsCarryTheSameCuts) {
  Json m = Manifest();
  for (const auto& clip : m["clips"]) {
    double duration = clip["duration_s"];
    auto xml = testing::Run("xmllint --noout '" + Out(clip["exports"]["fcpxml"]) + "'");
    EXPECT_EQ(xml.exit_code, 0) << xml.output;
    Json otio = Json::parse(testing::ReadFile(Out(clip["exports"]["otio"])));
    EXPECT_EQ(otio["OTIO_SCHEMA"], "Timeline.1");
    double otio_total = 0;
    for (const auto& track : otio["tracks"]["children"]) {
      if (track["kind"] != "Video") continue;
      for (const auto& item : track["children"]) {
        const auto& d = item["source_range"]["duration"];
        otio_total += d["value"].get<double>() / d["rate"].get<double>();
      }
    }
    EXPECT_NEAR(otio_total, duration, 1.0 / 30 + 1e-6);
    // EDL: the last event's record-out timecode is the clip's length after the 01:00:00:00 start.
    std::string edl = testing::ReadFile(Out(clip["exports"]["edl"]));
    std::string line;  // the last event line: "NNN  REEL  AA/V  C  src_in src_out rec_in rec_out"
    std::istringstream lines(edl);
    for (std::string l; std::getline(lines, l);) {
      if (l.size() > 3 && std::isdigit(static_cast<unsigned char>(l[0])) && l.find(':') != std::string::npos) line = l;
    }
    ASSERT_FALSE(line.empty()) << edl;
    int h = 0, mi = 0, s = 0, f = 0;
    auto pos = line.rfind(' ');
    ASSERT_EQ(std::sscanf(line.c_str() + pos + 1, "%d:%d:%d%*c%d", &h, &mi, &s, &f), 4) << line;
    double record_out = (h - 1) * 3600 + mi * 60 + s + f / 30.0;
    EXPECT_NEAR(record_out, duration, 1.0 / 30 + 1e-6) << line;
  }
}

TEST(ClipBadInput, ShortSourceNoSpeechAndNoFaces) {
  testing::TempDir dir;
  setenv("CUTROOM_HOME", dir.File("home").c_str(), 1);  // the job store stays in the test folder
  std::string cli = "'" + testing::CliPath() + "'";
  // 6 s of a moving pattern with a tone: shorter than --min-s, no speech, no faces.
  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i testsrc2=size=640x360:rate=30 -f lavfi -i sine=r=48000 -t 6 "
                              "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac '" +
                              dir.File("short.mp4") + "'"));
  auto r = testing::Run(cli + " clip '" + dir.File("short.mp4") + "' -o '" + dir.File("o") +
                        "' --min-s 15 --size 180x320");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("shorter"), std::string::npos) << r.output;
  Json m = Json::parse(testing::ReadFile(dir.File("o/manifest.json")));
  ASSERT_EQ(m["clips"].size(), 1u);
  EXPECT_NEAR(m["clips"][0]["duration_s"].get<double>(), 6.0, 0.2);
  auto tl = timeline::LoadTimelineFile(dir.File("o/clips/01.timeline.json"));
  ASSERT_TRUE(tl.ok());
  EXPECT_NEAR(tl->segments[0].crop[0].cx, 0.5, 1e-9) << "no faces: centre framing";

  auto missing = testing::Run(cli + " clip '" + dir.File("none.mp4") + "' -o '" + dir.File("x") + "'");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("no such file"), std::string::npos) << missing.output;
  auto usage = testing::Run(cli + " clip '" + dir.File("short.mp4") + "' --min-s 40 --max-s 20");
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
}

// `sample --conversation --minutes M` checks M before generating anything.
TEST(SampleBadInput, MinutesOutOfRangeOrNotANumber) {
  testing::TempDir dir;
  std::string cli = "'" + testing::CliPath() + "' sample --conversation -o '" + dir.File("o") + "'";
  for (const char* bad : {"0", "abc", "1000", "-3", "5x"}) {
    auto r = testing::Run(cli + " --minutes " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("--minutes must be a number of minutes from 1 to 60"), std::string::npos)
        << r.output;
  }
  // Within 1..60 but past the bank of topics: the error names the longest supported length.
  auto r = testing::Run(cli + " --minutes 59.5");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("at most "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" minutes"), std::string::npos) << r.output;
  EXPECT_FALSE(testing::FileExists(dir.File("o/conversation.mp4")));
  auto no_conversation = testing::Run("'" + testing::CliPath() + "' sample -o '" + dir.File("o") +
                                      "' --minutes 5");
  EXPECT_EQ(no_conversation.exit_code, 2) << no_conversation.output;
}

}  // namespace
}  // namespace cutroom
