#include "speech/subtitle_io.h"

#include "cutroom/file_util.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>
#include <utility>

namespace cutroom::speech {
namespace {

const Rational kMillis{1, 1000};

struct Line {
  int number = 0;  // 1-based, as an editor shows it
  std::string_view text;
};

// BOM removed, CRLF and CR turned into LF. Lines keep views into `normalized`.
std::vector<Line> SplitLines(std::string_view content, std::string* normalized) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  normalized->clear();
  normalized->reserve(content.size());
  for (size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\r') {
      normalized->push_back('\n');
      if (i + 1 < content.size() && content[i + 1] == '\n') ++i;
    } else {
      normalized->push_back(content[i]);
    }
  }
  std::vector<Line> lines;
  std::string_view rest = *normalized;
  int number = 1;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view text = rest.substr(0, nl);
    lines.push_back({number++, text});
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return lines;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view s) { return Trim(s).empty(); }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// "[h:]mm:ss[.,]fff" (hours optional and of any width, 1-3+ fraction digits; ASS uses
// centiseconds). Returns milliseconds.
std::optional<int64_t> ParseClock(std::string_view s) {
  s = Trim(s);
  int64_t parts[3] = {0, 0, 0};
  int count = 0;
  size_t i = 0;
  while (true) {
    if (count == 3) return std::nullopt;
    size_t start = i;
    int64_t value = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
      value = value * 10 + (s[i] - '0');
      if (value > 1000000) return std::nullopt;
      ++i;
    }
    if (i == start) return std::nullopt;
    parts[count++] = value;
    if (i < s.size() && s[i] == ':') {
      ++i;
      continue;
    }
    break;
  }
  if (count < 2) return std::nullopt;
  int64_t millis = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    int64_t scale = 100;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
      millis += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  int64_t hours = count == 3 ? parts[0] : 0;
  int64_t minutes = parts[count - 2];
  int64_t seconds = parts[count - 1];
  if (minutes >= 60 || seconds >= 60) return std::nullopt;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

// "start --> end [settings]".
Status ParseTimingLine(const Line& line, Cue* cue) {
  const std::string_view text = line.text;
  size_t arrow = text.find("-->");
  auto error = [&](const std::string& what) {
    return InvalidArgumentError("line " + std::to_string(line.number) + ": " + what + ": \"" +
                                std::string(Trim(text)) + "\"");
  };
  if (arrow == std::string_view::npos) {
    return error("expected a cue time line like 00:00:01,000 --> 00:00:02,500");
  }
  std::string_view end_text = Trim(text.substr(arrow + 3));
  if (size_t space = end_text.find_first_of(" \t"); space != std::string_view::npos) {
    end_text = end_text.substr(0, space);  // WebVTT cue settings and SRT X1:Y1 coordinates
  }
  std::optional<int64_t> start = ParseClock(text.substr(0, arrow));
  std::optional<int64_t> end = ParseClock(end_text);
  if (!start || !end) return error("cannot read the cue times");
  if (*end < *start) return error("the cue ends before it starts");
  cue->start = MediaTime(*start, kMillis);
  cue->end = MediaTime(*end, kMillis);
  return Status::Ok();
}

void AppendEntityDecoded(std::string_view s, std::string* out) {
  static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&amp;", "&"},  {"&lt;", "<"},  {"&gt;", ">"},        {"&quot;", "\""}, {"&#39;", "'"},
      {"&apos;", "'"}, {"&nbsp;", " "}, {"&lrm;", ""}, {"&rlm;", ""}};
  for (size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, text] : kEntities) {
        if (s.substr(i, entity.size()) == entity) {
          out->append(text);
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out->push_back(s[i++]);
  }
}

enum class Markup { kInvalid = 0, kSrt, kWebVtt, kAss };

