// FCPXML 1.10 writer. Element order follows the 1.10 DTD (Final Cut Pro rejects a document that
// does not match it): asset-clip = (adjust-crop?, adjust-conform?, adjust-transform?,
// adjust-volume?, (asset-clip | title)*).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "export/export_internal.h"
#include "export/nle_export.h"
#include "timeline/crop_path.h"

namespace cutroom::export_ {
namespace {

using internal::PreparedClip;
using internal::PreparedSource;

constexpr char kBasicTitleUid[] =
    ".../Titles.localized/Bumper:Opener.localized/Basic Title.localized/Basic Title.moti";

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out.push_back(c);
    }
  }
  return out;
}

// Exact rational seconds: "0s", "12s", "1001/30000s" (reduced).
std::string Time(const MediaTime& t) {
  Rational s = t.Seconds();
  if (s.num == 0) return "0s";
  if (s.den == 1) return std::to_string(s.num) + "s";
  return std::to_string(s.num) + "/" + std::to_string(s.den) + "s";
}

// `frames` frames at `rate` in the rate's own time base ("2002/30000s"), as FCP writes them.
std::string FramesTime(int64_t frames, Rational rate) {
  const int64_t num = frames * rate.den;
  if (num % rate.num == 0) return std::to_string(num / rate.num) + "s";
  return std::to_string(num) + "/" + std::to_string(rate.num) + "s";
}

