// Acceptance tests of `cutroom compose` as a user runs it: a written script, an ad template and a
// topic (a fake OpenAI-compatible server on a real socket writes the script) become narrated
// videos with their thumbnail, metadata, captions and Timeline; bad input gets a clear error.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fake_http_server.h"
#include "test_support.h"

namespace cutroom {
namespace {

using Json = nlohmann::json;
using testing::CliWithHome;

testing::CommandResult Sh(const std::string& command) { return testing::Run(command); }

double ProbeDuration(const std::string& file) {
  auto r = Sh("ffprobe -v error -show_entries format=duration -of csv=p=0 '" + file + "'");
  return r.exit_code == 0 ? std::atof(r.output.c_str()) : -1;
}

std::string ProbeStream(const std::string& file, const std::string& entries) {
  auto r = Sh("ffprobe -v error -select_streams v:0 -show_entries stream=" + entries +
               " -of csv=p=0 '" + file + "'");
  return r.output.substr(0, r.output.find_last_not_of("\n ") + 1);
}

// The scenes of a composed Timeline in output order: visual i's scene is the source id
// "<kind>_<i+1>" (slide_01, image_02, broll_03) on a segment or an overlay (slide text); the
// scene starts at its earliest use. Returns "kind:number" strings.
double Secs(const Json& v) {  // a Timeline time: "12.48", "1001/30000" or an integer
  if (v.is_number()) return v.get<double>();
  std::string t = v.get<std::string>();
  auto slash = t.find('/');
  if (slash == std::string::npos) return std::stod(t);
  return std::stod(t.substr(0, slash)) / std::stod(t.substr(slash + 1));
}

std::vector<std::string> ScenesOf(const Json& tl) {
  std::map<std::string, double> first;
  auto note = [&](const std::string& id, double at) {
    auto us = id.find('_');
    if (us == std::string::npos || id.find('_', us + 1) != std::string::npos) return;
    std::string kind = id.substr(0, us);
    if (kind != "slide" && kind != "image" && kind != "broll") return;
    std::string key = kind + ":" + std::to_string(std::atoi(id.c_str() + us + 1));
    if (!first.count(key) || at < first[key]) first[key] = at;
  };
  double t = 0;
  for (const auto& seg : tl["segments"]) {
    note(seg["source"], t);
    t += Secs(seg["out"]) - Secs(seg["in"]);
  }
  for (const auto& ov : tl["overlays"]) note(ov["source"], Secs(ov["start"]));
  std::vector<std::pair<double, std::string>> order;
  for (const auto& [k, at] : first) order.push_back({at, k});
  std::sort(order.begin(), order.end());
  std::vector<std::string> out;
  for (const auto& [at, k] : order) out.push_back(k);
  return out;
}

// The script of the main test: a title, two slides, one image, three paragraphs, music by flag.
std::string ScriptText() {
  return "[title]How tides work[/title]\n"
         "[description]A short explainer about the Moon and the sea.[/description]\n"
         "[tags]science, tides, moon[/tags]\n"
         "[slide]# The Moon pulls\n- on the oceans\n- every day[/slide]\n"
         "[narration]The Moon pulls on the oceans. That pull makes the tides.\n\n"
         "The water rises twice a day.[/narration]\n"
         "[image]sea.png[/image]\n"
         "[narration]On the far side of the Earth the water bulges too.[/narration]\n"
         "[slide]## Spring tides\nWhen the Sun and the Moon **line up**.[/slide]\n"
         "[narration]When the Sun and the Moon line up, the tides are strongest.[/narration]\n";
}

class ComposeE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i testsrc=size=640x480 -frames:v 1 '" + dir_->File("sea.png") + "'"));
    ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i sine=frequency=330:duration=8 -ac 2 '" + dir_->File("music.wav") + "'"));
    ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i color=c=red@0.8:size=64x64,format=rgba -frames:v 1 '" +
                                dir_->File("logo.png") + "'"));
    testing::WriteFile(dir_->File("tides.txt"), ScriptText());
    result_ = new testing::CommandResult(Sh(CliWithHome(
        dir_->File("home"), "compose '" + dir_->File("tides.txt") + "' -o '" + dir_->File("out") +
                                "' --size 360x640 --music '" + dir_->File("music.wav") + "' --logo '" +
                                dir_->File("logo.png") + "' --threads 2")));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  void SetUp() override { ASSERT_EQ(result_->exit_code, 0) << result_->output; }
  static std::string Out(const std::string& rel) { return dir_->File("out/" + rel); }
  static Json ReadJson(const std::string& path) { return Json::parse(testing::ReadFile(path)); }

  static testing::TempDir* dir_;
  static testing::CommandResult* result_;
};

