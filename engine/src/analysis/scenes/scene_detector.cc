#include "analysis/scenes/scene_detector.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace cutroom::analysis {
namespace {

// Longest black run whose frame times are kept to place a fade cut exactly (one minute at 30
// fps); a longer run places the cut at the last kept time, and memory stays bounded.
constexpr size_t kMaxDarkRun = 1800;

// How far a cut must stand above the busy side of a one-sided change (see DecideOldest).
constexpr double kBusySideRatio = 1.4;

uint8_t ClampByte(double v) { return static_cast<uint8_t>(std::clamp(v, 0.0, 255.0) + 0.5); }

}  // namespace

void YuvToHsv(uint8_t y, uint8_t u, uint8_t v, uint8_t* h, uint8_t* s, uint8_t* val) {
  // BT.709 limited range to full-range RGB.
  const double yy = (static_cast<double>(y) - 16.0) * (255.0 / 219.0);
  const double cb = (static_cast<double>(u) - 128.0) * (255.0 / 224.0);
  const double cr = (static_cast<double>(v) - 128.0) * (255.0 / 224.0);
  const double r = std::clamp(yy + 1.5748 * cr, 0.0, 255.0);
  const double g = std::clamp(yy - 0.1873 * cb - 0.4681 * cr, 0.0, 255.0);
  const double b = std::clamp(yy + 1.8556 * cb, 0.0, 255.0);
  const double mx = std::max({r, g, b});
  const double mn = std::min({r, g, b});
  const double delta = mx - mn;
  *val = ClampByte(mx);
  *s = mx > 0.0 ? ClampByte(255.0 * delta / mx) : 0;
  double hue = 0.0;
  if (delta > 0.0) {
    if (mx == r) {
      hue = 60.0 * (g - b) / delta;
    } else if (mx == g) {
      hue = 120.0 + 60.0 * (b - r) / delta;
    } else {
      hue = 240.0 + 60.0 * (r - g) / delta;
    }
    if (hue < 0.0) hue += 360.0;
  }
  *h = static_cast<uint8_t>(std::min(179.0, hue / 2.0));
}

SceneDetector::SceneDetector(const SceneDetectorOptions& options) : options_(options) {}

void SceneDetector::Add(const SmallYuv& frame, MediaTime pts) {
  const int w = frame.y.width;
  const int h = frame.y.height;
  const size_t n = static_cast<size_t>(w) * static_cast<size_t>(h);
  std::vector<uint8_t> hue(n), sat(n), val(n);
  uint64_t value_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    YuvToHsv(frame.y.pixels[i], frame.u.pixels[i], frame.v.pixels[i], &hue[i], &sat[i], &val[i]);
    value_sum += val[i];
  }
  const double brightness = n > 0 ? static_cast<double>(value_sum) / static_cast<double>(n) : 0.0;

  double score = 0.0;
  const int64_t index = next_index_++;
  if (index > 0) {
    if (w != prev_w_ || h != prev_h_size_) {
      score = 255.0;
    } else {
      uint64_t dh = 0, ds = 0, dv = 0;
      for (size_t i = 0; i < n; ++i) {
        const int d = std::abs(static_cast<int>(hue[i]) - static_cast<int>(prev_h_[i]));
        dh += static_cast<uint64_t>(std::min(d, 180 - d)) * 2;  // circular, scaled to 0..180
        ds += static_cast<uint64_t>(std::abs(static_cast<int>(sat[i]) - static_cast<int>(prev_s_[i])));
        dv += static_cast<uint64_t>(std::abs(static_cast<int>(val[i]) - static_cast<int>(prev_v_[i])));
      }
      score = static_cast<double>(dh + ds + dv) / (3.0 * static_cast<double>(n));
    }
  }
  prev_h_ = std::move(hue);
  prev_s_ = std::move(sat);
  prev_v_ = std::move(val);
  prev_w_ = w;
  prev_h_size_ = h;

  // Fades through black: one cut in the middle of the black run, once a bright frame follows.
  const bool dark = brightness < options_.fade_black_level;
  if (dark) {
    if (!dark_start_) {
      dark_start_ = index;
      dark_pts_.clear();
    }
    if (dark_pts_.size() < kMaxDarkRun) dark_pts_.push_back(pts);
  } else {
    if (dark_start_ && seen_bright_ && !dark_pts_.empty()) {
      const size_t run = static_cast<size_t>(index - *dark_start_);
      const size_t mid = std::min(run / 2, dark_pts_.size() - 1);
      // The fade's cut replaces any hard cut inside the black run that is still pending.
      SceneCut cut;
      cut.time = dark_pts_[mid];
      cut.frame_index = *dark_start_ + static_cast<int64_t>(mid);
      cut.kind = CutKind::kFade;
      // Longer, darker runs are surer fades; a one-frame dip is a weak one.
      cut.confidence = std::min(1.0, 0.6 + 0.1 * static_cast<double>(run));
      Emit(cut);
    }
    dark_start_.reset();
    dark_pts_.clear();
    seen_bright_ = true;
  }

  pending_.push_back(Scored{index, pts, score});
  if (static_cast<int>(pending_.size()) > 2 * options_.window + 1) pending_.pop_front();
  if (static_cast<int>(pending_.size()) == 2 * options_.window + 1) DecideOldest();
}

