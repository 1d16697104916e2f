#include "compose/script.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <utility>

#include "compose/script_text.h"

namespace cutroom::compose {
namespace {

enum class Tag {
  kInvalid = 0,
  kTitle,
  kAltTitle,
  kDescription,
  kTags,
  kThumbnail,
  kNarration,
  kSlide,
  kImage,
  kBroll,
  kMusic,
  kLength,
};

struct TagInfo {
  Tag tag;
  std::string_view name;
  bool at_most_once;
};

constexpr std::array<TagInfo, 11> kTagInfos = {{
    {Tag::kTitle, "title", true},
    {Tag::kAltTitle, "alt_title", true},
    {Tag::kDescription, "description", true},
    {Tag::kTags, "tags", false},
    {Tag::kThumbnail, "thumbnail", true},
    {Tag::kNarration, "narration", false},
    {Tag::kSlide, "slide", false},
    {Tag::kImage, "image", false},
    {Tag::kBroll, "broll", false},
    {Tag::kMusic, "music", true},
    {Tag::kLength, "length", true},
}};

const TagInfo* FindTag(std::string_view lower_name) {
  for (const TagInfo& info : kTagInfos) {
    if (info.name == lower_name) return &info;
  }
  return nullptr;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// What a "[" starts.
struct Bracket {
  enum Kind { kText = 0, kTag, kSpacedTag };
  Kind kind = kText;  // kTag: "[name]"/"[/name]"; kSpacedTag: a known tag with whitespace inside
  bool closing = false;
  std::string name;               // lowercased
  const TagInfo* info = nullptr;  // nullptr for an unknown name
  size_t length = 0;              // bytes, "[" to "]"
};

// REQUIRES: text[i] == '['.
Bracket LexBracket(std::string_view text, size_t i) {
  Bracket b;
  size_t j = i + 1;
  b.closing = j < text.size() && text[j] == '/';
  if (b.closing) ++j;
  size_t start = j;
  while (j < text.size() && IsNameChar(text[j])) ++j;
  if (j > start && j < text.size() && text[j] == ']') {
    b.kind = Bracket::kTag;
    b.name = Lower(text.substr(start, j - start));
    b.info = FindTag(b.name);
    b.length = j + 1 - i;
    return b;
  }
  // "[ slide ]", "[/ narration]": a known tag written with spaces or tabs inside the brackets.
  auto skip_blanks = [&](size_t k) {
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
    return k;
  };
  j = skip_blanks(i + 1);
  bool closing = j < text.size() && text[j] == '/';
  if (closing) j = skip_blanks(j + 1);
  start = j;
  while (j < text.size() && IsNameChar(text[j])) ++j;
  size_t name_end = j;
  j = skip_blanks(j);
  if (name_end > start && j < text.size() && text[j] == ']') {
    const TagInfo* info = FindTag(Lower(text.substr(start, name_end - start)));
    if (info != nullptr) {
      b.kind = Bracket::kSpacedTag;
      b.closing = closing;
      b.name = std::string(info->name);
      b.info = info;
      b.length = j + 1 - i;
    }
  }
  return b;
}

std::string TagText(std::string_view name, bool closing = false) {
  return std::string(closing ? "[/" : "[") + std::string(name) + "]";
}

std::string Snippet(std::string_view text, size_t max_code_points) {
  size_t end = 0;
  size_t points = 0;
  while (end < text.size() && text[end] != '\n' && text[end] != '\r' && points < max_code_points) {
    DecodedCodePoint d = DecodeUtf8(text, end);
    end += d.length > 0 ? d.length : 1;
    ++points;
  }
  std::string out(text.substr(0, end));
  if (end < text.size() && text[end] != '\n' && text[end] != '\r') out += "...";
  return out;
}

// Validates UTF-8 and control characters; returns the error message or nullopt.
std::optional<std::string> CheckEncoding(std::string_view text) {
  int line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    DecodedCodePoint d = DecodeUtf8(text, i);
    auto where = [&] {
      return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
    };
    if (d.length == 0) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "0x%02X", static_cast<unsigned char>(text[i]));
      return where() + "invalid UTF-8 (byte " + hex + "); save the script as UTF-8";
    }
    char32_t cp = d.code_point;
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F) {
      char code[16];
      std::snprintf(code, sizeof(code), "U+%04X", static_cast<unsigned>(cp));
      return where() + "control character " + code + " is not allowed";
    }
    if (cp == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += d.length;
  }
  return std::nullopt;
}