// Plain text of one cue: tags and override blocks removed, entities decoded (SRT, WebVTT),
// ASS line breaks turned into '\n', each line trimmed, blank lines dropped.
std::string PlainText(std::string_view raw, Markup markup, std::string* speaker) {
  std::string text;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '{') {
      size_t close = raw.find('}', i);
      if (close != std::string_view::npos && (markup == Markup::kAss || raw.substr(i, 2) == "{\\")) {
        i = close;
        continue;
      }
    }
    if (c == '<' && markup != Markup::kAss && i + 1 < raw.size()) {
      char next = raw[i + 1];
      size_t close = raw.find('>', i);
      size_t newline = raw.find('\n', i);
      if (close != std::string_view::npos && close < newline &&
          (std::isalpha(static_cast<unsigned char>(next)) != 0 || next == '/' ||
           std::isdigit(static_cast<unsigned char>(next)) != 0)) {
        std::string_view tag = raw.substr(i + 1, close - i - 1);
        if (markup == Markup::kWebVtt && speaker != nullptr && speaker->empty() &&
            (tag.substr(0, 2) == "v " || tag.substr(0, 2) == "v.")) {
          size_t space = tag.find(' ');
          if (space != std::string_view::npos) *speaker = std::string(Trim(tag.substr(space)));
        }
        i = close;
        continue;
      }
    }
    if (markup == Markup::kAss && c == '\\' && i + 1 < raw.size()) {
      char next = raw[i + 1];
      if (next == 'N' || next == 'n') {
        text.push_back('\n');
        ++i;
        continue;
      }
      if (next == 'h') {
        text.push_back(' ');
        ++i;
        continue;
      }
    }
    text.push_back(c);
  }
  std::string decoded;
  if (markup == Markup::kAss) {
    decoded = std::move(text);
  } else {
    AppendEntityDecoded(text, &decoded);
  }
  std::string out;
  size_t start = 0;
  while (start <= decoded.size()) {
    size_t nl = decoded.find('\n', start);
    if (nl == std::string::npos) nl = decoded.size();
    std::string_view line = Trim(std::string_view(decoded).substr(start, nl - start));
    if (!line.empty()) {
      if (!out.empty()) out.push_back('\n');
      out.append(line);
    }
    start = nl + 1;
  }
  return out;
}

bool AllDigits(std::string_view s) {
  s = Trim(s);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

void SortCues(std::vector<Cue>* cues) {
  std::stable_sort(cues->begin(), cues->end(),
                   [](const Cue& a, const Cue& b) { return a.start < b.start; });
}

std::string Clock(const MediaTime& t, char fraction_separator, bool centiseconds) {
  int64_t ms = std::max<int64_t>(0, t.Rescale(kMillis));
  int64_t h = ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, f = ms % 1000;
  char buf[48];
  if (centiseconds) {
    std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld.%02lld", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s),
                  static_cast<long long>((f + 5) / 10 > 99 ? 99 : (f + 5) / 10));
  } else {
    std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld%c%03lld", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s), fraction_separator,
                  static_cast<long long>(f));
  }
  return buf;
}

}  // namespace

std::string_view SubtitleFormatName(SubtitleFormat format) {
  switch (format) {
    case SubtitleFormat::kSrt: return "srt";
    case SubtitleFormat::kWebVtt: return "webvtt";
    case SubtitleFormat::kAss: return "ass";
    case SubtitleFormat::kInvalid: break;
  }
  return "invalid";
}

SubtitleFormat DetectSubtitleFormat(std::string_view content, std::string_view path_hint) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  std::string_view head = Trim(content.substr(0, 4096));
  if (head.substr(0, 6) == "WEBVTT") return SubtitleFormat::kWebVtt;
  if (StartsWithNoCase(head, "[script info]") || head.find("[Events]") != std::string_view::npos) {
    return SubtitleFormat::kAss;
  }
  if (head.find("-->") != std::string_view::npos) return SubtitleFormat::kSrt;
  std::string ext(path_hint.substr(path_hint.find_last_of('.') == std::string_view::npos
                                       ? path_hint.size()
                                       : path_hint.find_last_of('.')));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".srt") return SubtitleFormat::kSrt;
  if (ext == ".vtt") return SubtitleFormat::kWebVtt;
  if (ext == ".ass" || ext == ".ssa") return SubtitleFormat::kAss;
  return SubtitleFormat::kInvalid;
}

