#include "reframe/framing_planner.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "timeline/crop_path.h"

namespace cutroom::reframe {
namespace {

using timeline::CropKeyframe;
using timeline::Layout;

struct Shot {
  double a = 0, b = 0;
};

struct Run {  // a stretch of the shot framed on one subject
  double a = 0, b = 0;
  int track = -1;
};

bool Speaking(const FramingRequest& r, double t) {
  for (const auto& [a, b] : r.speech_s) {
    if (t >= a && t < b) return true;
  }
  return false;
}

// The face of `track` nearest in time to t (within half a decision step), or null.
const FaceSample* FaceNear(const std::vector<const FaceSample*>& faces, int track, double t,
                           double tolerance) {
  const FaceSample* best = nullptr;
  for (const FaceSample* f : faces) {
    if (f->track_id != track || std::fabs(f->t_s - t) > tolerance) continue;
    if (best == nullptr || std::fabs(f->t_s - t) < std::fabs(best->t_s - t)) best = f;
  }
  return best;
}

// Normalised width of the fill crop window (zoom 1) for this source and output.
double WindowWidth(const FramingRequest& r, int out_w, int out_h) {
  RectF w = timeline::CropWindow({MediaTime(), 0.5, 0.5, 1.0}, r.source_width, r.source_height,
                                 out_w, out_h);
  return w.w / r.source_width;
}

MediaTime SnapToFrame(double t_s, Rational fps) {
  int64_t frame = std::llround(t_s * fps.num / static_cast<double>(fps.den));
  return MediaTime(frame * fps.den, {1, fps.num});
}

std::vector<CropKeyframe> Keys(const CameraPath& x, double cy, double zoom) {
  std::vector<CropKeyframe> keys;
  for (const PathSample& p : x.keys) {
    keys.push_back({MediaTime::FromSecondsApprox(p.t_s), p.x, cy, zoom});
  }
  return keys;
}

// Whether any face visibly talks while speech is heard: then that face is the subject.
bool AnyoneTalks(const FramingRequest& r, const FramingOptions& o,
                 const std::vector<const FaceSample*>& faces) {
  for (const FaceSample* f : faces) {
    if (f->mouth_activity > o.min_activity && Speaking(r, f->t_s)) return true;
  }
  return false;
}

// Speaker labels on the decision grid with hysteresis, then short runs merged away.
std::vector<Run> SpeakerRuns(const FramingRequest& r, const FramingOptions& o, const Shot& shot,
                             const std::vector<const FaceSample*>& faces,
                             const std::vector<int>& present) {
  const double step = 1.0 / o.sample_rate_hz;
  std::vector<Run> runs;
  int label = present.empty() ? -1 : present.front();  // most present first
  for (double t = shot.a; t < shot.b - 1e-9; t += step) {
    if (Speaking(r, t)) {
      int best = -1;
      double best_activity = o.min_activity;
      for (int track : present) {
        const FaceSample* f = FaceNear(faces, track, t, step);
        if (f != nullptr && f->mouth_activity > best_activity) {
          best = track;
          best_activity = f->mouth_activity;
        }
      }
      if (best >= 0) label = best;
    }
    double end = std::min(shot.b, t + step);
    if (!runs.empty() && runs.back().track == label) {
      runs.back().b = end;
    } else {
      runs.push_back({t, end, label});
    }
  }
  // Hold every framing at least min_hold: a short interjection does not move the camera.
  bool merged = true;
  while (merged && runs.size() > 1) {
    merged = false;
    for (size_t i = 0; i < runs.size(); ++i) {
      if (runs[i].b - runs[i].a >= o.min_hold_s) continue;
      size_t into = i == 0 ? 1 : i - 1;
      runs[into].a = std::min(runs[into].a, runs[i].a);
      runs[into].b = std::max(runs[into].b, runs[i].b);
      runs.erase(runs.begin() + static_cast<long>(i));
      for (size_t k = 1; k < runs.size();) {  // join equal neighbours
        if (runs[k].track == runs[k - 1].track) {
          runs[k - 1].b = runs[k].b;
          runs.erase(runs.begin() + static_cast<long>(k));
        } else {
          ++k;
        }
      }
      merged = true;
      break;
    }
  }
  // Cut to the new speaker a little before they start talking.
  for (size_t i = 1; i < runs.size(); ++i) {
    double cut = std::max(runs[i - 1].a + o.min_hold_s, runs[i].a - o.anticipation_s);
    cut = std::min(cut, runs[i].a);
    runs[i - 1].b = cut;
    runs[i].a = cut;
  }
  return runs;
}

}  // namespace

Result<std::vector<FramingSegment>> PlanFraming(const FramingRequest& r, const FramingOptions& o) {
  if (r.source_width <= 0 || r.source_height <= 0 || r.output_width <= 0 || r.output_height <= 0) {
    return InvalidArgumentError("reframe: source and output sizes must be positive");
  }
  if (!(r.start < r.end)) return InvalidArgumentError("reframe: empty clip range");
  const double start = r.start.ToSeconds(), end = r.end.ToSeconds();
  std::vector<Shot> shots;
  double a = start;
  std::vector<double> cuts = r.cuts_s;
  std::sort(cuts.begin(), cuts.end());
  for (double c : cuts) {
    if (c > a + 1e-3 && c < end - 1e-3) {
      shots.push_back({a, c});
      a = c;
    }
  }
  shots.push_back({a, end});

  // Does the clip alternate between speakers (for the split layout)?
  std::vector<FramingSegment> out;
  for (const Shot& shot : shots) {
    std::vector<const FaceSample*> faces;
    std::map<int, int> counts;
    for (const FaceSample& f : r.faces) {
      if (f.t_s >= shot.a && f.t_s < shot.b) {
        faces.push_back(&f);
        ++counts[f.track_id];
      }
    }
    const double expected = std::max(1.0, (shot.b - shot.a) * o.sample_rate_hz);
    std::vector<int> present;
    for (const auto& [track, n] : counts) {
      if (n >= o.min_presence * expected) present.push_back(track);
    }
    std::sort(present.begin(), present.end(), [&](int x, int y) { return counts[x] > counts[y]; });

    std::vector<Run> runs = SpeakerRuns(r, o, shot, faces, present);
    std::set<int> speakers;
    for (const Run& run : runs) speakers.insert(run.track);
    const double window_w = WindowWidth(r, r.output_width, r.output_height);
    const double half_lo = window_w / 2, half_hi = 1 - window_w / 2;

    // Layout for the shot.
    Layout layout = r.forced_layout;
    std::string why;
    double left = 1, right = 0;
    for (int track : present) {
      for (const FaceSample* f : faces) {
        if (f->track_id == track) {
          left = std::min(left, f->cx - f->w / 2);
          right = std::max(right, f->cx + f->w / 2);
        }
      }
    }
    if (layout == Layout::kInvalid) {
      if (present.size() >= 2 && speakers.size() >= 2 && runs.size() >= 3) {
        layout = Layout::kSplit;
        why = "two speakers alternate, both in view: split";
      } else if (present.size() >= 2 && right - left > window_w && !AnyoneTalks(r, o, faces)) {
        layout = Layout::kFitBlur;
        why = "people spread wider than any crop: fit with blurred fill";
      } else {
        layout = Layout::kFill;
      }
    }

    auto track_path = [&](int track, double from, double to, double lo, double hi) {
      std::vector<PathSample> targets;
      for (const FaceSample* f : faces) {
        if (f->track_id == track && f->t_s >= from - 0.5 && f->t_s <= to + 0.5) {
          targets.push_back({f->t_s - from, f->cx});
        }
      }
      std::sort(targets.begin(), targets.end(),
                [](const PathSample& x, const PathSample& y) { return x.t_s < y.t_s; });
      if (targets.empty()) targets.push_back({0.0, 0.5});
      return PlanAxis(targets, to - from, lo, hi, o.camera);
    };
    auto track_cy = [&](int track) {
      double sum = 0;
      int n = 0;
      for (const FaceSample* f : faces) {
        if (f->track_id == track) {
          sum += f->cy;
          ++n;
        }
      }
      return n > 0 ? sum / n : 0.5;
    };

    if (layout == Layout::kSplit && present.size() >= 2) {
      // Top half: the first speaker of the shot; bottom: the other most present face.
      int top = runs.front().track >= 0 ? runs.front().track : present[0];
      int bottom = present[0] == top ? present[1] : present[0];
      double half_w = WindowWidth(r, r.output_width, r.output_height / 2);
      double zoom = std::max(1.0, half_w / 0.45);  // each half shows ~45% of the frame width
      double hw = half_w / zoom / 2;
      FramingSegment seg;
      seg.start = SnapToFrame(shot.a, r.source_fps);
      seg.end = SnapToFrame(shot.b, r.source_fps);
      seg.layout = Layout::kSplit;
      CameraPath p1 = track_path(top, shot.a, shot.b, hw, 1 - hw);
      CameraPath p2 = track_path(bottom, shot.a, shot.b, hw, 1 - hw);
      seg.crop = Keys(p1, track_cy(top), zoom);
      seg.crop_secondary = Keys(p2, track_cy(bottom), zoom);
      seg.mode = p1.mode == CameraMode::kSteady && p2.mode == CameraMode::kSteady
                     ? CameraMode::kSteady
                     : CameraMode::kTracking;
      seg.subject_track = top;
      seg.reason = why.empty() ? "split (forced)" : why;
      out.push_back(std::move(seg));
      continue;
    }
    for (const Run& run : runs) {
      FramingSegment seg;
      seg.start = SnapToFrame(run.a, r.source_fps);
      seg.end = SnapToFrame(run.b, r.source_fps);
      if (!(seg.start < seg.end)) continue;
      seg.layout = layout;
      seg.subject_track = run.track;
      if (run.track < 0) {
        seg.crop = {{MediaTime(), 0.5, 0.5, 1.0}};
        seg.mode = CameraMode::kSteady;
        seg.reason = "no face in view: centre framing";
      } else {
        CameraPath p = track_path(run.track, run.a, run.b, half_lo, half_hi);
        seg.crop = Keys(p, track_cy(run.track), 1.0);
        seg.mode = p.mode;
        bool speaking = speakers.size() > 1 || !r.speech_s.empty();
        seg.reason = why.empty()
                         ? (std::string(speaking ? "active speaker " : "most present face ") +
                            std::to_string(run.track) +
                            (p.mode == CameraMode::kSteady ? ", steady" : ", tracking"))
                         : why;
      }
      out.push_back(std::move(seg));
    }
  }
  // Tile exactly: each segment starts where the previous ends.
  for (size_t i = 1; i < out.size(); ++i) out[i].start = out[i - 1].end;
  if (!out.empty()) {
    out.front().start = r.start;
    out.back().end = r.end;
  }
  // Keyframes stay inside their (frame-snapped) segment and strictly ascending.
  for (FramingSegment& seg : out) {
    const MediaTime duration = seg.end - seg.start;
    for (auto* keys : {&seg.crop, &seg.crop_secondary}) {
      std::vector<CropKeyframe> kept;
      for (CropKeyframe k : *keys) {
        if (duration < k.t) k.t = duration;
        if (!kept.empty() && !(kept.back().t < k.t)) continue;
        kept.push_back(k);
      }
      *keys = std::move(kept);
    }
  }
  return out;
}

}  // namespace cutroom::reframe