testing::TempDir* ComposeE2E::dir_ = nullptr;
testing::CommandResult* ComposeE2E::result_ = nullptr;

TEST_F(ComposeE2E, WritesEveryOutput) {
  for (const char* f : {"video.mp4", "thumbnail.jpg", "metadata.json", "video.srt", "video.vtt",
                        "timeline.json", "style.json", "script/narration.txt", "script/slides.txt",
                        "script/images.txt", "script/title.txt", "script/tags.txt"}) {
    EXPECT_TRUE(testing::FileExists(Out(f))) << f;
  }
  EXPECT_EQ(ProbeStream(Out("video.mp4"), "codec_name,width,height"), "h264,360,640");
  EXPECT_EQ(ProbeStream(Out("thumbnail.jpg"), "width,height"), "1280,720");
}

TEST_F(ComposeE2E, MetadataDescribesTheVideo) {
  Json m = ReadJson(Out("metadata.json"));
  EXPECT_EQ(m["title"], "How tides work");
  EXPECT_EQ(m["tags"], Json::array({"science", "tides", "moon"}));
  double probed = ProbeDuration(Out("video.mp4"));
  EXPECT_NEAR(m["duration"].get<double>(), probed, 0.1);
  // Four narration blocks: a few seconds of speech each at flite's pace.
  EXPECT_GT(probed, 8.0);
  EXPECT_LT(probed, 40.0);
}

TEST_F(ComposeE2E, CaptionsCarryTheNarrationWords) {
  std::string srt = testing::ReadFile(Out("video.srt"));
  for (const char* w : {"Moon", "oceans", "tides", "twice", "bulges", "strongest"}) {
    EXPECT_NE(srt.find(w), std::string::npos) << w;
  }
  EXPECT_EQ(testing::ReadFile(Out("video.vtt")).rfind("WEBVTT", 0), 0u);
}

TEST_F(ComposeE2E, TheTimelineRendersAgainFromTheOutputFolderAlone) {
  auto again = Sh(testing::CliPath() + " render '" + Out("timeline.json") + "' -o '" +
                   dir_->File("again.mp4") + "'");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NEAR(ProbeDuration(dir_->File("again.mp4")), ProbeDuration(Out("video.mp4")), 0.1);
}

TEST_F(ComposeE2E, ScenesFollowTheScriptOrder) {
  Json tl = ReadJson(Out("timeline.json"));
  EXPECT_EQ(ScenesOf(tl), (std::vector<std::string>{"slide:1", "image:2", "slide:3"}));
  ASSERT_TRUE(tl["audio"]["tracks"].is_array());
  bool music = false, voice = false;
  for (const auto& t : tl["audio"]["tracks"]) {
    music = music || t["role"] == "music";
    voice = voice || t["role"] == "voice";
  }
  EXPECT_TRUE(music && voice);
}

