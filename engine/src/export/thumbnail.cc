#include "export/thumbnail.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "export/export_internal.h"
#include "export/nle_export.h"
#include "media/frame_scaler.h"
#include "media/frames.h"
#include "media/image_writer.h"
#include "media/video_reader.h"
#include "render/video_compositor.h"

namespace cutroom::export_ {
namespace {

constexpr int kJpegQuality = 90;
// Candidates at least this sharp, relative to the sharpest, may win on their face score.
constexpr double kEligibleSharpness = 0.5;
constexpr double kSharpnessWeight = 0.5;

// Composes output frames the way render::RenderTimeline does (same frame grid, same offsets,
// same compositor), at any size with the output's aspect. Not copyable or movable (it owns
// decoders); one per thread.
class OutputFrames {
 public:
  OutputFrames(const timeline::Timeline& timeline, std::vector<SegmentCut> cuts, int width,
               int height, int threads, const CancelToken* cancel)
      : timeline_(timeline),
        cuts_(std::move(cuts)),
        width_(width),
        height_(height),
        threads_(threads),
        cancel_(cancel),
        compositor_(width, height) {
    MediaTime start;
    for (const timeline::Segment& segment : timeline.segments) {
      exact_starts_.push_back(start);
      start = start + segment.duration();
    }
  }
  OutputFrames(const OutputFrames&) = delete;
  OutputFrames& operator=(const OutputFrames&) = delete;

  int64_t total_frames() const {
    return cuts_.empty() ? 0 : cuts_.back().record_frame + cuts_.back().frame_count;
  }

  // REQUIRES: 0 <= frame < total_frames(). Fastest when frames do not go backwards.
  Result<VideoFrame> Compose(int64_t frame) {
    if (cancel_ != nullptr && cancel_->IsCancelled()) return CancelledError("thumbnail cancelled");
    const SegmentCut* cut = &cuts_.front();
    for (const SegmentCut& c : cuts_) {
      if (frame >= c.record_frame) cut = &c;
    }
    const timeline::Segment& segment = timeline_.segments[cut->segment];
    MediaTime offset =
        internal::FrameTime(frame, timeline_.output.fps) - exact_starts_[cut->segment];
    if (offset < MediaTime::Zero()) offset = MediaTime::Zero();
    auto& reader = readers_[segment.source];
    if (!reader) {
      media::VideoReaderOptions options;
      options.threads = threads_;
      options.cancel = cancel_;
      const timeline::Source* source = timeline_.FindSource(segment.source);
      auto opened = media::VideoReader::Open(source->path, options);
      if (!opened.ok()) return opened.status().WithContext("source '" + segment.source + "'");
      reader = std::move(opened).value();
    }
    CR_ASSIGN_OR_RETURN(VideoFrame source_frame, reader->FrameAt(segment.in + offset));
    VideoFrame out = media::AllocateVideoFrame(PixelFormat::kYuv420p, width_, height_);
    if (out.empty()) return ResourceExhaustedError("cannot allocate a thumbnail frame");
    CR_RETURN_IF_ERROR(compositor_.Compose(source_frame, segment, offset, out));
    out.pts = internal::FrameTime(frame, timeline_.output.fps);
    return out;
  }

