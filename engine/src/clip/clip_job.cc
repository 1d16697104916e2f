#include "clip/clip_job.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/analyzer.h"
#include "clip/clip_package.h"
#include "cutroom/executor.h"
#include "cutroom/file_util.h"
#include "media/probe.h"
#include "render/renderer.h"
#include "select/clip_selector.h"
#include "select/selection_json.h"
#include "speech/transcribe.h"
#include "timeline/timeline_json.h"

namespace cutroom::clip {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr char kNoAudioWarning[] = "the source has no audio: clips are chosen from visual signals only";

void Report(const StepEnv& env, double p, const std::string& m) {
  if (env.progress) env.progress(p, m);
}

Status CheckCancel(const StepEnv& env) {
  if (env.cancel != nullptr && env.cancel->IsCancelled()) return CancelledError("clip job cancelled");
  return Status::Ok();
}

Result<analysis::Analysis> ReadAnalysis(const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, size_t{1} << 30));
  auto an = analysis::AnalysisFromJson(text);
  if (!an.ok()) return an.status().WithContext(path);
  return an;
}

// The stored transcript is exact (times as "ticks@time_base"), unlike transcript.json's
// milliseconds: later steps see the recogniser's words exactly as the in-memory pipeline did.
std::string TimeText(const MediaTime& t) { return std::to_string(t.ticks()) + "@" + t.time_base().ToString(); }

Result<MediaTime> ParseTimeText(const std::string& text) {
  size_t at = text.find('@');
  if (at == std::string::npos) return DataLossError("bad time '" + text + "'");
  CR_ASSIGN_OR_RETURN(Rational base, Rational::Parse(std::string_view(text).substr(at + 1)));
  if (base.num <= 0) return DataLossError("bad time base in '" + text + "'");
  return MediaTime(std::strtoll(text.c_str(), nullptr, 10), base);
}

std::string TranscriptToExactJson(const speech::Transcript& t) {
  Json words = Json::array(), sentences = Json::array();
  for (const auto& w : t.words) {
    words.push_back({{"text", w.text}, {"start", TimeText(w.start)}, {"end", TimeText(w.end)},
                     {"confidence", static_cast<double>(w.confidence)}, {"speaker", w.speaker}});
  }
  for (const auto& s : t.sentences) {
    sentences.push_back({{"text", s.text}, {"start", TimeText(s.start)}, {"end", TimeText(s.end)},
                         {"first_word", s.first_word}, {"word_count", s.word_count}});
  }
  Json doc = {{"version", 1},
              {"language", t.language},
              {"source", std::string(speech::TranscriptSourceName(t.source))},
              {"words", std::move(words)},
              {"sentences", std::move(sentences)},
              {"warnings", t.warnings}};
  return doc.dump(1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<speech::Transcript> ReadTranscript(const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, size_t{1} << 30));
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return DataLossError(path + ": not a stored transcript");
  try {
    speech::Transcript t;
    t.language = doc.at("language").get<std::string>();
    CR_ASSIGN_OR_RETURN(t.source, speech::ParseTranscriptSource(doc.at("source").get<std::string>()));
    for (const auto& w : doc.at("words")) {
      speech::Word word;
      word.text = w.at("text").get<std::string>();
      CR_ASSIGN_OR_RETURN(word.start, ParseTimeText(w.at("start").get<std::string>()));
      CR_ASSIGN_OR_RETURN(word.end, ParseTimeText(w.at("end").get<std::string>()));
      word.confidence = static_cast<float>(w.at("confidence").get<double>());
      word.speaker = w.at("speaker").get<std::string>();
      t.words.push_back(std::move(word));
    }
    for (const auto& s : doc.at("sentences")) {
      speech::Sentence sentence;
      sentence.text = s.at("text").get<std::string>();
      CR_ASSIGN_OR_RETURN(sentence.start, ParseTimeText(s.at("start").get<std::string>()));
      CR_ASSIGN_OR_RETURN(sentence.end, ParseTimeText(s.at("end").get<std::string>()));
      sentence.first_word = s.at("first_word").get<int>();
      sentence.word_count = s.at("word_count").get<int>();
      t.sentences.push_back(std::move(sentence));
    }
    t.warnings = doc.at("warnings").get<std::vector<std::string>>();
    return t;
  } catch (const Json::exception& e) {
    return DataLossError(path + ": " + e.what());
  }
}

Result<select::Selection> ReadSelection(const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  auto s = select::SelectionFromJson(text);
  if (!s.ok()) return s.status().WithContext(path);
  return s;
}

// A pool for the step's helper work (face detection, recognition); at least one thread.
std::unique_ptr<ThreadPoolExecutor> StepPool(const StepEnv& env) {
  return std::make_unique<ThreadPoolExecutor>(std::max(1, env.threads));
}

}  // namespace

std::string NumberedFile(int index, const std::string& ext) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02d%s", index, ext.c_str());
  return buf;
}

