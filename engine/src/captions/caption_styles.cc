#include "captions/caption_styles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <utility>

namespace cutroom::captions {
namespace {

using timeline::CaptionPosition;
using timeline::CaptionTrack;
using timeline::CaptionWord;

// A pause this long ends a group: the speaker has stopped, so should the caption.
const MediaTime kGroupBreakPause(7, {1, 10});
// Gaps shorter than this between groups are bridged; blanking the screen for a few frames reads
// as flicker.
const MediaTime kFlickerGap(3, {1, 10});
// `minimal` is sentence-style: it shows longer lines than the word-by-word styles.
constexpr int kMinimalMinWords = 8;

enum class Style { kInvalid = 0, kHighlightWord, kKaraoke, kPopIn, kBounce, kBoxedWord, kMinimal };

Style ParseStyle(std::string_view name) {
  if (name == "highlight_word") return Style::kHighlightWord;
  if (name == "karaoke") return Style::kKaraoke;
  if (name == "pop_in") return Style::kPopIn;
  if (name == "bounce") return Style::kBounce;
  if (name == "boxed_word") return Style::kBoxedWord;
  if (name == "minimal") return Style::kMinimal;
  return Style::kInvalid;
}

struct Rgb {
  int r = 0, g = 0, b = 0;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Rgb> ParseColour(const std::string& text, std::string_view field) {
  bool ok = text.size() == 7 && text[0] == '#';
  for (size_t i = 1; ok && i < 7; ++i) ok = HexDigit(text[i]) >= 0;
  if (!ok) {
    return InvalidArgumentError(std::string(field) + ": expected a colour \"#RRGGBB\", got \"" +
                                text + "\"");
  }
  auto byte = [&](size_t i) { return HexDigit(text[i]) * 16 + HexDigit(text[i + 1]); };
  return Rgb{byte(1), byte(3), byte(5)};
}

// ASS stores colours as BGR; alpha is transparency (00 = opaque).
std::string StyleColour(Rgb c, int alpha) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "&H%02X%02X%02X%02X", alpha, c.b, c.g, c.r);
  return buf;
}

std::string OverrideColour(Rgb c) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "&H%02X%02X%02X&", c.b, c.g, c.r);
  return buf;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Sentence punctuation may be followed by closing quotes or brackets: `"Stop!"` ends a sentence.
bool EndsSentence(std::string_view word) {
  // Closers: " ' ) ] and the typographic ” ’ ». Enders: . ! ? … and the full-width 。！？.
  static constexpr std::string_view kClosers[] = {
      "\"", "'", ")", "]", "\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB"};
  static constexpr std::string_view kEnders[] = {
      ".", "!", "?", "\xE2\x80\xA6", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"};
  for (bool stripped = true; stripped && !word.empty();) {
    stripped = false;
    for (std::string_view closer : kClosers) {
      if (EndsWith(word, closer)) {
        word.remove_suffix(closer.size());
        stripped = true;
      }
    }
  }
  for (std::string_view ender : kEnders) {
    if (EndsWith(word, ender)) return true;
  }
  return false;
}

std::vector<WordGroup> GroupWordsUpTo(const CaptionTrack& track, size_t max_words) {
  const std::vector<CaptionWord>& words = track.words;
  std::vector<WordGroup> groups;
  max_words = std::max<size_t>(max_words, 1);
  size_t run_first = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    bool last = i + 1 == words.size();
    bool run_ends =
        last || EndsSentence(words[i].text) || words[i + 1].start - words[i].end > kGroupBreakPause;
    if (!run_ends) continue;
    // Balance the run's groups (4 words at max 3 give 2+2, not 3+1): a lone trailing word on
    // screen looks like a mistake.
    size_t n = i + 1 - run_first;
    size_t k = (n + max_words - 1) / max_words;
    size_t base = n / k, extra = n % k;
    size_t first = run_first;
    for (size_t g = 0; g < k; ++g) {
      size_t count = base + (g < extra ? 1 : 0);
      WordGroup group;
      group.first = first;
      group.count = count;
      group.start = words[first].start;
      group.end = words[first + count - 1].end;
      groups.push_back(group);
      first += count;
    }
    run_first = i + 1;
  }
  for (size_t g = 0; g + 1 < groups.size(); ++g) {
    const MediaTime& next_start = groups[g + 1].start;
    if (next_start - groups[g].end < kFlickerGap && next_start >= groups[g].start) {
      groups[g].end = next_start;
    }
  }
  return groups;
}

