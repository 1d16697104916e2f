#include "compose/slides/slide_markdown.h"

#include <gtest/gtest.h>

namespace cutroom::compose {
namespace {

TEST(SlideMarkdownTest, ParsesEveryBlockKind) {
  std::vector<MdBlock> blocks = ParseMarkdownBlocks(
      "# Title #\n"
      "Some text\n"
      "continues here.\n"
      "\n"
      "## Sub\n"
      "- one\n"
      "  * nested\n"
      "    continued\n"
      "2. second\n"
      "```cpp\n"
      "int a = 1;\n"
      "\n"
      "  b < c\n"
      "```\n"
      "---\n"
      "#### deep\n"
      "#nospace\n");
  ASSERT_EQ(blocks.size(), 9u);
  EXPECT_EQ(blocks[0].kind, MdBlockKind::kHeading);
  EXPECT_EQ(blocks[0].level, 1);
  EXPECT_EQ(blocks[0].text, "Title");
  EXPECT_EQ(blocks[1].kind, MdBlockKind::kParagraph);
  EXPECT_EQ(blocks[1].text, "Some text continues here.");
  EXPECT_EQ(blocks[2].level, 2);
  EXPECT_EQ(blocks[3].kind, MdBlockKind::kBullet);
  EXPECT_EQ(blocks[3].level, 0);
  EXPECT_EQ(blocks[4].kind, MdBlockKind::kBullet);
  EXPECT_EQ(blocks[4].level, 1);
  EXPECT_EQ(blocks[4].text, "nested continued");
  EXPECT_EQ(blocks[5].kind, MdBlockKind::kNumbered);
  EXPECT_EQ(blocks[5].number, "2");
  EXPECT_EQ(blocks[6].kind, MdBlockKind::kCode);
  EXPECT_EQ(blocks[6].text, "int a = 1;\n\n  b < c");
  EXPECT_EQ(blocks[7].kind, MdBlockKind::kHeading);
  EXPECT_EQ(blocks[7].level, 3);
  EXPECT_EQ(blocks[8].kind, MdBlockKind::kParagraph);
  EXPECT_EQ(blocks[8].text, "#nospace");
}

TEST(SlideMarkdownTest, UnclosedFenceRunsToTheEnd) {
  std::vector<MdBlock> blocks = ParseMarkdownBlocks("```\nx\n# not a heading");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].text, "x\n# not a heading");
}

TEST(SlideMarkdownTest, InlineStyles) {
  std::vector<MdRun> runs = ParseInline("a **b *c*** `d*` \\*e* f*");
  ASSERT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs[0].text, "a ");
  EXPECT_TRUE(runs[1].bold);
  EXPECT_EQ(runs[1].text, "b ");
  EXPECT_TRUE(runs[2].bold && runs[2].italic);
  EXPECT_EQ(runs[2].text, "c");
  EXPECT_EQ(runs[3].text, " ");
  EXPECT_FALSE(runs[3].bold || runs[3].italic);
  EXPECT_TRUE(runs[4].code);
  EXPECT_EQ(runs[4].text, "d*");
  EXPECT_EQ(runs[5].text, " *e* f*");  // escaped opener: the rest is literal
  EXPECT_FALSE(runs[5].italic);
}

TEST(SlideMarkdownTest, UnmatchedAndSpacedMarkersStayLiteral) {
  std::vector<MdRun> runs = ParseInline("2 * 3 = 6 and **open");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].text, "2 * 3 = 6 and **open");
}

TEST(SlideMarkdownTest, MarkupIsAlwaysEscapedAndFlat) {
  std::string markup = InlineToPangoMarkup("<b>x</b> & **y** `<i>`", "Mono", "#112233");
  EXPECT_EQ(markup.find("<b>"), std::string::npos);
  EXPECT_NE(markup.find("&lt;b&gt;x&lt;/b&gt; &amp; "), std::string::npos);
  EXPECT_NE(markup.find("weight=\"bold\">y</span>"), std::string::npos);
  EXPECT_NE(markup.find("background=\"#112233\">&lt;i&gt;</span>"), std::string::npos);
}

}  // namespace
}  // namespace cutroom::compose
