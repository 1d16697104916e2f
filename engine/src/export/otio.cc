// OpenTimelineIO JSON writer (the .otio format). nlohmann::json stays inside this file.
#include <nlohmann/json.hpp>
#include <string>

#include "export/export_internal.h"
#include "export/nle_export.h"

namespace cutroom::export_ {
namespace {

using Json = nlohmann::ordered_json;
using internal::PreparedClip;
using internal::PreparedSource;

Json RationalTime(double value, Rational rate) {
  return Json{{"OTIO_SCHEMA", "RationalTime.1"}, {"rate", rate.ToDouble()}, {"value", value}};
}

Json TimeRange(double start, double duration, Rational rate) {
  return Json{{"OTIO_SCHEMA", "TimeRange.1"},
              {"duration", RationalTime(duration, rate)},
              {"start_time", RationalTime(start, rate)}};
}

// The fields every OTIO Item carries, in the order OTIO writes them.
Json Item(const char* schema, const std::string& name, Json source_range, Json metadata) {
  return Json{{"OTIO_SCHEMA", schema},
              {"metadata", std::move(metadata)},
              {"name", name},
              {"source_range", std::move(source_range)},
              {"effects", Json::array()},
              {"markers", Json::array()},
              {"enabled", true}};
}

Json Keyframes(const std::vector<timeline::CropKeyframe>& keys) {
  Json out = Json::array();
  for (const timeline::CropKeyframe& key : keys) {
    out.push_back(
        Json{{"t", key.t.ToString()}, {"cx", key.cx}, {"cy", key.cy}, {"zoom", key.zoom}});
  }
  return out;
}

Json MediaReference(const PreparedSource& source, Rational output_rate) {
  // available_range in the source's own frame rate when known (the media's real extent).
  Rational rate = source.video_rate.num > 0 ? source.video_rate : output_rate;
  MediaTime duration = source.info->duration;
  if (duration == MediaTime::Zero() && source.info->video() != nullptr) {
    duration = source.info->video()->duration;
  }
  Json available = nullptr;
  if (duration > MediaTime::Zero()) {
    available = TimeRange(0, static_cast<double>(internal::NearestFrame(duration, rate)), rate);
  }
  return Json{{"OTIO_SCHEMA", "ExternalReference.1"},
              {"metadata", Json::object()},
              {"name", internal::BaseName(source.absolute_path)},
              {"available_range", std::move(available)},
              {"target_url", internal::FileUrl(source.absolute_path)}};
}

Json Track(const char* kind, const char* name, Json children) {
  Json track = Item("Track.1", name, nullptr, Json::object());
  track["children"] = std::move(children);
  track["kind"] = kind;
  return track;
}

}  // namespace

Result<std::string> TimelineToOtio(const timeline::Timeline& timeline,
                                   const std::map<std::string, MediaInfo>& sources,
                                   const ExportOptions& options) {
  CR_ASSIGN_OR_RETURN(PreparedClip clip, internal::Prepare(timeline, sources, options));
  const Rational fps = clip.fps;
  Json video = Json::array();
  Json audio = Json::array();
  for (const SegmentCut& cut : clip.cuts) {
    const timeline::Segment& segment = timeline.segments[cut.segment];
    const PreparedSource& source = clip.sources.at(cut.source_id);
    const double src_in = static_cast<double>(internal::NearestFrame(cut.source_in, fps));
    const double frames = static_cast<double>(cut.frame_count);
    const std::string name = internal::BaseName(source.absolute_path);

    Json cutroom{{"segment", cut.segment},
                 {"source_id", cut.source_id},
                 {"source_in", cut.source_in.ToString()},
                 {"layout", std::string(timeline::LayoutName(segment.layout))},
                 {"interpolation", std::string(timeline::InterpolationName(segment.interpolation))},
                 {"crop", Keyframes(segment.crop)}};
    if (segment.layout == timeline::Layout::kSplit) {
      cutroom["crop_secondary"] = Keyframes(segment.crop_secondary);
    }
    Json clip_json =
        Item("Clip.1", name, TimeRange(src_in, frames, fps), Json{{"cutroom", std::move(cutroom)}});
    clip_json["media_reference"] = MediaReference(source, fps);
    video.push_back(std::move(clip_json));

    if (!timeline.output.audio) continue;
    if (segment.mute || source.info->audio() == nullptr) {
      audio.push_back(Item("Gap.1", "", TimeRange(0, frames, fps), Json::object()));
      continue;
    }
    Json audio_clip =
        Item("Clip.1", name, TimeRange(src_in, frames, fps),
             Json{{"cutroom", Json{{"segment", cut.segment}, {"gain_db", segment.gain_db}}}});
    audio_clip["media_reference"] = MediaReference(source, fps);
    audio.push_back(std::move(audio_clip));
  }

  Json tracks = Json::array();
  tracks.push_back(Track("Video", "V1", std::move(video)));
  if (timeline.output.audio) tracks.push_back(Track("Audio", "A1", std::move(audio)));
  Json stack = Item("Stack.1", "tracks", nullptr, Json::object());
  stack["children"] = std::move(tracks);

  Json meta{{"output", Json{{"width", timeline.output.width},
                            {"height", timeline.output.height},
                            {"fps", fps.ToString()}}}};
  if (!clip.captions.empty()) {
    Json cues = Json::array();
    for (const internal::CaptionCue& cue : clip.captions) {
      cues.push_back(Json{{"text", cue.text},
                          {"range", TimeRange(static_cast<double>(cue.first_frame),
                                              static_cast<double>(cue.frame_count), fps)}});
    }
    meta["captions"] = Json{{"style", timeline.captions->style}, {"cues", std::move(cues)}};
  }
  const double record_start =
      static_cast<double>(internal::NearestFrame(options.record_start, fps));
  Json root{{"OTIO_SCHEMA", "Timeline.1"},
            {"metadata", Json{{"cutroom", std::move(meta)}}},
            {"name", clip.title},
            {"global_start_time", RationalTime(record_start, fps)},
            {"tracks", std::move(stack)}};
  try {
    return root.dump(4) + "\n";
  } catch (const nlohmann::json::exception& e) {
    // dump() throws on invalid UTF-8 (a source id or caption with broken bytes).
    return InvalidArgumentError(std::string("cannot write OTIO JSON: ") + e.what());
  }
}

}  // namespace cutroom::export_