void SceneDetector::DecideOldest() {
  // The frame in the middle of the window is decided against its neighbours.
  const size_t mid = pending_.size() / 2;
  const Scored& target = pending_[mid];
  if (target.index == 0) return;
  // Neighbour score sums and counts on each side.
  double left = 0.0, right = 0.0;
  int left_n = 0, right_n = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (i == mid || pending_[i].index <= 0) continue;  // first frame or end padding
    if (i < mid) {
      left += pending_[i].score;
      ++left_n;
    } else {
      right += pending_[i].score;
      ++right_n;
    }
  }
  auto ratio_to = [&](double sum, int n) {
    const double average = n > 0 ? sum / n : 0.0;
    if (average > 1e-5) return std::min(target.score / average, 255.0);
    return target.score >= options_.min_content ? 255.0 : 0.0;
  };
  const double ratio = ratio_to(left + right, left_n + right_n);
  // PySceneDetect's rule compares with both sides at once, which misses a cut into (or out of)
  // a fast-moving shot: the busy side lifts the average. Such a cut still stands well above the
  // quiet side and clearly above the busy one.
  const double ratio_left = ratio_to(left, left_n);
  const double ratio_right = ratio_to(right, right_n);
  const bool one_sided = std::max(ratio_left, ratio_right) >= options_.adaptive_ratio &&
                         std::min(ratio_left, ratio_right) >= kBusySideRatio;
  if (target.score < options_.min_content) return;
  if (ratio < options_.adaptive_ratio && !one_sided) return;
  // A black frame is part of a fade, which the fade detector places.
  if (dark_start_ && target.index >= *dark_start_) return;
  SceneCut cut;
  cut.time = target.pts;
  cut.frame_index = target.index;
  cut.kind = CutKind::kHard;
  const double by_ratio =
      std::clamp((std::max(ratio, std::max(ratio_left, ratio_right) * 0.75) - 1.0) /
                     (2.0 * options_.adaptive_ratio - 1.0),
                 0.0, 1.0);
  const double by_score = std::clamp(target.score / (3.0 * options_.min_content), 0.0, 1.0);
  cut.confidence = std::sqrt(by_ratio * by_score);
  Emit(cut);
}

void SceneDetector::Emit(SceneCut cut) {
  if (last_cut_time_ && cut.time - *last_cut_time_ < options_.min_scene) {
    // Too close to the previous cut, which is already final: this one is dropped.
    return;
  }
  if (!cuts_.empty() && cut.time < cuts_.back().time) return;
  last_cut_time_ = cut.time;
  cuts_.push_back(cut);
}

void SceneDetector::Finish() {
  // Frames within `window` of the end are judged with the neighbours they have.
  while (pending_.size() > static_cast<size_t>(options_.window) + 1) {
    pending_.pop_front();
    std::deque<Scored> saved = pending_;
    // Pad the look-ahead side with placeholders that the average skips.
    while (static_cast<int>(pending_.size()) < 2 * options_.window + 1) {
      pending_.push_back(pending_.back());
      pending_.back().index = -1;
    }
    DecideOldest();
    pending_ = std::move(saved);
  }
  pending_.clear();
}

}  // namespace cutroom::analysis
