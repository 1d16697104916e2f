// Splitting speech at silences: the chunks the built-in recognizer decodes in parallel. Pure
// signal processing on 16 kHz mono samples; no decoder involved.
//
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace cutroom::speech {

struct SampleRange {
  int64_t begin = 0;  // first sample
  int64_t end = 0;    // one past the last
  int64_t size() const { return end - begin; }
};

struct SplitOptions {
  double min_silence_s = 0.3;   // a pause at least this long may end a chunk
  double target_chunk_s = 20;   // chunks close at the first pause after this length
  double max_chunk_s = 30;      // longer speech is cut at its quietest 10 ms frame
  double padding_s = 0.2;       // silence kept around speech (never more than half a pause)
};

// Ranges of `samples` that hold speech, in order, not overlapping. Audio with no frame louder
// than the noise floor (digital silence, near-silent hum) gives no ranges.
std::vector<SampleRange> SplitAtSilences(std::span<const float> samples, int sample_rate,
                                         const SplitOptions& options = {});

}  // namespace cutroom::speech
