#include "timeline/trim.h"

#include <algorithm>

#include "timeline/crop_path.h"

namespace cutroom::timeline {
namespace {

// The crop path of a segment whose start moved `shift` later in source time (and whose new
// length is `length`): the value at the new start becomes the first keyframe, later keyframes
// keep their place, keyframes past the end are dropped after the value at the end is kept.
std::vector<CropKeyframe> ShiftCrop(const std::vector<CropKeyframe>& path, Interpolation interpolation,
                                    MediaTime shift, MediaTime length) {
  if (path.empty()) return path;
  std::vector<CropKeyframe> out;
  CropKeyframe first = EvaluateCrop(path, interpolation, shift);
  first.t = MediaTime::Zero();
  out.push_back(first);
  for (const CropKeyframe& k : path) {
    MediaTime t = k.t - shift;
    if (t <= MediaTime::Zero()) continue;
    if (t >= length) break;
    CropKeyframe moved = k;
    moved.t = t;
    out.push_back(moved);
  }
  // Hold the framing the last kept frame had (the path after it no longer plays).
  CropKeyframe last = EvaluateCrop(path, interpolation, shift + length);
  if (last.t - shift > out.back().t) {
    last.t = last.t - shift;
    if (last.cx != out.back().cx || last.cy != out.back().cy || last.zoom != out.back().zoom) out.push_back(last);
  }
  return out;
}

}  // namespace

Result<Timeline> TrimTimeline(const Timeline& timeline, MediaTime cut_start, MediaTime cut_end, MediaTime min_kept) {
  const MediaTime total = timeline.Duration();
  if (cut_start < MediaTime::Zero() || cut_end < MediaTime::Zero()) {
    return InvalidArgumentError("trim amounts must not be negative");
  }
  const MediaTime keep_end = total - cut_end;
  if (keep_end - cut_start < min_kept) {
    return InvalidArgumentError("trimming " + std::to_string(cut_start.ToSeconds()) + " s and " +
                                std::to_string(cut_end.ToSeconds()) + " s off a " + std::to_string(total.ToSeconds()) +
                                " s clip leaves less than " + std::to_string(min_kept.ToSeconds()) + " s");
  }
  Timeline out = timeline;
  out.segments.clear();
  MediaTime at = MediaTime::Zero();  // output start of the current segment
  for (const Segment& seg : timeline.segments) {
    const MediaTime seg_end = at + seg.duration();
    const MediaTime from = std::max(at, cut_start);
    const MediaTime to = std::min(seg_end, keep_end);
    if (from < to) {
      Segment kept = seg;
      const MediaTime shift = from - at;
      kept.in = seg.in + shift;
      kept.out = kept.in + (to - from);
      kept.crop = ShiftCrop(seg.crop, seg.interpolation, shift, to - from);
      kept.crop_secondary = ShiftCrop(seg.crop_secondary, seg.interpolation, shift, to - from);
      out.segments.push_back(std::move(kept));
    }
    at = seg_end;
  }
  if (timeline.captions) {
    const MediaTime length = keep_end - cut_start;
    out.captions->words.clear();
    for (const CaptionWord& w : timeline.captions->words) {
      CaptionWord moved = w;
      moved.start = std::max(MediaTime::Zero(), w.start - cut_start);
      moved.end = std::min(length, w.end - cut_start);
      if (moved.end > moved.start) out.captions->words.push_back(std::move(moved));
    }
  }
  // Audio tracks move with the picture. A track that started before the cut starts at 0, later
  // into its source; a looping one restarts its range there (a phase offset into a loop has no
  // field). Tracks running past the new end are cut by the renderer.
  out.audio.tracks.clear();
  const MediaTime keep_length = keep_end - cut_start;
  for (const AudioTrack& track : timeline.audio.tracks) {
    AudioTrack moved = track;
    if (track.at >= cut_start) {
      moved.at = track.at - cut_start;
      if (moved.at >= keep_length) continue;
    } else {
      moved.at = MediaTime::Zero();
      if (!track.loop) {
        moved.in = track.in + (cut_start - track.at);
        if (moved.in >= moved.out) continue;
      }
    }
    out.audio.tracks.push_back(std::move(moved));
  }
  return out;
}

}  // namespace cutroom::timeline
