#include "clip/clip_package.h"

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cutroom/file_util.h"
#include "export/nle_export.h"
#include "export/thumbnail.h"
#include "export/subtitles.h"
#include "timeline/timeline_json.h"

namespace cutroom::clip {
namespace {

using Json = nlohmann::ordered_json;

std::string Numbered(size_t index, const std::string& ext) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02zu%s", index, ext.c_str());
  return buf;
}

double Seconds(MediaTime t) { return std::round(t.ToSeconds() * 1000.0) / 1000.0; }

// Face presence inside the clip's crop at a time: favours thumbnails that show the subject.
double FaceScore(const analysis::Analysis& an, MediaTime source_time) {
  double best = 0;
  for (const auto& track : an.faces) {
    for (const auto& s : track.samples) {
      double dt = std::fabs((s.time - source_time).ToSeconds());
      if (dt < 0.25) best = std::max(best, std::min(1.0, s.box.w * 6));
    }
  }
  return best;
}

}  // namespace

std::string ManifestJson(const PackageInput& in) {
  Json m;
  m["version"] = 1;
  m["source"] = {{"path", in.source_path}, {"duration_s", Seconds(in.source_info.duration)}};
  m["warnings"] = in.warnings;
  Json clips = Json::array();
  for (size_t i = 0; i < in.timelines->size(); ++i) {
    const select::ClipCandidate& c = in.selection->clips[i];
    const timeline::Timeline& tl = (*in.timelines)[i];
    const size_t n = i + 1;
    Json components = Json::object();
    for (const auto& comp : c.components) {
      components[comp.name] = {{"value", comp.value},
                               {"weight", comp.weight},
                               {"contribution", comp.contribution},
                               {"detail", comp.detail}};
    }
    Json layouts = Json::array();
    for (const auto& seg : tl.segments) layouts.push_back(std::string(timeline::LayoutName(seg.layout)));
    Json captions = {{"style", tl.captions ? tl.captions->style : ""},
                     {"words", tl.captions ? tl.captions->words.size() : 0},
                     {"srt", "clips/" + Numbered(n, ".srt")},
                     {"vtt", "clips/" + Numbered(n, ".vtt")},
                     {"ass", "clips/" + Numbered(n, ".ass")}};
    clips.push_back({{"index", n},
                     {"file", "clips/" + Numbered(n, ".mp4")},
                     {"start_s", Seconds(tl.segments.front().in)},
                     {"end_s", Seconds(tl.segments.back().out)},
                     {"duration_s", Seconds(tl.Duration())},
                     {"width", tl.output.width},
                     {"height", tl.output.height},
                     {"score", std::round(c.score * 10) / 10},
                     {"components", components},
                     {"reason", c.reason},
                     {"title", c.title},
                     {"description", c.description},
                     {"hashtags", c.hashtags},
                     {"text", c.text},
                     {"layouts", layouts},
                     {"captions", captions},
                     {"thumbnail", "clips/" + Numbered(n, ".jpg")},
                     {"timeline", "clips/" + Numbered(n, ".timeline.json")},
                     {"exports",
                      {{"fcpxml", "exports/" + Numbered(n, ".fcpxml")},
                       {"edl", "exports/" + Numbered(n, ".edl")},
                       {"otio", "exports/" + Numbered(n, ".otio")}}}});
  }
  m["clips"] = std::move(clips);
  return m.dump(2) + "\n";
}

Result<std::string> PackageClips(const PackageInput& in) {
  const std::filesystem::path dir(in.output_dir);
  std::map<std::string, MediaInfo> sources = {{"source", in.source_info}};
  for (size_t i = 0; i < in.timelines->size(); ++i) {
    const timeline::Timeline& tl = (*in.timelines)[i];
    const size_t n = i + 1;
    auto clip_file = [&](const std::string& ext) { return (dir / "clips" / Numbered(n, ext)).string(); };
    auto export_file = [&](const std::string& ext) { return (dir / "exports" / Numbered(n, ext)).string(); };

    // Cue groups identical to the burned captions; the ASS file is the script that was burned.
    CR_RETURN_IF_ERROR(WriteFileAtomically(clip_file(".srt"), export_::TimelineCaptionsToSrt(tl)));
    CR_RETURN_IF_ERROR(WriteFileAtomically(clip_file(".vtt"), export_::TimelineCaptionsToVtt(tl)));
    CR_ASSIGN_OR_RETURN(std::string ass, export_::TimelineCaptionsToAss(tl));
    CR_RETURN_IF_ERROR(WriteFileAtomically(clip_file(".ass"), ass));

    export_::ExportOptions eo;
    eo.title = in.selection->clips[i].title.empty() ? "cutroom clip " + std::to_string(n)
                                                    : in.selection->clips[i].title;
    eo.record_start = MediaTime(3600, {1, 1});
    CR_ASSIGN_OR_RETURN(std::string fcpxml, export_::TimelineToFcpxml(tl, sources, eo));
    CR_RETURN_IF_ERROR(WriteFileAtomically(export_file(".fcpxml"), fcpxml));
    CR_ASSIGN_OR_RETURN(std::string edl, export_::TimelineToEdl(tl, sources, eo));
    CR_RETURN_IF_ERROR(WriteFileAtomically(export_file(".edl"), edl));
    CR_ASSIGN_OR_RETURN(std::string otio, export_::TimelineToOtio(tl, sources, eo));
    CR_RETURN_IF_ERROR(WriteFileAtomically(export_file(".otio"), otio));

    const MediaTime clip_start = tl.segments.front().in;
    const analysis::Analysis* an = in.analysis;
    auto face_score = [an, clip_start](MediaTime output_time) {
      return an == nullptr ? 0.0 : FaceScore(*an, clip_start + output_time);
    };
    export_::ThumbnailOptions to;
    to.face_score = face_score;
    CR_ASSIGN_OR_RETURN(auto choice, export_::ChooseThumbnailTime(tl, to));
    CR_RETURN_IF_ERROR(export_::WriteThumbnail(tl, choice.time, clip_file(".jpg"), 720));
  }
  std::string manifest = (dir / "manifest.json").string();
  CR_RETURN_IF_ERROR(WriteFileAtomically(manifest, ManifestJson(in)));
  return manifest;
}

}  // namespace cutroom::clip