Status ProbeSource(const std::string& input, const std::string& probe_json, const StepEnv& env) {
  Report(env, 0.0, "probing");
  CR_ASSIGN_OR_RETURN(MediaInfo info, media::ProbeFile(input, env.cancel));
  if (info.video() == nullptr) return FailedPreconditionError(input + ": has no video stream to clip");
  Json doc = {{"has_video", info.video() != nullptr},
              {"has_audio", info.audio() != nullptr},
              {"duration", info.duration.ToString()},
              {"info", Json::parse(media::MediaInfoToJson(info))}};
  return WriteFileAtomically(probe_json, doc.dump(2) + "\n");
}

Result<ProbeFacts> ReadProbeFacts(const std::string& probe_json) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(probe_json));
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("has_audio") || !doc.contains("has_video")) {
    return DataLossError(probe_json + ": not a clip probe.json");
  }
  return ProbeFacts{doc["has_video"].get<bool>(), doc["has_audio"].get<bool>()};
}

Status AnalyzeSource(const std::string& input, const std::string& analysis_json, const StepEnv& env) {
  auto pool = StepPool(env);
  analysis::AnalyzeOptions ao;
  ao.executor = pool.get();
  ao.cancel = env.cancel;
  ao.progress = [&](double p, const std::string& m) { Report(env, p, m); };
  CR_ASSIGN_OR_RETURN(analysis::Analysis an, analysis::AnalyzeFile(input, ao));
  CR_RETURN_IF_ERROR(CheckCancel(env));
  return WriteFileAtomically(analysis_json, analysis::AnalysisToJson(an, analysis::AnalysisJsonForm::kExact));
}

Status TranscribeSource(const std::string& input, const std::string& probe_json,
                        const std::string& subtitles_path, const std::string& transcript_json,
                        const StepEnv& env) {
  CR_ASSIGN_OR_RETURN(ProbeFacts facts, ReadProbeFacts(probe_json));
  speech::Transcript transcript;
  transcript.source = speech::TranscriptSource::kBuiltinAsr;
  if (facts.has_audio) {
    Report(env, 0.0, "transcribing");
    auto pool = StepPool(env);
    speech::TranscribeOptions to;
    to.subtitles_path = subtitles_path;
    to.executor = pool.get();
    to.cancel = env.cancel;
    CR_ASSIGN_OR_RETURN(transcript, speech::TranscribeFile(input, to));
  }
  CR_RETURN_IF_ERROR(CheckCancel(env));
  return WriteFileAtomically(transcript_json, TranscriptToExactJson(transcript));
}

Status SelectClipsFrom(const std::string& transcript_json, const std::string& analysis_json,
                       const ClipSelectOptions& o, const std::string& selection_json) {
  if (o.clips < 1 || o.clips > 50) return InvalidArgumentError("--clips must be 1..50");
  if (!(o.min_s > 0) || o.max_s < o.min_s) {
    return InvalidArgumentError("clip length range is invalid: --min-s must be > 0 and <= --max-s");
  }
  select::SelectOptions so;
  so.clips = o.clips;
  so.min_duration = MediaTime::FromSecondsApprox(o.min_s);
  so.max_duration = MediaTime::FromSecondsApprox(o.max_s);
  so.topic = o.topic;
  if (!o.weights_path.empty()) {
    CR_ASSIGN_OR_RETURN(std::string json, ReadSmallFile(o.weights_path, 1 << 20));
    auto weights = select::ScoringWeights::FromJson(json);
    if (!weights.ok()) return weights.status().WithContext(o.weights_path);
    so.weights = *weights;
  }
  CR_ASSIGN_OR_RETURN(speech::Transcript transcript, ReadTranscript(transcript_json));
  CR_ASSIGN_OR_RETURN(analysis::Analysis an, ReadAnalysis(analysis_json));
  CR_ASSIGN_OR_RETURN(select::Selection selection,
                      select::SelectClips(transcript, SummarizeSignals(an), so));
  if (selection.clips.empty()) return NotFoundError(an.path + ": no clip could be made from this source");
  return WriteFileAtomically(selection_json, select::SelectionToJson(selection));
}

Result<int> PlanClipsFrom(const std::string& selection_json, const std::string& transcript_json,
                          const std::string& analysis_json, const std::string& source_path,
                          const PlanOptions& options,
                          const std::function<std::string(int)>& timeline_path) {
  CR_ASSIGN_OR_RETURN(select::Selection selection, ReadSelection(selection_json));
  CR_ASSIGN_OR_RETURN(speech::Transcript transcript, ReadTranscript(transcript_json));
  CR_ASSIGN_OR_RETURN(analysis::Analysis an, ReadAnalysis(analysis_json));
  for (size_t i = 0; i < selection.clips.size(); ++i) {
    CR_ASSIGN_OR_RETURN(timeline::Timeline tl,
                        PlanClipTimeline(selection.clips[i], transcript, an, source_path, options));
    CR_RETURN_IF_ERROR(WriteFileAtomically(timeline_path(static_cast<int>(i)), timeline::TimelineToJson(tl)));
  }
  return static_cast<int>(selection.clips.size());
}

