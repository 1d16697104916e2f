// analysis.json writer and reader (docs/analysis.md). nlohmann::json stays inside this file.
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "analysis/analyzer.h"

namespace cutroom::analysis {
namespace {

using nlohmann::json;

// Rounded for a compact file (unless exact); non-finite values (silence's -inf LUFS) become null.
thread_local bool g_exact = false;  // set for one AnalysisToJson call on this thread

json Num(double value, int digits = 3) {
  if (!std::isfinite(value)) return nullptr;
  if (g_exact) return value;  // shortest form that reads back to the same double
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

// Exact times are "ticks@time_base" strings.
json Seconds(const MediaTime& t) {
  if (g_exact) return std::to_string(t.ticks()) + "@" + t.time_base().ToString();
  return Num(t.ToSeconds(), 4);
}

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

std::string AnalysisToJson(const Analysis& a, AnalysisJsonForm form) {
  struct ExactScope {
    explicit ExactScope(bool exact) { g_exact = exact; }
    ~ExactScope() { g_exact = false; }
  } scope(form == AnalysisJsonForm::kExact);
  json root;
  root["version"] = kAnalysisVersion;
  root["source"] = {{"path", a.path},
                    {"duration_s", Seconds(a.duration)},
                    {"has_video", a.has_video},
                    {"has_audio", a.has_audio},
                    {"width", a.width},
                    {"height", a.height},
                    {"fps", a.fps.den != 0 ? Num(a.fps.ToDouble(), 3) : json(nullptr)},
                    // Exact forms for readers that cut on frames (AnalysisFromJson).
                    {"duration", a.duration.ToString()},
                    {"fps_exact", a.fps.num > 0 && a.fps.den > 0 ? json(a.fps.ToString()) : json(nullptr)},
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
    if (t.samples.empty()) continue;
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

namespace {

double NumOr(const json& v, double fallback) {
  if (v.is_number()) return v.get<double>();
  return fallback;
}

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

// A number of seconds, or an exact "ticks@time_base" string (AnalysisJsonForm::kExact).
MediaTime TimeAt(const json& v) {
  if (v.is_string()) {
    const std::string text = v.get<std::string>();
    const size_t at = text.find('@');
    auto base = Rational::Parse(std::string_view(text).substr(at == std::string::npos ? 0 : at + 1));
    if (at == std::string::npos || !base.ok() || base->num <= 0) {
      throw json::type_error::create(302, "bad time '" + text + "'", &v);
    }
    return MediaTime(std::stoll(text.substr(0, at)), *base);
  }
  return MediaTime::FromSecondsApprox(NumOr(v, 0.0));
}

CutKind CutKindFromName(const std::string& name) {
  if (name == "hard") return CutKind::kHard;
  if (name == "fade") return CutKind::kFade;
  return CutKind::kInvalid;
}

AudioAnalysis AudioFromJson(const json& j) {
  AudioAnalysis a;
  a.duration = TimeAt(j.at("duration_s"));
  a.integrated_lufs = NumOr(j.at("integrated_lufs"), kMinusInf);
  a.rms_dbfs = NumOr(j.at("rms_dbfs"), kMinusInf);
  a.speech_fraction = NumOr(j.at("speech_fraction"), 0.0);
  const json& loud = j.at("loudness");
  a.start = TimeAt(loud.at("start_s"));
  const json& momentary = loud.at("momentary_lufs");
  const json& short_term = loud.at("short_term_lufs");
  const json& rms = loud.at("rms_dbfs");
  const json& speech = loud.at("speech");
  for (size_t i = 0; i < momentary.size(); ++i) {
    LoudnessSample s;
    // Blocks are every 100 ms from the start.
    s.time = a.start + MediaTime::FromMicroseconds(static_cast<int64_t>(i) * 100'000);
    s.momentary_lufs = NumOr(momentary.at(i), kMinusInf);
    s.short_term_lufs = NumOr(short_term.at(i), kMinusInf);
    s.rms_dbfs = NumOr(rms.at(i), kMinusInf);
    s.speech = NumOr(speech.at(i), 0.0);
    a.loudness.push_back(s);
  }
  for (const auto& r : j.at("silences")) a.silences.push_back({TimeAt(r.at("start_s")), TimeAt(r.at("end_s"))});
  for (const auto& p : j.at("peaks")) a.peaks.push_back({TimeAt(p.at("time_s")), NumOr(p.at("strength"), 0.0)});
  for (const auto& r : j.at("speech")) a.speech.push_back({TimeAt(r.at("start_s")), TimeAt(r.at("end_s"))});
  return a;
}

Result<Rational> RateFrom(const json& exact, const json& approx) {
  if (exact.is_string()) return Rational::Parse(exact.get<std::string>());
  if (approx.is_number() && approx.get<double>() > 0) return Rational::Parse(std::to_string(approx.get<double>()));
  return Rational{0, 1};
}

}  // namespace

Result<Analysis> AnalysisFromJson(std::string_view text) {
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return DataLossError("analysis.json is not a JSON object");
  try {
    if (root.at("version").get<int>() != kAnalysisVersion) {
      return DataLossError("analysis.json has version " + root.at("version").dump() + "; expected " +
                           std::to_string(kAnalysisVersion));
    }
    Analysis a;
    const json& src = root.at("source");
    a.path = src.at("path").get<std::string>();
    if (src.at("duration_s").is_string()) {
      a.duration = TimeAt(src.at("duration_s"));  // exact form, with its time base
    } else if (src.contains("duration") && src.at("duration").is_string()) {
      CR_ASSIGN_OR_RETURN(a.duration, MediaTime::Parse(src.at("duration").get<std::string>()));
    } else {
      a.duration = TimeAt(src.at("duration_s"));
    }
    a.has_video = src.at("has_video").get<bool>();
    a.has_audio = src.at("has_audio").get<bool>();
    a.width = src.at("width").get<int>();
    a.height = src.at("height").get<int>();
    CR_ASSIGN_OR_RETURN(a.fps, RateFrom(src.value("fps_exact", json(nullptr)), src.at("fps")));
    a.video_frames = src.value("video_frames", int64_t{0});
    a.corrupt_packets = src.value("corrupt_packets", 0);
    a.notes = root.at("notes").get<std::vector<std::string>>();
    for (const auto& c : root.at("cuts")) {
      a.cuts.push_back({TimeAt(c.at("time_s")), c.at("frame").get<int64_t>(), NumOr(c.at("confidence"), 0.0),
                        CutKindFromName(c.at("kind").get<std::string>())});
    }
    for (const auto& m : root.at("motion").at("samples")) {
      MotionSample s;
      s.time = TimeAt(m.at("time_s"));
      s.magnitude = NumOr(m.at("magnitude"), 0.0);
      s.pan_x = NumOr(m.at("pan_x"), 0.0);
      s.pan_y = NumOr(m.at("pan_y"), 0.0);
      a.motion.push_back(s);
    }
    const json& faces = root.at("faces");
    CR_ASSIGN_OR_RETURN(a.face_sample_rate, RateFrom(json(nullptr), faces.at("sample_rate")));
    for (const auto& t : faces.at("tracks")) {
      FaceTrack track;
      track.id = t.at("id").get<int>();
      track.mouth_activity = NumOr(t.at("mouth_activity"), 0.0);
      for (const auto& s : t.at("samples")) {
        FaceSample fs;
        fs.time = TimeAt(s.at("time_s"));
        fs.box = {NumOr(s.at("x"), 0.0), NumOr(s.at("y"), 0.0), NumOr(s.at("w"), 0.0), NumOr(s.at("h"), 0.0)};
        fs.score = NumOr(s.at("score"), 0.0);
        fs.mouth_openness = NumOr(s.at("mouth_open"), 0.0);
        fs.mouth_activity = NumOr(s.at("mouth_activity"), 0.0);
        fs.bridged = s.at("bridged").get<bool>();
        track.samples.push_back(fs);
      }
      if (!track.samples.empty()) a.faces.push_back(std::move(track));
    }
    if (!root.at("audio").is_null()) a.audio = AudioFromJson(root.at("audio"));
    return a;
  } catch (const json::exception& e) {
    return DataLossError(std::string("analysis.json: ") + e.what());
  }
}

}  // namespace cutroom::analysis