// Rounded up so that no caption appears before its word is spoken.
int64_t Centiseconds(const MediaTime& t) {
  return std::max<int64_t>(0, t.Rescale({1, 100}, Rounding::kUp));
}

std::string FormatTime(int64_t cs) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld.%02lld", static_cast<long long>(cs / 360000),
                static_cast<long long>(cs / 6000 % 60), static_cast<long long>(cs / 100 % 60),
                static_cast<long long>(cs % 100));
  return buf;
}

// ASCII and Latin-1 letters; other scripts are left as they are.
std::string ToUpperUtf8(std::string_view text) {
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    if (c >= 'a' && c <= 'z') {
      out[i] = static_cast<char>(c - 'a' + 'A');
    } else if (c == 0xC3 && i + 1 < out.size()) {
      unsigned char d = static_cast<unsigned char>(out[i + 1]);
      // U+00E0..U+00FE map to U+00C0..U+00DE, except U+00F7 (division sign).
      if (d >= 0xA0 && d <= 0xBE && d != 0xB7) out[i + 1] = static_cast<char>(d - 0x20);
      ++i;
    }
  }
  return out;
}

// Braces would open override blocks and a backslash could form \N or \h; a line break would end
// the Dialogue line. A word joiner after a backslash keeps it literal without a visible change.
std::string EscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '{':
        out += "\\{";
        break;
      case '}':
        out += "\\}";
        break;
      case '\\':
        out += "\\\xE2\x81\xA0";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct Placement {
  double font_size = 0;
  double outline = 0;
  double shadow = 0;
  int alignment = 2;  // numpad layout, as \anN
  int margin_l = 0;
  int margin_r = 0;
  int margin_v = 0;
};

Result<Placement> ComputePlacement(const CaptionTrack& track, Style style, int width, int height) {
  Placement p;
  double size = track.font_size;
  if (size <= 0) {
    size = 0.065 * std::min(width, height);
    // Phones hold 9:16 video at arm's length and the frame is narrow: words need more weight.
    if (height > width * 1.2) size *= 1.2;
    if (style == Style::kMinimal) size *= 0.75;
  }
  p.font_size = std::round(size);
  p.outline = std::round(size * (style == Style::kMinimal ? 0.06 : 0.08) * 10) / 10;
  p.shadow = std::round(size * 0.04 * 10) / 10;
  p.margin_l = p.margin_r = static_cast<int>(std::ceil(width * 0.08));
  switch (track.position) {
    case CaptionPosition::kLowerThird:
      // Clear of the caption, buttons and progress bar that TikTok, Shorts and Reels draw over
      // the bottom of the frame.
      p.alignment = 2;
      p.margin_v = static_cast<int>(std::lround(height * 0.30));
      break;
    case CaptionPosition::kBottom:
      p.alignment = 2;
      p.margin_v = static_cast<int>(std::lround(height * 0.10));
      break;
    case CaptionPosition::kCenter:
      p.alignment = 5;
      p.margin_v = 0;
      break;
    case CaptionPosition::kTop:
      p.alignment = 8;
      p.margin_v = static_cast<int>(std::lround(height * 0.12));
      break;
    case CaptionPosition::kInvalid:
      return InvalidArgumentError("caption position is not set");
  }
  return p;
}

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

std::string FontName(const CaptionTrack& track) {
  std::string name = track.font.empty() ? "DejaVu Sans" : track.font;
  // A comma would split the Style line's fields.
  std::replace(name.begin(), name.end(), ',', ' ');
  return name;
}

struct Colours {
  Rgb primary, highlight, outline;
};

std::string StyleLine(std::string_view name, const CaptionTrack& track, const Placement& p,
                      std::string_view primary, std::string_view secondary,
                      std::string_view outline, std::string_view back, int border_style,
                      double outline_width, double shadow) {
  return "Style: " + std::string(name) + "," + FontName(track) + "," + FormatNumber(p.font_size) +
         "," + std::string(primary) + "," + std::string(secondary) + "," + std::string(outline) +
         "," + std::string(back) + ",-1,0,0,0,100,100,0,0," + std::to_string(border_style) + "," +
         FormatNumber(outline_width) + "," + FormatNumber(shadow) + "," +
         std::to_string(p.alignment) + "," + std::to_string(p.margin_l) + "," +
         std::to_string(p.margin_r) + "," + std::to_string(p.margin_v) + ",1\n";
}

