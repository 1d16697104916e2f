#include "analysis/faces/face_tracker.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace cutroom::analysis {
namespace {

double CenterX(const RectF& r) { return r.x + r.w / 2.0; }
double CenterY(const RectF& r) { return r.y + r.h / 2.0; }

}  // namespace

double Iou(const RectF& a, const RectF& b) {
  const double x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const double x1 = std::min(a.x + a.w, b.x + b.w), y1 = std::min(a.y + a.h, b.y + b.h);
  const double inter = std::max(0.0, x1 - x0) * std::max(0.0, y1 - y0);
  const double uni = a.w * a.h + b.w * b.h - inter;
  return uni > 0.0 ? inter / uni : 0.0;
}

FaceTracker::FaceTracker(const FaceTrackerOptions& options) : options_(options) {}

std::vector<int> FaceTracker::Update(MediaTime time, const std::vector<FaceDetection>& detections) {
  last_time_ = time;
  // Tracks unseen for longer than the bridgeable gap end here.
  for (auto it = live_.begin(); it != live_.end();) {
    if (time - it->samples.back().time > options_.max_gap) {
      End(*it);
      it = live_.erase(it);
    } else {
      ++it;
    }
  }
  // Candidate pairs (affinity, track, detection) against motion-predicted boxes.
  std::vector<std::tuple<double, size_t, size_t>> pairs;
  for (size_t t = 0; t < live_.size(); ++t) {
    const FaceSample& last = live_[t].samples.back();
    const double dt = (time - last.time).ToSeconds();
    RectF predicted = last.box;
    predicted.x += live_[t].vx * dt;
    predicted.y += live_[t].vy * dt;
    for (size_t d = 0; d < detections.size(); ++d) {
      const RectF& box = detections[d].box;
      double affinity = Iou(predicted, box);
      // A fast move can leave no overlap: a close centre of a similar size still continues it.
      const double dist = std::hypot(CenterX(predicted) - CenterX(box), CenterY(predicted) - CenterY(box));
      const double size_ratio = box.w / std::max(1e-9, predicted.w);
      const bool close = dist < std::max(predicted.w, box.w) && size_ratio > 0.6 && size_ratio < 1.6;
      if (affinity < options_.min_iou) affinity = close ? 0.01 : 0.0;
      if (affinity > 0.0) pairs.emplace_back(affinity, t, d);
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  std::vector<int> ids(detections.size(), 0);
  std::vector<bool> track_used(live_.size(), false);
  for (const auto& [affinity, t, d] : pairs) {
    if (track_used[t] || ids[d] != 0) continue;
    track_used[t] = true;
    Live& track = live_[t];
    const FaceSample& last = track.samples.back();
    const double dt = (time - last.time).ToSeconds();
    if (dt > 0.0) {
      const double vx = (CenterX(detections[d].box) - CenterX(last.box)) / dt;
      const double vy = (CenterY(detections[d].box) - CenterY(last.box)) / dt;
      track.vx = track.detections > 1 ? 0.5 * track.vx + 0.5 * vx : vx;
      track.vy = track.detections > 1 ? 0.5 * track.vy + 0.5 * vy : vy;
    }
    FaceSample sample;
    sample.time = time;
    sample.box = detections[d].box;
    sample.score = detections[d].score;
    sample.mouth_openness = detections[d].mouth_openness.value_or(0.0);
    track.samples.push_back(sample);
    ++track.detections;
    ids[d] = track.id;
  }
  for (size_t d = 0; d < detections.size(); ++d) {
    if (ids[d] != 0) continue;
    Live track;
    track.id = next_id_++;
    FaceSample sample;
    sample.time = time;
    sample.box = detections[d].box;
    sample.score = detections[d].score;
    sample.mouth_openness = detections[d].mouth_openness.value_or(0.0);
    track.samples.push_back(sample);
    track.detections = 1;
    ids[d] = track.id;
    live_.push_back(std::move(track));
  }
  return ids;
}

bool FaceTracker::HasTrackNarrowerThan(double side) const {
  return std::any_of(live_.begin(), live_.end(),
                     [&](const Live& t) { return t.samples.back().box.w < side; });
}

std::vector<RectF> FaceTracker::PredictedBoxes(MediaTime time) const {
  std::vector<RectF> boxes;
  for (const Live& t : live_) {
    RectF b = t.samples.back().box;
    const double dt = (time - t.samples.back().time).ToSeconds();
    b.x += t.vx * dt;
    b.y += t.vy * dt;
    boxes.push_back(b);
  }
  return boxes;
}

int FaceTracker::live_tracks() const { return static_cast<int>(live_.size()); }

void FaceTracker::End(Live& track) {
  if (track.detections >= options_.min_detections) ended_.push_back(std::move(track));
}

std::vector<FaceTrack> FaceTracker::Finish() {
  for (auto& t : live_) End(t);
  live_.clear();
  std::sort(ended_.begin(), ended_.end(), [](const Live& a, const Live& b) {
    return std::tie(a.samples.front().time, a.id) < std::tie(b.samples.front().time, b.id);
  });
  std::vector<FaceTrack> tracks;
  for (Live& live : ended_) {
    FaceTrack track;
    track.id = static_cast<int>(tracks.size()) + 1;
    const auto& s = live.samples;
    // The sampling interval: the smallest gap between detections.
    MediaTime step;
    for (size_t i = 1; i < s.size(); ++i) {
      const MediaTime gap = s[i].time - s[i - 1].time;
      if (gap > MediaTime() && (step == MediaTime() || gap < step)) step = gap;
    }
    for (size_t i = 0; i < s.size(); ++i) {
      track.samples.push_back(s[i]);
      if (i + 1 == s.size() || step == MediaTime()) continue;
      // Bridge a gap with boxes interpolated between the detections either side.
      const double span = (s[i + 1].time - s[i].time).ToSeconds();
      const double step_s = step.ToSeconds();
      const int missing = static_cast<int>(std::lround(span / step_s)) - 1;
      for (int k = 1; k <= missing; ++k) {
        const double f = static_cast<double>(k) / (missing + 1);
        FaceSample b;
        b.time = s[i].time + MediaTime(step.ticks() * k, step.time_base());
        b.box = RectF{s[i].box.x + f * (s[i + 1].box.x - s[i].box.x),
                      s[i].box.y + f * (s[i + 1].box.y - s[i].box.y),
                      s[i].box.w + f * (s[i + 1].box.w - s[i].box.w),
                      s[i].box.h + f * (s[i + 1].box.h - s[i].box.h)};
        b.mouth_openness = s[i].mouth_openness + f * (s[i + 1].mouth_openness - s[i].mouth_openness);
        b.bridged = true;
        track.samples.push_back(b);
      }
    }
    // Mouth activity: the spread of the openness of detected samples within the window.
    const double span = options_.talking_mouth_std - options_.still_mouth_std;
    double total = 0.0;
    size_t lo = 0, hi = 0;
    for (auto& sample : track.samples) {
      while (lo < s.size() && sample.time - s[lo].time > options_.activity_window) ++lo;
      while (hi < s.size() && s[hi].time - sample.time <= options_.activity_window) ++hi;
      double mean = 0.0;
      for (size_t j = lo; j < hi; ++j) mean += s[j].mouth_openness;
      const double n = static_cast<double>(hi - lo);
      double var = 0.0;
      if (n >= 2) {
        mean /= n;
        for (size_t j = lo; j < hi; ++j) var += (s[j].mouth_openness - mean) * (s[j].mouth_openness - mean);
        var /= n;
      }
      sample.mouth_activity = std::clamp((std::sqrt(var) - options_.still_mouth_std) / span, 0.0, 1.0);
      total += sample.mouth_activity;
    }
    track.mouth_activity = track.samples.empty() ? 0.0 : total / static_cast<double>(track.samples.size());
    tracks.push_back(std::move(track));
  }
  ended_.clear();
  return tracks;
}

}  // namespace cutroom::analysis
