#include "compose/slides/slide_markdown.h"

#include <cctype>
#include <utility>

namespace cutroom::compose {
namespace {

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// Leading indentation in columns (a tab counts 4) and the rest of the line.
int Indent(std::string_view line, std::string_view* rest) {
  int columns = 0;
  size_t i = 0;
  for (; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i) {
    columns += line[i] == '\t' ? 4 : 1;
  }
  *rest = line.substr(i);
  return columns;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsFence(std::string_view rest) { return rest.substr(0, 3) == "```"; }

bool IsThematicBreak(std::string_view rest) {
  rest = TrimRight(rest);
  if (rest.size() < 3) return false;
  char c = rest[0];
  if (c != '-' && c != '*' && c != '_') return false;
  int count = 0;
  for (char d : rest) {
    if (d == c) {
      ++count;
    } else if (d != ' ') {
      return false;
    }
  }
  return count >= 3;
}

// "# text" -> level and text.
bool ParseHeading(std::string_view rest, int* level, std::string_view* text) {
  size_t hashes = 0;
  while (hashes < rest.size() && rest[hashes] == '#') ++hashes;
  if (hashes == 0 || hashes > 6) return false;
  if (hashes < rest.size() && rest[hashes] != ' ' && rest[hashes] != '\t') return false;
  std::string_view body = TrimRight(rest.substr(hashes));
  while (!body.empty() && (body.front() == ' ' || body.front() == '\t')) body.remove_prefix(1);
  // An optional closing run of #s preceded by a space.
  size_t end = body.size();
  while (end > 0 && body[end - 1] == '#') --end;
  if (end < body.size() && (end == 0 || body[end - 1] == ' '))
    body = TrimRight(body.substr(0, end));
  *level = hashes > 3 ? 3 : static_cast<int>(hashes);
  *text = body;
  return true;
}

bool ParseBullet(std::string_view rest, std::string_view* text) {
  if (rest.size() < 2) return false;
  if (rest[0] != '-' && rest[0] != '*' && rest[0] != '+') return false;
  if (rest[1] != ' ' && rest[1] != '\t') return false;
  *text = rest.substr(2);
  return true;
}

bool ParseNumbered(std::string_view rest, std::string* number, std::string_view* text) {
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  if (digits == 0 || digits > 9 || digits + 1 >= rest.size()) return false;
  if (rest[digits] != '.' && rest[digits] != ')') return false;
  if (rest[digits + 1] != ' ' && rest[digits + 1] != '\t') return false;
  *number = std::string(rest.substr(0, digits));
  *text = rest.substr(digits + 2);
  return true;
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return std::string(TrimRight(s));
}

}  // namespace

std::vector<MdBlock> ParseMarkdownBlocks(std::string_view markdown) {
  std::vector<MdBlock> blocks;
  bool in_fence = false;
  bool fence_has_line = false;  // so a code block's empty first line survives
  bool open_text = false;  // the last block is a paragraph or list item that a line may continue
  size_t pos = 0;
  while (pos <= markdown.size()) {
    size_t nl = markdown.find('\n', pos);
    if (nl == std::string_view::npos) nl = markdown.size();
    std::string_view line = markdown.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    std::string_view rest;
    int indent = Indent(line, &rest);
    if (in_fence) {
      if (IsFence(rest) && IsBlank(rest.substr(3))) {
        in_fence = false;
      } else {
        std::string& code = blocks.back().text;
        if (fence_has_line) code += '\n';
        code += line;
        fence_has_line = true;
      }
      continue;
    }
    if (IsBlank(line)) {
      open_text = false;
      continue;
    }
    int level = 0;
    std::string number;
    std::string_view text;
    if (IsFence(rest)) {
      blocks.push_back({MdBlockKind::kCode, 0, "", ""});
      in_fence = true;
      fence_has_line = false;
      open_text = false;
    } else if (indent < 4 && ParseHeading(rest, &level, &text)) {
      blocks.push_back({MdBlockKind::kHeading, level, "", Trimmed(text)});
      open_text = false;
    } else if (IsThematicBreak(rest)) {
      open_text = false;
    } else if (ParseBullet(rest, &text)) {
      blocks.push_back({MdBlockKind::kBullet, indent >= 2 ? 1 : 0, "", Trimmed(text)});
      open_text = true;
    } else if (ParseNumbered(rest, &number, &text)) {
      blocks.push_back({MdBlockKind::kNumbered, indent >= 2 ? 1 : 0, number, Trimmed(text)});
      open_text = true;
    } else if (open_text) {
      std::string& target = blocks.back().text;
      if (!target.empty()) target += ' ';
      target += Trimmed(rest);
    } else {
      blocks.push_back({MdBlockKind::kParagraph, 0, "", Trimmed(rest)});
      open_text = true;
    }
  }
  return blocks;
}

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// The first position at or after `from` where `marker` can close (a non-space just before it),
// skipping escapes and code spans; a single '*' never matches half of a "**".
size_t FindCloser(std::string_view text, size_t from, std::string_view marker) {
  for (size_t i = from; i + marker.size() <= text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    if (text[i] == '`') {
      size_t end = text.find('`', i + 1);
      if (end != std::string_view::npos) i = end;
      continue;
    }
    if (text.substr(i, marker.size()) != marker) continue;
    if (marker.size() == 1 && i + 1 < text.size() && text[i + 1] == '*') {
      ++i;  // skip a "**" pair
      continue;
    }
    if (i > 0 && !IsSpace(text[i - 1])) return i;
  }
  return std::string_view::npos;
}

bool IsAsciiPunct(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::vector<MdRun> ParseInline(std::string_view text) {
  std::vector<MdRun> runs;
  MdRun current;
  auto flush = [&] {
    if (!current.text.empty()) runs.push_back(current);
    current.text.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && IsAsciiPunct(text[i + 1])) {
      current.text += text[++i];
      continue;
    }
    if (c == '`') {
      size_t end = text.find('`', i + 1);
      if (end != std::string_view::npos && end > i + 1) {
        flush();
        MdRun code{std::string(text.substr(i + 1, end - i - 1)), current.bold, current.italic,
                   true};
        runs.push_back(std::move(code));
        i = end;
        continue;
      }
      current.text += c;
      continue;
    }
    if (c == '*') {
      bool dbl = i + 1 < text.size() && text[i + 1] == '*';
      std::string_view marker = dbl ? "**" : "*";
      bool& state = dbl ? current.bold : current.italic;
      size_t after = i + marker.size();
      bool can_close = state && i > 0 && !IsSpace(text[i - 1]);
      bool can_open = !state && after < text.size() && !IsSpace(text[after]) &&
                      FindCloser(text, after + 1, marker) != std::string_view::npos;
      if (can_close || can_open) {
        flush();
        state = !state;
        i = after - 1;
        continue;
      }
      current.text += marker;
      i = after - 1;
      continue;
    }
    current.text += c;
  }
  flush();
  return runs;
}

std::string EscapeMarkup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string InlineToPangoMarkup(std::string_view text, std::string_view code_family,
                                std::string_view code_background) {
  std::string markup;
  for (const MdRun& run : ParseInline(text)) {
    markup += "<span";
    if (run.bold) markup += " weight=\"bold\"";
    if (run.italic) markup += " style=\"italic\"";
    if (run.code) {
      markup += " font_family=\"" + EscapeMarkup(code_family) + "\" background=\"" +
                EscapeMarkup(code_background) + "\"";
    }
    markup += ">" + EscapeMarkup(run.text) + "</span>";
  }
  return markup;
}

}  // namespace cutroom::compose