// Builds the [Events] lines for one style. Words are already cased and escaped.
class EventWriter {
 public:
  EventWriter(const CaptionTrack& track, std::vector<std::string> words, const Colours& colours)
      : track_(track), words_(std::move(words)), colours_(colours) {}

  void Write(Style style, const std::vector<WordGroup>& groups) {
    for (const WordGroup& group : groups) {
      switch (style) {
        case Style::kHighlightWord:
        case Style::kBounce:
        case Style::kPopIn:
        case Style::kBoxedWord:
          WritePerWord(style, group);
          break;
        case Style::kKaraoke:
          WriteKaraoke(group);
          break;
        case Style::kMinimal:
          Append(0, Centiseconds(group.start), Centiseconds(group.end), "Caption",
                 JoinGroup(group, [](size_t, const std::string& w) { return w; }));
          break;
        case Style::kInvalid:
          break;
      }
    }
  }

  std::string Take() { return std::move(out_); }

 private:
  template <typename Piece>
  std::string JoinGroup(const WordGroup& group, Piece piece) const {
    std::string text;
    for (size_t j = 0; j < group.count; ++j) {
      if (j > 0) text += ' ';
      text += piece(j, words_[group.first + j]);
    }
    return text;
  }

  // One event per interval in which a word is the active one: from its start to the next
  // word's start (the last word holds until the group ends), so gaps never blank the screen.
  void WritePerWord(Style style, const WordGroup& group) {
    const std::string hl = OverrideColour(colours_.highlight);
    for (size_t i = 0; i < group.count; ++i) {
      int64_t start = Centiseconds(track_.words[group.first + i].start);
      int64_t end = i + 1 < group.count ? Centiseconds(track_.words[group.first + i + 1].start)
                                        : Centiseconds(group.end);
      switch (style) {
        case Style::kHighlightWord:
          Append(0, start, end, "Caption", JoinGroup(group, [&](size_t j, const std::string& w) {
                   return j == i ? "{\\1c" + hl + "\\fscx110\\fscy110}" + w + "{\\r}" : w;
                 }));
          break;
        case Style::kBounce:
          // Jumps up (taller, from the baseline) and settles a little above rest size.
          Append(0, start, end, "Caption", JoinGroup(group, [&](size_t j, const std::string& w) {
                   return j == i
                              ? "{\\1c" + hl +
                                    "\\t(0,90,\\fscx114\\fscy132)\\t(90,200,\\fscx106\\fscy106)}" +
                                    w + "{\\r}"
                              : w;
                 }));
          break;
        case Style::kPopIn:
          // Later words are laid out but transparent, so the line does not re-centre as it grows.
          Append(0, start, end, "Caption", JoinGroup(group, [&](size_t j, const std::string& w) {
                   if (j < i) return w;
                   if (j == i) {
                     return "{\\fscx80\\fscy80\\t(0,80,\\fscx100\\fscy100)}" + w + "{\\r}";
                   }
                   return (j == i + 1 ? "{\\alpha&HFF&}" : "") + w;
                 }));
          break;
        case Style::kBoxedWord:
          // Layer 0 draws only the active word's opaque box (BorderStyle 3); layer 1 draws the
          // same text on top, so both layers share one layout and the box sits under the word.
          Append(0, start, end, "Box",
                 "{\\alpha&HFF&}" + JoinGroup(group, [&](size_t j, const std::string& w) {
                   return j == i ? "{\\3a&H00&}" + w + "{\\3a&HFF&}" : w;
                 }));
          Append(1, start, end, "Caption", JoinGroup(group, [&](size_t j, const std::string& w) {
                   return j == i ? "{\\1c" + OverrideColour(colours_.outline) + "\\bord0\\shad0}" +
                                       w + "{\\r}"
                                 : w;
                 }));
          break;
        default:
          break;
      }
    }
  }

  // \kf sweeps each word from the secondary (primary_colour) to the primary (highlight) colour
  // while it is spoken; \k spans the silence before the next word.
  void WriteKaraoke(const WordGroup& group) {
    int64_t start = Centiseconds(group.start);
    int64_t end = Centiseconds(group.end);
    std::string text = "{\\1c" + OverrideColour(colours_.highlight) + "\\2c" +
                       OverrideColour(colours_.primary) + "}";
    for (size_t j = 0; j < group.count; ++j) {
      const CaptionWord& word = track_.words[group.first + j];
      int64_t word_start = Centiseconds(word.start);
      int64_t word_end = Centiseconds(word.end);
      int64_t next_start = j + 1 < group.count
                               ? Centiseconds(track_.words[group.first + j + 1].start)
                               : std::max(word_end, word_start);
      word_end = std::clamp(word_end, word_start, std::max(word_start, next_start));
      int64_t gap = next_start - word_end;
      text += "{\\kf" + std::to_string(word_end - word_start) + "}" + words_[group.first + j];
      if (gap > 0 && j + 1 < group.count) text += "{\\k" + std::to_string(gap) + "}";
      if (j + 1 < group.count) text += ' ';
    }
    Append(0, start, end, "Caption", text);
  }

