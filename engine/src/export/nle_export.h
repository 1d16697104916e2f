// Editor exports of a clip, written from its Timeline so that they match the render: FCPXML 1.10
// (Final Cut Pro, DaVinci Resolve), CMX 3600 EDL and OpenTimelineIO JSON. What each format carries
// and its limits: docs/exports.md.
//
// All three place cuts on the output frame grid exactly as the renderer does (render/renderer.cc:
// segment boundaries are the cumulative segment durations rounded to the nearest output frame),
// so an editor who opens the export sees the same frames at the same record times.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cutroom/media_info.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "cutroom/timeline.h"

namespace cutroom::export_ {

struct ExportOptions {
  // Project name (FCPXML), TITLE (EDL), timeline name (OTIO). Empty: "cutroom clip".
  std::string title;
  // Folder that relative Source::path values are resolved against (the Timeline file's folder).
  // Empty: the process's working directory.
  std::string base_dir;
  // Record time of the clip's first frame (sequence tcStart, EDL record timecodes, OTIO
  // global_start_time). Editors often expect 01:00:00:00 (3600 s).
  MediaTime record_start;
  // Carry caption timing: FCPXML titles, OTIO timeline metadata. EDL never carries captions.
  bool include_captions = true;
};

// One segment as the renderer plays it, on the output frame grid.
struct SegmentCut {
  size_t segment = 0;  // index into Timeline::segments
  std::string source_id;
  int64_t record_frame = 0;  // first output frame (0 = the clip's first frame)
  int64_t frame_count = 0;   // output frames; > 0
  // Source time the renderer samples for the first output frame: the segment's `in` shifted by
  // the sub-frame difference between the exact segment start and its frame boundary.
  MediaTime source_in;
};

// The cuts of a structurally valid timeline. Segments shorter than half an output frame render
// no frame and get no cut. Errors: as timeline::ValidateStructure (no segments, unknown source,
// in >= out, bad crop keyframes ...), each naming the field.
Result<std::vector<SegmentCut>> ComputeCuts(const timeline::Timeline& timeline);

// FCPXML 1.10: a format per output and per source, an asset per source (real duration, rate and
// audio layout from `sources`, keyed by Source::id), and a project whose sequence has one spine
// of asset-clips with offset/start/duration as rational times on the frame grid. Crop paths
// become adjust-transform keyframes (mapping in docs/exports.md); a split segment becomes two
// clips, each trimmed to its window and moved into its half; caption groups become Basic Title
// clips connected above the spine. Errors: invalid timeline, a used source missing from
// `sources` or without video, segment times outside the source.
Result<std::string> TimelineToFcpxml(const timeline::Timeline& timeline,
                                     const std::map<std::string, MediaInfo>& sources,
                                     const ExportOptions& options);

// CMX 3600 EDL: TITLE, FCM (DROP FRAME for 30000/1001 and 60000/1001, else NON-DROP FRAME), one
// cut event per segment carrying video and, unless muted or the output has no audio, audio
// ("AA/V" stereo, "B" mono, "V" video only); source and record timecodes at the output frame
// rate; reel names of at most 8 characters derived from source ids, unique; "* FROM CLIP NAME:"
// and "* SOURCE FILE:" comments. Errors: as TimelineToFcpxml.
Result<std::string> TimelineToEdl(const timeline::Timeline& timeline,
                                  const std::map<std::string, MediaInfo>& sources,
                                  const ExportOptions& options);

// OpenTimelineIO JSON: Timeline.1 -> Stack.1 -> a "Video" Track.1 and (when the output has
// audio) an "Audio" Track.1 of Clip.1 items with source_range RationalTimes at the output rate and
// ExternalReference.1 media references with the source's available_range. Crop keyframes, layout
// and interpolation go into each video clip's metadata under "cutroom"; caption groups into the
// timeline's metadata under "cutroom". Errors: as TimelineToFcpxml.
Result<std::string> TimelineToOtio(const timeline::Timeline& timeline,
                                   const std::map<std::string, MediaInfo>& sources,
                                   const ExportOptions& options);

// EDL reel names for source ids, in the order given: upper-case letters and digits of the id,
// at most 8 characters, made unique with a numeric suffix; "SRC" for an id with none of those.
std::vector<std::string> ReelNames(const std::vector<std::string>& source_ids);

}  // namespace cutroom::export_