Result<std::vector<Cue>> ParseSrt(std::string_view content) {
  std::string normalized;
  const std::vector<Line> lines = SplitLines(content, &normalized);
  std::vector<Cue> cues;
  size_t i = 0;
  while (i < lines.size()) {
    if (IsBlank(lines[i].text)) {
      ++i;
      continue;
    }
    size_t block_end = i;
    while (block_end < lines.size() && !IsBlank(lines[block_end].text)) ++block_end;
    size_t timing = i;
    if (lines[i].text.find("-->") == std::string_view::npos) {
      if (AllDigits(lines[i].text) && i + 1 < block_end) {
        timing = i + 1;  // "12" then the time line
      } else if (!AllDigits(lines[i].text) && !cues.empty()) {
        // A blank line inside a cue's text (seen in real files): the block continues the cue.
        for (size_t j = i; j < block_end; ++j) {
          cues.back().text += (cues.back().text.empty() ? "" : "\n") +
                              PlainText(lines[j].text, Markup::kSrt, nullptr);
        }
        i = block_end;
        continue;
      }
    }
    Cue cue;
    CR_RETURN_IF_ERROR(ParseTimingLine(lines[timing], &cue));
    std::string raw;
    for (size_t j = timing + 1; j < block_end; ++j) {
      if (!raw.empty()) raw.push_back('\n');
      raw.append(lines[j].text);
    }
    cue.text = PlainText(raw, Markup::kSrt, nullptr);
    cues.push_back(std::move(cue));
    i = block_end;
  }
  SortCues(&cues);
  return cues;
}

Result<std::vector<Cue>> ParseWebVtt(std::string_view content) {
  std::string normalized;
  const std::vector<Line> lines = SplitLines(content, &normalized);
  if (lines.empty() || lines[0].text.substr(0, 6) != "WEBVTT" ||
      (lines[0].text.size() > 6 && lines[0].text[6] != ' ' && lines[0].text[6] != '\t')) {
    return InvalidArgumentError("line 1: a WebVTT file must start with \"WEBVTT\"");
  }
  std::vector<Cue> cues;
  size_t i = 1;
  while (i < lines.size() && !IsBlank(lines[i].text)) ++i;  // header metadata
  while (i < lines.size()) {
    if (IsBlank(lines[i].text)) {
      ++i;
      continue;
    }
    size_t block_end = i;
    while (block_end < lines.size() && !IsBlank(lines[block_end].text)) ++block_end;
    std::string_view first = lines[i].text;
    const bool is_comment_or_header =
        (first.substr(0, 4) == "NOTE" || first.substr(0, 5) == "STYLE" ||
         first.substr(0, 6) == "REGION") &&
        first.find("-->") == std::string_view::npos;
    if (is_comment_or_header) {
      i = block_end;
      continue;
    }
    size_t timing = i;
    if (first.find("-->") == std::string_view::npos && i + 1 < block_end) timing = i + 1;  // id
    Cue cue;
    CR_RETURN_IF_ERROR(ParseTimingLine(lines[timing], &cue));
    std::string raw;
    for (size_t j = timing + 1; j < block_end; ++j) {
      if (!raw.empty()) raw.push_back('\n');
      raw.append(lines[j].text);
    }
    cue.text = PlainText(raw, Markup::kWebVtt, &cue.speaker);
    cues.push_back(std::move(cue));
    i = block_end;
  }
  SortCues(&cues);
  return cues;
}