  void Append(int layer, int64_t start_cs, int64_t end_cs, std::string_view style,
              const std::string& text) {
    if (end_cs <= start_cs) return;  // shorter than a centisecond: never visible
    out_ += "Dialogue: " + std::to_string(layer) + "," + FormatTime(start_cs) + "," +
            FormatTime(end_cs) + "," + std::string(style) + ",,0,0,0,," + text + "\n";
  }

  const CaptionTrack& track_;
  std::vector<std::string> words_;
  Colours colours_;
  std::string out_;
};

}  // namespace

std::vector<std::string> StyleNames() {
  return {"highlight_word", "karaoke", "pop_in", "bounce", "boxed_word", "minimal"};
}

std::vector<WordGroup> GroupWords(const CaptionTrack& track) {
  return GroupWordsUpTo(track, static_cast<size_t>(std::max(track.max_words, 1)));
}

Result<std::string> BuildAssScript(const CaptionTrack& track, int output_width, int output_height) {
  Style style = ParseStyle(track.style);
  if (style == Style::kInvalid) {
    return InvalidArgumentError("unknown caption style \"" + track.style + "\"");
  }
  if (output_width <= 0 || output_height <= 0) {
    return InvalidArgumentError("caption output size must be positive, got " +
                                std::to_string(output_width) + "x" + std::to_string(output_height));
  }
  Colours colours;
  CR_ASSIGN_OR_RETURN(colours.primary, ParseColour(track.primary_colour, "primary_colour"));
  CR_ASSIGN_OR_RETURN(colours.highlight, ParseColour(track.highlight_colour, "highlight_colour"));
  CR_ASSIGN_OR_RETURN(colours.outline, ParseColour(track.outline_colour, "outline_colour"));
  CR_ASSIGN_OR_RETURN(Placement placement,
                      ComputePlacement(track, style, output_width, output_height));

  std::string script;
  script += "[Script Info]\n";
  script += "; Generated by cutroom (caption style " + track.style + ")\n";
  script += "ScriptType: v4.00+\n";
  script += "PlayResX: " + std::to_string(output_width) + "\n";
  script += "PlayResY: " + std::to_string(output_height) + "\n";
  script += "ScaledBorderAndShadow: yes\n";
  script += "WrapStyle: 0\n";
  script += "YCbCr Matrix: TV.709\n\n";

  script += "[V4+ Styles]\n";
  script +=
      "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
      "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
      "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n";
  // A half-transparent shadow of the outline colour lifts the text off busy footage without the
  // hard look of a second outline.
  const std::string shadow_colour = StyleColour(colours.outline, 0x80);
  script += StyleLine("Caption", track, placement, StyleColour(colours.primary, 0),
                      StyleColour(colours.primary, 0), StyleColour(colours.outline, 0),
                      shadow_colour, 1, placement.outline, placement.shadow);
  if (style == Style::kBoxedWord) {
    // BorderStyle 3: the "outline" is an opaque box; its width is the padding around the word.
    script += StyleLine("Box", track, placement, StyleColour(colours.primary, 0xFF),
                        StyleColour(colours.primary, 0xFF), StyleColour(colours.highlight, 0),
                        StyleColour(colours.outline, 0xFF), 3,
                        std::round(placement.font_size * 0.14 * 10) / 10, 0);
  }
  script += "\n[Events]\n";
  script += "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";

  std::vector<std::string> words;
  words.reserve(track.words.size());
  for (const CaptionWord& word : track.words) {
    words.push_back(EscapeText(track.uppercase ? ToUpperUtf8(word.text) : word.text));
  }
  size_t max_words = static_cast<size_t>(std::max(track.max_words, 1));
  if (style == Style::kMinimal) max_words = std::max<size_t>(max_words, kMinimalMinWords);
  EventWriter writer(track, std::move(words), colours);
  writer.Write(style, GroupWordsUpTo(track, max_words));
  script += writer.Take();
  return script;
}

}  // namespace cutroom::captions
