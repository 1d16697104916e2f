// The "plan" step of a clip job: turns a selected candidate into a Timeline — framing segments
// from the reframe planner (faces, shot cuts and speech from analysis) and word captions from the
// transcript. Pure: no media is read.
#pragma once

#include <string>

#include "analysis/analyzer.h"
#include "cutroom/timeline.h"
#include "select/clip_selector.h"
#include "speech/transcript.h"

namespace cutroom::clip {

struct PlanOptions {
  int output_width = 1080;
  int output_height = 1920;
  Rational fps{30, 1};
  std::string caption_style = "highlight_word";
  timeline::Layout layout = timeline::Layout::kInvalid;  // kInvalid: choose per shot (auto)
  double loudness_target_lufs = -14.0;
};

// Output size for an aspect ratio name ("9:16", "1:1", "4:5", "16:9") with the long side 1920.
Result<std::pair<int, int>> OutputSizeForAspect(const std::string& aspect);

// REQUIRES: `analysis` describes `source_path`; candidate inside the source.
Result<timeline::Timeline> PlanClipTimeline(const select::ClipCandidate& candidate,
                                            const speech::Transcript& transcript,
                                            const analysis::Analysis& analysis,
                                            const std::string& source_path,
                                            const PlanOptions& options);

// Flattens analysis results into what selection needs.
select::SignalSummary SummarizeSignals(const analysis::Analysis& analysis);

}  // namespace cutroom::clip
