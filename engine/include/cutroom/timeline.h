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

struct Source {
  std::string id;    // referenced by segments
  std::string path;  // absolute, or relative to the Timeline file's folder
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

  MediaTime duration() const { return out - in; }
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

struct AudioSettings {
  double fade_ms = 20.0;                               // fade in/out at every cut
  std::optional<double> loudness_target_lufs = -14.0;  // nullopt: no normalisation
  double true_peak_dbtp = -1.0;
};

struct Timeline {
  int version = kTimelineVersion;
  OutputSpec output;
  std::vector<Source> sources;
  std::vector<Segment> segments;  // played back to back
  std::optional<CaptionTrack> captions;
  AudioSettings audio;

  // Sum of segment durations.
  MediaTime Duration() const;
  const Source* FindSource(const std::string& id) const;
};

std::string_view LayoutName(Layout layout);
std::string_view InterpolationName(Interpolation interpolation);
std::string_view CaptionPositionName(CaptionPosition position);

}  // namespace cutroom::timeline
