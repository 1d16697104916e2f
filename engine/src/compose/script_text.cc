#include "compose/script_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace cutroom::compose {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || IsAsciiLower(c) || (c >= 'A' && c <= 'Z'); }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Bytes of the sentence terminator at p[i] (. ! ? …), or 0.
size_t TerminatorLength(std::string_view p, size_t i) {
  char c = p[i];
  if (c == '.' || c == '!' || c == '?') return 1;
  if (p.substr(i, 3) == "\xE2\x80\xA6") return 3;  // …
  return 0;
}

// Bytes of a closing quote or bracket that belongs to the sentence before it, or 0.
size_t CloserLength(std::string_view p, size_t i) {
  char c = p[i];
  if (c == '"' || c == '\'' || c == ')' || c == ']') return 1;
  std::string_view rest = p.substr(i);
  if (rest.substr(0, 3) == "\xE2\x80\x9D" || rest.substr(0, 3) == "\xE2\x80\x99") return 3;  // ” ’
  if (rest.substr(0, 2) == "\xC2\xBB") return 2;                                             // »
  return 0;
}

// True when `word` (the text before a single "."), lowercased, is an abbreviation whose dot does
// not end the sentence.
bool IsAbbreviation(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kWords = {
      "dr", "mr", "mrs", "ms", "prof", "st", "vs", "jr", "sr", "no", "fig", "approx"};
  std::string lower;
  for (char c : word) lower += AsciiLower(c);
  if (std::find(kWords.begin(), kWords.end(), lower) != kWords.end()) return true;
  // Dotted single letters: "e.g", "i.e", "u.s", "a.m" (the final dot is the one being tested).
  if (lower.size() < 3) return false;
  for (size_t k = 0; k < lower.size(); ++k) {
    bool want_letter = k % 2 == 0;
    if (want_letter ? !IsAsciiLower(lower[k]) : lower[k] != '.') return false;
  }
  return lower.size() % 2 == 1;
}

// Punctuation, symbols and emoji: code points that do not make a token a word.
bool IsNonWordCodePoint(char32_t cp) {
  if (cp < 0x80) return !IsAsciiAlnum(static_cast<char>(cp));
  return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
         (cp >= 0x2000 && cp <= 0x2BFF) ||  // punctuation, arrows, math, dingbats, symbols
         (cp >= 0x3000 && cp <= 0x303F) ||  // CJK punctuation
         (cp >= 0xFE00 && cp <= 0xFE0F) ||  // variation selectors
         (cp >= 0x1F000 && cp <= 0x1FAFF);  // emoji and pictographs
}

std::optional<double> ParseNumber(std::string_view s) {
  if (s.empty() || !IsAsciiDigit(s.front()) || !IsAsciiDigit(s.back())) return std::nullopt;
  if (s.find_first_not_of("0123456789.") != std::string_view::npos) return std::nullopt;
  if (std::count(s.begin(), s.end(), '.') > 1) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// "1:30", "1:02:03": the fields after the first are below 60.
std::optional<double> ParseClock(std::string_view s) {
  double total = 0;
  int fields = 0;
  while (true) {
    size_t colon = s.find(':');
    std::string_view field = s.substr(0, colon);
    bool last = colon == std::string_view::npos;
    // Only the last field may have a fraction.
    if (!last && field.find('.') != std::string_view::npos) return std::nullopt;
    std::optional<double> v = ParseNumber(field);
    if (!v || (fields > 0 && *v >= 60)) return std::nullopt;
    total = total * 60 + *v;
    ++fields;
    if (last) break;
    s.remove_prefix(colon + 1);
  }
  if (fields < 2 || fields > 3) return std::nullopt;
  return total;
}

}  // namespace

DecodedCodePoint DecodeUtf8(std::string_view text, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  int length = 0;
  char32_t cp = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (int k = 1; k < length; ++k) {
    unsigned char cc = b(i + k);
    if (!IsContinuation(cc) || (k == 1 && (cc < lo || cc > hi))) return {};
    cp = (cp << 6) | (cc & 0x3F);
  }
  return {cp, length};
}

