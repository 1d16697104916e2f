// Renders a Timeline to an MP4: decode only the needed windows (still images once), crop/layout,
// burn captions, cut audio with fades, mix audio tracks with ducking, normalise loudness, encode.
// A pure function of (Timeline, sources).
#pragma once

#include <functional>
#include <string>

#include "cutroom/cancel.h"
#include "cutroom/log.h"
#include "cutroom/status.h"
#include "cutroom/timeline.h"

namespace cutroom::render {

struct RenderOptions {
  int threads = 0;                      // CPU budget for decode and encode; 0 = FFmpeg's choice
  const CancelToken* cancel = nullptr;  // not owned
  Logger* logger = nullptr;             // not owned; may be null
  // Called from the rendering thread with progress 0..1 and a short message.
  std::function<void(double progress, const std::string& message)> progress;
};

struct RenderStats {
  int64_t frames = 0;
  double duration_s = 0;
  double source_loudness_lufs = 0;  // integrated loudness of the mix (segments + tracks)
  double loudness_gain_db = 0;      // gain applied to reach the target
  int64_t bytes = 0;
};

// Validates the timeline (structure and against the probed sources), then renders to
// `output_path` through a temporary file that is renamed on success. On any error no file is
// left at `output_path`. Errors: invalid timeline (naming the field), unreadable or corrupt
// sources, an output path equal to a source, cancellation.
Result<RenderStats> RenderTimeline(const timeline::Timeline& timeline,
                                   const std::string& output_path, const RenderOptions& options);

}  // namespace cutroom::render
