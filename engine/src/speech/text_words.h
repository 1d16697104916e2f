// Words of a text and their times from a synthesizer's word-start events, matched by text
// position: an event names the character offset where its word begins, so one word spoken as
// several (a number, a hyphenated word) or a word the engine skipped never shifts the words after
// it, which matching by index would. Pure functions; no synthesizer involved.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "speech/speech_synthesizer.h"

namespace cutroom::speech {

struct TextWord {
  std::string text;        // the token without the punctuation around it ("Hello," -> "Hello")
  int64_t char_begin = 0;  // code point offsets of the whole token in the text, [begin, end)
  int64_t char_end = 0;
};

// Whitespace-separated tokens of UTF-8 `text` that hold a letter or digit (any non-ASCII
// character counts as one), in order. Punctuation-only tokens ("-", "...") are not words.
std::vector<TextWord> SplitTextWords(const std::string& text);

struct WordStartEvent {
  int64_t char_offset = 0;  // 0-based code point offset in the text
  int64_t sample = 0;       // where speech for it starts, in samples from the audio start
};

// One TimedWord per entry of `words`, in order. An event belongs to the word whose token holds
// its offset, or to the next word when the offset falls between tokens; a word with several
// events starts at the earliest. Words without an event share the time between their neighbours
// evenly. A word ends where the next starts; the last ends at `frame_count`. Starts are clamped
// to be strictly increasing and inside the audio, so no word is empty or overlaps another.
// Times are in 1/sample_rate ticks. REQUIRES: frame_count >= words.size(), sample_rate > 0.
std::vector<TimedWord> TimeWordsFromStarts(const std::vector<TextWord>& words,
                                           const std::vector<WordStartEvent>& events,
                                           int64_t frame_count, int sample_rate);

}  // namespace cutroom::speech
