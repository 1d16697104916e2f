// Forced alignment: known text + audio -> a time for every word. pocketsphinx searches a linear
// grammar of the words (silences and fillers allowed between them). Words it cannot place (not in
// the dictionary: numbers, names, other languages; or past the point where the search gave up)
// get times interpolated from their placed neighbours in proportion to their length. No word is
// ever dropped.
//
// Thread safety: one call at a time per aligner.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cutroom/audio_buffer.h"
#include "cutroom/cancel.h"
#include "cutroom/status.h"
#include "speech/pocketsphinx_decoder.h"
#include "speech/subtitle_io.h"
#include "speech/transcript.h"

namespace cutroom::speech {

struct AlignmentStats {
  int words = 0;
  int placed_by_decoder = 0;  // the rest were interpolated
};

class ForcedAligner {
 public:
  static Result<std::unique_ptr<ForcedAligner>> Create(const PocketsphinxModel& model = {});
  ~ForcedAligner();

  // Times for the words of `text` (SplitWords; display text kept) inside [begin, end) of `audio`
  // (16 kHz; source time, audio.pts = its first sample). Words come back in order, not
  // overlapping, inside the window. REQUIRES: begin < end.
  Result<std::vector<Word>> AlignWords(const AudioBuffer& audio, const std::vector<std::string>& words,
                                       MediaTime begin, MediaTime end, AlignmentStats* stats = nullptr);

  // The whole audio against `text`: source kAlignment, sentences derived.
  Result<Transcript> AlignText(const AudioBuffer& audio, std::string_view text,
                               AlignmentStats* stats = nullptr);

  // Each cue's words aligned inside the cue (widened by `slack` to catch speech that starts a
  // little early, then clamped back into the cue): source kSubtitles.
  Result<Transcript> AlignCues(const AudioBuffer& audio, const std::vector<Cue>& cues,
                               const CancelToken* cancel = nullptr, AlignmentStats* stats = nullptr);

 private:
  explicit ForcedAligner(std::unique_ptr<PocketsphinxDecoder> decoder);
  std::unique_ptr<PocketsphinxDecoder> decoder_;
};

// Fills in the times of words whose `placed[i]` is false from the nearest placed neighbours
// (or the window edges), in proportion to text length. Exposed for tests.
void InterpolateUnplaced(std::vector<Word>* words, const std::vector<bool>& placed,
                         MediaTime begin, MediaTime end);

}  // namespace cutroom::speech
