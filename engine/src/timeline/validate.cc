#include "timeline/validate.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace cutroom::timeline {
namespace {

constexpr int kMaxDimension = 8192;
constexpr int kMinFps = 1;
constexpr int kMaxFps = 240;
constexpr int kMaxCrf = 51;
constexpr int kMinAudioBitrate = 8000;
constexpr int kMaxAudioBitrate = 512000;
constexpr double kMinZoom = 1.0;
constexpr double kMaxZoom = 20.0;
constexpr int kMinCaptionWords = 1;
constexpr int kMaxCaptionWords = 4;
constexpr double kMinLoudnessLufs = -70.0;
constexpr double kMaxLoudnessLufs = 0.0;
constexpr double kMinTruePeakDbtp = -20.0;
constexpr double kMaxTruePeakDbtp = 0.0;
// A timeline with a systematic mistake (every caption word shifted) would otherwise produce a
// message thousands of lines long; the first errors are enough to see the pattern.
constexpr size_t kMaxReportedErrors = 20;

// What the renderer's encoder setup accepts (libx264 presets and profiles, AAC rates).
constexpr std::array<std::string_view, 10> kX264Presets = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo"};
constexpr std::array<std::string_view, 3> kH264Profiles = {"baseline", "main", "high"};
constexpr std::array<int, 9> kAacSampleRates = {8000,  11025, 16000, 22050, 24000,
                                                32000, 44100, 48000, 96000};

// Collects every problem so a person fixing a hand-written Timeline sees them all at once.
class Errors {
 public:
  void Add(std::string field, std::string_view what) {
    ++count_;
    if (count_ > kMaxReportedErrors) return;
    if (!message_.empty()) message_ += "; ";
    message_ += field;
    message_ += ": ";
    message_ += what;
  }

  Status ToStatus() const {
    if (count_ == 0) return Status::Ok();
    std::string message = message_;
    if (count_ > kMaxReportedErrors) {
      message += "; and " + std::to_string(count_ - kMaxReportedErrors) + " more errors";
    }
    return InvalidArgumentError(std::move(message));
  }

