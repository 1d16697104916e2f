// Cuts on the output frame grid, reel names and the validation shared by the NLE writers.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "captions/caption_styles.h"
#include "export/export_internal.h"
#include "export/nle_export.h"
#include "export/subtitles.h"
#include "timeline/validate.h"

namespace cutroom::export_ {

namespace internal {

MediaTime FrameTime(int64_t frame, Rational fps) {
  return MediaTime(frame * fps.den, Rational{1, fps.num});
}

int64_t NearestFrame(const MediaTime& t, Rational fps) {
  return t.Rescale(Rational{fps.den, fps.num}, Rounding::kNearest);
}

std::string FileUrl(const std::string& absolute_path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (unsigned char c : absolute_path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      url.push_back(static_cast<char>(c));
    } else {
      url.push_back('%');
      url.push_back(kHex[c >> 4]);
      url.push_back(kHex[c & 15]);
    }
  }
  return url;
}

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

namespace {

std::string ResolvePath(const std::string& path, const std::string& base_dir) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
  std::filesystem::path absolute = std::filesystem::absolute(p, ec);
  if (ec) absolute = p;
  return absolute.lexically_normal().string();
}

}  // namespace

Result<PreparedClip> Prepare(const timeline::Timeline& timeline,
                             const std::map<std::string, MediaInfo>& sources,
                             const ExportOptions& options) {
  PreparedClip clip;
  CR_ASSIGN_OR_RETURN(clip.cuts, ComputeCuts(timeline));
  CR_RETURN_IF_ERROR(timeline::ValidateAgainstSources(timeline, sources));
  if (clip.cuts.empty()) {
    return InvalidArgumentError(
        "every segment is shorter than half an output frame: nothing to "
        "export");
  }
  clip.fps = timeline.output.fps;
  clip.total_frames = clip.cuts.back().record_frame + clip.cuts.back().frame_count;
  clip.title = options.title.empty() ? "cutroom clip" : options.title;
  std::set<std::string> used;
  for (const SegmentCut& cut : clip.cuts) used.insert(cut.source_id);
  for (const timeline::Source& source : timeline.sources) {
    if (used.count(source.id) == 0 || clip.sources.count(source.id) != 0) continue;
    PreparedSource prepared;
    prepared.source = &source;
    auto info = sources.find(source.id);
    if (info == sources.end()) {
      return InvalidArgumentError("source '" + source.id + "' was not probed");
    }
    prepared.info = &info->second;
    if (prepared.info->video() == nullptr) {
      return InvalidArgumentError("source '" + source.id + "' has no video stream");
    }
    prepared.absolute_path = ResolvePath(source.path, options.base_dir);
    const StreamInfo* video = prepared.info->video();
    if (video != nullptr && !video->variable_frame_rate && video->fps.num > 0) {
      prepared.video_rate = video->fps;
    } else {
      prepared.video_rate = Rational{0, 1};
    }
    clip.sources.emplace(source.id, prepared);
    clip.source_order.push_back(source.id);
  }
  if (options.include_captions && timeline.captions) {
    for (const speech::Cue& group : TimelineCaptionCues(timeline)) {
      CaptionCue cue;
      cue.text = group.text;
      cue.first_frame = std::min(NearestFrame(group.start, clip.fps), clip.total_frames - 1);
      int64_t end = std::min(NearestFrame(group.end, clip.fps), clip.total_frames);
      cue.frame_count = std::max<int64_t>(1, end - cue.first_frame);
      clip.captions.push_back(std::move(cue));
    }
  }
  return clip;
}

}  // namespace internal

Result<std::vector<SegmentCut>> ComputeCuts(const timeline::Timeline& timeline) {
  CR_RETURN_IF_ERROR(timeline::ValidateStructure(timeline, captions::StyleNames()));
  const Rational fps = timeline.output.fps;
  std::vector<SegmentCut> cuts;
  MediaTime exact_start;  // exact output time where the segment starts
  int64_t boundary = 0;   // its frame boundary, as the renderer rounds it
  for (size_t i = 0; i < timeline.segments.size(); ++i) {
    const timeline::Segment& segment = timeline.segments[i];
    const MediaTime exact_end = exact_start + segment.duration();
    const int64_t next_boundary = internal::NearestFrame(exact_end, fps);
    if (next_boundary > boundary) {
      SegmentCut cut;
      cut.segment = i;
      cut.source_id = segment.source;
      cut.record_frame = boundary;
      cut.frame_count = next_boundary - boundary;
      // The renderer shows source time in + (k / fps - exact_start) at output frame k.
      cut.source_in = segment.in + (internal::FrameTime(boundary, fps) - exact_start);
      if (cut.source_in < MediaTime::Zero()) cut.source_in = MediaTime::Zero();
      cuts.push_back(std::move(cut));
    }
    exact_start = exact_end;
    boundary = next_boundary;
  }
  return cuts;
}

std::vector<std::string> ReelNames(const std::vector<std::string>& source_ids) {
  constexpr size_t kMaxReel = 8;
  std::vector<std::string> reels;
  std::set<std::string> taken;
  for (const std::string& id : source_ids) {
    std::string base;
    for (unsigned char c : id) {
      if (std::isalnum(c) && c < 128) base.push_back(static_cast<char>(std::toupper(c)));
    }
    if (base.empty()) base = "SRC";
    std::string reel = base.substr(0, kMaxReel);
    for (int n = 2; taken.count(reel) != 0; ++n) {
      std::string suffix = std::to_string(n);
      reel = base.substr(0, kMaxReel - suffix.size()) + suffix;
    }
    taken.insert(reel);
    reels.push_back(reel);
  }
  return reels;
}

}  // namespace cutroom::export_
