// Test helper: transcripts with known word times, built sentence by sentence.
#pragma once

#include <string_view>
#include <vector>

#include "speech/transcript.h"

namespace cutroom::select::testing {

// Each word lasts 0.30 s and words follow each other after 0.05 s (2.86 words/s); after each
// sentence comes `pause_s` of silence (DeriveSentences also splits at pauses >= 0.7 s, which is
// how unpunctuated "trailing off" speech gets its boundaries).
class TranscriptBuilder {
 public:
  TranscriptBuilder& Say(std::string_view sentence, double pause_s = 0.4) {
    for (const std::string& token : speech::SplitWords(sentence)) {
      speech::Word w;
      w.text = token;
      w.start = Ms(now_ms_);
      w.end = Ms(now_ms_ + 300);
      words_.push_back(w);
      now_ms_ += 350;
    }
    now_ms_ += static_cast<int64_t>(pause_s * 1000) - 50;
    return *this;
  }
  TranscriptBuilder& Silence(double seconds) {
    now_ms_ += static_cast<int64_t>(seconds * 1000);
    return *this;
  }
  double now_s() const { return static_cast<double>(now_ms_) / 1000.0; }
  int sentence_count() const { return static_cast<int>(speech::DeriveSentences(words_).size()); }

  speech::Transcript Build() const {
    speech::Transcript t;
    t.source = speech::TranscriptSource::kAlignment;
    t.words = words_;
    t.sentences = speech::DeriveSentences(t.words);
    return t;
  }

 private:
  static MediaTime Ms(int64_t ms) { return MediaTime(ms, {1, 1000}); }
  std::vector<speech::Word> words_;
  int64_t now_ms_ = 0;
};

inline MediaTime Sec(double s) { return MediaTime::FromSecondsApprox(s); }

}  // namespace cutroom::select::testing