 private:
  const timeline::Timeline& timeline_;
  std::vector<SegmentCut> cuts_;
  std::vector<MediaTime> exact_starts_;  // per segment, exact output time
  int width_;
  int height_;
  int threads_;
  const CancelToken* cancel_;
  render::VideoCompositor compositor_;
  std::map<std::string, std::unique_ptr<media::VideoReader>> readers_;
};

Result<std::vector<SegmentCut>> NonEmptyCuts(const timeline::Timeline& timeline) {
  CR_ASSIGN_OR_RETURN(std::vector<SegmentCut> cuts, ComputeCuts(timeline));
  if (cuts.empty()) {
    return InvalidArgumentError("every segment is shorter than half an output frame: no frame");
  }
  return cuts;
}

// Variance of the 4-neighbour Laplacian over the luma plane: high for crisp edges and texture,
// low for blurred or flat pictures.
double LaplacianVariance(const VideoFrame& frame) {
  const int w = frame.width, h = frame.height;
  if (w < 3 || h < 3) return 0.0;
  double sum = 0.0, sum_sq = 0.0;
  int64_t n = 0;
  for (int y = 1; y + 1 < h; ++y) {
    const uint8_t* up = frame.data[0] + static_cast<ptrdiff_t>(y - 1) * frame.linesize[0];
    const uint8_t* row = up + frame.linesize[0];
    const uint8_t* down = row + frame.linesize[0];
    for (int x = 1; x + 1 < w; ++x) {
      const int v = up[x] + down[x] + row[x - 1] + row[x + 1] - 4 * row[x];
      sum += v;
      sum_sq += static_cast<double>(v) * v;
      ++n;
    }
  }
  const double mean = sum / static_cast<double>(n);
  return sum_sq / static_cast<double>(n) - mean * mean;
}

int RoundToMultiple(double v, int multiple) {
  return std::max(multiple, static_cast<int>(std::lround(v / multiple)) * multiple);
}

}  // namespace

Result<ThumbnailChoice> ChooseThumbnailTime(const timeline::Timeline& timeline,
                                            const ThumbnailOptions& options) {
  if (options.samples_per_second <= 0) {
    return InvalidArgumentError("samples_per_second must be positive");
  }
  if (options.search_window <= MediaTime::Zero()) {
    return InvalidArgumentError("search_window must be positive");
  }
  CR_ASSIGN_OR_RETURN(std::vector<SegmentCut> cuts, NonEmptyCuts(timeline));
  const auto& output = timeline.output;
  int width = output.width, height = output.height;
  if (options.analysis_width > 0 && options.analysis_width < output.width) {
    width = RoundToMultiple(options.analysis_width, 2);
    // A multiple of 4 keeps the split layout's halves even.
    height = RoundToMultiple(static_cast<double>(output.height) * width / output.width, 4);
  }
  OutputFrames frames(timeline, std::move(cuts), width, height, options.threads, options.cancel);
  const int64_t total = frames.total_frames();
  const int64_t window =
      std::clamp<int64_t>(internal::NearestFrame(options.search_window, output.fps), 1, total);
  const int64_t samples = std::max<int64_t>(
      1, std::llround(options.search_window.ToSeconds() * options.samples_per_second));

  ThumbnailChoice choice;
  int64_t previous = -1;
  for (int64_t k = 0; k < samples; ++k) {
    // The middle of each sampling interval, floored to the frame on screen.
    const int64_t frame = std::min(window - 1, (2 * k + 1) * window / (2 * samples));
    if (frame == previous) continue;
    previous = frame;
    CR_ASSIGN_OR_RETURN(VideoFrame composed, frames.Compose(frame));
    ThumbnailCandidate candidate;
    candidate.time = composed.pts;
    candidate.sharpness = LaplacianVariance(composed);
    if (options.face_score) {
      const double face = options.face_score(candidate.time);
      candidate.face_score = std::isfinite(face) ? std::clamp(face, 0.0, 1.0) : 0.0;
    }
    choice.candidates.push_back(candidate);
  }

  double sharpest = 0.0;
  for (const ThumbnailCandidate& c : choice.candidates) sharpest = std::max(sharpest, c.sharpness);
  double best_score = -1.0;
  for (const ThumbnailCandidate& c : choice.candidates) {
    const double relative = sharpest > 0.0 ? c.sharpness / sharpest : 1.0;
    if (relative < kEligibleSharpness) continue;
    const double score = c.face_score + kSharpnessWeight * relative;
    if (score > best_score) {
      best_score = score;
      choice.time = c.time;
      choice.sharpness = c.sharpness;
      choice.face_score = c.face_score;
    }
  }
  return choice;
}

Status WriteThumbnail(const timeline::Timeline& timeline, MediaTime at,
                      const std::string& jpeg_path, int max_width) {
  if (max_width < 2) {
    return InvalidArgumentError("thumbnail max_width must be at least 2, got " +
                                std::to_string(max_width));
  }
  CR_ASSIGN_OR_RETURN(std::vector<SegmentCut> cuts, NonEmptyCuts(timeline));
  const auto& output = timeline.output;
  OutputFrames frames(timeline, std::move(cuts), output.width, output.height, 0, nullptr);
  // The frame on screen at `at`.
  const int64_t frame = at.Rescale(Rational{output.fps.den, output.fps.num}, Rounding::kDown);
  if (at < MediaTime::Zero() || frame >= frames.total_frames()) {
    return OutOfRangeError("thumbnail time " + at.ToString() + " s is outside the clip (0 to " +
                           internal::FrameTime(frames.total_frames(), output.fps).ToString() +
                           " s)");
  }
  CR_ASSIGN_OR_RETURN(VideoFrame composed, frames.Compose(frame));
  if (output.width > max_width) {
    const int width = RoundToMultiple(max_width & ~1, 2);
    const int height =
        RoundToMultiple(static_cast<double>(output.height) * width / output.width, 2);
    VideoFrame scaled = media::AllocateVideoFrame(PixelFormat::kYuv420p, width, height);
    if (scaled.empty()) return ResourceExhaustedError("cannot allocate a thumbnail frame");
    media::FrameScaler scaler(media::ScaleFilter::kBicubic);
    const RectF whole{0, 0, static_cast<double>(composed.width),
                      static_cast<double>(composed.height)};
    CR_RETURN_IF_ERROR(scaler.Scale(composed, whole, scaled, 0, 0, width, height));
    composed = scaled;
  }
  return media::WriteJpeg(composed, jpeg_path, kJpegQuality).WithContext("thumbnail");
}

}  // namespace cutroom::export_
