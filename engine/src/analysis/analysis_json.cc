// analysis.json writer (docs/analysis.md). nlohmann::json stays inside this file.
#include <cmath>
#include <nlohmann/json.hpp>

#include "analysis/analyzer.h"

namespace cutroom::analysis {
namespace {

using nlohmann::json;

// Rounded for a compact file; non-finite values (silence's -inf LUFS) become null.
json Num(double value, int digits = 3) {
  if (!std::isfinite(value)) return nullptr;
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

json Seconds(const MediaTime& t) { return Num(t.ToSeconds(), 4); }

std::string_view CutKindName(CutKind kind) {
  switch (kind) {
    case CutKind::kHard:
      return "hard";
    case CutKind::kFade:
      return "fade";
    case CutKind::kInvalid:
      break;
  }
  return "invalid";
}

json AudioJson(const AudioAnalysis& a) {
  json loud = {{"start_s", Seconds(a.start)}, {"interval_s", 0.1}};
  json momentary = json::array(), short_term = json::array(), rms = json::array(),
       speech = json::array();
  for (const auto& s : a.loudness) {
    momentary.push_back(Num(s.momentary_lufs, 2));
    short_term.push_back(Num(s.short_term_lufs, 2));
    rms.push_back(Num(s.rms_dbfs, 2));
    speech.push_back(Num(s.speech, 2));
  }
  loud["momentary_lufs"] = std::move(momentary);
  loud["short_term_lufs"] = std::move(short_term);
  loud["rms_dbfs"] = std::move(rms);
  loud["speech"] = std::move(speech);
  json silences = json::array();
  for (const auto& r : a.silences) silences.push_back({{"start_s", Seconds(r.start)}, {"end_s", Seconds(r.end)}});
  json peaks = json::array();
  for (const auto& p : a.peaks) peaks.push_back({{"time_s", Seconds(p.time)}, {"strength", Num(p.strength_db, 2)}});
  json speech_ranges = json::array();
  for (const auto& r : a.speech) speech_ranges.push_back({{"start_s", Seconds(r.start)}, {"end_s", Seconds(r.end)}});
  return {{"duration_s", Seconds(a.duration)},
          {"integrated_lufs", Num(a.integrated_lufs, 2)},
          {"rms_dbfs", Num(a.rms_dbfs, 2)},
          {"speech_fraction", Num(a.speech_fraction, 3)},
          {"loudness", std::move(loud)},
          {"silences", std::move(silences)},
          {"peaks", std::move(peaks)},
          {"speech", std::move(speech_ranges)}};
}

}  // namespace

std::string AnalysisToJson(const Analysis& a) {
  json root;
  root["version"] = kAnalysisVersion;
  root["source"] = {{"path", a.path},
                    {"duration_s", Seconds(a.duration)},
                    {"has_video", a.has_video},
                    {"has_audio", a.has_audio},
                    {"width", a.width},
                    {"height", a.height},
                    {"fps", a.fps.den != 0 ? Num(a.fps.ToDouble(), 3) : json(nullptr)},
                    {"video_frames", a.video_frames},
                    {"corrupt_packets", a.corrupt_packets}};
  root["notes"] = a.notes;
  json cuts = json::array();
  for (const auto& c : a.cuts) {
    cuts.push_back({{"time_s", Seconds(c.time)},
                    {"frame", c.frame_index},
                    {"confidence", Num(c.confidence, 3)},
                    {"kind", CutKindName(c.kind)}});
  }
  root["cuts"] = std::move(cuts);
  json motion = json::array();
  for (const auto& m : a.motion) {
    motion.push_back({{"time_s", Seconds(m.time)},
                      {"magnitude", Num(m.magnitude, 4)},
                      {"pan_x", Num(m.pan_x, 4)},
                      {"pan_y", Num(m.pan_y, 4)}});
  }
  root["motion"] = {{"samples", std::move(motion)}};
  json tracks = json::array();
  for (const auto& t : a.faces) {
    json samples = json::array();
    for (const auto& s : t.samples) {
      samples.push_back({{"time_s", Seconds(s.time)},
                         {"x", Num(s.box.x, 4)},
                         {"y", Num(s.box.y, 4)},
                         {"w", Num(s.box.w, 4)},
                         {"h", Num(s.box.h, 4)},
                         {"score", Num(s.score, 3)},
                         {"mouth_open", Num(s.mouth_openness, 3)},
                         {"mouth_activity", Num(s.mouth_activity, 3)},
                         {"bridged", s.bridged}});
    }
    tracks.push_back({{"id", t.id},
                      {"start_s", Seconds(t.start())},
                      {"end_s", Seconds(t.end())},
                      {"mouth_activity", Num(t.mouth_activity, 3)},
                      {"samples", std::move(samples)}});
  }
  root["faces"] = {{"sample_rate", a.face_sample_rate.den != 0 && a.face_sample_rate.num != 0
                                       ? Num(a.face_sample_rate.ToDouble(), 3)
                                       : json(nullptr)},
                   {"tracks", std::move(tracks)}};
  root["audio"] = a.audio ? AudioJson(*a.audio) : json(nullptr);
  return root.dump() + "\n";
}

}  // namespace cutroom::analysis
