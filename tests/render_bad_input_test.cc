// Bad inputs to `cutroom render` and `cutroom probe`: each gives a message naming the problem, a
// non-zero exit code, no crash, and no output or half-written file left behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.h"

namespace cutroom {
namespace {

using testing::TempDir;

struct Case {
  std::string name;
  std::string expect;  // substring of the error message
};

class RenderBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        testing::Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=30 -f lavfi -i sine=r=48000 -t 3 "
                        "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac '" +
                        good_ + "'"));
  }

  std::string Timeline(const std::string& source, const std::string& in = "0",
                       const std::string& out = "2", const std::string& extra_output = "",
                       const std::string& extra = "", const std::string& segment_extra = "") {
    return "{\"version\":1,\"output\":{\"width\":320,\"height\":240" + extra_output +
           "},\"sources\":[{\"id\":\"s\",\"path\":\"" + source +
           "\"}],\"segments\":[{\"source\":\"s\",\"in\":\"" + in + "\",\"out\":\"" + out + "\"" +
           segment_extra + "}]" + extra + "}";
  }

  // Renders `timeline_json` and checks the failure is clean and says `expect`.
  void ExpectCleanFailure(const std::string& timeline_json, const std::string& expect) {
    SCOPED_TRACE(timeline_json);
    std::string out_dir = dir_.File("out");
    std::filesystem::remove_all(out_dir);
    std::filesystem::create_directories(out_dir);
    testing::WriteFile(dir_.File("t.json"), timeline_json);
    auto r = testing::Run("'" + testing::CliPath() + "' render '" + dir_.File("t.json") + "' -o '" +
                          out_dir + "/out.mp4'");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(expect), std::string::npos)
        << "message should say '" << expect << "', got: " << r.output;
    EXPECT_EQ(r.output.find("Sanitizer"), std::string::npos) << r.output;
    EXPECT_TRUE(std::filesystem::is_empty(out_dir)) << "a file was left in the output folder";
  }

  TempDir dir_;
  std::string good_ = dir_.File("good.mp4");
};

TEST_F(RenderBadInput, MissingSourceFile) {
  ExpectCleanFailure(Timeline(dir_.File("nope.mp4")), "no such file");
}

TEST_F(RenderBadInput, SourceIsADirectory) {
  ExpectCleanFailure(Timeline(dir_.path()), "is a directory");
}

TEST_F(RenderBadInput, EmptySourceFile) {
  testing::WriteFile(dir_.File("empty.mp4"), "");
  ExpectCleanFailure(Timeline(dir_.File("empty.mp4")), "empty");
}

TEST_F(RenderBadInput, TextRenamedMp4) {
  testing::WriteFile(dir_.File("notes.mp4"), "These are my notes, not a video.\n");
  ExpectCleanFailure(Timeline(dir_.File("notes.mp4")), "not a media file");
}

TEST_F(RenderBadInput, TruncatedMp4WithIndexAtTheEnd) {
  // Written without faststart, the index comes last: cutting the file loses it.
  std::string full = dir_.File("full.mp4"), cut = dir_.File("cut.mp4");
  ASSERT_TRUE(
      testing::Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=30 -t 3 -c:v libx264 "
                      "-preset ultrafast '" +
                      full + "'"));
  std::filesystem::copy_file(full, cut);
  std::filesystem::resize_file(cut, std::filesystem::file_size(full) / 2);
  ExpectCleanFailure(Timeline(cut, "0", "2", "", "", ",\"mute\":true"), "cut.mp4");
}

TEST_F(RenderBadInput, TruncatedFaststartMp4) {
  // With the index first, the file opens and promises 3 s, but the picture data stops early.
  std::string full = dir_.File("fs.mp4"), cut = dir_.File("fscut.mp4");
  ASSERT_TRUE(
      testing::Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=30 -t 6 -c:v libx264 "
                      "-preset ultrafast -movflags +faststart '" +
                      full + "'"));
  std::filesystem::copy_file(full, cut);
  std::filesystem::resize_file(cut, std::filesystem::file_size(full) / 3);
  ExpectCleanFailure(Timeline(cut, "0", "5.5", "", "", ",\"mute\":true"), "truncated");
}

TEST_F(RenderBadInput, DamagedAviWithAudioRequired) {
  std::string bugy = testing::SharedTestData("video/Megamind_bugy.avi");
  ASSERT_TRUE(testing::FileExists(bugy)) << "shared test data missing: " << bugy;
  ExpectCleanFailure(Timeline(bugy, "0", "3"), "has no audio stream");
}

