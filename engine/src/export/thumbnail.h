// Thumbnails: choose a sharp output frame (with the face, when the caller can tell) from the first
// seconds of a clip, and write it as a JPEG rendered exactly as the clip renders it (no captions).
//
// Thread safety: pure functions; each call opens its own decoders.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cutroom/cancel.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "cutroom/timeline.h"

namespace cutroom::export_ {

struct ThumbnailOptions {
  MediaTime search_window = MediaTime(3, Rational{1, 1});  // from the clip's start
  int samples_per_second = 4;
  // Candidates are composed at this width (even; the output's when smaller) to keep the search
  // cheap; sharpness is compared between candidates, so the scale does not bias the choice.
  int analysis_width = 360;
  // Output time -> 0..1: how surely a face is inside the crop at that time. May be empty (no
  // face information). Called from the calling thread.
  std::function<double(MediaTime output_time)> face_score;
  int threads = 0;                      // decoder threads; 0 = FFmpeg's choice
  const CancelToken* cancel = nullptr;  // not owned
};

struct ThumbnailCandidate {
  MediaTime time;         // output time of the frame (on the output frame grid)
  double sharpness = 0;   // variance of the Laplacian of the composed frame's luma
  double face_score = 0;  // from ThumbnailOptions::face_score, 0 when absent
};

struct ThumbnailChoice {
  MediaTime time;
  double sharpness = 0;
  double face_score = 0;
  std::vector<ThumbnailCandidate> candidates;  // every frame considered, in time order
};

// Samples the first `search_window` of the clip at `samples_per_second` (frame-aligned, centred
// in each interval), composes each frame through render::VideoCompositor and measures its
// sharpness. Frames at least half as sharp as the sharpest are eligible; among them the highest
// face_score + 0.5 * (sharpness / sharpest) wins, the earliest on a tie. Without a face_score the
// sharpest frame wins. Errors: invalid timeline (naming the field), unreadable sources,
// cancellation.
Result<ThumbnailChoice> ChooseThumbnailTime(const timeline::Timeline& timeline,
                                            const ThumbnailOptions& options = {});

// Renders the output frame on screen at output time `at` (crop and layout, no captions), scales it
// to `max_width` when the output is wider (height keeps the aspect, both even) and writes a JPEG
// at `jpeg_path` through a temporary name. Errors: invalid timeline, `at` outside the clip
// (OutOfRange), max_width < 2 (InvalidArgument), unreadable sources, unwritable path.
Status WriteThumbnail(const timeline::Timeline& timeline, MediaTime at,
                      const std::string& jpeg_path, int max_width);

}  // namespace cutroom::export_