class Parser {
 public:
  // REQUIRES: valid UTF-8 with "\n" line ends (see ParseScript).
  explicit Parser(std::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  Result<Script> Run() {
    size_t i = 0;
    while (i < text_.size()) {
      if (int w = WhitespaceLength(text_, i)) {
        i += w;
        continue;
      }
      if (text_[i] != '[') return OutsideText(i);
      Bracket open = LexBracket(text_, i);
      if (open.kind == Bracket::kText) return OutsideText(i);
      if (open.kind == Bracket::kSpacedTag) return SpacedTag(i, open);
      if (open.info == nullptr) {
        std::string known;
        for (const TagInfo& info : kTagInfos) {
          known += (known.empty() ? "" : ", ") + TagText(info.name);
        }
        return ErrorAt(
            i, "unknown tag " + TagText(open.name, open.closing) + "; the tags are " + known);
      }
      if (open.closing) {
        return ErrorAt(i, TagText(open.name, true) + " closes nothing: no tag is open");
      }
      size_t body_begin = i + open.length;
      CR_ASSIGN_OR_RETURN(size_t body_end, FindClosingTag(open, i, body_begin));
      CR_RETURN_IF_ERROR(Handle(*open.info, i, body_begin, body_end));
      i = body_end + TagText(open.name, true).size();
    }
    if (script_.sentences.empty()) {
      return ErrorAt(text_.size(),
                     "the script has no narration: add a [narration] block with the text to read");
    }
    return std::move(script_);
  }

 private:
  // The offset of the "[/name]" that closes `open` (opened at open_offset), scanning its body
  // from body_begin. Brackets that form no tag of the list are body text.
  Result<size_t> FindClosingTag(const Bracket& open, size_t open_offset, size_t body_begin) const {
    for (size_t k = body_begin; (k = text_.find('[', k)) != std::string_view::npos; ++k) {
      Bracket b = LexBracket(text_, k);
      if (b.kind == Bracket::kSpacedTag) return SpacedTag(k, b);
      if (b.kind == Bracket::kText || b.info == nullptr) continue;  // "[x]", "[1]", a link
      if (b.closing && b.info == open.info) return k;
      std::string opened = TagText(open.name) + " opened at " + PositionText(open_offset);
      if (b.closing) {
        return ErrorAt(k, "closing tag " + TagText(b.name, true) + " does not match " + opened);
      }
      return ErrorAt(k, "tag " + TagText(b.name) + " inside " + opened +
                            ": tags cannot be nested; close " + TagText(open.name, true) +
                            " first");
    }
    return ErrorAt(open_offset, TagText(open.name) + " is never closed: expected " +
                                    TagText(open.name, true) + " before the end of the script");
  }

  ScriptPosition PositionAt(size_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    size_t line = static_cast<size_t>(it - line_starts_.begin()) - 1;
    size_t from = line_starts_[line];
    int column = 1;
    // Sentences are located in order; counting on from the last position keeps a long line linear.
    if (last_offset_ >= from && last_offset_ <= offset) {
      from = last_offset_;
      column = last_column_;
    }
    column += CountCodePoints(text_.substr(from, offset - from));
    last_offset_ = offset;
    last_column_ = column;
    return {static_cast<int>(line) + 1, column};
  }

  std::string PositionText(size_t offset) const {
    ScriptPosition p = PositionAt(offset);
    return "line " + std::to_string(p.line) + ", column " + std::to_string(p.column);
  }

  Status ErrorAt(size_t offset, const std::string& message) const {
    return InvalidArgumentError(PositionText(offset) + ": " + message);
  }

  Status OutsideText(size_t offset) const {
    return ErrorAt(offset, "text outside tags: \"" + Snippet(text_.substr(offset), 24) +
                               "\"; only whitespace may appear between tags");
  }

  Status SpacedTag(size_t offset, const Bracket& b) const {
    return ErrorAt(offset, "whitespace inside the brackets of " + TagText(b.name, b.closing) +
                               " is not allowed");
  }

  // Offset of the first non-whitespace byte of [begin, end), or begin when there is none.
  size_t FirstTextOffset(size_t begin, size_t end) const {
    size_t k = begin;
    while (k < end) {
      int w = WhitespaceLength(text_, k);
      if (w == 0) return k;
      k += w;
    }
    return begin;
  }

  Status Handle(const TagInfo& info, size_t tag_offset, size_t begin, size_t end) {
    std::string_view body = text_.substr(begin, end - begin);
    if (TrimWhitespace(body).empty()) return ErrorAt(tag_offset, TagText(info.name) + " is empty");
    size_t index = static_cast<size_t>(info.tag);
    if (info.at_most_once) {
      if (first_seen_[index]) {
        return ErrorAt(tag_offset, "a second " + TagText(info.name) + "; the first is at " +
                                       PositionText(*first_seen_[index]));
      }
      first_seen_[index] = tag_offset;
    }
    switch (info.tag) {
      case Tag::kTitle:
        script_.title = CollapseWhitespace(body);
        return Status::Ok();
      case Tag::kAltTitle:
        script_.alt_title = CollapseWhitespace(body);
        return Status::Ok();
      case Tag::kDescription:
        script_.description = TrimBlock(body);
        return Status::Ok();
      case Tag::kThumbnail:
        script_.thumbnail_text = TrimBlock(body);
        return Status::Ok();
      case Tag::kMusic:
        script_.music_path = CollapseWhitespace(body);
        return Status::Ok();
      case Tag::kTags:
        AddTags(body);
        return Status::Ok();
      case Tag::kLength:
        return HandleLength(begin, end);
      case Tag::kNarration:
        HandleNarration(begin, end);
        return Status::Ok();
      case Tag::kSlide:
        return HandleSlide(tag_offset, begin, end);
      case Tag::kImage:
        AddVisual(VisualKind::kImage, tag_offset, CollapseWhitespace(body));
        return Status::Ok();
      case Tag::kBroll:
        return HandleBroll(tag_offset, begin, end);
      case Tag::kInvalid:
        break;
    }
    return InternalError("unhandled script tag " + std::string(info.name));
  }

  void AddTags(std::string_view body) {
    size_t pos = 0;
    while (pos <= body.size()) {
      size_t sep = body.find_first_of(",\n", pos);
      if (sep == std::string_view::npos) sep = body.size();
      std::string tag = CollapseWhitespace(body.substr(pos, sep - pos));
      if (!tag.empty() &&
          std::find(script_.tags.begin(), script_.tags.end(), tag) == script_.tags.end()) {
        script_.tags.push_back(std::move(tag));
      }
      pos = sep + 1;
    }
  }

  Status HandleLength(size_t begin, size_t end) {
    std::string_view body = text_.substr(begin, end - begin);
    std::optional<double> seconds = ParseDurationSeconds(body);
    if (!seconds || *seconds <= 0) {
      return ErrorAt(FirstTextOffset(begin, end),
                     "bad [length] \"" + Snippet(TrimWhitespace(body), 24) +
                         "\": expected a positive duration such as 60s, 1m30s, 90 or 1:30");
    }
    script_.length_s = *seconds;
    return Status::Ok();
  }

  // Paragraphs are runs of non-blank lines; each block starts a new one.
  void HandleNarration(size_t begin, size_t end) {
    size_t paragraph_begin = std::string_view::npos;
    auto finish = [&](size_t paragraph_end) {
      if (paragraph_begin == std::string_view::npos) return;
      std::string_view text = text_.substr(paragraph_begin, paragraph_end - paragraph_begin);
      int paragraph = paragraphs_++;
      for (SentenceSpan& s : SplitSentences(text)) {
        script_.sentences.push_back(
            {std::move(s.text), paragraph, PositionAt(paragraph_begin + s.offset)});
      }
      paragraph_begin = std::string_view::npos;
    };
    for (size_t line = begin; line < end;) {
      size_t nl = std::min(text_.find('\n', line), end);
      bool blank = TrimWhitespace(text_.substr(line, nl - line)).empty();
      if (blank) {
        finish(line);
      } else if (paragraph_begin == std::string_view::npos) {
        paragraph_begin = line;
      }
      line = nl + 1;
    }
    finish(end);
  }

  Status HandleSlide(size_t tag_offset, size_t begin, size_t end) {
    for (size_t line = begin; line < end;) {
      size_t nl = std::min(text_.find('\n', line), end);
      if (TrimWhitespace(text_.substr(line, nl - line)) == "---") {
        return ErrorAt(FirstTextOffset(line, nl),
                       "a line \"---\" inside [slide] is reserved as the slide separator of "
                       "slides.txt; use *** for a rule or \"## \" for a heading");
      }
      line = nl + 1;
    }
    Visual& slide =
        AddVisual(VisualKind::kSlide, tag_offset, TrimBlock(text_.substr(begin, end - begin)));
    slide.heading = FirstHeading(slide.body);
    if (!slide.heading.empty()) script_.sections.push_back(slide.heading);
    return Status::Ok();
  }

  // "path", or "path in-out" where the last word is made only of digits, ".", ":", "h", "m",
  // "s" and one "-" (so "clip-2024-01.mp4" stays a path).
  Status HandleBroll(size_t tag_offset, size_t begin, size_t end) {
    std::string body = CollapseWhitespace(text_.substr(begin, end - begin));
    double in_s = -1, out_s = -1;
    size_t space = body.rfind(' ');
    std::string_view last =
        std::string_view(body).substr(space == std::string::npos ? 0 : space + 1);
    bool looks_like_range =
        last.find('-') != std::string_view::npos &&
        last.find_first_not_of("0123456789.:hmsHMS-") == std::string_view::npos &&
        last.front() >= '0' && last.front() <= '9';
    if (looks_like_range) {
      size_t at = FirstTextOffset(begin, end);
      if (space == std::string::npos) {
        return ErrorAt(
            at, "[broll] names no video file before the range \"" + std::string(last) + "\"");
      }
      size_t dash = last.find('-');
      std::optional<double> in = ParseDurationSeconds(last.substr(0, dash));
      std::optional<double> out = ParseDurationSeconds(last.substr(dash + 1));
      if (!in || !out || *in >= *out) {
        return ErrorAt(at, "bad [broll] range \"" + std::string(last) +
                               "\": expected in-out seconds with in < out, such as 3.5-8");
      }
      in_s = *in;
      out_s = *out;
      body.resize(space);
    }
    Visual& broll = AddVisual(VisualKind::kBroll, tag_offset, std::move(body));
    broll.broll_in_s = in_s;
    broll.broll_out_s = out_s;
    return Status::Ok();
  }

  Visual& AddVisual(VisualKind kind, size_t tag_offset, std::string body) {
    Visual v;
    v.kind = kind;
    v.body = std::move(body);
    v.at = PositionAt(tag_offset);
    v.from_sentence = static_cast<int>(script_.sentences.size());
    script_.visuals.push_back(std::move(v));
    return script_.visuals.back();
  }

  static std::string FirstHeading(std::string_view markdown) {
    for (size_t pos = 0; pos <= markdown.size();) {
      size_t nl = std::min(markdown.find('\n', pos), markdown.size());
      std::string_view line = markdown.substr(pos, nl - pos);
      pos = nl + 1;
      size_t indent = line.find_first_not_of(' ');
      if (indent == std::string_view::npos || indent > 3) continue;
      line.remove_prefix(indent);
      size_t hashes = line.find_first_not_of('#');
      if (hashes == std::string_view::npos) hashes = line.size();
      if (hashes == 0 || hashes > 6) continue;
      if (hashes < line.size() && line[hashes] != ' ' && line[hashes] != '\t') continue;
      std::string_view text = TrimWhitespace(line.substr(hashes));
      // A closing sequence of hashes ("## Title ##") is not part of the heading.
      size_t closing = text.find_last_not_of('#');
      if (closing != std::string_view::npos && closing + 1 < text.size() &&
          (text[closing] == ' ' || text[closing] == '\t')) {
        text = TrimWhitespace(text.substr(0, closing));
      }
      std::string heading;
      for (size_t k = 0; k < text.size(); ++k) {
        if (text[k] == '`') continue;
        if ((text[k] == '*' || text[k] == '_') && k + 1 < text.size() && text[k + 1] == text[k]) {
          ++k;
          continue;
        }
        heading += text[k];
      }
      std::string collapsed = CollapseWhitespace(heading);
      if (!collapsed.empty()) return collapsed;
    }
    return "";
  }

  std::string_view text_;
  std::vector<size_t> line_starts_;
  Script script_;
  int paragraphs_ = 0;
  mutable size_t last_offset_ = 0;  // PositionAt's last answer: its offset and column
  mutable int last_column_ = 1;
  std::array<std::optional<size_t>, 16> first_seen_;  // by Tag: offset of its first occurrence
};

}  // namespace

std::string_view VisualKindName(VisualKind kind) {
  switch (kind) {
    case VisualKind::kSlide:
      return "slide";
    case VisualKind::kImage:
      return "image";
    case VisualKind::kBroll:
      return "broll";
    case VisualKind::kInvalid:
      break;
  }
  return "invalid";
}

Result<Script> ParseScript(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (std::optional<std::string> error = CheckEncoding(text)) {
    return InvalidArgumentError(*error);
  }
  // "\r\n" -> "\n". The removed CRs end lines, so positions of every other character keep their
  // line and column.
  std::string normalized;
  normalized.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    normalized += text[i];
  }
  return Parser(normalized).Run();
}

SentenceRange VisualSentences(const Script& script, int index) {
  int count = static_cast<int>(script.sentences.size());
  SentenceRange range;
  range.begin = std::min(script.visuals[index].from_sentence, count);
  range.end = index + 1 < static_cast<int>(script.visuals.size())
                  ? std::min(script.visuals[index + 1].from_sentence, count)
                  : count;
  return range;
}

}  // namespace cutroom::compose
