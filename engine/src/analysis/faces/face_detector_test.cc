#include "analysis/faces/face_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "analysis/faces/face_tracker.h"
#include "test_support.h"

namespace cutroom::analysis {
namespace {

namespace t = cutroom::testing;

// A shared photo scaled to w x h grey pixels by the ffmpeg CLI.
Plane8 Photo(const std::string& name, int w, int h) {
  t::TempDir dir;
  const std::string raw = dir.File("photo.gray");
  Plane8 p;
  if (!t::Ffmpeg("-i '" + t::SharedTestData("faces/" + name) + "' -vf scale=" + std::to_string(w) +
                 ":" + std::to_string(h) + ",format=gray -f rawvideo '" + raw + "'")) {
    return p;
  }
  const std::string bytes = t::ReadFile(raw);
  if (bytes.size() != static_cast<size_t>(w) * static_cast<size_t>(h)) return p;
  p.width = w;
  p.height = h;
  p.pixels.assign(bytes.begin(), bytes.end());
  return p;
}

class FaceDetectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto model = LandmarkModel::Load(kDefaultLandmarkModel);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    model_ = new std::shared_ptr<const LandmarkModel>(*model);
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  std::unique_ptr<FaceDetector> MakeDetector() {
    auto d = FaceDetector::Create(*model_);
    EXPECT_TRUE(d.ok());
    return std::move(d).value();
  }
  static std::shared_ptr<const LandmarkModel>* model_;
};
std::shared_ptr<const LandmarkModel>* FaceDetectorTest::model_ = nullptr;

TEST_F(FaceDetectorTest, FindsTheAstronautsFaceWithClosedMouth) {
  const Plane8 photo = Photo("astronaut.jpg", 512, 512);
  ASSERT_FALSE(photo.empty());
  auto faces = MakeDetector()->Detect(photo, Upsample::kNone);
  ASSERT_TRUE(faces.ok());
  for (const auto& f : *faces) {
    std::printf("face %.0f,%.0f %.0fx%.0f score %.2f\n", f.box.x, f.box.y, f.box.w, f.box.h, f.score);
  }
  ASSERT_EQ(faces->size(), 1u);
  const FaceObservation& f = (*faces)[0];
  // The face is in the upper middle of the portrait.
  EXPECT_GT(f.box.x + f.box.w / 2, 150);
  EXPECT_LT(f.box.x + f.box.w / 2, 300);
  EXPECT_LT(f.box.y + f.box.h / 2, 220);
  ASSERT_TRUE(f.has_landmarks);
  // Mouth landmarks lie in the lower half of the box.
  EXPECT_GT(f.landmarks[51].y, f.box.y + f.box.h / 2);
  EXPECT_LT(f.mouth_openness, 0.15);
}

// A region scan limited to the tracked face's size (one pyramid level either way) finds the face
// with the box and score of the full scan (up to a pixel of rounding), at a third of the cost;
// a range of sizes the face does not have finds nothing.
TEST_F(FaceDetectorTest, SizeRangeFindsTheSameFaceAndOnlyThatSize) {
  auto detector = MakeDetector();
  // The face is ~88 px at 512 (pyramid level 1) and ~176 px at 1024 (level 5: the levels below
  // are skipped).
  for (int size : {512, 1024}) {
    SCOPED_TRACE(size);
    const Plane8 photo = Photo("astronaut.jpg", size, size);
    ASSERT_FALSE(photo.empty());
    auto full = detector->Detect(photo, Upsample::kNone);
    ASSERT_TRUE(full.ok());
    ASSERT_EQ(full->size(), 1u);
    const FaceObservation want = (*full)[0];
    const double side = want.box.w;
    auto limited = detector->Detect(photo, Upsample::kNone, FaceSizeRange{side / 1.35, side * 1.35});
    ASSERT_TRUE(limited.ok());
    ASSERT_EQ(limited->size(), 1u);
    const FaceObservation& got = (*limited)[0];
    std::printf("%d px: full %.1f,%.1f %.1f score %.4f; limited %.1f,%.1f %.1f score %.4f\n", size,
                want.box.x, want.box.y, want.box.w, want.score, got.box.x, got.box.y, got.box.w,
                got.score);
    EXPECT_NEAR(got.box.x, want.box.x, 1.0);
    EXPECT_NEAR(got.box.y, want.box.y, 1.0);
    EXPECT_NEAR(got.box.w, want.box.w, 1.0);
    EXPECT_NEAR(got.score, want.score, 1e-6);
    EXPECT_NEAR(got.mouth_openness, want.mouth_openness, 0.02);
    auto smaller = detector->Detect(photo, Upsample::kNone, FaceSizeRange{0.0, side / 1.6});
    auto larger = detector->Detect(photo, Upsample::kNone, FaceSizeRange{side * 1.6, 1e9});
    ASSERT_TRUE(smaller.ok() && larger.ok());
    EXPECT_TRUE(smaller->empty());
    EXPECT_TRUE(larger->empty());
  }
}

TEST_F(FaceDetectorTest, SmallFaceNeedsUpsampling) {
  // The astronaut at 256 px: her face is ~44 px, under the detector's 80 px window.
  const Plane8 photo = Photo("astronaut.jpg", 256, 256);
  auto detector = MakeDetector();
  auto plain = detector->Detect(photo, Upsample::kNone);
  auto upsampled = detector->Detect(photo, Upsample::kTwice);
  ASSERT_TRUE(plain.ok() && upsampled.ok());
  EXPECT_TRUE(plain->empty());
  ASSERT_EQ(upsampled->size(), 1u);
  EXPECT_LT((*upsampled)[0].box.w, 80);  // reported in the given image's pixels
}

TEST_F(FaceDetectorTest, HiddenFaceIsNotFound) {
  const Plane8 photo = Photo("cameraman_no_face_visible.jpg", 512, 512);
  auto faces = MakeDetector()->Detect(photo, Upsample::kNone);
  ASSERT_TRUE(faces.ok());
  EXPECT_TRUE(faces->empty());
}

// Two copies of the astronaut side by side; the left one's jaw drops and closes with a speech
// envelope (the lower face shifted down, the gap dark like an open mouth), the right one is still.
TEST_F(FaceDetectorTest, MouthActivityTellsTalkingFromStillFace) {
  // A 280 px square around her face (about 88 px wide) from the 512 px portrait.
  const Plane8 portrait = Photo("astronaut.jpg", 512, 512);
  ASSERT_FALSE(portrait.empty());
  Plane8 face;
  face.width = face.height = 280;
  for (int y = 0; y < 280; ++y) {
    for (int x = 0; x < 280; ++x) face.pixels.push_back(portrait.at(x + 80, y + 0));
  }
  auto detector = MakeDetector();
  auto found = detector->Detect(face, Upsample::kNone);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  const auto& lm = (*found)[0].landmarks;
  const int mouth_y = static_cast<int>(std::lround((lm[62].y + lm[66].y) / 2));
  const int x0 = static_cast<int>(lm[48].x) - 12, x1 = static_cast<int>(lm[54].x) + 12;
  const int chin = static_cast<int>(lm[8].y) + 6;
  const double mouth_w = lm[54].x - lm[48].x;

  FaceTracker tracker;
  constexpr int kSamples = 30;  // 6 s at 5 samples per second
  for (int k = 0; k < kSamples; ++k) {
    const int open = static_cast<int>(std::lround(0.45 * mouth_w * std::abs(std::sin(k * 1.3))));
    Plane8 canvas;
    canvas.width = 640;
    canvas.height = 360;
    canvas.pixels.assign(640 * 360, 90);
    for (int copy = 0; copy < 2; ++copy) {
      const int ox = copy == 0 ? 20 : 340, oy = 40;
      for (int y = 0; y < 280; ++y) {
        for (int x = 0; x < 280; ++x) {
          int sy = y;
          uint8_t v = 0;
          const bool jaw = copy == 0 && x >= x0 && x <= x1 && y >= mouth_y && y <= chin;
          if (jaw && y < mouth_y + open) {
            v = 25;  // the open mouth
          } else {
            if (jaw) sy = y - open;
            v = face.at(x, sy);
          }
          canvas.pixels[static_cast<size_t>((oy + y) * 640 + ox + x)] = v;
        }
      }
    }
    auto faces = detector->Detect(canvas, Upsample::kNone);
    ASSERT_TRUE(faces.ok());
    std::vector<FaceDetection> detections;
    for (const auto& f : *faces) {
      detections.push_back(FaceDetection{
          RectF{f.box.x / 640, f.box.y / 360, f.box.w / 640, f.box.h / 360}, f.score, f.mouth_openness});
    }
    tracker.Update(MediaTime(k, {1, 5}), detections);
  }
  const auto tracks = tracker.Finish();
  ASSERT_EQ(tracks.size(), 2u);
  const FaceTrack& talking = tracks[0].samples[0].box.x < 0.5 ? tracks[0] : tracks[1];
  const FaceTrack& still = tracks[0].samples[0].box.x < 0.5 ? tracks[1] : tracks[0];
  std::printf("mouth activity: talking %.3f, still %.3f (samples %zu / %zu)\n", talking.mouth_activity,
              still.mouth_activity, talking.samples.size(), still.samples.size());
  EXPECT_GE(talking.samples.size(), static_cast<size_t>(kSamples * 0.95));
  EXPECT_GE(still.samples.size(), static_cast<size_t>(kSamples * 0.95));
  EXPECT_GT(talking.mouth_activity, 0.5);
  EXPECT_LT(still.mouth_activity, 0.15);
  EXPECT_GT(talking.mouth_activity, still.mouth_activity + 0.4);
}

TEST(LandmarkModelTest, MissingModelIsAClearError) {
  auto model = LandmarkModel::Load("/nonexistent/shape_predictor.dat");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kNotFound);
  EXPECT_NE(model.status().message().find("libdlib-data"), std::string::npos);
}

}  // namespace
}  // namespace cutroom::analysis