int WhitespaceLength(std::string_view text, size_t i) {
  char c = text[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (static_cast<unsigned char>(c) < 0x80) return 0;
  DecodedCodePoint d = DecodeUtf8(text, i);
  char32_t cp = d.code_point;
  if (d.length == 0) return 0;
  bool space =
      cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  return space ? d.length : 0;
}

int CountCodePoints(std::string_view text) {
  int count = 0;
  for (char c : text) count += !IsContinuation(static_cast<unsigned char>(c));
  return count;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    if (int w = WhitespaceLength(text, i)) {
      pending_space = !out.empty();
      i += w;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += text[i++];
  }
  return out;
}

std::string_view TrimWhitespace(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    int w = WhitespaceLength(text, begin);
    if (w == 0) break;
    begin += w;
  }
  size_t end = text.size();
  while (end > begin) {
    // Step back to the start of the last code point and test it.
    size_t start = end - 1;
    while (start > begin && IsContinuation(static_cast<unsigned char>(text[start]))) --start;
    if (WhitespaceLength(text, start) != static_cast<int>(end - start)) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

std::string TrimBlock(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t pos = 0;;) {
    size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl == std::string_view::npos ? nl : nl - pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  auto blank = [](std::string_view line) { return TrimWhitespace(line).empty(); };
  size_t first = 0;
  while (first < lines.size() && blank(lines[first])) ++first;
  size_t last = lines.size();
  while (last > first && blank(lines[last - 1])) --last;
  size_t indent = std::string_view::npos;
  for (size_t k = first; k < last; ++k) {
    if (blank(lines[k])) continue;
    indent = std::min(indent, lines[k].find_first_not_of(' '));
  }
  std::string out;
  for (size_t k = first; k < last; ++k) {
    std::string_view line = lines[k];
    line.remove_prefix(std::min({indent, line.size(), line.find_first_not_of(' ')}));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (k > first) out += '\n';
    out += line;
  }
  return out;
}

std::vector<SentenceSpan> SplitSentences(std::string_view p) {
  std::vector<SentenceSpan> out;
  SentenceSpan current;
  bool pending_space = false;
  auto flush = [&] {
    if (!current.text.empty()) out.push_back(std::move(current));
    current = SentenceSpan();
    pending_space = false;
  };
  size_t i = 0;
  while (i < p.size()) {
    if (int w = WhitespaceLength(p, i)) {
      pending_space = !current.text.empty();
      i += w;
      continue;
    }
    if (current.text.empty()) current.offset = i;
    if (pending_space) current.text += ' ';
    pending_space = false;
    if (TerminatorLength(p, i) == 0) {
      DecodedCodePoint d = DecodeUtf8(p, i);
      size_t len = d.length > 0 ? d.length : 1;
      current.text.append(p.substr(i, len));
      i += len;
      continue;
    }
    // The word before the terminator, without opening quotes or brackets.
    std::string_view word = current.text;
    if (size_t space = word.rfind(' '); space != std::string_view::npos) {
      word.remove_prefix(space + 1);
    }
    while (!word.empty() && !IsAsciiAlnum(word.front())) word.remove_prefix(1);
    size_t j = i;
    int terminators = 0;
    while (j < p.size()) {
      size_t t = TerminatorLength(p, j);
      if (t == 0) break;
      j += t;
      ++terminators;
    }
    while (j < p.size()) {
      size_t c = CloserLength(p, j);
      if (c == 0) break;
      j += c;
    }
    bool ends = j == p.size() || WhitespaceLength(p, j) > 0;
    if (ends && terminators == 1 && p[i] == '.' && IsAbbreviation(word)) ends = false;
    if (ends) {
      size_t next = j;
      while (next < p.size()) {
        int w = WhitespaceLength(p, next);
        if (w == 0) break;
        next += w;
      }
      if (next < p.size() && IsAsciiLower(p[next])) ends = false;
    }
    current.text.append(p.substr(i, j - i));
    i = j;
    if (ends) flush();
  }
  flush();
  return out;
}

int CountWords(std::string_view text) {
  int words = 0;
  bool in_token = false, token_is_word = false;
  for (size_t i = 0; i < text.size();) {
    if (int w = WhitespaceLength(text, i)) {
      words += in_token && token_is_word;
      in_token = token_is_word = false;
      i += w;
      continue;
    }
    DecodedCodePoint d = DecodeUtf8(text, i);
    size_t len = d.length > 0 ? d.length : 1;
    in_token = true;
    if (d.length > 0 && !IsNonWordCodePoint(d.code_point)) token_is_word = true;
    i += len;
  }
  return words + (in_token && token_is_word);
}

std::optional<double> ParseDurationSeconds(std::string_view text) {
  text = TrimWhitespace(text);
  if (text.empty()) return std::nullopt;
  if (text.find(':') != std::string_view::npos) return ParseClock(text);
  if (std::optional<double> plain = ParseNumber(text)) return plain;
  static constexpr std::string_view kUnits = "hms";
  static constexpr double kUnitSeconds[] = {3600, 60, 1};
  double total = 0;
  size_t next_unit = 0;  // units must come in the order h, m, s
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t start = i;
    while (i < text.size() && (IsAsciiDigit(text[i]) || text[i] == '.')) ++i;
    std::optional<double> value = ParseNumber(text.substr(start, i - start));
    if (!value) return std::nullopt;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == text.size()) return std::nullopt;
    size_t unit = kUnits.find(AsciiLower(text[i]), next_unit);
    if (unit == std::string_view::npos) return std::nullopt;
    total += *value * kUnitSeconds[unit];
    next_unit = unit + 1;
    ++i;
    while (i < text.size() && text[i] == ' ') ++i;
  }
  if (!std::isfinite(total)) return std::nullopt;
  return total;
}

}  // namespace cutroom::compose