Status RenderClipFile(const std::string& timeline_json, const std::string& mp4, const StepEnv& env) {
  auto tl = timeline::LoadTimelineFile(timeline_json);
  if (!tl.ok()) return DataLossError(timeline_json + ": " + tl.status().message());
  render::RenderOptions ro;
  ro.threads = std::max(1, env.threads);
  ro.cancel = env.cancel;
  ro.logger = env.logger;
  ro.progress = [&](double p, const std::string& m) { Report(env, p, m); };
  return render::RenderTimeline(*tl, mp4, ro).status();
}

Result<ClipJobResult> PackageClipFiles(const PackageFiles& f, const StepEnv& env) {
  if (f.timelines.size() != f.mp4s.size()) return InternalError("package: one MP4 per Timeline expected");
  const fs::path dir(f.output_dir);
  std::error_code ec;
  fs::create_directories(dir / "clips", ec);
  if (!ec) fs::create_directories(dir / "exports", ec);
  if (ec) return PermissionDeniedError("cannot create " + f.output_dir + ": " + ec.message());

  Report(env, 0.0, "packaging");
  CR_ASSIGN_OR_RETURN(ProbeFacts facts, ReadProbeFacts(f.probe_json));
  CR_ASSIGN_OR_RETURN(MediaInfo info, media::ProbeFile(f.source_path, env.cancel));
  CR_ASSIGN_OR_RETURN(analysis::Analysis an, ReadAnalysis(f.analysis_json));
  CR_ASSIGN_OR_RETURN(speech::Transcript transcript, ReadTranscript(f.transcript_json));
  CR_ASSIGN_OR_RETURN(select::Selection selection, ReadSelection(f.selection_json));
  if (selection.clips.size() != f.timelines.size()) {
    return DataLossError("package: " + std::to_string(f.timelines.size()) + " Timelines for " +
                         std::to_string(selection.clips.size()) + " selected clips");
  }
  ClipJobResult result;
  for (const auto& note : an.notes) result.warnings.push_back(note);
  if (!facts.has_audio) result.warnings.push_back(kNoAudioWarning);
  for (const auto& w : transcript.warnings) result.warnings.push_back(w);
  for (const auto& w : selection.warnings) result.warnings.push_back(w);

  // The documented forms (rounded) for people and tools.
  CR_RETURN_IF_ERROR(WriteFileAtomically((dir / "analysis.json").string(), analysis::AnalysisToJson(an)));
  CR_RETURN_IF_ERROR(WriteFileAtomically((dir / "transcript.json").string(), speech::TranscriptToJson(transcript)));
  std::vector<timeline::Timeline> timelines;
  for (size_t i = 0; i < f.timelines.size(); ++i) {
    const int n = static_cast<int>(i + 1);
    auto tl = timeline::LoadTimelineFile(f.timelines[i]);
    if (!tl.ok()) return DataLossError(f.timelines[i] + ": " + tl.status().message());
    CR_RETURN_IF_ERROR(CopyFileAtomically(f.mp4s[i], (dir / "clips" / NumberedFile(n, ".mp4")).string()));
    CR_RETURN_IF_ERROR(WriteFileAtomically((dir / "clips" / NumberedFile(n, ".timeline.json")).string(),
                                           timeline::TimelineToJson(*tl)));
    timelines.push_back(std::move(*tl));
    CR_RETURN_IF_ERROR(CheckCancel(env));
  }
  PackageInput pkg;
  pkg.output_dir = f.output_dir;
  pkg.source_path = f.source_path;
  pkg.source_info = info;
  pkg.analysis = &an;
  pkg.selection = &selection;
  pkg.timelines = &timelines;
  pkg.warnings = result.warnings;
  CR_ASSIGN_OR_RETURN(result.manifest_path, PackageClips(pkg));  // manifest.json last
  result.clips = static_cast<int>(timelines.size());
  Report(env, 1.0, "done");
  return result;
}

Result<ClipJobResult> ReadPackageResult(const std::string& output_dir) {
  ClipJobResult result;
  result.manifest_path = (fs::path(output_dir) / "manifest.json").string();
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(result.manifest_path));
  Json m = Json::parse(text, nullptr, false);
  if (m.is_discarded() || !m.is_object() || !m.contains("clips") || !m["clips"].is_array()) {
    return DataLossError(result.manifest_path + ": not a clip manifest");
  }
  result.clips = static_cast<int>(m["clips"].size());
  if (m.contains("warnings") && m["warnings"].is_array()) {
    for (const auto& w : m["warnings"]) {
      if (w.is_string()) result.warnings.push_back(w.get<std::string>());
    }
  }
  return result;
}

}  // namespace cutroom::clip
