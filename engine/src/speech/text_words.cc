#include "speech/text_words.h"

#include <algorithm>
#include <cctype>

namespace cutroom::speech {
namespace {

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }
bool IsSpace(unsigned char c) { return c < 0x80 && std::isspace(c) != 0; }
bool IsWordByte(unsigned char c) { return c >= 0x80 || std::isalnum(c) != 0; }
bool IsAsciiPunct(unsigned char c) { return c < 0x80 && std::ispunct(c) != 0; }

}  // namespace

std::vector<TextWord> SplitTextWords(const std::string& text) {
  std::vector<TextWord> words;
  int64_t chars = 0;  // code points before text[i]
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (IsSpace(c)) {
      ++chars;
      ++i;
      continue;
    }
    const size_t begin = i;
    const int64_t char_begin = chars;
    bool has_word_char = false;
    while (i < text.size() && !IsSpace(static_cast<unsigned char>(text[i]))) {
      const unsigned char b = static_cast<unsigned char>(text[i]);
      has_word_char = has_word_char || IsWordByte(b);
      if (!IsContinuationByte(b)) ++chars;
      ++i;
    }
    if (!has_word_char) continue;
    size_t first = begin;
    size_t last = i;
    while (first < last && IsAsciiPunct(static_cast<unsigned char>(text[first]))) ++first;
    while (last > first && IsAsciiPunct(static_cast<unsigned char>(text[last - 1]))) --last;
    words.push_back({text.substr(first, last - first), char_begin, chars});
  }
  return words;
}

std::vector<TimedWord> TimeWordsFromStarts(const std::vector<TextWord>& words,
                                           const std::vector<WordStartEvent>& events,
                                           int64_t frame_count, int sample_rate) {
  const size_t n = words.size();
  std::vector<int64_t> start(n, -1);
  for (const WordStartEvent& e : events) {
    auto it =
        std::upper_bound(words.begin(), words.end(), e.char_offset,
                         [](int64_t offset, const TextWord& w) { return offset < w.char_end; });
    if (it == words.end()) continue;  // past the last word (a trailing symbol)
    int64_t& s = start[static_cast<size_t>(it - words.begin())];
    s = s < 0 ? e.sample : std::min(s, e.sample);
  }
  // Words no event named: spread evenly between the known starts around them.
  for (size_t i = 0; i < n;) {
    if (start[i] >= 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && start[j] < 0) ++j;
    const int64_t from = i == 0 ? 0 : start[i - 1];
    const int64_t to = j == n ? frame_count : start[j];
    const int64_t slots = static_cast<int64_t>(j - i) + (i == 0 ? 0 : 1);
    for (size_t k = i; k < j; ++k) {
      const int64_t step = static_cast<int64_t>(k - i) + (i == 0 ? 0 : 1);
      start[k] = from + (to - from) * step / std::max<int64_t>(1, slots);
    }
    i = j;
  }
  // Strictly increasing and inside the audio, leaving one sample for each later word.
  for (size_t i = 0; i < n; ++i) {
    const int64_t lowest = i == 0 ? 0 : start[i - 1] + 1;
    const int64_t highest = frame_count - static_cast<int64_t>(n - i);
    start[i] = std::clamp(start[i], lowest, std::max(lowest, highest));
  }
  const Rational time_base = Rational::Make(1, sample_rate);
  std::vector<TimedWord> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t end = i + 1 < n ? start[i + 1] : frame_count;
    out.push_back({words[i].text, MediaTime(start[i], time_base), MediaTime(end, time_base)});
  }
  return out;
}

}  // namespace cutroom::speech
