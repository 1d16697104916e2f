// Helpers shared by the NLE writers (not part of the module's API).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cutroom/media_info.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "cutroom/timeline.h"
#include "export/nle_export.h"

namespace cutroom::export_::internal {

struct PreparedSource {
  const timeline::Source* source = nullptr;  // not owned
  const MediaInfo* info = nullptr;           // not owned
  std::string absolute_path;
  Rational video_rate;  // the source's frame rate; {0,1} when unknown or variable
};

// A caption group on the output frame grid.
struct CaptionCue {
  std::string text;
  int64_t first_frame = 0;
  int64_t frame_count = 0;  // >= 1
};

struct PreparedClip {
  std::vector<SegmentCut> cuts;                   // at least one
  std::map<std::string, PreparedSource> sources;  // the sources the cuts use, by id
  std::vector<std::string> source_order;          // ids in Timeline::sources order, used ones only
  Rational fps;                                   // output frame rate
  int64_t total_frames = 0;
  std::string title;
  std::vector<CaptionCue> captions;  // empty unless options.include_captions
};

// Validates (structure, then against `sources`) and computes cuts. Pointers in the result point
// into `timeline` and `sources`, which must outlive it.
Result<PreparedClip> Prepare(const timeline::Timeline& timeline,
                             const std::map<std::string, MediaInfo>& sources,
                             const ExportOptions& options);

// Time of output frame `frame` at `fps`, exact, in the base 1/fps.num.
MediaTime FrameTime(int64_t frame, Rational fps);
// Nearest frame index of `t` at `fps`.
int64_t NearestFrame(const MediaTime& t, Rational fps);

// "file:///abs/path%20with%20spaces.mp4".
std::string FileUrl(const std::string& absolute_path);
std::string BaseName(const std::string& path);

}  // namespace cutroom::export_::internal
