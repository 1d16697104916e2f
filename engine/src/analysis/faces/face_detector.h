// Face detection and landmarks: the dlib adapter, and the only code that includes dlib. dlib's
// HOG frontal detector finds faces of about 80 px and larger; Upsample::kTwice doubles the picture
// first so faces down to about 40 px are found, at four times the cost. The 68-point landmark
// model gives the mouth: inner-lip opening over mouth width is the mouth openness.
//
// Thread safety: a FaceDetector is used by one thread at a time (dlib's scanner keeps scratch
// images). One LandmarkModel may be shared by any number of detectors on any threads.
#pragma once

#include <array>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "analysis/plane.h"
#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::analysis {

inline constexpr char kDefaultLandmarkModel[] =
    "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

struct FacePoint {
  double x = 0.0;
  double y = 0.0;
};

struct FaceObservation {
  RectF box;                // pixels of the image given to Detect()
  double score = 0.0;       // detector margin; > 0 is a detection, higher is surer
  bool has_landmarks = false;
  std::array<FacePoint, 68> landmarks{};  // iBUG 300-W order (48..67: mouth)
  double mouth_openness = 0.0;            // inner-lip gap / mouth width, ~0 closed, ~0.5 wide open
};

// The 68-point shape predictor, loaded once (about 100 MB) and shared read-only.
class LandmarkModel {
 public:
  // Errors: NotFound when the file is missing (install libdlib-data), DataLoss when unreadable.
  static Result<std::shared_ptr<const LandmarkModel>> Load(const std::string& path);
  ~LandmarkModel();

 private:
  LandmarkModel();
  friend class FaceDetector;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

enum class Upsample { kInvalid = 0, kNone, kTwice };

// The face sizes (box side, in pixels of the picture given to Detect()) worth looking for. HOG
// scans an image pyramid whose every level finds faces ~1.2x larger than the one before; a
// narrower range skips the levels outside it, which is most of the cost when the range excludes
// the small faces (a region around a tracked face of known size). The default scans them all.
struct FaceSizeRange {
  double min_px = 0.0;
  double max_px = std::numeric_limits<double>::infinity();
};

class FaceDetector {
 public:
  // `landmarks` may be null: then observations carry no landmarks and no mouth openness.
  // Detections scoring under `min_score` are dropped: dlib's own threshold is 0, where busy
  // textures (clothing, foliage) still fire now and then.
  static Result<std::unique_ptr<FaceDetector>> Create(std::shared_ptr<const LandmarkModel> landmarks,
                                                      double min_score = kDefaultMinScore);
  ~FaceDetector();
  FaceDetector(const FaceDetector&) = delete;
  FaceDetector& operator=(const FaceDetector&) = delete;

  // Faces in a greyscale picture, surest first. With a `sizes` range, only the pyramid levels
  // whose faces fall inside it are scanned; a face found there gets the same box as in a full
  // scan (up to a pixel of rounding). Errors: Internal when dlib fails.
  Result<std::vector<FaceObservation>> Detect(const Plane8& luma, Upsample upsample,
                                              const FaceSizeRange& sizes = {});

  static constexpr double kDefaultMinScore = 0.25;
  // The smallest face side (pixels) found without upsampling.
  static constexpr double kMinFacePx = 80.0;

 private:
  FaceDetector();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Mouth openness from 68 landmarks (exposed for tests).
double MouthOpenness(const std::array<FacePoint, 68>& landmarks);

}  // namespace cutroom::analysis