Result<std::vector<Cue>> ParseAss(std::string_view content) {
  std::string normalized;
  const std::vector<Line> lines = SplitLines(content, &normalized);
  std::vector<std::string> format = {"layer", "start", "end",     "style", "name",
                                     "marginl", "marginr", "marginv", "effect", "text"};
  bool in_events = false;
  std::vector<Cue> cues;
  for (const Line& line : lines) {
    std::string_view text = Trim(line.text);
    if (!text.empty() && text.front() == '[') {
      in_events = StartsWithNoCase(text, "[events]");
      continue;
    }
    if (!in_events) continue;
    if (StartsWithNoCase(text, "format:")) {
      format.clear();
      std::string_view rest = text.substr(7);
      while (true) {
        size_t comma = rest.find(',');
        std::string name(Trim(rest.substr(0, comma)));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        format.push_back(name);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      if (format.empty() || format.back() != "text") {
        return InvalidArgumentError("line " + std::to_string(line.number) +
                                    ": the [Events] Format line must end with Text");
      }
      continue;
    }
    if (!StartsWithNoCase(text, "dialogue:")) continue;  // Comment:, Picture:, ...
    std::string_view rest = line.text.substr(line.text.find(':') + 1);
    std::vector<std::string_view> fields;
    for (size_t f = 0; f + 1 < format.size(); ++f) {
      size_t comma = rest.find(',');
      if (comma == std::string_view::npos) {
        return InvalidArgumentError("line " + std::to_string(line.number) + ": expected " +
                                    std::to_string(format.size()) + " fields in a Dialogue line");
      }
      fields.push_back(Trim(rest.substr(0, comma)));
      rest.remove_prefix(comma + 1);
    }
    fields.push_back(rest);
    auto field = [&](std::string_view name) -> std::string_view {
      for (size_t f = 0; f < format.size(); ++f) {
        if (format[f] == name) return fields[f];
      }
      return {};
    };
    std::optional<int64_t> start = ParseClock(field("start"));
    std::optional<int64_t> end = ParseClock(field("end"));
    if (!start || !end || *end < *start) {
      return InvalidArgumentError("line " + std::to_string(line.number) +
                                  ": cannot read the Dialogue start/end times");
    }
    Cue cue;
    cue.start = MediaTime(*start, kMillis);
    cue.end = MediaTime(*end, kMillis);
    cue.speaker = std::string(field("name"));
    cue.text = PlainText(field("text"), Markup::kAss, nullptr);
    if (cue.text.empty()) continue;  // drawing commands or pure effects
    cues.push_back(std::move(cue));
  }
  SortCues(&cues);
  return cues;
}

Result<std::vector<Cue>> ParseSubtitles(std::string_view content, SubtitleFormat format) {
  switch (format) {
    case SubtitleFormat::kSrt: return ParseSrt(content);
    case SubtitleFormat::kWebVtt: return ParseWebVtt(content);
    case SubtitleFormat::kAss: return ParseAss(content);
    case SubtitleFormat::kInvalid: break;
  }
  return InvalidArgumentError("not a subtitle format this reader knows (SRT, WebVTT, ASS)");
}

Result<std::vector<Cue>> ReadSubtitleFile(const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string content, ReadSmallFile(path));
  if (IsBlank(content)) return std::vector<Cue>();
  SubtitleFormat format = DetectSubtitleFormat(content, path);
  if (format == SubtitleFormat::kInvalid) {
    return InvalidArgumentError(path + ": not a subtitle file (SRT, WebVTT or ASS)");
  }
  Result<std::vector<Cue>> cues = ParseSubtitles(content, format);
  if (!cues.ok()) return cues.status().WithContext(path);
  return cues;
}

std::string WriteSrt(const std::vector<Cue>& cues) {
  std::string out;
  int index = 1;
  for (const Cue& cue : cues) {
    out += std::to_string(index++) + "\n" + Clock(cue.start, ',', false) + " --> " +
           Clock(cue.end, ',', false) + "\n" + cue.text + "\n\n";
  }
  return out;
}

std::string WriteWebVtt(const std::vector<Cue>& cues) {
  std::string out = "WEBVTT\n\n";
  for (const Cue& cue : cues) {
    std::string text;
    for (char c : cue.text) {
      if (c == '&') {
        text += "&amp;";
      } else if (c == '<') {
        text += "&lt;";
      } else if (c == '>') {
        text += "&gt;";
      } else {
        text.push_back(c);
      }
    }
    if (!cue.speaker.empty()) text = "<v " + cue.speaker + ">" + text;
    out += Clock(cue.start, '.', false) + " --> " + Clock(cue.end, '.', false) + "\n" + text +
           "\n\n";
  }
  return out;
}

