// The Markdown subset slides understand, parsed into blocks and inline runs. Pure text code (no
// Cairo/Pango), so it is tested alone; slide_renderer.cc turns its output into Pango layouts.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cutroom::compose {

enum class MdBlockKind {
  kInvalid = 0,
  kHeading,
  kParagraph,
  kBullet,    // "- item", "* item", "+ item"
  kNumbered,  // "1. item", "1) item"
  kCode,      // fenced ``` block
};

struct MdBlock {
  MdBlockKind kind = MdBlockKind::kInvalid;
  int level = 0;       // headings: 1..3; list items: nesting 0 or 1
  std::string number;  // numbered items: the number as written ("3")
  std::string text;    // inline Markdown (code blocks: raw lines joined by '\n')
};

// Splits `markdown` into blocks. Never fails: anything not recognised is paragraph text.
// Paragraph and list-item lines continue until a blank line or another block starts; an unclosed
// fence runs to the end; thematic breaks (---, ***) are dropped.
std::vector<MdBlock> ParseMarkdownBlocks(std::string_view markdown);

// A run of inline text with one combination of styles.
struct MdRun {
  std::string text;  // literal text (markers and escapes removed)
  bool bold = false;
  bool italic = false;
  bool code = false;
};

// Parses **bold**, *italic*, `code` and backslash escapes. Emphasis opens only when a matching
// closer follows (CommonMark-like flanking: no space just inside the markers); unmatched markers
// stay literal.
std::vector<MdRun> ParseInline(std::string_view text);

// Escapes text for Pango markup (& < > ' "), so user text is never read as markup.
std::string EscapeMarkup(std::string_view text);

// Pango markup for `text`'s runs: each run is its own flat <span> (never nested, so the markup is
// always well-formed). `code_family` and `code_background` ("#RRGGBB") style code runs.
std::string InlineToPangoMarkup(std::string_view text, std::string_view code_family,
                                std::string_view code_background);

}  // namespace cutroom::compose
