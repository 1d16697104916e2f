// Timeline: the one interchange between deciding (clip, compose) and rendering. It fully
// declares an output video. The renderer is a pure function of (Timeline, source files).
// JSON form: docs/timeline.md. All times are exact MediaTime values.
//
// Thread safety: value types.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::timeline {

inline constexpr int kTimelineVersion = 1;

struct VideoCodecSettings {
  std::string codec = "h264";  // only h264 (libx264) for now
  std::string preset = "veryfast";
  int crf = 23;
  std::string profile = "high";
};

struct AudioCodecSettings {
  std::string codec = "aac";
  int bitrate = 128000;
  int sample_rate = 48000;
  int channels = 2;
};

struct OutputSpec {
  int width = 1080;
  int height = 1920;
  Rational fps{30, 1};
  VideoCodecSettings video;
  std::optional<AudioCodecSettings> audio = AudioCodecSettings{};  // nullopt: no audio track
};

enum class SourceKind {
  kInvalid = 0,
  kVideo,  // any media file FFmpeg reads (video and/or audio)
  kImage,  // a still picture (PNG, JPEG, ...): decoded once, shown for any source time
};

struct Source {
  std::string id;    // referenced by segments and audio tracks
  std::string path;  // absolute, or relative to the Timeline file's folder
  SourceKind kind = SourceKind::kVideo;
};

enum class Layout {
  kInvalid = 0,
  kFill,     // the crop window fills the frame
  kFitBlur,  // the whole source fitted inside the frame over a blurred, filled copy of itself
  kSplit,    // two crop windows stacked: `crop` fills the top half, `crop_secondary` the bottom
};

enum class Interpolation { kInvalid = 0, kHold, kLinear, kSmooth };

// A crop keyframe. The crop window has the output's aspect ratio; zoom 1 is the largest such
// window inside the upright source, zoom 2 half its size. (cx, cy) is the window's centre in
// normalised upright source coordinates (0..1); windows are clamped inside the source.
struct CropKeyframe {
  MediaTime t;  // offset from the segment's `in` (source time)
  double cx = 0.5;
  double cy = 0.5;
  double zoom = 1.0;
};

enum class TransitionKind {
  kInvalid = 0,
  kCut,        // no transition
  kCrossfade,  // the previous picture dissolves into this segment
  kSlide,      // this segment pushes the previous picture out to the left
  kZoom,       // this segment grows from the centre (85% -> 100%) while fading in
};

// How a segment begins. The transition lies inside the segment's first `duration` (it adds no
// time: the video still lasts the sum of the segments): during it the segment's frames are
// blended with the previous segment's last frame, held still. The first segment has nothing to
// blend from: validation rejects a non-cut transition there.
struct Transition {
  TransitionKind kind = TransitionKind::kCut;
  MediaTime duration;  // > 0 unless kCut; at most the segment's duration
};

struct Segment {
  std::string source;  // Source::id
  MediaTime in;        // source time, inclusive
  MediaTime out;       // source time, exclusive
  Layout layout = Layout::kFill;
  std::vector<CropKeyframe> crop;  // empty: centred, zoom 1
  // kSplit only: the bottom half's crop path (windows have the aspect of half the output).
  std::vector<CropKeyframe> crop_secondary;
  Interpolation interpolation = Interpolation::kSmooth;
  double gain_db = 0.0;
  bool mute = false;  // silence instead of the source's audio (sources with no audio need this)
  Transition transition;  // how this segment begins

  MediaTime duration() const { return out - in; }
};

enum class OverlayAnimation {
  kInvalid = 0,
  kNone,  // shown at once
  kFade,  // opacity 0 -> 1 over `animation` (and back to 0 over the last `animation` before end)
  kRise,  // fades in while moving up from 4% of the output height below its place
  kPop,   // fades in while scaling 80% -> 100% about its centre
};

