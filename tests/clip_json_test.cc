// Round trips of the clip job's intermediate files: analysis.json (AnalysisFromJson reads back
// what AnalysisToJson wrote) and selection.json (lossless).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analysis/analyzer.h"
#include "select/selection_json.h"

namespace cutroom {
namespace {

analysis::Analysis SampleAnalysis() {
  analysis::Analysis a;
  a.path = "/videos/talk.mp4";
  a.duration = MediaTime(1001 * 1234, {1, 30000});  // not a round number of seconds
  a.has_video = true;
  a.has_audio = true;
  a.width = 1920;
  a.height = 1080;
  a.fps = {30000, 1001};
  a.video_frames = 1234;
  a.corrupt_packets = 1;
  a.face_sample_rate = {5, 1};
  a.notes = {"landmarks unavailable"};
  a.cuts.push_back({MediaTime(1001 * 300, {1, 30000}), 300, 0.875, analysis::CutKind::kHard});
  a.cuts.push_back({MediaTime(1001 * 900, {1, 30000}), 900, 0.5, analysis::CutKind::kFade});
  a.motion.push_back({MediaTime(0, {1, 1}), 0.125, 0.015625, -0.03125});
  analysis::FaceTrack t;
  t.id = 1;
  t.mouth_activity = 0.4;
  t.samples.push_back({MediaTime(1, {1, 5}), {0.25, 0.125, 0.2, 0.3}, 0.9, 0.05, 0.25, false});
  t.samples.push_back({MediaTime(2, {1, 5}), {0.2625, 0.125, 0.2, 0.3}, 0.0, 0.0, 0.5, true});
  a.faces.push_back(t);
  analysis::AudioAnalysis au;
  au.start = MediaTime(0, {1, 1});
  au.duration = MediaTime(41, {1, 1});
  au.integrated_lufs = -18.25;
  au.rms_dbfs = -21.5;
  au.speech_fraction = 0.75;
  au.loudness.push_back({MediaTime(0, {1, 10}), -std::numeric_limits<double>::infinity(), -30.5, -40.25, 0.0});
  au.loudness.push_back({MediaTime(1, {1, 10}), -20.5, -22.25, -24.0, 0.75});
  au.silences.push_back({MediaTime(10, {1, 1}), MediaTime(11, {1, 1})});
  au.peaks.push_back({MediaTime(5, {1, 1}), 9.5});
  au.speech.push_back({MediaTime(1, {1, 1}), MediaTime(9, {1, 1})});
  a.audio = au;
  return a;
}

TEST(AnalysisJson, ReadsBackWhatLaterStepsUse) {
  analysis::Analysis a = SampleAnalysis();
  std::string text = analysis::AnalysisToJson(a);
  auto back = analysis::AnalysisFromJson(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->path, a.path);
  EXPECT_EQ(back->duration, a.duration) << "duration is exact";
  EXPECT_EQ(back->fps, a.fps) << "frame rate is exact";
  EXPECT_TRUE(back->has_video);
  EXPECT_TRUE(back->has_audio);
  EXPECT_EQ(back->width, 1920);
  EXPECT_EQ(back->height, 1080);
  EXPECT_EQ(back->video_frames, 1234);
  EXPECT_EQ(back->notes, a.notes);
  EXPECT_EQ(back->face_sample_rate, a.face_sample_rate);
  ASSERT_EQ(back->cuts.size(), 2u);
  EXPECT_NEAR(back->cuts[0].time.ToSeconds(), a.cuts[0].time.ToSeconds(), 1e-4);
  EXPECT_EQ(back->cuts[1].kind, analysis::CutKind::kFade);
  EXPECT_EQ(back->cuts[1].frame_index, 900);
  ASSERT_EQ(back->motion.size(), 1u);
  EXPECT_DOUBLE_EQ(back->motion[0].pan_y, -0.0313);  // 4 places in the file
  ASSERT_EQ(back->faces.size(), 1u);
  ASSERT_EQ(back->faces[0].samples.size(), 2u);
  const auto& s = back->faces[0].samples[1];
  EXPECT_EQ(back->faces[0].id, 1);
  EXPECT_EQ(s.time, MediaTime(2, {1, 5}));
  EXPECT_DOUBLE_EQ(s.box.x, 0.2625);
  EXPECT_DOUBLE_EQ(s.box.h, 0.3);
  EXPECT_DOUBLE_EQ(s.mouth_activity, 0.5);
  EXPECT_TRUE(s.bridged);
  ASSERT_TRUE(back->audio.has_value());
  EXPECT_DOUBLE_EQ(back->audio->integrated_lufs, -18.25);
  ASSERT_EQ(back->audio->loudness.size(), 2u);
  EXPECT_TRUE(std::isinf(back->audio->loudness[0].momentary_lufs)) << "silence's -inf survives as null";
  EXPECT_EQ(back->audio->loudness[1].time, MediaTime(1, {1, 10}));
  EXPECT_DOUBLE_EQ(back->audio->loudness[1].short_term_lufs, -22.25);
  EXPECT_DOUBLE_EQ(back->audio->loudness[1].speech, 0.75);
  ASSERT_EQ(back->audio->peaks.size(), 1u);
  EXPECT_DOUBLE_EQ(back->audio->peaks[0].strength_db, 9.5);
  ASSERT_EQ(back->audio->speech.size(), 1u);
  EXPECT_EQ(back->audio->speech[0].end, MediaTime(9, {1, 1}));
  EXPECT_EQ(back->audio->silences.size(), 1u);
  // Writing what was read gives the same file: the form is stable.
  EXPECT_EQ(analysis::AnalysisToJson(*back), text);
}

TEST(AnalysisJson, TheExactFormReadsBackTheSameValues) {
  analysis::Analysis a = SampleAnalysis();
  a.faces[0].samples[0].time = MediaTime(1001, {1, 15360});  // not a round number
  a.faces[0].samples[0].box.x = 0.123456789;
  a.audio->peaks[0].strength_db = 9.87654321;
  std::string text = analysis::AnalysisToJson(a, analysis::AnalysisJsonForm::kExact);
  auto back = analysis::AnalysisFromJson(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->faces[0].samples[0].time, a.faces[0].samples[0].time);
  EXPECT_EQ(back->faces[0].samples[0].time.time_base(), a.faces[0].samples[0].time.time_base());
  EXPECT_EQ(back->faces[0].samples[0].box.x, 0.123456789);
  EXPECT_EQ(back->audio->peaks[0].strength_db, 9.87654321);
  EXPECT_EQ(back->cuts[0].time, a.cuts[0].time);
  EXPECT_EQ(back->motion[0].pan_y, -0.03125);
  EXPECT_EQ(analysis::AnalysisToJson(*back, analysis::AnalysisJsonForm::kExact), text);
  // The rounded form is unchanged by having the exact one.
  EXPECT_EQ(analysis::AnalysisToJson(*back), analysis::AnalysisToJson(a));
}

TEST(AnalysisJson, WithoutAudioOrVideoAndBadInput) {
  analysis::Analysis a;
  a.path = "x.wav";
  a.duration = MediaTime(3, {1, 1});
  a.has_audio = false;
  auto back = analysis::AnalysisFromJson(analysis::AnalysisToJson(a));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_FALSE(back->audio.has_value());
  EXPECT_FALSE(back->has_video);
  EXPECT_EQ(back->fps.num, 0);
  EXPECT_EQ(analysis::AnalysisFromJson("{").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(analysis::AnalysisFromJson(R"({"version":1})").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(analysis::AnalysisFromJson(R"({"version":99})").status().code(), StatusCode::kDataLoss);
}

TEST(SelectionJson, RoundTripIsLossless) {
  select::Selection s;
  select::ClipCandidate c;
  c.start = MediaTime(12345, {1, 1000});
  c.end = MediaTime(1001 * 999, {1, 30000});
  c.first_sentence = 3;
  c.last_sentence = 7;
  c.score = 71.23456789012345;
  c.components = {{"hook", 0.8, 3.0, 24.1, "a question in the first 3 s"}, {"fillers", 0.1, 1.0, -2.5, ""}};
  c.reason = "strong hook; ends on a pause";
  c.title = "Why \"it\" works";
  c.description = "line one\nline two";
  c.hashtags = {"#Build", "#Ship"};
  c.text = "Why does it work? Because.";
  s.clips.push_back(c);
  c.first_sentence = -1;
  c.last_sentence = -1;
  c.components.clear();
  c.hashtags.clear();
  s.clips.push_back(c);
  s.warnings = {"source is shorter than --min-s"};
  std::string text = select::SelectionToJson(s);
  auto back = select::SelectionFromJson(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->clips.size(), 2u);
  const auto& b = back->clips[0];
  EXPECT_EQ(b.start, s.clips[0].start);
  EXPECT_EQ(b.start.time_base(), s.clips[0].start.time_base()) << "the time base is kept";
  EXPECT_EQ(b.end, s.clips[0].end);
  EXPECT_EQ(b.first_sentence, 3);
  EXPECT_EQ(b.last_sentence, 7);
  EXPECT_EQ(b.score, s.clips[0].score) << "doubles read back exactly";
  ASSERT_EQ(b.components.size(), 2u);
  EXPECT_EQ(b.components[1].name, "fillers");
  EXPECT_EQ(b.components[1].contribution, -2.5);
  EXPECT_EQ(b.components[0].detail, "a question in the first 3 s");
  EXPECT_EQ(b.title, s.clips[0].title);
  EXPECT_EQ(b.description, s.clips[0].description);
  EXPECT_EQ(b.hashtags, s.clips[0].hashtags);
  EXPECT_EQ(b.text, s.clips[0].text);
  EXPECT_EQ(back->clips[1].first_sentence, -1);
  EXPECT_EQ(back->warnings, s.warnings);
  EXPECT_EQ(select::SelectionToJson(*back), text);
  EXPECT_EQ(select::SelectionFromJson("[]").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(select::SelectionFromJson(R"({"version":1,"clips":[{"start":"x"}],"warnings":[]})").status().code(),
            StatusCode::kDataLoss);
}

}  // namespace
}  // namespace cutroom
