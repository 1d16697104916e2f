// Helpers shared by the narrate and plan steps of a compose job (compose_job.h). Internal to
// cutroom::compose_job.
//
// Thread safety: pure functions on files and values.
#pragma once

#include <string>
#include <vector>

#include "compose/compose_job.h"
#include "compose/script.h"
#include "cutroom/status.h"

namespace cutroom::compose::internal {

// `path` made absolute: relative paths are taken against `base_dir` (itself made absolute).
std::string ResolveAgainst(const std::string& path, const std::string& base_dir);

// The folder holding `file` ("." when it has none).
std::string FolderOf(const std::string& file);

// OK, or Cancelled when env.cancel is set.
Status CheckCancelled(const StepEnv& env, const std::string& step);

void Report(const StepEnv& env, double progress, const std::string& message);

// What the captions show for one narrated sentence: the script's own words, with their
// punctuation and case ("stored." rather than the voice's "stored"), when the sentence splits
// into as many whitespace-separated tokens as the voice said words; otherwise the voice's words,
// the last one given the sentence's closing punctuation, so caption screens still break at the
// sentence end.
std::vector<std::string> CaptionTexts(const std::string& sentence,
                                      const std::vector<NarratedWord>& words);

}  // namespace cutroom::compose::internal
