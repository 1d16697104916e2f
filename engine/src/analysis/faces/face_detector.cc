#include "analysis/faces/face_detector.h"

#include "analysis/faces/shape_model.h"

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
  ShapeModel predictor;
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
    std::ifstream in(path, std::ios::binary);
    if (!in) return NotFoundError("face landmark model " + path + " cannot be opened");
    model->impl_->predictor.Deserialize(in);
  } catch (const std::exception& e) {
    return DataLossError("face landmark model " + path + " is unreadable: " + e.what());
  }
  if (model->impl_->predictor.num_parts() != 68) {
    return DataLossError("face landmark model " + path + " does not have 68 points");
  }
  return std::shared_ptr<const LandmarkModel>(std::move(model));
}

struct FaceDetector::Impl {
  using Scanner = dlib::scan_fhog_pyramid<dlib::pyramid_down<6>>;
  using Detector = dlib::object_detector<Scanner>;

  dlib::frontal_face_detector detector;
  // The same detector limited to its first N pyramid levels, made on first use (index N - 1).
  std::vector<std::unique_ptr<Detector>> limited;
  std::shared_ptr<const LandmarkModel> landmarks;
  dlib::array2d<unsigned char> image;
  dlib::array2d<unsigned char> upsampled;
  dlib::array2d<unsigned char> level_a, level_b;  // pyramid levels skipped before a limited scan
  double min_score = 0.0;

  Detector& Limited(unsigned long levels) {
    if (limited.size() < levels) limited.resize(levels);
    auto& d = limited[levels - 1];
    if (d == nullptr) {
      Scanner scanner;
      scanner.copy_configuration(detector.get_scanner());
      scanner.set_max_pyramid_levels(levels);
      std::vector<Detector::feature_vector_type> weights;
      for (unsigned long i = 0; i < detector.num_detectors(); ++i) {
        weights.push_back(detector.get_w(i));
      }
      d = std::make_unique<Detector>(scanner, detector.get_overlap_tester(), weights);
    }
    return *d;
  }

  // Runs the detector on the pyramid levels of `img` whose faces fit `sizes` (in pixels of
  // `img`): the levels below are made here with the scanner's own pyramid_down<6>, exactly as
  // the scanner makes them, so the features and scores of the scanned levels are unchanged.
  void Scan(const dlib::array2d<unsigned char>& img, const FaceSizeRange& sizes,
            std::vector<dlib::rect_detection>* found) {
    const bool all = sizes.min_px <= 0.0 && !std::isfinite(sizes.max_px);
    if (all) {
      detector(img, *found, min_score);
      return;
    }
    // Box side of a level-0 detection (the 80x80 window less its padding: ~73 px); each level
    // finds faces 6/5 as large.
    constexpr double kLevel0BoxPx = 73.0;
    constexpr long kMaxLevels = 64;
    const double step = std::log(6.0 / 5.0);
    const double bottom = std::log(std::max(sizes.min_px, 1e-3) / kLevel0BoxPx) / step - 1e-9;
    const double top = std::isfinite(sizes.max_px)
                           ? std::log(sizes.max_px / kLevel0BoxPx) / step + 1e-9
                           : static_cast<double>(kMaxLevels);
    const long lowest = std::max(0L, static_cast<long>(std::ceil(bottom)));
    const long highest = std::min(kMaxLevels, static_cast<long>(std::floor(top)));
    found->clear();
    if (highest < lowest) return;
    dlib::pyramid_down<6> pyr;
    const dlib::array2d<unsigned char>* level = &img;
    for (long l = 0; l < lowest; ++l) {
      dlib::array2d<unsigned char>* next = level == &level_a ? &level_b : &level_a;
      pyr(*level, *next);
      level = next;
      // Smaller than one detection window: nothing at this level or above.
      if (level->nc() < kLevel0BoxPx || level->nr() < kLevel0BoxPx) return;
    }
    Limited(static_cast<unsigned long>(highest - lowest + 1))(*level, *found, min_score);
    if (lowest > 0) {
      for (auto& det : *found) {
        det.rect = pyr.rect_up(dlib::drectangle(det.rect), static_cast<unsigned int>(lowest));
      }
    }
  }
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

Result<std::vector<FaceObservation>> FaceDetector::Detect(const Plane8& luma, Upsample upsample,
                                                         const FaceSizeRange& sizes) {
  std::vector<FaceObservation> faces;
  if (luma.empty()) return faces;
  Impl& d = *impl_;
  try {
    ToDlib(luma, &d.image);
    std::vector<dlib::rect_detection> found;
    double scale = 1.0;
    if (upsample == Upsample::kTwice) {
      dlib::pyramid_up(d.image, d.upsampled, dlib::pyramid_down<2>());
      d.Scan(d.upsampled, FaceSizeRange{sizes.min_px * 2.0, sizes.max_px * 2.0}, &found);
      scale = 0.5;
    } else {
      d.Scan(d.image, sizes, &found);
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