// A still picture with transparency (PNG alpha honoured) drawn over the video from output time
// `start` to `end`, under the captions: a logo or watermark, or a slide's text layer whose
// entrance is animated. Placed by its top-left corner (x, y) as fractions of the output size and
// `width` as a fraction of the output width; the height follows the picture's aspect ratio.
struct Overlay {
  std::string source;  // Source::id of an image source
  MediaTime start;     // output time, inclusive
  MediaTime end;       // output time, exclusive
  double x = 0.0;      // 0..1 of the output width
  double y = 0.0;      // 0..1 of the output height
  double width = 1.0;  // 0 < width <= 1, of the output width
  double opacity = 1.0;  // 0..1
  OverlayAnimation animation = OverlayAnimation::kNone;
  MediaTime animation_duration;  // entrance (and exit, for kFade) length; 0 = none
};

struct CaptionWord {
  std::string text;
  MediaTime start;  // output time
  MediaTime end;
};

enum class CaptionPosition { kInvalid = 0, kBottom, kLowerThird, kCenter, kTop };

struct CaptionTrack {
  std::string style = "highlight_word";  // a name from captions::StyleNames()
  std::vector<CaptionWord> words;        // in order, not overlapping
  int max_words = 3;                     // 1..4 words on screen
  bool uppercase = false;
  CaptionPosition position = CaptionPosition::kLowerThird;
  std::string font = "DejaVu Sans";  // a fontconfig family
  std::string font_file;             // optional TTF/OTF path; overrides `font`
  double font_size = 0.0;            // in output pixels; 0 = style default for the height
  std::string primary_colour = "#FFFFFF";
  std::string highlight_colour = "#FFD400";
  std::string outline_colour = "#000000";
};

enum class AudioRole {
  kInvalid = 0,
  kVoice,   // narration: other tracks with duck_db < 0 are lowered while it sounds
  kMusic,   // background music
  kEffect,  // sound effects
};

// An audio track mixed over the segments' audio: the source range [in, out) played from output
// time `at`, optionally repeated (`loop`) until the end of the video. Cut at the video's end.
struct AudioTrack {
  std::string source;  // Source::id (a file with an audio stream)
  MediaTime in;        // source time, inclusive
  MediaTime out;       // source time, exclusive
  MediaTime at;        // output time where the track starts
  double gain_db = 0.0;
  bool loop = false;         // repeat [in, out) until the end of the video
  double fade_in_ms = 0.0;   // at the track's start (at least AudioSettings::fade_ms)
  double fade_out_ms = 0.0;  // at the track's end (at least AudioSettings::fade_ms)
  double duck_db = 0.0;      // <= 0: lowered by this much while a voice track sounds
  AudioRole role = AudioRole::kEffect;

  MediaTime duration() const { return out - in; }  // one pass of the range
};

struct AudioSettings {
  double fade_ms = 20.0;                               // fade in/out at every cut
  std::optional<double> loudness_target_lufs = -14.0;  // nullopt: no normalisation
  double true_peak_dbtp = -1.0;
  std::vector<AudioTrack> tracks;  // mixed over the segments' audio
};

struct Timeline {
  int version = kTimelineVersion;
  OutputSpec output;
  std::vector<Source> sources;
  std::vector<Segment> segments;  // played back to back
  std::vector<Overlay> overlays;  // drawn in order (later ones on top), under the captions
  std::optional<CaptionTrack> captions;
  AudioSettings audio;

  // Sum of segment durations.
  MediaTime Duration() const;
  const Source* FindSource(const std::string& id) const;
};

std::string_view LayoutName(Layout layout);
std::string_view InterpolationName(Interpolation interpolation);
std::string_view CaptionPositionName(CaptionPosition position);
std::string_view SourceKindName(SourceKind kind);
std::string_view AudioRoleName(AudioRole role);
std::string_view TransitionKindName(TransitionKind kind);          // "cut", "crossfade", ...
std::string_view OverlayAnimationName(OverlayAnimation animation);  // "none", "fade", ...

}  // namespace cutroom::timeline
