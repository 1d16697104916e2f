// Text helpers of the tagged-script parser (script.h): UTF-8 decoding, whitespace, sentence
// splitting, word counting and duration parsing. Pure functions on UTF-8 text; internal to
// cutroom::compose (the parser and its tests use them).
//
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cutroom::compose {

struct DecodedCodePoint {
  char32_t code_point = 0;
  int length = 0;  // bytes, 1-4; 0 when the bytes at the position are not valid UTF-8
};

// Decodes the code point starting at text[i]. Rejects what RFC 3629 rejects: stray continuation
// bytes, truncated sequences, overlong forms, surrogates and values above U+10FFFF.
// REQUIRES: i < text.size().
DecodedCodePoint DecodeUtf8(std::string_view text, size_t i);

// Length in bytes of the whitespace character at text[i], or 0 if there is none: ASCII space, tab,
// LF, CR, VT, FF, and the Unicode spaces NBSP, U+2000-U+200A, U+202F, U+205F, U+3000.
int WhitespaceLength(std::string_view text, size_t i);

// Number of code points (continuation bytes are not counted). For valid UTF-8.
int CountCodePoints(std::string_view text);

// Runs of whitespace become one ASCII space; both ends are trimmed.
std::string CollapseWhitespace(std::string_view text);

// Trims whitespace (WhitespaceLength) at both ends.
std::string_view TrimWhitespace(std::string_view text);

// A block of lines (Markdown, a description): leading blank lines and trailing whitespace removed,
// the indentation (spaces) common to all non-blank lines removed, so an indented slide does not
// turn into a Markdown code block.
std::string TrimBlock(std::string_view text);

struct SentenceSpan {
  std::string text;   // whitespace collapsed, ends with its punctuation
  size_t offset = 0;  // byte offset of its first character in the paragraph
};

// Splits one paragraph into sentences. A sentence ends at a run of . ! ? … (plus closing quotes
// or brackets) followed by whitespace or the end, except:
// - a single "." after a known abbreviation (Dr., Mr., Mrs., Ms., Prof., St., vs., Jr., Sr., No.,
//   Fig., approx.) or a dotted one (e.g., i.e., U.S., a.m.);
// - any run followed by a lowercase ASCII letter ("etc. and", "Really? yes", "wait... no").
// Decimals ("3.5") never split: the dot is not followed by whitespace. Text after the last
// terminator is a sentence of its own.
std::vector<SentenceSpan> SplitSentences(std::string_view paragraph);

// Words of a sentence: whitespace-separated tokens with at least one letter, digit or other
// character that is neither punctuation nor a symbol/emoji ("—" and "😀" alone are not words,
// "naïve" and "3.5" are).
int CountWords(std::string_view text);

// Parses a duration in seconds: "90", "90.5", "90s", "1m30s", "1m 30s", "1.5m", "1h2m3s", "1:30",
// "1:02:03". Units h, m, s appear at most once each, in that order. Returns nullopt for anything
// else (including an empty string). The value may be 0.
std::optional<double> ParseDurationSeconds(std::string_view text);

}  // namespace cutroom::compose
