#include "clip/clip_planner.h"

#include <algorithm>
#include <cmath>

#include "reframe/framing_planner.h"

namespace cutroom::clip {

Result<std::pair<int, int>> OutputSizeForAspect(const std::string& aspect) {
  if (aspect == "9:16") return std::make_pair(1080, 1920);
  if (aspect == "1:1") return std::make_pair(1080, 1080);
  if (aspect == "4:5") return std::make_pair(1080, 1350);
  if (aspect == "16:9") return std::make_pair(1920, 1080);
  return InvalidArgumentError("unknown aspect '" + aspect + "' (known: 9:16, 1:1, 4:5, 16:9)");
}

select::SignalSummary SummarizeSignals(const analysis::Analysis& a) {
  select::SignalSummary s;
  s.duration = a.duration;
  if (a.audio) {
    for (const auto& l : a.audio->loudness) s.loudness_lufs.push_back({l.time.ToSeconds(), l.short_term_lufs});
    for (const auto& p : a.audio->peaks) {
      s.audio_peaks.push_back({p.time.ToSeconds(), std::clamp(p.strength_db / 12.0, 0.0, 1.0)});
    }
  }
  // Faces in view per face sample time.
  std::vector<std::pair<double, int>> counts;
  for (const auto& track : a.faces) {
    for (const auto& sample : track.samples) counts.push_back({sample.time.ToSeconds(), 1});
  }
  std::sort(counts.begin(), counts.end());
  for (const auto& [t, n] : counts) {
    if (!s.faces_visible.empty() && std::fabs(s.faces_visible.back().first - t) < 1e-6) {
      s.faces_visible.back().second += n;
    } else {
      s.faces_visible.push_back({t, n});
    }
  }
  for (const auto& cut : a.cuts) s.scene_cuts_s.push_back(cut.time.ToSeconds());
  return s;
}

Result<timeline::Timeline> PlanClipTimeline(const select::ClipCandidate& candidate,
                                            const speech::Transcript& transcript,
                                            const analysis::Analysis& analysis,
                                            const std::string& source_path,
                                            const PlanOptions& options) {
  if (!analysis.has_video) return FailedPreconditionError(source_path + ": has no video to frame");
  // Cut on whole source frames so every segment starts on a picture.
  Rational fps = analysis.fps.num > 0 ? analysis.fps : Rational{30, 1};
  const Rational frame{fps.den, fps.num};
  MediaTime start(candidate.start.Rescale(frame, Rounding::kDown) * fps.den, {1, fps.num});
  MediaTime end(candidate.end.Rescale(frame, Rounding::kUp) * fps.den, {1, fps.num});
  if (analysis.duration < end) end = analysis.duration;
  if (!(start < end)) return InvalidArgumentError("clip range is empty");

  reframe::FramingRequest fr;
  fr.source_width = analysis.width;
  fr.source_height = analysis.height;
  fr.output_width = options.output_width;
  fr.output_height = options.output_height;
  fr.source_fps = fps;
  fr.start = start;
  fr.end = end;
  fr.forced_layout = options.layout;
  for (const auto& cut : analysis.cuts) fr.cuts_s.push_back(cut.time.ToSeconds());
  for (const auto& track : analysis.faces) {
    for (const auto& s : track.samples) {
      fr.faces.push_back({s.time.ToSeconds(), track.id, s.box.x + s.box.w / 2, s.box.y + s.box.h / 2,
                          s.box.w, s.box.h, s.mouth_activity});
    }
  }
  // Speech: the transcript's words are the most precise account of who-speaks-when's "when".
  for (const auto& w : transcript.words) {
    if (w.end < start || end < w.start) continue;
    double a = w.start.ToSeconds(), b = w.end.ToSeconds();
    if (!fr.speech_s.empty() && a - fr.speech_s.back().second < 0.3) {
      fr.speech_s.back().second = b;
    } else {
      fr.speech_s.push_back({a, b});
    }
  }
  CR_ASSIGN_OR_RETURN(auto framing, reframe::PlanFraming(fr));

  timeline::Timeline tl;
  tl.output.width = options.output_width;
  tl.output.height = options.output_height;
  tl.output.fps = options.fps;
  tl.audio.loudness_target_lufs = options.loudness_target_lufs;
  if (!analysis.has_audio) tl.output.audio.reset();
  tl.sources.push_back({"source", source_path});
  for (const auto& f : framing) {
    timeline::Segment seg;
    seg.source = "source";
    seg.in = f.start;
    seg.out = f.end;
    seg.layout = f.layout;
    seg.crop = f.crop;
    seg.crop_secondary = f.crop_secondary;
    seg.interpolation = timeline::Interpolation::kSmooth;
    tl.segments.push_back(std::move(seg));
  }
  // Captions in output time: the segments tile [start, end) without gaps.
  timeline::CaptionTrack captions;
  captions.style = options.caption_style;
  const MediaTime duration = end - start;
  for (const auto& w : transcript.words) {
    if (w.start < start || !(w.start < end)) continue;
    MediaTime ws = w.start - start, we = std::min(w.end, end) - start;
    if (!(ws < we)) continue;
    if (!captions.words.empty() && ws < captions.words.back().end) ws = captions.words.back().end;
    if (!(ws < we) || duration < we) continue;
    captions.words.push_back({w.text, ws, we});
  }
  // Two people stacked: captions sit on the seam between them, never over a face.
  for (const auto& seg : tl.segments) {
    if (seg.layout == timeline::Layout::kSplit) captions.position = timeline::CaptionPosition::kCenter;
  }
  if (!captions.words.empty()) tl.captions = std::move(captions);
  return tl;
}

}  // namespace cutroom::clip