std::string Number(double v) {
  if (std::fabs(v) < 5e-7) v = 0.0;
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.6f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

bool IsDropFrame(Rational fps) {
  return fps == Rational{30000, 1001} || fps == Rational{60000, 1001};
}

// "#RRGGBB" -> "r g b 1" in 0..1 (validated by ValidateStructure).
std::string FcpColour(const std::string& hex) {
  unsigned r = 255, g = 255, b = 255;
  if (hex.size() == 7) std::sscanf(hex.c_str() + 1, "%2x%2x%2x", &r, &g, &b);
  return Number(r / 255.0) + " " + Number(g / 255.0) + " " + Number(b / 255.0) + " 1";
}

struct Transform {
  double x = 0, y = 0;  // FCP position: percent of the frame height, x right, y up
  double scale = 1;     // relative to the source fitted into the frame (conform "fit")
};

// Where a crop window is shown in the W x H frame: `fill` is the whole frame; `split` stacks two
// regions of the full width and half the height.
struct Region {
  int height = 0;         // output pixels the window fills vertically (its width is always W)
  double centre_dy = 0;   // region centre minus frame centre, output pixels, y down
};

// See docs/exports.md ("Crop -> transform"). With conform "fit" the source is first scaled by
// `fit` so that it fits in the frame; FCP's scale multiplies that.
Transform CropToTransform(const timeline::CropKeyframe& value, int sw, int sh, int width,
                          int height, const Region& region) {
  const RectF window = timeline::CropWindow(value, sw, sh, width, region.height);
  Transform t;
  if (window.w <= 0) return t;
  const double fit = std::min(static_cast<double>(width) / sw, static_cast<double>(height) / sh);
  const double native = width / window.w;  // source pixels -> output pixels
  t.scale = native / fit;
  const double dx = window.x + window.w / 2 - sw / 2.0;
  const double dy = window.y + window.h / 2 - sh / 2.0;
  t.x = -dx * native * 100.0 / height;
  t.y = (dy * native - region.centre_dy) * 100.0 / height;
  return t;
}

// The source outside the crop window, trimmed away (adjust-crop mode "trim"): insets from each
// edge in percent of the source frame height, FCP's unit for crop and trim rectangles.
struct Trim {
  double left = 0, top = 0, right = 0, bottom = 0;
};

Trim CropToTrim(const timeline::CropKeyframe& value, int sw, int sh, int width,
                const Region& region) {
  const RectF w = timeline::CropWindow(value, sw, sh, width, region.height);
  const double unit = 100.0 / sh;
  return {w.x * unit, w.y * unit, (sw - w.x - w.w) * unit, (sh - w.y - w.h) * unit};
}

std::string Pair(double a, double b) { return Number(a) + " " + Number(b); }

class FcpxmlWriter {
 public:
  FcpxmlWriter(const timeline::Timeline& timeline, const PreparedClip& clip,
               const ExportOptions& options)
      : timeline_(timeline), clip_(clip), options_(options) {}

  std::string Write() {
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n";
    out_ += "<fcpxml version=\"1.10\">\n";
    WriteResources();
    const bool df = IsDropFrame(clip_.fps);
    out_ += "  <library>\n    <event name=\"cutroom\">\n";
    out_ += "      <project name=\"" + Escape(clip_.title) + "\">\n";
    out_ += "        <sequence format=\"r1\" duration=\"" +
            FramesTime(clip_.total_frames, clip_.fps) + "\" tcStart=\"" +
            FramesTime(RecordStartFrames(), clip_.fps) + "\" tcFormat=\"" + (df ? "DF" : "NDF") +
            "\"";
    if (timeline_.output.audio) {
      out_ += std::string(" audioLayout=\"") +
              (timeline_.output.audio->channels >= 2 ? "stereo" : "mono") + "\"";
      std::string rate = AudioRateName(timeline_.output.audio->sample_rate);
      if (!rate.empty()) out_ += " audioRate=\"" + rate + "\"";
    }
    out_ += ">\n          <spine>\n";
    for (const SegmentCut& cut : clip_.cuts) WriteClip(cut);
    out_ += "          </spine>\n        </sequence>\n      </project>\n    </event>\n";
    out_ += "  </library>\n</fcpxml>\n";
    return out_;
  }

 private:
  static std::string AudioRateName(int rate) {
    switch (rate) {
      case 32000:
        return "32k";
      case 44100:
        return "44.1k";
      case 48000:
        return "48k";
      case 88200:
        return "88.2k";
      case 96000:
        return "96k";
      default:
        return "";
    }
  }

  int64_t RecordStartFrames() const {
    return internal::NearestFrame(options_.record_start, clip_.fps);
  }

  void WriteResources() {
    const auto& output = timeline_.output;
    out_ += "  <resources>\n";
    out_ += "    <format id=\"r1\" name=\"cutroom " + std::to_string(output.width) + "x" +
            std::to_string(output.height) + "\" frameDuration=\"" + FramesTime(1, output.fps) +
            "\" width=\"" + std::to_string(output.width) + "\" height=\"" +
            std::to_string(output.height) + "\" colorSpace=\"1-1-1 (Rec. 709)\"/>\n";
    int next_id = 2;
    for (const std::string& id : clip_.source_order) {
      const PreparedSource& source = clip_.sources.at(id);
      const StreamInfo* video = source.info->video();
      const StreamInfo* audio = source.info->audio();
      const std::string format_id = "r" + std::to_string(next_id++);
      const std::string asset_id = "r" + std::to_string(next_id++);
      format_ids_[id] = format_id;
      asset_ids_[id] = asset_id;
      out_ += "    <format id=\"" + format_id + "\"";
      if (source.video_rate.num > 0)
        out_ += " frameDuration=\"" + FramesTime(1, source.video_rate) + "\"";
      out_ += " width=\"" + std::to_string(video->upright_width()) + "\" height=\"" +
              std::to_string(video->upright_height()) + "\"/>\n";
      out_ += "    <asset id=\"" + asset_id + "\" name=\"" + Escape(id) + "\" start=\"0s\"";
      MediaTime duration = source.info->duration;
      if (duration == MediaTime::Zero()) duration = video->duration;
      if (duration > MediaTime::Zero()) out_ += " duration=\"" + Time(duration) + "\"";
      out_ += " hasVideo=\"1\" format=\"" + format_id + "\" videoSources=\"1\"";
      if (audio != nullptr) {
        out_ += " hasAudio=\"1\" audioSources=\"1\" audioChannels=\"" +
                std::to_string(audio->channels) + "\" audioRate=\"" +
                std::to_string(audio->sample_rate) + "\"";
      }
      out_ += ">\n      <media-rep kind=\"original-media\" src=\"" +
              Escape(internal::FileUrl(source.absolute_path)) + "\"/>\n    </asset>\n";
    }
    if (!clip_.captions.empty()) {
      title_effect_id_ = "r" + std::to_string(next_id++);
      out_ += "    <effect id=\"" + title_effect_id_ + "\" name=\"Basic Title\" uid=\"" +
              Escape(kBasicTitleUid) + "\"/>\n";
    }
    out_ += "  </resources>\n";
  }

  // The clip's start in its asset: the renderer's first source time, on the source's frame grid.
  MediaTime ClipStart(const SegmentCut& cut, const PreparedSource& source) const {
    if (source.video_rate.num <= 0) return cut.source_in;
    return internal::FrameTime(internal::NearestFrame(cut.source_in, source.video_rate),
                               source.video_rate);
  }

  // In the source's frame base ("22630/30s") when the start is on its grid.
  static std::string StartTime(const MediaTime& start, const PreparedSource& source) {
    if (source.video_rate.num <= 0) return Time(start);
    return FramesTime(internal::NearestFrame(start, source.video_rate), source.video_rate);
  }

  void WriteClip(const SegmentCut& cut) {
    const timeline::Segment& segment = timeline_.segments[cut.segment];
    const PreparedSource& source = clip_.sources.at(cut.source_id);
    const bool df = IsDropFrame(clip_.fps);
    const MediaTime start = ClipStart(cut, source);
    const int64_t offset_frames = RecordStartFrames() + cut.record_frame;
    const bool has_audio = timeline_.output.audio && source.info->audio() != nullptr;
    out_ += "            <asset-clip ref=\"" + asset_ids_.at(cut.source_id) + "\" offset=\"" +
            FramesTime(offset_frames, clip_.fps) + "\" name=\"" +
            Escape(internal::BaseName(source.absolute_path)) + "\" start=\"" +
            StartTime(start, source) + "\" duration=\"" + FramesTime(cut.frame_count, clip_.fps) +
            "\" format=\"" + format_ids_.at(cut.source_id) + "\" tcFormat=\"" +
            (df ? "DF" : "NDF") + "\"";
    if (segment.mute || !has_audio) out_ += " srcEnable=\"video\"";
    if (has_audio && !segment.mute) out_ += " audioRole=\"dialogue\"";
    out_ += ">\n";
    const bool split = segment.layout == timeline::Layout::kSplit;
    const StreamInfo& video = *source.info->video();
    const std::string indent = "              ";
    if (segment.layout == timeline::Layout::kFitBlur) {
      // The whole source fitted in the frame: conform "fit" alone. The blurred fill is not
      // carried (docs/exports.md).
      out_ += indent + "<adjust-conform type=\"fit\"/>\n";
    } else {
      WriteFraming(segment, segment.crop, split ? SplitHalf(0) : WholeFrame(), video, indent);
    }
    if (has_audio && !segment.mute && segment.gain_db != 0.0) {
      out_ += indent + "<adjust-volume amount=\"" + Number(segment.gain_db) + "dB\"/>\n";
    }
    if (split) {
      // The bottom subject: the same source range connected above the spine (lane 1), video
      // only, trimmed to its window and moved into the bottom half.
      out_ += indent + "<asset-clip ref=\"" + asset_ids_.at(cut.source_id) + "\" lane=\"1\" offset=\"" +
              StartTime(start, source) + "\" name=\"" +
              Escape(internal::BaseName(source.absolute_path) + " (bottom)") + "\" start=\"" +
              StartTime(start, source) + "\" duration=\"" + FramesTime(cut.frame_count, clip_.fps) +
              "\" format=\"" + format_ids_.at(cut.source_id) + "\" tcFormat=\"" +
              (df ? "DF" : "NDF") + "\" srcEnable=\"video\">\n";
      WriteFraming(segment, segment.crop_secondary, SplitHalf(1), video, indent + "  ");
      out_ += indent + "</asset-clip>\n";
    }
    WriteTitles(cut, start, split ? 2 : 1);
    out_ += "            </asset-clip>\n";
  }

  Region WholeFrame() const { return {timeline_.output.height, 0.0}; }
  // The compositor's halves: rows [i H/2, (i + 1) H/2), i = 0 top, 1 bottom.
  Region SplitHalf(int i) const {
    const int half = timeline_.output.height / 2;
    return {half, half * (i + 0.5) - timeline_.output.height / 2.0};
  }

  // adjust-crop (split halves only), adjust-conform and adjust-transform, in the DTD's order.
  void WriteFraming(const timeline::Segment& segment, const std::vector<timeline::CropKeyframe>& path,
                    const Region& region, const StreamInfo& video, const std::string& indent) {
    if (region.height != timeline_.output.height) WriteTrim(segment, path, region, video, indent);
    out_ += indent + "<adjust-conform type=\"fit\"/>\n";
    WriteTransform(segment, path, region, video, indent);
  }

  void WriteTrim(const timeline::Segment& segment, const std::vector<timeline::CropKeyframe>& path,
                 const Region& region, const StreamInfo& video, const std::string& indent) {
    const int sw = video.upright_width(), sh = video.upright_height();
    const int width = timeline_.output.width;
    Trim t0 = CropToTrim(timeline::EvaluateCrop(path, segment.interpolation, MediaTime::Zero()), sw,
                         sh, width, region);
    out_ += indent + "<adjust-crop mode=\"trim\">\n";
    out_ += indent + "  <trim-rect left=\"" + Number(t0.left) + "\" top=\"" + Number(t0.top) +
            "\" right=\"" + Number(t0.right) + "\" bottom=\"" + Number(t0.bottom) + "\"";
    if (path.size() < 2) {
      out_ += "/>\n";
    } else {
      out_ += ">\n";
      const char* names[] = {"left", "top", "right", "bottom"};
      for (int side = 0; side < 4; ++side) {
        out_ += indent + "    <param name=\"" + names[side] + "\">\n" + indent +
                "      <keyframeAnimation>\n";
        for (const timeline::CropKeyframe& key : path) {
          Trim t = CropToTrim(key, sw, sh, width, region);
          const double values[] = {t.left, t.top, t.right, t.bottom};
          out_ += indent + "        <keyframe time=\"" + Time(segment.in + key.t) + "\" value=\"" +
                  Number(values[side]) + "\"/>\n";
        }
        out_ += indent + "      </keyframeAnimation>\n" + indent + "    </param>\n";
      }
      out_ += indent + "  </trim-rect>\n";
    }
    out_ += indent + "</adjust-crop>\n";
  }

  void WriteTransform(const timeline::Segment& segment,
                      const std::vector<timeline::CropKeyframe>& path, const Region& region,
                      const StreamInfo& video, const std::string& indent) {
    const int sw = video.upright_width(), sh = video.upright_height();
    const int width = timeline_.output.width, height = timeline_.output.height;
    timeline::CropKeyframe first =
        timeline::EvaluateCrop(path, segment.interpolation, MediaTime::Zero());
    Transform t0 = CropToTransform(first, sw, sh, width, height, region);
    out_ += indent + "<adjust-transform position=\"" + Pair(t0.x, t0.y) + "\" scale=\"" +
            Pair(t0.scale, t0.scale) + "\"";
    if (path.empty()) {
      out_ += "/>\n";
      return;
    }
    out_ += ">\n";
    std::string position, scale;
    const char* curve =
        segment.interpolation == timeline::Interpolation::kSmooth ? "smooth" : "linear";
    for (const timeline::CropKeyframe& key : path) {
      Transform t = CropToTransform(key, sw, sh, width, height, region);
      // Keyframe times are in the clip's local (asset) time.
      const std::string time = Time(segment.in + key.t);
      position += indent + "      <keyframe time=\"" + time + "\" value=\"" + Pair(t.x, t.y) +
                  "\"/>\n";
      scale += indent + "      <keyframe time=\"" + time + "\" value=\"" +
               Pair(t.scale, t.scale) + "\" curve=\"" + curve + "\"/>\n";
    }
    out_ += indent + "  <param name=\"position\">\n" + indent + "    <keyframeAnimation>\n" +
            position + indent + "    </keyframeAnimation>\n" + indent + "  </param>\n";
    out_ += indent + "  <param name=\"scale\">\n" + indent + "    <keyframeAnimation>\n" + scale +
            indent + "    </keyframeAnimation>\n" + indent + "  </param>\n";
    out_ += indent + "</adjust-transform>\n";
  }

  // Caption groups that start inside this cut, connected above it (lane 1; lane 2 over a split,
  // whose bottom half is lane 1). A connected clip's offset is in its parent's local time: the
  // parent's start plus the distance into the cut.
  void WriteTitles(const SegmentCut& cut, const MediaTime& start, int lane) {
    if (clip_.captions.empty()) return;
    const timeline::CaptionTrack& track = *timeline_.captions;
    const double font_size =
        track.font_size > 0 ? track.font_size : std::round(timeline_.output.height * 0.045);
    for (const internal::CaptionCue& cue : clip_.captions) {
      if (cue.first_frame < cut.record_frame ||
          cue.first_frame >= cut.record_frame + cut.frame_count) {
        continue;
      }
      const MediaTime offset =
          start + internal::FrameTime(cue.first_frame - cut.record_frame, clip_.fps);
      const std::string style_id = "ts" + std::to_string(++title_count_);
      out_ += "              <title ref=\"" + title_effect_id_ + "\" lane=\"" + std::to_string(lane) +
              "\" offset=\"" +
              Time(offset) + "\" name=\"" + Escape(cue.text) + "\" duration=\"" +
              FramesTime(cue.frame_count, clip_.fps) + "\">\n";
      out_ += "                <text>\n                  <text-style ref=\"" + style_id + "\">" +
              Escape(cue.text) + "</text-style>\n                </text>\n";
      out_ += "                <text-style-def id=\"" + style_id + "\">\n";
      out_ += "                  <text-style font=\"" + Escape(track.font) + "\" fontSize=\"" +
              Number(font_size) + "\" fontColor=\"" + FcpColour(track.primary_colour) +
              "\" bold=\"1\" alignment=\"center\"/>\n";
      out_ += "                </text-style-def>\n              </title>\n";
    }
  }

  const timeline::Timeline& timeline_;
  const PreparedClip& clip_;
  const ExportOptions& options_;
  std::string out_;
  std::map<std::string, std::string> format_ids_;
  std::map<std::string, std::string> asset_ids_;
  std::string title_effect_id_;
  int title_count_ = 0;
};

}  // namespace

Result<std::string> TimelineToFcpxml(const timeline::Timeline& timeline,
                                     const std::map<std::string, MediaInfo>& sources,
                                     const ExportOptions& options) {
  CR_ASSIGN_OR_RETURN(internal::PreparedClip clip, internal::Prepare(timeline, sources, options));
  return FcpxmlWriter(timeline, clip, options).Write();
}

}  // namespace cutroom::export_