 private:
  size_t count_ = 0;
  std::string message_;
};

std::string Seconds(const MediaTime& t) { return t.ToString() + " s"; }

std::string Number(double value) {
  std::string text = std::to_string(value);
  // std::to_string prints six decimals; trailing zeros only add noise to a message.
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

template <typename Strings>
std::string Join(const Strings& items) {
  std::string joined;
  for (const auto& item : items) {
    if (!joined.empty()) joined += ", ";
    joined += item;
  }
  return joined;
}

// Written so that NaN fails too.
bool InRange(double value, double lo, double hi) { return value >= lo && value <= hi; }

bool IsColour(const std::string& text) {
  if (text.size() != 7 || text[0] != '#') return false;
  return std::all_of(text.begin() + 1, text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

void CheckDimension(std::string field, int value, Errors* errors) {
  std::string v = std::to_string(value);
  if (value <= 0) {
    errors->Add(std::move(field), v + " must be positive");
  } else if (value % 2 != 0) {
    // 4:2:0 chroma subsampling needs even sizes.
    errors->Add(std::move(field), v + " must be even");
  } else if (value > kMaxDimension) {
    errors->Add(std::move(field), v + " is larger than " + std::to_string(kMaxDimension));
  }
}

void CheckOutput(const OutputSpec& output, Errors* errors) {
  CheckDimension("output.width", output.width, errors);
  CheckDimension("output.height", output.height, errors);
  if (output.fps.den <= 0 || output.fps < Rational{kMinFps, 1} ||
      output.fps > Rational{kMaxFps, 1}) {
    errors->Add("output.fps", output.fps.ToString() + " is outside " + std::to_string(kMinFps) +
                                  ".." + std::to_string(kMaxFps));
  }

  const VideoCodecSettings& video = output.video;
  if (video.codec != "h264") {
    errors->Add("output.video.codec", "unsupported codec '" + video.codec + "' (known: h264)");
  }
  if (std::find(kX264Presets.begin(), kX264Presets.end(), video.preset) == kX264Presets.end()) {
    errors->Add("output.video.preset",
                "unknown preset '" + video.preset + "' (known: " + Join(kX264Presets) + ")");
  }
  if (video.crf < 0 || video.crf > kMaxCrf) {
    errors->Add("output.video.crf",
                std::to_string(video.crf) + " is outside 0.." + std::to_string(kMaxCrf));
  }
  if (std::find(kH264Profiles.begin(), kH264Profiles.end(), video.profile) == kH264Profiles.end()) {
    errors->Add("output.video.profile",
                "unknown profile '" + video.profile + "' (known: " + Join(kH264Profiles) + ")");
  }

  if (!output.audio) return;
  const AudioCodecSettings& audio = *output.audio;
  if (audio.codec != "aac") {
    errors->Add("output.audio.codec", "unsupported codec '" + audio.codec + "' (known: aac)");
  }
  if (audio.bitrate < kMinAudioBitrate || audio.bitrate > kMaxAudioBitrate) {
    errors->Add("output.audio.bitrate", std::to_string(audio.bitrate) + " is outside " +
                                            std::to_string(kMinAudioBitrate) + ".." +
                                            std::to_string(kMaxAudioBitrate));
  }
  if (std::find(kAacSampleRates.begin(), kAacSampleRates.end(), audio.sample_rate) ==
      kAacSampleRates.end()) {
    errors->Add("output.audio.sample_rate",
                std::to_string(audio.sample_rate) + " Hz is not a supported AAC sample rate");
  }
  if (audio.channels < 1 || audio.channels > 2) {
    errors->Add("output.audio.channels",
                std::to_string(audio.channels) + " must be 1 (mono) or 2 (stereo)");
  }
}

void CheckSources(const Timeline& timeline, Errors* errors) {
  for (size_t i = 0; i < timeline.sources.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (timeline.sources[j].id == timeline.sources[i].id) {
        errors->Add("sources[" + std::to_string(i) + "].id",
                    "duplicate id '" + timeline.sources[i].id + "' (also sources[" +
                        std::to_string(j) + "])");
        break;
      }
    }
    if (timeline.sources[i].kind == SourceKind::kInvalid) {
      errors->Add("sources[" + std::to_string(i) + "].kind", "not set");
    }
  }
}

void CheckCropPath(const Segment& segment, const std::vector<CropKeyframe>& keys,
                   const std::string& field, Errors* errors) {
  MediaTime duration = segment.duration();
  for (size_t k = 0; k < keys.size(); ++k) {
    const CropKeyframe& key = keys[k];
    std::string at = field + "[" + std::to_string(k) + "]";
    if (key.t < MediaTime::Zero()) {
      errors->Add(at + ".t", Seconds(key.t) + " is before the segment start");
    } else if (key.t > duration) {
      errors->Add(at + ".t",
                  Seconds(key.t) + " is past the segment's duration (" + Seconds(duration) + ")");
    }
    if (k > 0 && key.t <= keys[k - 1].t) {
      errors->Add(at + ".t", Seconds(key.t) + " is not after the previous keyframe (" +
                                 Seconds(keys[k - 1].t) + ")");
    }
    if (!InRange(key.cx, 0.0, 1.0)) errors->Add(at + ".cx", Number(key.cx) + " is outside 0..1");
    if (!InRange(key.cy, 0.0, 1.0)) errors->Add(at + ".cy", Number(key.cy) + " is outside 0..1");
    if (!InRange(key.zoom, kMinZoom, kMaxZoom)) {
      errors->Add(at + ".zoom",
                  Number(key.zoom) + " is outside " + Number(kMinZoom) + ".." + Number(kMaxZoom));
    }
  }
}

void CheckCrop(const Segment& segment, const std::string& field, Errors* errors) {
  CheckCropPath(segment, segment.crop, field + ".crop", errors);
  CheckCropPath(segment, segment.crop_secondary, field + ".crop_secondary", errors);
  if (segment.layout == Layout::kSplit && segment.crop_secondary.empty()) {
    errors->Add(field + ".crop_secondary", "the split layout needs the bottom half's crop path");
  }
  if (segment.layout != Layout::kSplit && !segment.crop_secondary.empty()) {
    errors->Add(field + ".crop_secondary", "only the split layout uses a second crop path");
  }
}

void CheckTransition(const Segment& segment, size_t index, const std::string& field,
                     Errors* errors) {
  const Transition& transition = segment.transition;
  if (transition.kind == TransitionKind::kInvalid) {
    errors->Add(field + ".kind", "not set");
    return;
  }
  if (transition.kind == TransitionKind::kCut) {
    if (transition.duration != MediaTime::Zero()) {
      errors->Add(field + ".duration",
                  Seconds(transition.duration) + " on a cut (a cut has no duration; write 0)");
    }
    return;
  }
  // Ignoring it would hide a mistake: the author meant to blend from something.
  if (index == 0) {
    errors->Add(field, "the first segment has nothing to transition from");
    return;
  }
  if (transition.duration <= MediaTime::Zero()) {
    errors->Add(field + ".duration", Seconds(transition.duration) + " must be positive for " +
                                         std::string(TransitionKindName(transition.kind)));
  } else if (segment.out > segment.in && transition.duration > segment.duration()) {
    errors->Add(field + ".duration", Seconds(transition.duration) +
                                         " is longer than the segment (" +
                                         Seconds(segment.duration()) + ")");
  }
}

void CheckSegments(const Timeline& timeline, Errors* errors) {
  if (timeline.segments.empty()) {
    errors->Add("segments", "at least one segment is required");
    return;
  }
  std::vector<std::string> known_ids;
  for (const Source& source : timeline.sources) known_ids.push_back(source.id);

  for (size_t i = 0; i < timeline.segments.size(); ++i) {
    const Segment& segment = timeline.segments[i];
    std::string field = "segments[" + std::to_string(i) + "]";
    const Source* source = timeline.FindSource(segment.source);
    if (source == nullptr) {
      errors->Add(field + ".source",
                  "unknown source '" + segment.source + "' (known: " + Join(known_ids) + ")");
    } else if (source->kind == SourceKind::kImage && !segment.mute) {
      errors->Add(field + ".mute",
                  "source '" + segment.source + "' is an image (no audio); set \"mute\": true");
    }
    if (segment.out <= segment.in) {
      errors->Add(field + ".out",
                  Seconds(segment.out) + " is not after in (" + Seconds(segment.in) + ")");
    }
    if (segment.layout == Layout::kInvalid) errors->Add(field + ".layout", "not set");
    if (segment.interpolation == Interpolation::kInvalid) {
      errors->Add(field + ".interpolation", "not set");
    }
    CheckCrop(segment, field, errors);
    if (segment.layout == Layout::kSplit && timeline.output.height % 4 != 0) {
      errors->Add(field + ".layout",
                  "split needs an output height divisible by 4 (two even halves)");
    }
    if (!InRange(segment.gain_db, -60.0, 24.0)) {
      errors->Add(field + ".gain_db", Number(segment.gain_db) + " dB is outside -60..24");
    }
    CheckTransition(segment, i, field + ".transition", errors);
  }
}

void CheckOverlays(const Timeline& timeline, Errors* errors) {
  std::vector<std::string> image_ids;
  for (const Source& source : timeline.sources) {
    if (source.kind == SourceKind::kImage) image_ids.push_back(source.id);
  }
  const MediaTime duration = timeline.Duration();
  for (size_t i = 0; i < timeline.overlays.size(); ++i) {
    const Overlay& overlay = timeline.overlays[i];
    std::string field = "overlays[" + std::to_string(i) + "]";
    const Source* source = timeline.FindSource(overlay.source);
    if (source == nullptr) {
      errors->Add(field + ".source", "unknown source '" + overlay.source +
                                         "' (known image sources: " + Join(image_ids) + ")");
    } else if (source->kind != SourceKind::kImage) {
      errors->Add(field + ".source", "source '" + overlay.source + "' is not an image source");
    }
    if (overlay.start < MediaTime::Zero()) {
      errors->Add(field + ".start", Seconds(overlay.start) + " is before the timeline start");
    }
    if (overlay.end <= overlay.start) {
      errors->Add(field + ".end",
                  Seconds(overlay.end) + " is not after start (" + Seconds(overlay.start) + ")");
    } else if (overlay.end > duration) {
      errors->Add(field + ".end", Seconds(overlay.end) + " is past the end of the timeline (" +
                                      Seconds(duration) + ")");
    }
    if (!InRange(overlay.x, 0.0, 1.0))
      errors->Add(field + ".x", Number(overlay.x) + " is outside 0..1");
    if (!InRange(overlay.y, 0.0, 1.0))
      errors->Add(field + ".y", Number(overlay.y) + " is outside 0..1");
    if (!(overlay.width > 0.0 && overlay.width <= 1.0)) {
      errors->Add(field + ".width", Number(overlay.width) + " is outside 0 (exclusive)..1");
    }
    if (!InRange(overlay.opacity, 0.0, 1.0)) {
      errors->Add(field + ".opacity", Number(overlay.opacity) + " is outside 0..1");
    }
    if (overlay.animation == OverlayAnimation::kInvalid) {
      errors->Add(field + ".animation", "not set");
    }
    if (overlay.animation_duration < MediaTime::Zero()) {
      errors->Add(field + ".animation_duration",
                  Seconds(overlay.animation_duration) + " is negative");
    } else if (overlay.end > overlay.start &&
               overlay.animation_duration > overlay.end - overlay.start) {
      errors->Add(field + ".animation_duration", Seconds(overlay.animation_duration) +
                                                     " is longer than the overlay is shown (" +
                                                     Seconds(overlay.end - overlay.start) + ")");
    }
  }
}

void CheckCaptions(const CaptionTrack& captions, MediaTime timeline_duration,
                   const std::vector<std::string>& caption_styles, Errors* errors) {
  if (std::find(caption_styles.begin(), caption_styles.end(), captions.style) ==
      caption_styles.end()) {
    errors->Add("captions.style",
                "unknown style '" + captions.style + "' (known: " + Join(caption_styles) + ")");
  }
  if (captions.max_words < kMinCaptionWords || captions.max_words > kMaxCaptionWords) {
    errors->Add("captions.max_words", std::to_string(captions.max_words) + " is outside " +
                                          std::to_string(kMinCaptionWords) + ".." +
                                          std::to_string(kMaxCaptionWords));
  }
  if (captions.position == CaptionPosition::kInvalid) errors->Add("captions.position", "not set");
  if (!InRange(captions.font_size, 0.0, 1000.0)) {
    errors->Add("captions.font_size",
                Number(captions.font_size) + " px is outside 0..1000 (0 = style default)");
  }
  const std::pair<const char*, const std::string*> colours[] = {
      {"captions.primary_colour", &captions.primary_colour},
      {"captions.highlight_colour", &captions.highlight_colour},
      {"captions.outline_colour", &captions.outline_colour}};
  for (const auto& [field, colour] : colours) {
    if (!IsColour(*colour)) errors->Add(field, "'" + *colour + "' is not a colour \"#RRGGBB\"");
  }

  for (size_t i = 0; i < captions.words.size(); ++i) {
    const CaptionWord& word = captions.words[i];
    std::string field = "captions.words[" + std::to_string(i) + "]";
    if (word.text.empty()) errors->Add(field + ".text", "must not be empty");
    if (word.start < MediaTime::Zero()) {
      errors->Add(field + ".start", Seconds(word.start) + " is before the timeline start");
    }
    if (word.end <= word.start) {
      errors->Add(field + ".end",
                  Seconds(word.end) + " is not after start (" + Seconds(word.start) + ")");
    }
    if (word.end > timeline_duration) {
      errors->Add(field + ".end", Seconds(word.end) + " is past the end of the timeline (" +
                                      Seconds(timeline_duration) + ")");
    }
    if (i > 0 && word.start < captions.words[i - 1].end) {
      errors->Add(field + ".start", Seconds(word.start) + " is before the previous word's end (" +
                                        Seconds(captions.words[i - 1].end) + ")");
    }
  }
}

void CheckAudioSettings(const AudioSettings& audio, Errors* errors) {
  if (!InRange(audio.fade_ms, 0.0, 1000.0)) {
    errors->Add("audio.fade_ms", Number(audio.fade_ms) + " ms is outside 0..1000");
  }
  if (audio.loudness_target_lufs &&
      !InRange(*audio.loudness_target_lufs, kMinLoudnessLufs, kMaxLoudnessLufs)) {
    errors->Add("audio.loudness_target_lufs", Number(*audio.loudness_target_lufs) +
                                                  " LUFS is outside " + Number(kMinLoudnessLufs) +
                                                  ".." + Number(kMaxLoudnessLufs));
  }
  if (!InRange(audio.true_peak_dbtp, kMinTruePeakDbtp, kMaxTruePeakDbtp)) {
    errors->Add("audio.true_peak_dbtp", Number(audio.true_peak_dbtp) + " dBTP is outside " +
                                            Number(kMinTruePeakDbtp) + ".." +
                                            Number(kMaxTruePeakDbtp));
  }
}

void CheckAudioTracks(const Timeline& timeline, Errors* errors) {
  std::vector<std::string> known_ids;
  for (const Source& source : timeline.sources) known_ids.push_back(source.id);
  for (size_t i = 0; i < timeline.audio.tracks.size(); ++i) {
    const AudioTrack& track = timeline.audio.tracks[i];
    std::string field = "audio.tracks[" + std::to_string(i) + "]";
    const Source* source = timeline.FindSource(track.source);
    if (source == nullptr) {
      errors->Add(field + ".source",
                  "unknown source '" + track.source + "' (known: " + Join(known_ids) + ")");
    } else if (source->kind == SourceKind::kImage) {
      errors->Add(field + ".source", "source '" + track.source + "' is an image (no audio)");
    }
    if (track.in < MediaTime::Zero()) {
      errors->Add(field + ".in", Seconds(track.in) + " is before the start of the source");
    }
    if (track.out <= track.in) {
      errors->Add(field + ".out",
                  Seconds(track.out) + " is not after in (" + Seconds(track.in) + ")");
    }
    if (track.at < MediaTime::Zero()) {
      errors->Add(field + ".at", Seconds(track.at) + " is before the timeline start");
    }
    if (!InRange(track.gain_db, -60.0, 24.0)) {
      errors->Add(field + ".gain_db", Number(track.gain_db) + " dB is outside -60..24");
    }
    if (!InRange(track.fade_in_ms, 0.0, 60000.0)) {
      errors->Add(field + ".fade_in_ms", Number(track.fade_in_ms) + " ms is outside 0..60000");
    }
    if (!InRange(track.fade_out_ms, 0.0, 60000.0)) {
      errors->Add(field + ".fade_out_ms", Number(track.fade_out_ms) + " ms is outside 0..60000");
    }
    if (!InRange(track.duck_db, -60.0, 0.0)) {
      errors->Add(field + ".duck_db",
                  Number(track.duck_db) + " dB is outside -60..0 (negative lowers the track)");
    }
    if (track.role == AudioRole::kInvalid) {
      errors->Add(field + ".role", "not set");
    } else if (track.role == AudioRole::kVoice && track.duck_db != 0.0) {
      // The sidechain is the voice tracks themselves: a voice would duck under its own level.
      errors->Add(field + ".duck_db", "a voice track is not ducked; only other roles are");
    }
  }
}

// MediaInfo::video()/audio() live in the media module, which links FFmpeg; the timeline module
// must not depend on it, so the same choice is made here from the plain stream list.
bool HasVideo(const MediaInfo& info) {
  return std::any_of(info.streams.begin(), info.streams.end(), [](const StreamInfo& s) {
    return s.type == StreamType::kVideo && !s.attached_picture;
  });
}

bool HasAudio(const MediaInfo& info) {
  return std::any_of(info.streams.begin(), info.streams.end(),
                     [](const StreamInfo& s) { return s.type == StreamType::kAudio; });
}

// The container duration, else the longest video stream's; zero when nothing is known.
MediaTime SourceDuration(const MediaInfo& info) {
  if (info.duration > MediaTime::Zero()) return info.duration;
  MediaTime longest = MediaTime::Zero();
  for (const StreamInfo& s : info.streams) {
    if (s.type == StreamType::kVideo && !s.attached_picture && s.duration > longest) {
      longest = s.duration;
    }
  }
  return longest;
}

}  // namespace

Status ValidateStructure(const Timeline& timeline, const std::vector<std::string>& caption_styles) {
  Errors errors;
  CheckOutput(timeline.output, &errors);
  CheckSources(timeline, &errors);
  CheckSegments(timeline, &errors);
  CheckOverlays(timeline, &errors);
  if (timeline.captions) {
    CheckCaptions(*timeline.captions, timeline.Duration(), caption_styles, &errors);
  }
  CheckAudioSettings(timeline.audio, &errors);
  CheckAudioTracks(timeline, &errors);
  return errors.ToStatus();
}

Status ValidateAgainstSources(const Timeline& timeline,
                              const std::map<std::string, MediaInfo>& source_info) {
  Errors errors;
  for (size_t i = 0; i < timeline.segments.size(); ++i) {
    const Segment& segment = timeline.segments[i];
    std::string field = "segments[" + std::to_string(i) + "]";
    auto it = source_info.find(segment.source);
    if (it == source_info.end()) {
      errors.Add(field + ".source", "source '" + segment.source + "' was not probed");
      continue;
    }
    const MediaInfo& info = it->second;
    const std::string& id = segment.source;
    if (!HasVideo(info)) errors.Add(field, "source '" + id + "' has no video stream");
    if (timeline.output.audio && !segment.mute && !HasAudio(info)) {
      errors.Add(field, "source '" + id +
                            "' has no audio stream; set \"mute\": true or \"output.audio\": null");
    }
    if (segment.in < MediaTime::Zero()) {
      errors.Add(field + ".in",
                 Seconds(segment.in) + " is before the start of source '" + id + "'");
    }
    // A still image shows the same picture at any source time: in/out are not media times.
    const Source* source = timeline.FindSource(id);
    if (source != nullptr && source->kind == SourceKind::kImage) continue;
    // An unknown duration (some live recordings) cannot be checked here; the renderer stops at
    // the end of the stream instead.
    MediaTime duration = SourceDuration(info);
    if (duration == MediaTime::Zero()) continue;
    if (segment.in >= duration) {
      errors.Add(field + ".in", Seconds(segment.in) + " is past the end of source '" + id + "' (" +
                                    Seconds(duration) + ")");
    }
    if (segment.out > duration) {
      errors.Add(field + ".out", Seconds(segment.out) + " is past the end of source '" + id +
                                     "' (" + Seconds(duration) + ")");
    }
  }
  for (size_t i = 0; i < timeline.audio.tracks.size(); ++i) {
    const AudioTrack& track = timeline.audio.tracks[i];
    std::string field = "audio.tracks[" + std::to_string(i) + "]";
    auto it = source_info.find(track.source);
    if (it == source_info.end()) {
      errors.Add(field + ".source", "source '" + track.source + "' was not probed");
      continue;
    }
    if (!HasAudio(it->second)) {
      errors.Add(field + ".source", "source '" + track.source + "' has no audio stream");
      continue;
    }
    MediaTime duration = it->second.duration;
    if (duration == MediaTime::Zero()) continue;
    if (track.in >= duration) {
      errors.Add(field + ".in", Seconds(track.in) + " is past the end of source '" + track.source +
                                    "' (" + Seconds(duration) + ")");
    }
    if (track.out > duration) {
      errors.Add(field + ".out", Seconds(track.out) + " is past the end of source '" +
                                     track.source + "' (" + Seconds(duration) + ")");
    }
  }
  return errors.ToStatus();
}

}  // namespace cutroom::timeline