TEST_F(RenderBadInput, DamagedAviMutedDegradesToAValidRender) {
  std::string bugy = testing::SharedTestData("video/Megamind_bugy.avi");
  testing::WriteFile(dir_.File("t.json"), Timeline(bugy, "1", "4", "", "", ",\"mute\":true"));
  auto r = testing::Run("'" + testing::CliPath() + "' render '" + dir_.File("t.json") + "' -o '" +
                        dir_.File("bugy.mp4") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto frames = testing::Run(
      "ffprobe -v error -count_frames -show_entries stream=nb_read_frames "
      "-of csv=p=0 '" +
      dir_.File("bugy.mp4") + "'");
  EXPECT_EQ(std::stoi(frames.output), 90);
}

TEST_F(RenderBadInput, AudioOnlySource) {
  std::string audio = dir_.File("voice.m4a");
  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i sine=r=48000 -t 3 -c:a aac '" + audio + "'"));
  ExpectCleanFailure(Timeline(audio), "has no video stream");
}

TEST_F(RenderBadInput, VideoOnlySourceWhenTheOutputHasAudio) {
  std::string silent = dir_.File("silent.mp4");
  ASSERT_TRUE(
      testing::Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=30 -t 3 -c:v libx264 "
                      "-preset ultrafast '" +
                      silent + "'"));
  ExpectCleanFailure(Timeline(silent), "has no audio stream");
}

TEST_F(RenderBadInput, TimesOutsideTheSource) {
  ExpectCleanFailure(Timeline(good_, "1", "9"), "segments[0].out");
  ExpectCleanFailure(Timeline(good_, "2", "1"), "segments[0]");
}

TEST_F(RenderBadInput, UnknownCaptionStyle) {
  ExpectCleanFailure(Timeline(good_, "0", "2", "",
                              ",\"captions\":{\"style\":\"sparkles\",\"words\":[{\"text\":\"hi\","
                              "\"start\":\"0.1\",\"end\":\"0.5\"}]}"),
                     "sparkles");
}

TEST_F(RenderBadInput, OddOutputSize) {
  std::string t = Timeline(good_);
  t.replace(t.find("\"width\":320"), 11, "\"width\":321");
  ExpectCleanFailure(t, "output.width");
}

TEST_F(RenderBadInput, MalformedAndMisspelledTimelines) {
  ExpectCleanFailure("{\"version\":1, \"output\": {", "line 1");
  ExpectCleanFailure(Timeline(good_, "0", "2", "", "", ",\"zoom\":2"), "zoom");
  ExpectCleanFailure("", "empty");
}

TEST_F(RenderBadInput, OutputOverAnInputIsRefused) {
  testing::WriteFile(dir_.File("t.json"), Timeline(good_));
  auto before = std::filesystem::file_size(good_);
  auto r = testing::Run("'" + testing::CliPath() + "' render '" + dir_.File("t.json") + "' -o '" +
                        good_ + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("refusing to overwrite"), std::string::npos) << r.output;
  EXPECT_EQ(std::filesystem::file_size(good_), before) << "the user's source was changed";
}

TEST(CliUsage, ExitCodesAndHelp) {
  auto cli = "'" + testing::CliPath() + "'";
  EXPECT_EQ(testing::Run(cli + " --version").exit_code, 0);
  EXPECT_EQ(testing::Run(cli).exit_code, 2);
  EXPECT_EQ(testing::Run(cli + " frobnicate").exit_code, 2);
  for (std::string cmd : {"probe", "render", "sample", "speak"}) {
    auto help = testing::Run(cli + " " + cmd + " --help");
    EXPECT_EQ(help.exit_code, 0) << cmd;
    EXPECT_NE(help.output.find("usage: cutroom " + cmd), std::string::npos) << cmd;
  }
  EXPECT_EQ(testing::Run(cli + " render").exit_code, 2);
  EXPECT_EQ(testing::Run(cli + " render t.json").exit_code, 2);  // no -o
  EXPECT_EQ(testing::Run(cli + " render t.json -o x.mp4 --threads zero").exit_code, 2);
  EXPECT_EQ(testing::Run(cli + " probe /nonexistent.mp4").exit_code, 1);
}

TEST(CliProbe, JsonHasTheDocumentedFields) {
  TempDir dir;
  std::string src = dir.File("p.mp4");
  ASSERT_TRUE(
      testing::Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=r=44100 -t 1 "
                      "-c:v libx264 -preset ultrafast -c:a aac -ac 2 '" +
                      src + "'"));
  auto r = testing::Run("'" + testing::CliPath() + "' probe --json '" + src + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* field :
       {"\"duration_s\":", "\"streams\":[", "\"type\":\"video\"", "\"codec\":\"h264\"",
        "\"width\":320", "\"height\":240", "\"fps\":25", "\"rotation\":0", "\"type\":\"audio\"",
        "\"sample_rate\":44100", "\"channels\":2"}) {
    EXPECT_NE(r.output.find(field), std::string::npos) << field << " in " << r.output;
  }
}

}  // namespace
}  // namespace cutroom
