// Subtitle files: SRT, WebVTT and ASS/SSA readers and writers, and the conversions between cues
// and transcripts. Readers survive what real files contain: a UTF-8 BOM, CRLF or CR line ends,
// styling tags (<i>, <font>, {\an8}, <v Speaker>, <c.class>, inline timestamps), HTML entities,
// overlapping cues, cue numbers that skip, and a missing final newline. A cue whose timing line
// cannot be read is an error that names the line number.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "speech/transcript.h"

namespace cutroom::speech {

enum class SubtitleFormat { kInvalid = 0, kSrt, kWebVtt, kAss };
std::string_view SubtitleFormatName(SubtitleFormat format);

struct Cue {
  MediaTime start;
  MediaTime end;
  std::string text;     // plain text, markup removed, lines joined with '\n'
  std::string speaker;  // WebVTT <v Name> or the ASS Name field; empty when unknown
};

// From the content (a "WEBVTT" or "[Script Info]" header, an SRT time line) and, when the content
// says nothing, the file extension of `path_hint` (.srt .vtt .ass .ssa).
SubtitleFormat DetectSubtitleFormat(std::string_view content, std::string_view path_hint = "");

// Cues in start order (stable for equal starts). Errors are InvalidArgument and begin with
// "line N:" for a malformed timing line.
Result<std::vector<Cue>> ParseSrt(std::string_view content);
Result<std::vector<Cue>> ParseWebVtt(std::string_view content);
Result<std::vector<Cue>> ParseAss(std::string_view content);
Result<std::vector<Cue>> ParseSubtitles(std::string_view content, SubtitleFormat format);
// Reads and parses a file; errors are prefixed with the path. Empty files give no cues.
Result<std::vector<Cue>> ReadSubtitleFile(const std::string& path);

std::string WriteSrt(const std::vector<Cue>& cues);
std::string WriteWebVtt(const std::vector<Cue>& cues);
// A complete ASS script (1920x1080 play resolution, one "Default" style).
std::string WriteAss(const std::vector<Cue>& cues);

struct CueOptions {
  int max_chars_per_line = 42;
  int max_lines = 2;
  MediaTime max_duration = MediaTime(7, {1, 1});
};
// Groups words into caption cues: a cue never spans two sentences, never exceeds the line
// budget, and runs from its first word's start to its last word's end.
std::vector<Cue> CuesFromTranscript(const Transcript& transcript, const CueOptions& options = {});

// Words of each cue with times spread over the cue in proportion to their length (the fallback
// when no audio alignment is possible). source = kSubtitles, confidence 0.5.
Transcript TranscriptFromCues(const std::vector<Cue>& cues, const std::string& language = "en");

}  // namespace cutroom::speech