TEST_F(ComposeE2E, ARestyledRunKeepsTheNarration) {
  auto r = Sh(CliWithHome(dir_->File("home"),
                           "compose '" + dir_->File("tides.txt") + "' -o '" + dir_->File("out2") +
                               "' --size 360x640 --caption-style karaoke --threads 2"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Newest first: the restyled run.
  auto list = Sh(CliWithHome(dir_->File("home"), "jobs list --json --kind compose"));
  ASSERT_EQ(list.exit_code, 0) << list.output;
  Json jobs = Json::parse(list.output)["jobs"];
  ASSERT_GE(jobs.size(), 2u);
  auto show = Sh(CliWithHome(dir_->File("home"), "jobs show " + jobs[0]["id"].dump() + " --json"));
  ASSERT_EQ(show.exit_code, 0) << show.output;
  Json job = Json::parse(show.output);
  ASSERT_EQ(job["options"]["output"], dir_->File("out2"));
  ASSERT_TRUE(job["steps"].is_array());
  for (const auto& step : job["steps"]) {
    if (step["name"] == "narrate") {
      EXPECT_EQ(step["cache_hit"], true) << step.dump();
    }
    if (step["name"] == "render") {
      EXPECT_NE(step["cache_hit"], true) << step.dump();
    }
  }
}

TEST(ComposeCli, CheckReportsTheScriptWithoutRendering) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("s.txt"), "[title]T[/title][slide]# A[/slide]"
                                        "[narration]One two three four five. Six seven.[/narration]");
  auto r = Sh(CliWithHome(dir.File("home"), "compose '" + dir.File("s.txt") + "' -o '" +
                                                 dir.File("out") + "' --check"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("words=7"), std::string::npos) << r.output;
  EXPECT_TRUE(testing::FileExists(dir.File("out/script/narration.txt")));
  EXPECT_FALSE(testing::FileExists(dir.File("out/video.mp4")));
}

TEST(ComposeCli, BadInputGetsAClearError) {
  testing::TempDir dir;
  auto compose = [&](const std::string& script, const std::string& flags = "") {
    testing::WriteFile(dir.File("s.txt"), script);
    return Sh(CliWithHome(dir.File("home"), "compose '" + dir.File("s.txt") + "' -o '" +
                                                 dir.File("out") + "' --size 160x288 " + flags));
  };
  auto missing = compose("[image]nowhere.png[/image]\n[narration]Hello there.[/narration]");
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("nowhere.png"), std::string::npos) << missing.output;

  auto unclosed = compose("[title]T[/title]\n[narration]Hello there.");
  EXPECT_EQ(unclosed.exit_code, 1);
  EXPECT_NE(unclosed.output.find("line 2, column 1"), std::string::npos) << unclosed.output;

  std::string long_text = "[narration]";
  for (int i = 0; i < 200; ++i) long_text += "This sentence makes the script long. ";
  auto too_long = compose(long_text + "[/narration]", "--max-duration 30");
  EXPECT_EQ(too_long.exit_code, 1);
  EXPECT_NE(too_long.output.find("--max-duration"), std::string::npos) << too_long.output;

  auto voice = compose("[narration]Hello there.[/narration]", "--voice nobody");
  EXPECT_EQ(voice.exit_code, 1);
  EXPECT_NE(voice.output.find("slt"), std::string::npos) << voice.output;  // lists the voices

  testing::WriteFile(dir.File("binary.txt"), std::string("\x89PNG\r\n\x1a\n\0\0", 10));
  auto binary = Sh(CliWithHome(dir.File("home"), "compose '" + dir.File("binary.txt") + "' -o '" + dir.File("o") + "'"));
  EXPECT_EQ(binary.exit_code, 1);
  EXPECT_NE(binary.output.find("line 1"), std::string::npos) << binary.output;

  auto none = Sh(CliWithHome(dir.File("home"), "compose -o '" + dir.File("o") + "'"));
  EXPECT_EQ(none.exit_code, 2) << none.output;
  auto tmpl = Sh(CliWithHome(dir.File("home"), "compose --template shiny --product P --cta C -o '" + dir.File("o") + "'"));
  EXPECT_EQ(tmpl.exit_code, 1);
  EXPECT_NE(tmpl.output.find("luxury"), std::string::npos) << tmpl.output;  // lists the templates
  auto no_product = Sh(CliWithHome(dir.File("home"), "compose --template bold --cta C -o '" + dir.File("o") + "'"));
  EXPECT_EQ(no_product.exit_code, 1);
  EXPECT_NE(no_product.output.find("product"), std::string::npos) << no_product.output;
}

