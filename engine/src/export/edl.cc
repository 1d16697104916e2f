// CMX 3600 EDL writer.
#include <algorithm>
#include <cstdio>
#include <string>

#include "export/export_internal.h"
#include "export/nle_export.h"

namespace cutroom::export_ {
namespace {

constexpr int kMaxEvents = 999;  // three-digit event numbers
constexpr size_t kMaxTitle = 70;

struct TimecodeFormat {
  int64_t nominal = 30;  // frames counted per timecode second
  bool drop_frame = false;
  int64_t dropped = 0;  // frame numbers skipped at the start of each minute but every tenth
};

TimecodeFormat FormatFor(Rational fps) {
  TimecodeFormat f;
  f.nominal = std::max<int64_t>(1, (fps.num + fps.den / 2) / fps.den);
  // Only the NTSC rates have a drop-frame convention; other fractional rates (e.g. the exact
  // 2997/100) are labelled non-drop at the nominal rate.
  if (fps == Rational{30000, 1001} || fps == Rational{60000, 1001}) {
    f.drop_frame = true;
    f.dropped = f.nominal / 15;  // 2 at 29.97, 4 at 59.94
  }
  return f;
}

// SMPTE timecode of a frame count (drop-frame numbering skips labels, not frames).
std::string Timecode(int64_t frame, const TimecodeFormat& f) {
  if (frame < 0) frame = 0;
  if (f.drop_frame) {
    const int64_t per_10_minutes = f.nominal * 600 - f.dropped * 9;
    const int64_t per_minute = f.nominal * 60 - f.dropped;
    const int64_t tens = frame / per_10_minutes;
    const int64_t rest = frame % per_10_minutes;
    frame += f.dropped * 9 * tens;
    if (rest > f.dropped) frame += f.dropped * ((rest - f.dropped) / per_minute);
  }
  const int64_t ff = frame % f.nominal;
  const int64_t total_s = frame / f.nominal;
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld%c%02lld",
                static_cast<long long>(total_s / 3600 % 100),
                static_cast<long long>(total_s / 60 % 60), static_cast<long long>(total_s % 60),
                f.drop_frame ? ';' : ':', static_cast<long long>(ff));
  return buf;
}

// EDL lines are plain ASCII; a newline in a name would start a bogus event.
std::string Printable(const std::string& text, size_t max_chars) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max_chars) break;
    out.push_back(c >= 0x20 && c < 0x7f ? c : '_');
  }
  return out;
}

}  // namespace

Result<std::string> TimelineToEdl(const timeline::Timeline& timeline,
                                  const std::map<std::string, MediaInfo>& sources,
                                  const ExportOptions& options) {
  CR_ASSIGN_OR_RETURN(internal::PreparedClip clip, internal::Prepare(timeline, sources, options));
  if (clip.cuts.size() > static_cast<size_t>(kMaxEvents)) {
    return InvalidArgumentError("an EDL holds at most 999 events; the timeline has " +
                                std::to_string(clip.cuts.size()) + " segments");
  }
  const TimecodeFormat format = FormatFor(clip.fps);
  const std::vector<std::string> reels = ReelNames(clip.source_order);
  std::map<std::string, std::string> reel_of;
  for (size_t i = 0; i < reels.size(); ++i) reel_of[clip.source_order[i]] = reels[i];
  const int64_t record_offset = internal::NearestFrame(options.record_start, clip.fps);

  std::string edl = "TITLE: " + Printable(clip.title, kMaxTitle) + "\n";
  edl += format.drop_frame ? "FCM: DROP FRAME\n" : "FCM: NON-DROP FRAME\n";
  int event = 0;
  for (const SegmentCut& cut : clip.cuts) {
    const timeline::Segment& segment = timeline.segments[cut.segment];
    const internal::PreparedSource& source = clip.sources.at(cut.source_id);
    std::string channels = "V";
    if (timeline.output.audio && !segment.mute && source.info->audio() != nullptr) {
      channels = timeline.output.audio->channels >= 2 ? "AA/V" : "B";
    }
    const int64_t src_in = internal::NearestFrame(cut.source_in, clip.fps);
    const int64_t rec_in = record_offset + cut.record_frame;
    char line[256];
    std::snprintf(
        line, sizeof(line), "\n%03d  %-8s %-5s C        %s %s %s %s\n", ++event,
        reel_of.at(cut.source_id).c_str(), channels.c_str(), Timecode(src_in, format).c_str(),
        Timecode(src_in + cut.frame_count, format).c_str(), Timecode(rec_in, format).c_str(),
        Timecode(rec_in + cut.frame_count, format).c_str());
    edl += line;
    edl += "* FROM CLIP NAME: " + Printable(internal::BaseName(source.absolute_path), 200) + "\n";
    edl += "* SOURCE FILE: " + Printable(source.absolute_path, 400) + "\n";
  }
  return edl;
}

}  // namespace cutroom::export_
