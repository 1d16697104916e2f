// ShapeModel must give dlib::shape_predictor's landmarks exactly: it evaluates the same model in a
// different memory layout, and mouth activity thresholds were tuned on dlib's output.
#include "analysis/faces/shape_model.h"

#include <dlib/image_processing/frontal_face_detector.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "analysis/faces/face_detector.h"
#include "test_support.h"

namespace cutroom::analysis {
namespace {

namespace t = cutroom::testing;

bool LoadGrey(const std::string& name, dlib::array2d<unsigned char>* img) {
  t::TempDir dir;
  const std::string raw = dir.File("photo.gray");
  const int w = 512, h = 512;
  if (!t::Ffmpeg("-i '" + t::SharedTestData("faces/" + name) + "' -vf scale=" + std::to_string(w) +
                 ":" + std::to_string(h) + ",format=gray -f rawvideo '" + raw + "'")) {
    return false;
  }
  const std::string bytes = t::ReadFile(raw);
  if (bytes.size() != static_cast<size_t>(w * h)) return false;
  img->set_size(h, w);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) (*img)[y][x] = static_cast<unsigned char>(bytes[y * w + x]);
  }
  return true;
}

TEST(ShapeModelTest, LandmarksAreBitIdenticalToDlibs) {
  dlib::shape_predictor reference;
  dlib::deserialize(kDefaultLandmarkModel) >> reference;
  ShapeModel packed;
  std::ifstream in(kDefaultLandmarkModel, std::ios::binary);
  packed.Deserialize(in);
  ASSERT_EQ(packed.num_parts(), 68u);

  dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
  int compared = 0;
  for (const char* name : {"astronaut.jpg", "messi5.jpg", "cameraman_no_face_visible.jpg"}) {
    dlib::array2d<unsigned char> img;
    ASSERT_TRUE(LoadGrey(name, &img)) << name;
    std::vector<dlib::rectangle> boxes = detector(img);
    // Also boxes the detector did not give (shifted, scaled, a background patch, one partly
    // outside the picture), where trees take other branches.
    boxes.push_back(dlib::rectangle(40, 60, 200, 220));
    boxes.push_back(dlib::rectangle(-30, 400, 90, 560));
    if (!boxes.empty()) boxes.push_back(dlib::grow_rect(boxes.front(), 12));
    for (const dlib::rectangle& box : boxes) {
      const dlib::full_object_detection want = reference(img, box);
      const dlib::full_object_detection got = packed(img, box);
      ASSERT_EQ(got.num_parts(), want.num_parts());
      for (unsigned long i = 0; i < want.num_parts(); ++i) {
        EXPECT_EQ(got.part(i), want.part(i)) << name << " part " << i;
      }
      ++compared;
    }
  }
  EXPECT_GE(compared, 8);
}

TEST(ShapeModelTest, TruncatedModelIsAnError) {
  std::ifstream in(kDefaultLandmarkModel, std::ios::binary);
  std::string head(1 << 20, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  std::istringstream cut(head);
  ShapeModel model;
  EXPECT_THROW(model.Deserialize(cut), std::exception);
  std::istringstream garbage("this is not a model");
  EXPECT_THROW(model.Deserialize(garbage), std::exception);
}

}  // namespace
}  // namespace cutroom::analysis
