// The tagged script of `cutroom compose` (product.md §7): parsing, statistics and the per-tag
// files written beside a compose job.
//
// A script is UTF-8 text made only of tags and the whitespace between them:
//
//   [title]How tides work[/title]
//   [slide]# The Moon pulls[/slide]
//   [narration]The Moon pulls on the oceans. That pull makes the tides.[/narration]
//   [image]assets/moon.jpg[/image]
//   [narration]Twice a day, the water rises.[/narration]
//
// Tags: title, alt_title, description, tags, thumbnail, narration, slide, image, broll, music,
// length. Names are case-insensitive; "[ title]" (whitespace inside the brackets) is an error.
// No tag contains another tag; a "[/name]" closes the open tag of that name.
//
// Inside a body, "[" is ordinary text unless it forms a tag of the list above: Markdown links
// ("[docs](https://...)"), checkboxes ("[x]") and "[1]" stay as they are, while "[slide]",
// "[/image]" or "[ narration ]" inside another tag is an error. A body cannot therefore mention a
// tag of the list literally. Between tags only whitespace is allowed; "[foo]" there is an unknown
// tag.
//
// Narration drives timing: its sentences, in order, are what the voice reads. Blank lines inside
// a [narration] block, and separate [narration] blocks, start new paragraphs (a pause). Each
// visual (slide, image, broll) starts at the narration position where it appears and lasts until
// the next visual: it covers sentences [from_sentence, next visual's from_sentence), or up to the
// last sentence for the last visual. A visual after the last sentence covers none; the planner
// decides what to do with it (an end card, or nothing).
//
// Thread safety: pure functions on values; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cutroom/status.h"

namespace cutroom::compose {

// 1-based; the column counts Unicode code points (not bytes, not grapheme clusters). A tab is
// one column. "\r\n" ends a line like "\n"; a leading UTF-8 byte order mark is ignored.
struct ScriptPosition {
  int line = 0;
  int column = 0;
};

enum class VisualKind { kInvalid = 0, kSlide, kImage, kBroll };

// "slide", "image", "broll" ("invalid" for kInvalid).
std::string_view VisualKindName(VisualKind kind);

struct Visual {
  VisualKind kind = VisualKind::kInvalid;
  // kSlide: Markdown, leading blank lines, trailing whitespace and common indentation removed.
  // kImage: a file path or a generation prompt, whitespace collapsed to single spaces.
  // kBroll: the video file path.
  std::string body;
  // kSlide: its first Markdown heading ("# ..." to "###### ..."), without the "#" marks, closing
  // hashes, "**", "__" and backticks; empty when the slide has none. Chapters start here.
  std::string heading;
  // kBroll: the source range in seconds when the tag gave one ("clip.mp4 3.5-8"); -1 otherwise.
  double broll_in_s = -1;
  double broll_out_s = -1;
  ScriptPosition at;      // of the opening tag
  int from_sentence = 0;  // index of the first narration sentence it covers (may equal the count)
};

struct NarrationSentence {
  std::string text;   // whitespace collapsed to single spaces
  int paragraph = 0;  // 0-based, counted over the whole script
  ScriptPosition at;  // of its first character
};

struct Script {
  std::string title;        // whitespace collapsed
  std::string alt_title;    // whitespace collapsed (an A/B title)
  std::string description;  // trimmed; lines kept
  std::string thumbnail_text;
  std::string music_path;
  std::vector<std::string> tags;  // comma or newline separated, trimmed; every [tags] block adds
  double length_s = 0;            // target length from [length]; 0 when absent
  std::vector<NarrationSentence> sentences;  // at least one after a successful parse
  std::vector<Visual> visuals;               // in script order
  // The non-empty headings of the slides, in order (Visual::heading), for chapters.
  std::vector<std::string> sections;
};

// Parses a whole script. Errors are InvalidArgument with a message starting "line L, column C: ":
// invalid UTF-8 or a control character (other than tab, LF, CR); text outside tags; an unknown
// tag; whitespace inside tag brackets; a nested tag; a closing tag that does not match the open
// one or closes nothing; a tag never closed (named at its opening); an empty tag; a second
// [title], [alt_title], [description], [thumbnail], [music] or [length]; a [length] that is not a
// positive duration (60s, 1m30s, 90, 1:30); a [broll] range that is not "in-out" with in < out; a
// slide line "---" (reserved as the separator of slides.txt); no narration sentence at all (named
// at the end of the script).
Result<Script> ParseScript(std::string_view text);

// The sentences [begin, end) that visual `index` covers (see the file comment).
// REQUIRES: 0 <= index < script.visuals.size().
struct SentenceRange {
  int begin = 0;
  int end = 0;
};
SentenceRange VisualSentences(const Script& script, int index);

struct ScriptStats {
  int words = 0;       // narration words (CountWords in script_text.h)
  int characters = 0;  // code points of the narration sentences, spaces inside them included
  int sentences = 0;
  int paragraphs = 0;
  double estimated_duration_s = 0;  // words at the given rate, plus pauses between paragraphs
};

// Measures the narration (metadata and slides are not read aloud). The estimate is
// words / words_per_minute * 60 + pause_s * (paragraphs - 1). A non-positive words_per_minute
// gives an estimate of pauses only.
ScriptStats MeasureScript(const Script& script, double words_per_minute, double pause_s = 0.6);

// InvalidArgument naming both durations when stats.estimated_duration_s > limit_s. A limit <= 0
// means no limit.
Status CheckDurationLimit(const ScriptStats& stats, double limit_s);

// Writes one UTF-8 file per tag type present in `script` into `dir` (created if missing), each
// atomically (WriteFileAtomically), each ending with a newline:
//   narration.txt  one sentence per line, a blank line between paragraphs
//   slides.txt     the slides' Markdown, separated by a line "---"
//   images.txt     one path or prompt per line
//   broll.txt      one "path" or "path in-out" (seconds) per line
//   title.txt alt_title.txt description.txt thumbnail.txt music.txt
//   tags.txt       one tag per line
//   length.txt     the target length in seconds
// A file of a tag type the script lacks is removed if an earlier run left one, so the folder
// always describes this script; other files are not touched. Errors name the path.
Status WriteTagFiles(const Script& script, const std::string& dir);

}  // namespace cutroom::compose