std::string WriteAss(const std::vector<Cue>& cues) {
  std::string out =
      "[Script Info]\nScriptType: v4.00+\nPlayResX: 1920\nPlayResY: 1080\nWrapStyle: 0\n\n"
      "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
      "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, "
      "Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
      "Style: Default,DejaVu Sans,64,&H00FFFFFF,&H000000FF,&H00000000,&H80000000,0,0,0,0,100,"
      "100,0,0,1,3,1,2,60,60,60,1\n\n"
      "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
  for (const Cue& cue : cues) {
    std::string text;
    for (char c : cue.text) {
      if (c == '\n') {
        text += "\\N";
      } else if (c == '{') {
        text += '(';  // ASS has no escape for braces; they would start an override block
      } else if (c == '}') {
        text += ')';
      } else {
        text.push_back(c);
      }
    }
    std::string name = cue.speaker;
    std::replace(name.begin(), name.end(), ',', ' ');
    out += "Dialogue: 0," + Clock(cue.start, '.', true) + "," + Clock(cue.end, '.', true) +
           ",Default," + name + ",0,0,0,," + text + "\n";
  }
  return out;
}

std::vector<Cue> CuesFromTranscript(const Transcript& transcript, const CueOptions& options) {
  std::vector<Cue> cues;
  const size_t max_chars =
      static_cast<size_t>(std::max(1, options.max_chars_per_line * options.max_lines));
  auto emit = [&](const std::vector<const Word*>& words) {
    if (words.empty()) return;
    Cue cue;
    cue.start = words.front()->start;
    cue.end = words.back()->end;
    cue.speaker = words.front()->speaker;
    std::string text;
    for (const Word* w : words) text += (text.empty() ? "" : " ") + w->text;
    if (text.size() > static_cast<size_t>(options.max_chars_per_line) && options.max_lines > 1) {
      // Break at the space nearest the middle.
      size_t best = std::string::npos;
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != ' ') continue;
        auto distance = [&](size_t p) { return p > text.size() / 2 ? p - text.size() / 2 : text.size() / 2 - p; };
        if (best == std::string::npos || distance(i) < distance(best)) best = i;
      }
      if (best != std::string::npos) text[best] = '\n';
    }
    cue.text = std::move(text);
    cues.push_back(std::move(cue));
  };
  const std::vector<Sentence> sentences = transcript.sentences.empty()
                                              ? DeriveSentences(transcript.words)
                                              : transcript.sentences;
  for (const Sentence& sentence : sentences) {
    std::vector<const Word*> current;
    size_t chars = 0;
    for (int i = sentence.first_word; i < sentence.first_word + sentence.word_count; ++i) {
      if (i < 0 || static_cast<size_t>(i) >= transcript.words.size()) break;
      const Word& w = transcript.words[static_cast<size_t>(i)];
      const size_t added = w.text.size() + (current.empty() ? 0 : 1);
      if (!current.empty() &&
          (chars + added > max_chars || w.end - current.front()->start > options.max_duration)) {
        emit(current);
        current.clear();
        chars = 0;
      }
      chars += w.text.size() + (current.empty() ? 0 : 1);
      current.push_back(&w);
    }
    emit(current);
  }
  return cues;
}

Transcript TranscriptFromCues(const std::vector<Cue>& cues, const std::string& language) {
  Transcript transcript;
  transcript.language = language;
  transcript.source = TranscriptSource::kSubtitles;
  for (const Cue& cue : cues) {
    std::vector<std::string> words = SplitWords(cue.text);
    if (words.empty()) continue;
    size_t total = 0;
    for (const std::string& w : words) total += w.size() + 1;
    const int64_t start_ms = cue.start.Rescale(kMillis);
    const int64_t span_ms = std::max<int64_t>(cue.end.Rescale(kMillis) - start_ms,
                                              static_cast<int64_t>(words.size()));
    size_t before = 0;
    for (std::string& w : words) {
      const size_t weight = w.size() + 1;
      Word word;
      word.start = MediaTime(start_ms + span_ms * static_cast<int64_t>(before) /
                                            static_cast<int64_t>(total), kMillis);
      before += weight;
      word.end = MediaTime(start_ms + span_ms * static_cast<int64_t>(before) /
                                          static_cast<int64_t>(total), kMillis);
      word.text = std::move(w);
      word.confidence = 0.5f;
      word.speaker = cue.speaker;
      transcript.words.push_back(std::move(word));
    }
  }
  NormalizeTranscript(&transcript);
  return transcript;
}

}  // namespace cutroom::speech
