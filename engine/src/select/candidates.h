// Candidate windows: runs of whole sentences whose duration lies in [min, max], so that a clip
// never starts or ends inside a word; and fixed windows for sources without speech.
//
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "cutroom/media_time.h"
#include "speech/transcript.h"

namespace cutroom::select {

struct Window {
  MediaTime start;          // first sentence's start (or a fixed time without speech)
  MediaTime end;            // last sentence's end
  int first_sentence = -1;  // -1 for windows without speech
  int last_sentence = -1;   // inclusive
  bool HasSpeech() const { return first_sentence >= 0; }
};

// Every run of sentences [i, j] with min <= sentences[j].end - sentences[i].start <= max.
// REQUIRES: sentences in time order.
std::vector<Window> SentenceWindows(const std::vector<speech::Sentence>& sentences,
                                    MediaTime min_duration, MediaTime max_duration);

// For sources where no run fits [min, max]: from each sentence, the longest run that stays
// within max (a single sentence when even that is longer).
std::vector<Window> LongestWindowsWithin(const std::vector<speech::Sentence>& sentences,
                                         MediaTime max_duration);

// The whole transcript as one window. REQUIRES: !sentences.empty().
Window WholeTranscript(const std::vector<speech::Sentence>& sentences);

// Windows without speech over [0, source_duration]: the middle of [min, max] long (the whole
// source when it is shorter than min), starting every quarter window and at every scene cut,
// ending on a scene cut inside [min, max] when there is one.
std::vector<Window> FixedWindows(MediaTime source_duration, const std::vector<double>& scene_cuts_s,
                                 MediaTime min_duration, MediaTime max_duration);

}  // namespace cutroom::select
