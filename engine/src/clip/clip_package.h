// The "package" step of a clip job: for every rendered clip, caption files (SRT, WebVTT, ASS
// matching the burned captions), a thumbnail, editor exports (FCPXML, EDL, OTIO), and
// manifest.json describing everything (docs/manifest.md).
#pragma once

#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "cutroom/media_info.h"
#include "cutroom/timeline.h"
#include "select/clip_selector.h"

namespace cutroom::clip {

struct PackageInput {
  std::string output_dir;
  std::string source_path;
  MediaInfo source_info;
  const analysis::Analysis* analysis = nullptr;               // not owned
  const select::Selection* selection = nullptr;               // not owned
  const std::vector<timeline::Timeline>* timelines = nullptr;  // one per selected clip
  std::vector<std::string> warnings;
};

// Writes everything but the MP4s (already rendered) and returns the manifest path.
// Every file the manifest names exists when this returns OK.
Result<std::string> PackageClips(const PackageInput& input);

// manifest.json text (exposed for tests).
std::string ManifestJson(const PackageInput& input);

}  // namespace cutroom::clip