TEST(ComposeCli, EveryTemplateRendersItsFourScenesInOrder) {
  testing::TempDir dir;
  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i testsrc2=size=800x800 -frames:v 1 '" + dir.File("lamp.jpg") + "'"));
  for (const std::string name : {"bold", "energetic", "luxury", "minimal"}) {
    SCOPED_TRACE(name);
    const std::string out = dir.File("ad_" + name);
    auto r = Sh(CliWithHome(dir.File("home"),
                            "compose --template " + name +
                                " --product 'Aurora Lamp' --cta 'Order at aurora.example'"
                                " --feature 'Warm light that follows the sun' --image '" +
                                dir.File("lamp.jpg") + "' -o '" + out + "' --size 180x320 --threads 2"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    double d = ProbeDuration(out + "/video.mp4");
    EXPECT_GT(d, 15.0);
    EXPECT_LT(d, 45.0);
    Json tl = Json::parse(testing::ReadFile(out + "/timeline.json"));
    std::vector<std::string> scenes = ScenesOf(tl);
    ASSERT_EQ(scenes.size(), 4u) << tl["segments"].dump();
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(scenes[i].substr(scenes[i].find(':') + 1), std::to_string(i + 1)) << scenes[i];
    }
    EXPECT_EQ(scenes[3].substr(0, scenes[3].find(':')), "slide");  // the call to action's end card
    std::string script = testing::ReadFile(out + "/script.txt");
    EXPECT_NE(script.find("Aurora Lamp"), std::string::npos);
    EXPECT_NE(script.find("aurora.example"), std::string::npos);
  }
}

// The assistant's reply of an OpenAI chat completion carrying `content`.
std::string ChatReply(const std::string& content) {
  Json body = {{"id", "chatcmpl-1"}, {"object", "chat.completion"},
               {"choices", Json::array({{{"index", 0}, {"finish_reason", "stop"},
                                         {"message", {{"role", "assistant"}, {"content", content}}}}})}};
  return body.dump();
}

TEST(ComposeCli, TopicModeUsesTheConfiguredModel) {
  testing::TempDir dir;
  auto unconfigured = Sh("env -u CUTROOM_LLM_URL " + CliWithHome(dir.File("home"), "compose --topic 'volcanoes' -o '" + dir.File("o") + "'"));
  EXPECT_EQ(unconfigured.exit_code, 1);
  EXPECT_NE(unconfigured.output.find("CUTROOM_LLM_URL"), std::string::npos) << unconfigured.output;

  testing::FakeServer server;
  server.Reply(200, "application/json",
               ChatReply("```\n[title]Volcanoes[/title]\n[slide]# Fire under the ground[/slide]\n"
                         "[narration]Volcanoes are openings in the crust. Hot rock escapes through them."
                         "[/narration]\n```"));
  auto r = Sh("CUTROOM_LLM_URL=" + server.url() + "/v1 CUTROOM_LLM_MODEL=test " +
               CliWithHome(dir.File("home"), "compose --topic 'volcanoes' -o '" + dir.File("v") +
                                                 "' --size 160x288 --length 20 --threads 2"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].rfind("POST /v1/chat/completions ", 0), 0u) << server.requests()[0];
  EXPECT_NE(server.requests()[0].find("volcanoes"), std::string::npos);
  EXPECT_EQ(Json::parse(testing::ReadFile(dir.File("v/metadata.json")))["title"], "Volcanoes");
  EXPECT_GT(ProbeDuration(dir.File("v/video.mp4")), 2.0);
}

}  // namespace
}  // namespace cutroom
