#include "analysis/faces/face_detector.h"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>

namespace cutroom::analysis {
namespace {

double Distance(const FacePoint& a, const FacePoint& b) { return std::hypot(a.x - b.x, a.y - b.y); }

// A dlib image view over our plane would need dlib's generic image interface; a copy into
// dlib's array2d costs ~0.1 ms at 640x360 and keeps dlib types inside this file.
void ToDlib(const Plane8& luma, dlib::array2d<unsigned char>* out) {
  out->set_size(luma.height, luma.width);
  for (int y = 0; y < luma.height; ++y) {
    std::copy_n(luma.pixels.data() + static_cast<size_t>(y) * luma.width, luma.width, &(*out)[y][0]);
  }
}

}  // namespace

double MouthOpenness(const std::array<FacePoint, 68>& p) {
  const double width = Distance(p[48], p[54]);
  if (width < 1e-6) return 0.0;
  const double gap = (Distance(p[61], p[67]) + Distance(p[62], p[66]) + Distance(p[63], p[65])) / 3.0;
  return gap / width;
}

struct LandmarkModel::Impl {
  dlib::shape_predictor predictor;
};

LandmarkModel::LandmarkModel() : impl_(std::make_unique<Impl>()) {}
LandmarkModel::~LandmarkModel() = default;

Result<std::shared_ptr<const LandmarkModel>> LandmarkModel::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFoundError("face landmark model " + path +
                         " not found (install libdlib-data, or pass its path)");
  }
  std::shared_ptr<LandmarkModel> model(new LandmarkModel());
  try {
    dlib::deserialize(path) >> model->impl_->predictor;
  } catch (const std::exception& e) {
    return DataLossError("face landmark model " + path + " is unreadable: " + e.what());
  }
  if (model->impl_->predictor.num_parts() != 68) {
    return DataLossError("face landmark model " + path + " does not have 68 points");
  }
  return std::shared_ptr<const LandmarkModel>(std::move(model));
}

struct FaceDetector::Impl {
  dlib::frontal_face_detector detector;
  std::shared_ptr<const LandmarkModel> landmarks;
  dlib::array2d<unsigned char> image;
  dlib::array2d<unsigned char> upsampled;
  double min_score = 0.0;
};

FaceDetector::FaceDetector() : impl_(std::make_unique<Impl>()) {}
FaceDetector::~FaceDetector() = default;

Result<std::unique_ptr<FaceDetector>> FaceDetector::Create(
    std::shared_ptr<const LandmarkModel> landmarks, double min_score) {
  std::unique_ptr<FaceDetector> detector(new FaceDetector());
  try {
    detector->impl_->detector = dlib::get_frontal_face_detector();
  } catch (const std::exception& e) {
    return InternalError(std::string("face detector: ") + e.what());
  }
  detector->impl_->landmarks = std::move(landmarks);
  detector->impl_->min_score = min_score;
  return detector;
}

Result<std::vector<FaceObservation>> FaceDetector::Detect(const Plane8& luma, Upsample upsample) {
  std::vector<FaceObservation> faces;
  if (luma.empty()) return faces;
  Impl& d = *impl_;
  try {
    ToDlib(luma, &d.image);
    std::vector<dlib::rect_detection> found;
    double scale = 1.0;
    if (upsample == Upsample::kTwice) {
      dlib::pyramid_up(d.image, d.upsampled, dlib::pyramid_down<2>());
      d.detector(d.upsampled, found, d.min_score);
      scale = 0.5;
    } else {
      d.detector(d.image, found, d.min_score);
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.detection_confidence > b.detection_confidence; });
    for (const auto& det : found) {
      FaceObservation face;
      const dlib::rectangle& r = det.rect;
      face.box = RectF{r.left() * scale, r.top() * scale, static_cast<double>(r.width()) * scale,
                       static_cast<double>(r.height()) * scale};
      face.score = det.detection_confidence;
      if (d.landmarks != nullptr) {
        const dlib::rectangle in_image(
            static_cast<long>(std::lround(face.box.x)), static_cast<long>(std::lround(face.box.y)),
            static_cast<long>(std::lround(face.box.x + face.box.w)) - 1,
            static_cast<long>(std::lround(face.box.y + face.box.h)) - 1);
        const dlib::full_object_detection shape = d.landmarks->impl_->predictor(d.image, in_image);
        if (shape.num_parts() == 68) {
          for (unsigned long i = 0; i < 68; ++i) {
            face.landmarks[i] = FacePoint{static_cast<double>(shape.part(i).x()),
                                          static_cast<double>(shape.part(i).y())};
          }
          face.has_landmarks = true;
          face.mouth_openness = MouthOpenness(face.landmarks);
        }
      }
      faces.push_back(face);
    }
  } catch (const std::exception& e) {
    return InternalError(std::string("face detection failed: ") + e.what());
  }
  return faces;
}

}  // namespace cutroom::analysis
