#include "timeline/timeline_json.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "json/strict_json.h"

namespace cutroom::timeline {
namespace {

using strict_json::Describe;
using strict_json::FieldError;
using strict_json::Json;
using strict_json::ObjectReader;
using strict_json::Presence;
using strict_json::ReadArray;
using strict_json::ReadOptional;
using strict_json::ReadRequired;
using strict_json::ToBool;
using strict_json::ToDouble;
using strict_json::ToEnum;
using strict_json::ToFrameRate;
using strict_json::ToInt;
using strict_json::ToNonEmptyString;
using strict_json::ToString;
// Written output keeps keys in declaration order so a person reading the file sees version and
// output first, not an alphabetical jumble.
using OrderedJson = nlohmann::ordered_json;

// A Timeline file larger than this is almost surely a media file passed by mistake; refusing it
// avoids reading gigabytes into memory just to report a syntax error.
constexpr uintmax_t kMaxFileBytes = 64u << 20;

// JSON floats are refused for times: 0.1 has no exact binary form, and the whole point of the
// format is that cut points survive a round trip exactly.
Result<MediaTime> ToTime(const Json& j, const std::string& path) {
  if (j.is_string()) {
    const auto& text = j.get_ref<const std::string&>();
    auto time = MediaTime::Parse(text);
    if (!time.ok()) {
      return FieldError(
          path, "expected a time in seconds (\"12.48\", \"1001/30000\"), got '" + text + "'");
    }
    return *time;
  }
  if (j.is_number_integer() &&
      (!j.is_number_unsigned() ||
       j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
    return MediaTime(j.get<int64_t>(), {1, 1});
  }
  if (j.is_number_float()) {
    return FieldError(path, "got " + Describe(j) +
                                "; write fractional times as strings (\"12.48\" or "
                                "\"1001/30000\") so they stay exact");
  }
  return FieldError(path,
                    "expected a time in seconds as a string or an integer, got " + Describe(j));
}

Result<Layout> ToLayout(const Json& j, const std::string& path) {
  return ToEnum(j, path, "layout", {Layout::kFill, Layout::kFitBlur, Layout::kSplit}, &LayoutName);
}

Result<Interpolation> ToInterpolation(const Json& j, const std::string& path) {
  return ToEnum(j, path, "interpolation",
                {Interpolation::kHold, Interpolation::kLinear, Interpolation::kSmooth},
                &InterpolationName);
}

Result<CaptionPosition> ToCaptionPosition(const Json& j, const std::string& path) {
  return ToEnum(j, path, "position",
                {CaptionPosition::kBottom, CaptionPosition::kLowerThird, CaptionPosition::kCenter,
                 CaptionPosition::kTop},
                &CaptionPositionName);
}

Result<SourceKind> ToSourceKind(const Json& j, const std::string& path) {
  return ToEnum(j, path, "kind", {SourceKind::kVideo, SourceKind::kImage}, &SourceKindName);
}

Result<AudioRole> ToAudioRole(const Json& j, const std::string& path) {
  return ToEnum(j, path, "role", {AudioRole::kVoice, AudioRole::kMusic, AudioRole::kEffect},
                &AudioRoleName);
}

Result<TransitionKind> ToTransitionKind(const Json& j, const std::string& path) {
  return ToEnum(j, path, "transition kind",
                {TransitionKind::kCut, TransitionKind::kCrossfade, TransitionKind::kSlide,
                 TransitionKind::kZoom},
                &TransitionKindName);
}

Result<OverlayAnimation> ToOverlayAnimation(const Json& j, const std::string& path) {
  return ToEnum(j, path, "animation",
                {OverlayAnimation::kNone, OverlayAnimation::kFade, OverlayAnimation::kRise,
                 OverlayAnimation::kPop},
                &OverlayAnimationName);
}

Result<VideoCodecSettings> ToVideoCodec(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  VideoCodecSettings video;
  CR_RETURN_IF_ERROR(ReadOptional(r, "codec", ToString, &video.codec));
  CR_RETURN_IF_ERROR(ReadOptional(r, "preset", ToString, &video.preset));
  CR_RETURN_IF_ERROR(ReadOptional(r, "crf", ToInt, &video.crf));
  CR_RETURN_IF_ERROR(ReadOptional(r, "profile", ToString, &video.profile));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return video;
}

Result<AudioCodecSettings> ToAudioCodec(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  AudioCodecSettings audio;
  CR_RETURN_IF_ERROR(ReadOptional(r, "codec", ToString, &audio.codec));
  CR_RETURN_IF_ERROR(ReadOptional(r, "bitrate", ToInt, &audio.bitrate));
  CR_RETURN_IF_ERROR(ReadOptional(r, "sample_rate", ToInt, &audio.sample_rate));
  CR_RETURN_IF_ERROR(ReadOptional(r, "channels", ToInt, &audio.channels));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return audio;
}

// null means "no audio track"; an absent field keeps the default AAC track.
Result<std::optional<AudioCodecSettings>> ToOptionalAudioCodec(const Json& j,
                                                               const std::string& path) {
  if (j.is_null()) return std::optional<AudioCodecSettings>();
  CR_ASSIGN_OR_RETURN(AudioCodecSettings audio, ToAudioCodec(j, path));
  return std::optional<AudioCodecSettings>(std::move(audio));
}

Result<OutputSpec> ToOutput(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  OutputSpec output;
  CR_RETURN_IF_ERROR(ReadOptional(r, "width", ToInt, &output.width));
  CR_RETURN_IF_ERROR(ReadOptional(r, "height", ToInt, &output.height));
  CR_RETURN_IF_ERROR(ReadOptional(r, "fps", ToFrameRate, &output.fps));
  CR_RETURN_IF_ERROR(ReadOptional(r, "video", ToVideoCodec, &output.video));
  CR_RETURN_IF_ERROR(ReadOptional(r, "audio", ToOptionalAudioCodec, &output.audio));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return output;
}

Result<Source> ToSource(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  Source source;
  CR_RETURN_IF_ERROR(ReadRequired(r, "id", ToNonEmptyString, &source.id));
  CR_RETURN_IF_ERROR(ReadRequired(r, "path", ToNonEmptyString, &source.path));
  CR_RETURN_IF_ERROR(ReadOptional(r, "kind", ToSourceKind, &source.kind));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return source;
}

Result<CropKeyframe> ToCropKeyframe(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  CropKeyframe keyframe;
  CR_RETURN_IF_ERROR(ReadRequired(r, "t", ToTime, &keyframe.t));
  CR_RETURN_IF_ERROR(ReadOptional(r, "cx", ToDouble, &keyframe.cx));
  CR_RETURN_IF_ERROR(ReadOptional(r, "cy", ToDouble, &keyframe.cy));
  CR_RETURN_IF_ERROR(ReadOptional(r, "zoom", ToDouble, &keyframe.zoom));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return keyframe;
}

Result<Transition> ToTransition(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  Transition transition;
  CR_RETURN_IF_ERROR(ReadRequired(r, "kind", ToTransitionKind, &transition.kind));
  CR_RETURN_IF_ERROR(ReadOptional(r, "duration", ToTime, &transition.duration));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return transition;
}

Result<Segment> ToSegment(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  Segment segment;
  CR_RETURN_IF_ERROR(ReadRequired(r, "source", ToNonEmptyString, &segment.source));
  CR_RETURN_IF_ERROR(ReadRequired(r, "in", ToTime, &segment.in));
  CR_RETURN_IF_ERROR(ReadRequired(r, "out", ToTime, &segment.out));
  CR_RETURN_IF_ERROR(ReadOptional(r, "layout", ToLayout, &segment.layout));
  CR_RETURN_IF_ERROR(ReadArray(r, "crop", Presence::kOptional, ToCropKeyframe, &segment.crop));
  CR_RETURN_IF_ERROR(
      ReadArray(r, "crop_secondary", Presence::kOptional, ToCropKeyframe, &segment.crop_secondary));
  CR_RETURN_IF_ERROR(ReadOptional(r, "interpolation", ToInterpolation, &segment.interpolation));
  CR_RETURN_IF_ERROR(ReadOptional(r, "gain_db", ToDouble, &segment.gain_db));
  CR_RETURN_IF_ERROR(ReadOptional(r, "mute", ToBool, &segment.mute));
  CR_RETURN_IF_ERROR(ReadOptional(r, "transition", ToTransition, &segment.transition));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return segment;
}

Result<Overlay> ToOverlay(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  Overlay overlay;
  CR_RETURN_IF_ERROR(ReadRequired(r, "source", ToNonEmptyString, &overlay.source));
  CR_RETURN_IF_ERROR(ReadRequired(r, "start", ToTime, &overlay.start));
  CR_RETURN_IF_ERROR(ReadRequired(r, "end", ToTime, &overlay.end));
  CR_RETURN_IF_ERROR(ReadOptional(r, "x", ToDouble, &overlay.x));
  CR_RETURN_IF_ERROR(ReadOptional(r, "y", ToDouble, &overlay.y));
  CR_RETURN_IF_ERROR(ReadOptional(r, "width", ToDouble, &overlay.width));
  CR_RETURN_IF_ERROR(ReadOptional(r, "opacity", ToDouble, &overlay.opacity));
  CR_RETURN_IF_ERROR(ReadOptional(r, "animation", ToOverlayAnimation, &overlay.animation));
  CR_RETURN_IF_ERROR(ReadOptional(r, "animation_duration", ToTime, &overlay.animation_duration));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return overlay;
}

Result<CaptionWord> ToCaptionWord(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  CaptionWord word;
  CR_RETURN_IF_ERROR(ReadRequired(r, "text", ToString, &word.text));
  CR_RETURN_IF_ERROR(ReadRequired(r, "start", ToTime, &word.start));
  CR_RETURN_IF_ERROR(ReadRequired(r, "end", ToTime, &word.end));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return word;
}

// Absent or null: no captions.
Result<std::optional<CaptionTrack>> ToCaptions(const Json& j, const std::string& path) {
  if (j.is_null()) return std::optional<CaptionTrack>();
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  CaptionTrack track;
  CR_RETURN_IF_ERROR(ReadOptional(r, "style", ToString, &track.style));
  CR_RETURN_IF_ERROR(ReadArray(r, "words", Presence::kRequired, ToCaptionWord, &track.words));
  CR_RETURN_IF_ERROR(ReadOptional(r, "max_words", ToInt, &track.max_words));
  CR_RETURN_IF_ERROR(ReadOptional(r, "uppercase", ToBool, &track.uppercase));
  CR_RETURN_IF_ERROR(ReadOptional(r, "position", ToCaptionPosition, &track.position));
  CR_RETURN_IF_ERROR(ReadOptional(r, "font", ToString, &track.font));
  CR_RETURN_IF_ERROR(ReadOptional(r, "font_file", ToString, &track.font_file));
  CR_RETURN_IF_ERROR(ReadOptional(r, "font_size", ToDouble, &track.font_size));
  CR_RETURN_IF_ERROR(ReadOptional(r, "primary_colour", ToString, &track.primary_colour));
  CR_RETURN_IF_ERROR(ReadOptional(r, "highlight_colour", ToString, &track.highlight_colour));
  CR_RETURN_IF_ERROR(ReadOptional(r, "outline_colour", ToString, &track.outline_colour));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return std::optional<CaptionTrack>(std::move(track));
}

// null: no loudness normalisation.
Result<std::optional<double>> ToOptionalDouble(const Json& j, const std::string& path) {
  if (j.is_null()) return std::optional<double>();
  CR_ASSIGN_OR_RETURN(double value, ToDouble(j, path));
  return std::optional<double>(value);
}

Result<AudioTrack> ToAudioTrack(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  AudioTrack track;
  CR_RETURN_IF_ERROR(ReadRequired(r, "source", ToNonEmptyString, &track.source));
  CR_RETURN_IF_ERROR(ReadRequired(r, "in", ToTime, &track.in));
  CR_RETURN_IF_ERROR(ReadRequired(r, "out", ToTime, &track.out));
  CR_RETURN_IF_ERROR(ReadOptional(r, "at", ToTime, &track.at));
  CR_RETURN_IF_ERROR(ReadOptional(r, "gain_db", ToDouble, &track.gain_db));
  CR_RETURN_IF_ERROR(ReadOptional(r, "loop", ToBool, &track.loop));
  CR_RETURN_IF_ERROR(ReadOptional(r, "fade_in_ms", ToDouble, &track.fade_in_ms));
  CR_RETURN_IF_ERROR(ReadOptional(r, "fade_out_ms", ToDouble, &track.fade_out_ms));
  CR_RETURN_IF_ERROR(ReadOptional(r, "duck_db", ToDouble, &track.duck_db));
  CR_RETURN_IF_ERROR(ReadOptional(r, "role", ToAudioRole, &track.role));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return track;
}

Result<AudioSettings> ToAudioSettings(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  AudioSettings audio;
  CR_RETURN_IF_ERROR(ReadOptional(r, "fade_ms", ToDouble, &audio.fade_ms));
  CR_RETURN_IF_ERROR(
      ReadOptional(r, "loudness_target_lufs", ToOptionalDouble, &audio.loudness_target_lufs));
  CR_RETURN_IF_ERROR(ReadOptional(r, "true_peak_dbtp", ToDouble, &audio.true_peak_dbtp));
  CR_RETURN_IF_ERROR(ReadArray(r, "tracks", Presence::kOptional, ToAudioTrack, &audio.tracks));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return audio;
}

Result<int> ToVersion(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(int version, ToInt(j, path));
  if (version != kTimelineVersion) {
    return FieldError(path, "unsupported version " + std::to_string(version) +
                                " (this build reads version " + std::to_string(kTimelineVersion) +
                                ")");
  }
  return version;
}

Result<Timeline> ToTimeline(const Json& root) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::MakeRoot(root, "timeline"));
  Timeline timeline;
  CR_RETURN_IF_ERROR(ReadRequired(r, "version", ToVersion, &timeline.version));
  CR_RETURN_IF_ERROR(ReadOptional(r, "output", ToOutput, &timeline.output));
  CR_RETURN_IF_ERROR(ReadArray(r, "sources", Presence::kRequired, ToSource, &timeline.sources));
  CR_RETURN_IF_ERROR(ReadArray(r, "segments", Presence::kRequired, ToSegment, &timeline.segments));
  CR_RETURN_IF_ERROR(ReadArray(r, "overlays", Presence::kOptional, ToOverlay, &timeline.overlays));
  CR_RETURN_IF_ERROR(ReadOptional(r, "captions", ToCaptions, &timeline.captions));
  CR_RETURN_IF_ERROR(ReadOptional(r, "audio", ToAudioSettings, &timeline.audio));
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  return timeline;
}

OrderedJson TimeToJson(const MediaTime& time) { return time.ToString(); }

OrderedJson OutputToJson(const OutputSpec& output) {
  OrderedJson video = {{"codec", output.video.codec},
                       {"preset", output.video.preset},
                       {"crf", output.video.crf},
                       {"profile", output.video.profile}};
  OrderedJson audio = nullptr;
  if (output.audio) {
    audio = {{"codec", output.audio->codec},
             {"bitrate", output.audio->bitrate},
             {"sample_rate", output.audio->sample_rate},
             {"channels", output.audio->channels}};
  }
  return {{"width", output.width},
          {"height", output.height},
          {"fps", output.fps.ToString()},
          {"video", std::move(video)},
          {"audio", std::move(audio)}};
}

OrderedJson CropToJson(const std::vector<CropKeyframe>& keyframes) {
  OrderedJson crop = OrderedJson::array();
  for (const CropKeyframe& k : keyframes) {
    crop.push_back({{"t", TimeToJson(k.t)}, {"cx", k.cx}, {"cy", k.cy}, {"zoom", k.zoom}});
  }
  return crop;
}

OrderedJson SegmentToJson(const Segment& segment) {
  OrderedJson out = {{"source", segment.source},
                     {"in", TimeToJson(segment.in)},
                     {"out", TimeToJson(segment.out)},
                     {"layout", LayoutName(segment.layout)},
                     {"crop", CropToJson(segment.crop)},
                     {"interpolation", InterpolationName(segment.interpolation)},
                     {"gain_db", segment.gain_db},
                     {"mute", segment.mute}};
  if (!segment.crop_secondary.empty()) out["crop_secondary"] = CropToJson(segment.crop_secondary);
  out["transition"] = {{"kind", TransitionKindName(segment.transition.kind)},
                       {"duration", TimeToJson(segment.transition.duration)}};
  return out;
}

OrderedJson OverlaysToJson(const std::vector<Overlay>& overlays) {
  OrderedJson out = OrderedJson::array();
  for (const Overlay& overlay : overlays) {
    out.push_back({{"source", overlay.source},
                   {"start", TimeToJson(overlay.start)},
                   {"end", TimeToJson(overlay.end)},
                   {"x", overlay.x},
                   {"y", overlay.y},
                   {"width", overlay.width},
                   {"opacity", overlay.opacity},
                   {"animation", OverlayAnimationName(overlay.animation)},
                   {"animation_duration", TimeToJson(overlay.animation_duration)}});
  }
  return out;
}

OrderedJson CaptionsToJson(const std::optional<CaptionTrack>& captions) {
  if (!captions) return nullptr;
  OrderedJson words = OrderedJson::array();
  for (const CaptionWord& word : captions->words) {
    words.push_back(
        {{"text", word.text}, {"start", TimeToJson(word.start)}, {"end", TimeToJson(word.end)}});
  }
  return {{"style", captions->style},
          {"words", std::move(words)},
          {"max_words", captions->max_words},
          {"uppercase", captions->uppercase},
          {"position", CaptionPositionName(captions->position)},
          {"font", captions->font},
          {"font_file", captions->font_file},
          {"font_size", captions->font_size},
          {"primary_colour", captions->primary_colour},
          {"highlight_colour", captions->highlight_colour},
          {"outline_colour", captions->outline_colour}};
}

OrderedJson AudioSettingsToJson(const AudioSettings& audio) {
  OrderedJson loudness = nullptr;
  if (audio.loudness_target_lufs) loudness = *audio.loudness_target_lufs;
  OrderedJson tracks = OrderedJson::array();
  for (const AudioTrack& track : audio.tracks) {
    tracks.push_back({{"source", track.source},
                      {"in", TimeToJson(track.in)},
                      {"out", TimeToJson(track.out)},
                      {"at", TimeToJson(track.at)},
                      {"gain_db", track.gain_db},
                      {"loop", track.loop},
                      {"fade_in_ms", track.fade_in_ms},
                      {"fade_out_ms", track.fade_out_ms},
                      {"duck_db", track.duck_db},
                      {"role", AudioRoleName(track.role)}});
  }
  return {{"fade_ms", audio.fade_ms},
          {"loudness_target_lufs", std::move(loudness)},
          {"true_peak_dbtp", audio.true_peak_dbtp},
          {"tracks", std::move(tracks)}};
}

}  // namespace

Result<Timeline> ParseTimelineJson(std::string_view json) {
  CR_ASSIGN_OR_RETURN(Json root, strict_json::ParseJson(json));
  try {
    return ToTimeline(root);
  } catch (const std::exception& e) {
    // Every conversion checks the type before reading, so this is a bug in this file.
    return InternalError(std::string("reading Timeline JSON: ") + e.what());
  }
}

Result<Timeline> LoadTimelineFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return NotFoundError(path + ": no such file");
  if (fs::is_directory(status)) {
    return InvalidArgumentError(path + ": is a directory, not a Timeline JSON file");
  }
  uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    return InvalidArgumentError(path + ": " + std::to_string(size) +
                                " bytes is too large for a Timeline JSON file (is it media?)");
  }

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return PermissionDeniedError(path + ": cannot open for reading: " + std::strerror(errno));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return DataLossError(path + ": read failed");
  std::string text = std::move(contents).str();
  if (text.empty()) return InvalidArgumentError(path + ": file is empty");

  auto parsed = ParseTimelineJson(text);
  if (!parsed.ok()) return parsed.status().WithContext(path);
  Timeline timeline = std::move(parsed).value();

  fs::path folder = fs::absolute(fs::path(path), ec).parent_path();
  if (ec) folder = fs::path(path).parent_path();
  for (Source& source : timeline.sources) {
    fs::path source_path(source.path);
    if (source_path.is_relative()) source.path = (folder / source_path).lexically_normal().string();
  }
  return timeline;
}

std::string TimelineToJson(const Timeline& timeline) {
  OrderedJson sources = OrderedJson::array();
  for (const Source& source : timeline.sources) {
    sources.push_back(
        {{"id", source.id}, {"path", source.path}, {"kind", SourceKindName(source.kind)}});
  }
  OrderedJson segments = OrderedJson::array();
  for (const Segment& segment : timeline.segments) segments.push_back(SegmentToJson(segment));

  OrderedJson root = {{"version", timeline.version},
                      {"output", OutputToJson(timeline.output)},
                      {"sources", std::move(sources)},
                      {"segments", std::move(segments)},
                      {"overlays", OverlaysToJson(timeline.overlays)},
                      {"captions", CaptionsToJson(timeline.captions)},
                      {"audio", AudioSettingsToJson(timeline.audio)}};
  // Strings come from C++ callers and may hold invalid UTF-8; replacing beats throwing.
  return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

}  // namespace cutroom::timeline
