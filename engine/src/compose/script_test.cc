#include "compose/script.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include "test_support.h"

namespace cutroom::compose {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A ~60 s explainer as a writer would hand it in: metadata, 3 slides, an image, a b-roll clip and
// 6 narration paragraphs over 5 blocks.
constexpr std::string_view kTidesScript = R"script([title]How Tides Work[/title]
[alt_title]Why the Sea Rises Twice a Day[/alt_title]
[description]
A one-minute explainer on tides.

Sources: NOAA tide tables.
[/description]
[tags]tides, moon, ocean science,
physics[/tags]
[thumbnail]TIDES
in 60 seconds[/thumbnail]
[music]music/calm_piano.mp3[/music]
[length]1m[/length]

[slide]
# How Tides Work
A one-minute explainer
[/slide]
[narration]
Every day, the sea rises and falls twice. Why does it do that? The answer is the Moon.
[/narration]

[slide]
## The Moon's pull
- Gravity weakens with distance
- The near side is pulled hardest
[/slide]
[narration]
The Moon pulls on the whole Earth, but not evenly. Water on the near side is pulled a
little harder, so it bulges toward the Moon.

On the far side, the Earth itself is pulled away from the water. That leaves a second
bulge behind.
[/narration]

[image]assets/earth_two_bulges.png[/image]
[narration]
As the Earth turns, your beach passes through both bulges. That is why most coasts see two
high tides a day, about 12.5 hours apart.
[/narration]

[broll]footage/harbour timelapse.mp4 3.5-11[/broll]
[narration]
The Sun matters too. When the Sun and Moon line up, e.g. at a new moon, we get spring tides.
When they pull at right angles, we get neap tides.
[/narration]

[slide]
### Remember
**Two bulges, one turning planet.**
[/slide]
[narration]
So next time you watch the tide come in, remember: you are watching the Moon at work.
Thanks for watching, and see you in the next one!
[/narration]
)script";

// The error message of a script that must fail to parse.
std::string ErrorOf(std::string_view text) {
  Result<Script> parsed = ParseScript(text);
  if (parsed.ok()) return "(parsed without error)";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().message();
}

Script Parse(std::string_view text) {
  Result<Script> parsed = ParseScript(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *std::move(parsed) : Script();
}

TEST(ScriptTest, ParsesEveryTag) {
  Script s = Parse(
      "[TITLE] Tides  explained [/Title]\n"
      "[alt_title]Why\nthe sea moves[/alt_title]\n"
      "[description]\n  Line one.\n\n  Line two.\n[/description]\n"
      "[tags]a, b ,, c\nd[/tags][tags]e, a[/tags]\n"
      "[thumbnail]BIG TEXT[/thumbnail]\n"
      "[music] music/bed.mp3 [/music]\n"
      "[length]1m30s[/length]\n"
      "[slide]# Hello[/slide]\n"
      "[narration]One. Two![/narration]\n"
      "[image]a  red\nballoon over Paris[/image]\n"
      "[broll]clips/city.mp4[/broll]\n"
      "[broll]clips/my city.mp4 2-4.5[/broll]\n"
      "[narration]Three?[/narration]\n");
  EXPECT_EQ(s.title, "Tides explained");
  EXPECT_EQ(s.alt_title, "Why the sea moves");
  EXPECT_EQ(s.description, "Line one.\n\nLine two.");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(s.thumbnail_text, "BIG TEXT");
  EXPECT_EQ(s.music_path, "music/bed.mp3");
  EXPECT_DOUBLE_EQ(s.length_s, 90);
  ASSERT_EQ(s.sentences.size(), 3u);
  EXPECT_EQ(s.sentences[0].text, "One.");
  EXPECT_EQ(s.sentences[1].text, "Two!");
  EXPECT_EQ(s.sentences[2].text, "Three?");
  EXPECT_EQ(s.sentences[2].paragraph, 1);  // a new block is a new paragraph
  ASSERT_EQ(s.visuals.size(), 4u);
  EXPECT_EQ(s.visuals[0].kind, VisualKind::kSlide);
  EXPECT_EQ(s.visuals[0].body, "# Hello");
  EXPECT_EQ(s.visuals[0].heading, "Hello");
  EXPECT_EQ(s.visuals[1].kind, VisualKind::kImage);
  EXPECT_EQ(s.visuals[1].body, "a red balloon over Paris");
  EXPECT_EQ(s.visuals[1].from_sentence, 2);
  EXPECT_EQ(s.visuals[2].kind, VisualKind::kBroll);
  EXPECT_EQ(s.visuals[2].body, "clips/city.mp4");
  EXPECT_EQ(s.visuals[2].broll_in_s, -1);
  EXPECT_EQ(s.visuals[3].body, "clips/my city.mp4");
  EXPECT_DOUBLE_EQ(s.visuals[3].broll_in_s, 2);
  EXPECT_DOUBLE_EQ(s.visuals[3].broll_out_s, 4.5);
  EXPECT_EQ(s.visuals[3].at.line, 19);
  EXPECT_EQ(s.visuals[3].at.column, 1);
  EXPECT_EQ(s.sections, (std::vector<std::string>{"Hello"}));
  EXPECT_EQ(VisualKindName(s.visuals[3].kind), "broll");
}

TEST(ScriptTest, RealisticScriptGivesSentencesVisualsAndSections) {
  Script s = Parse(kTidesScript);
  EXPECT_EQ(s.title, "How Tides Work");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"tides", "moon", "ocean science", "physics"}));
  EXPECT_EQ(s.thumbnail_text, "TIDES\nin 60 seconds");
  EXPECT_DOUBLE_EQ(s.length_s, 60);
  struct Expected {
    const char* text;
    int paragraph, line, column;
  };
  const Expected expected[] = {
      {"Every day, the sea rises and falls twice.", 0, 20, 1},
      {"Why does it do that?", 0, 20, 43},
      {"The answer is the Moon.", 0, 20, 64},
      {"The Moon pulls on the whole Earth, but not evenly.", 1, 29, 1},
      {"Water on the near side is pulled a little harder, so it bulges toward the Moon.", 1, 29,
       52},
      {"On the far side, the Earth itself is pulled away from the water.", 2, 32, 1},
      {"That leaves a second bulge behind.", 2, 32, 66},
      {"As the Earth turns, your beach passes through both bulges.", 3, 38, 1},
      {"That is why most coasts see two high tides a day, about 12.5 hours apart.", 3, 38, 60},
      {"The Sun matters too.", 4, 44, 1},
      {"When the Sun and Moon line up, e.g. at a new moon, we get spring tides.", 4, 44, 22},
      {"When they pull at right angles, we get neap tides.", 4, 45, 1},
      {"So next time you watch the tide come in, remember: you are watching the Moon at work.", 5,
       53, 1},
      {"Thanks for watching, and see you in the next one!", 5, 54, 1},
  };
  ASSERT_EQ(s.sentences.size(), std::size(expected));
  for (size_t k = 0; k < std::size(expected); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(s.sentences[k].text, expected[k].text);
    EXPECT_EQ(s.sentences[k].paragraph, expected[k].paragraph);
    EXPECT_EQ(s.sentences[k].at.line, expected[k].line);
    EXPECT_EQ(s.sentences[k].at.column, expected[k].column);
  }
  // Each visual starts at the sentence after the narration before it.
  ASSERT_EQ(s.visuals.size(), 5u);
  const VisualKind kinds[] = {VisualKind::kSlide, VisualKind::kSlide, VisualKind::kImage,
                              VisualKind::kBroll, VisualKind::kSlide};
  const int from[] = {0, 3, 7, 9, 12};
  const int lines[] = {15, 23, 36, 42, 48};
  for (size_t k = 0; k < 5; ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(s.visuals[k].kind, kinds[k]);
    EXPECT_EQ(s.visuals[k].from_sentence, from[k]);
    EXPECT_EQ(s.visuals[k].at.line, lines[k]);
  }
  EXPECT_EQ(
      s.visuals[1].body,
      "## The Moon's pull\n- Gravity weakens with distance\n- The near side is pulled hardest");
  EXPECT_EQ(s.visuals[3].body, "footage/harbour timelapse.mp4");
  EXPECT_DOUBLE_EQ(s.visuals[3].broll_in_s, 3.5);
  EXPECT_DOUBLE_EQ(s.visuals[3].broll_out_s, 11);
  EXPECT_EQ(s.sections,
            (std::vector<std::string>{"How Tides Work", "The Moon's pull", "Remember"}));
  SentenceRange image = VisualSentences(s, 2);
  EXPECT_EQ(image.begin, 7);
  EXPECT_EQ(image.end, 9);
  SentenceRange last = VisualSentences(s, 4);
  EXPECT_EQ(last.begin, 12);
  EXPECT_EQ(last.end, 14);
}

TEST(ScriptTest, StatsCountWordsAndPauses) {
  Script s = Parse(kTidesScript);
  ScriptStats stats = MeasureScript(s, 160);
  EXPECT_EQ(stats.words, 145);
  EXPECT_EQ(stats.characters, 717);
  EXPECT_EQ(stats.sentences, 14);
  EXPECT_EQ(stats.paragraphs, 6);
  // 145 words at 160 wpm = 54.375 s, plus 5 paragraph pauses of 0.6 s.
  EXPECT_NEAR(stats.estimated_duration_s, 57.375, 1e-9);
  EXPECT_NEAR(MeasureScript(s, 160, 1.0).estimated_duration_s, 59.375, 1e-9);
  EXPECT_NEAR(MeasureScript(s, 145).estimated_duration_s, 63.0, 1e-9);
}

TEST(ScriptTest, DurationLimitNamesBothNumbers) {
  ScriptStats stats = MeasureScript(Parse(kTidesScript), 160);
  EXPECT_TRUE(CheckDurationLimit(stats, 60).ok());
  EXPECT_TRUE(CheckDurationLimit(stats, 0).ok());  // no limit
  Status over = CheckDurationLimit(stats, 45);
  EXPECT_EQ(over.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(over.message(), HasSubstr("57.4 s"));
  EXPECT_THAT(over.message(), HasSubstr("45.0 s"));
}

TEST(ScriptTest, WritesOneFilePerTagType) {
  testing::TempDir dir;
  std::string out = dir.File("tags");
  ASSERT_TRUE(WriteTagFiles(Parse(kTidesScript), out).ok());
  auto read = [&](const char* name) { return testing::ReadFile(out + "/" + name); };
  EXPECT_EQ(
      read("narration.txt"),
      "Every day, the sea rises and falls twice.\nWhy does it do that?\n"
      "The answer is the Moon.\n\n"
      "The Moon pulls on the whole Earth, but not evenly.\n"
      "Water on the near side is pulled a little harder, so it bulges toward the Moon.\n\n"
      "On the far side, the Earth itself is pulled away from the water.\n"
      "That leaves a second bulge behind.\n\n"
      "As the Earth turns, your beach passes through both bulges.\n"
      "That is why most coasts see two high tides a day, about 12.5 hours apart.\n\n"
      "The Sun matters too.\n"
      "When the Sun and Moon line up, e.g. at a new moon, we get spring tides.\n"
      "When they pull at right angles, we get neap tides.\n\n"
      "So next time you watch the tide come in, remember: you are watching the Moon at work.\n"
      "Thanks for watching, and see you in the next one!\n");
  EXPECT_EQ(
      read("slides.txt"),
      "# How Tides Work\nA one-minute explainer\n---\n"
      "## The Moon's pull\n- Gravity weakens with distance\n- The near side is pulled hardest\n"
      "---\n### Remember\n**Two bulges, one turning planet.**\n");
  EXPECT_EQ(read("images.txt"), "assets/earth_two_bulges.png\n");
  EXPECT_EQ(read("broll.txt"), "footage/harbour timelapse.mp4 3.5-11\n");
  EXPECT_EQ(read("title.txt"), "How Tides Work\n");
  EXPECT_EQ(read("alt_title.txt"), "Why the Sea Rises Twice a Day\n");
  EXPECT_EQ(read("description.txt"),
            "A one-minute explainer on tides.\n\nSources: NOAA tide tables.\n");
  EXPECT_EQ(read("tags.txt"), "tides\nmoon\nocean science\nphysics\n");
  EXPECT_EQ(read("thumbnail.txt"), "TIDES\nin 60 seconds\n");
  EXPECT_EQ(read("music.txt"), "music/calm_piano.mp3\n");
  EXPECT_EQ(read("length.txt"), "60\n");

  // A script without metadata or visuals: those files go, so the folder matches this script.
  ASSERT_TRUE(WriteTagFiles(Parse("[narration]Just this.[/narration]"), out).ok());
  EXPECT_EQ(read("narration.txt"), "Just this.\n");
  for (const char* gone : {"slides.txt", "images.txt", "broll.txt", "title.txt", "tags.txt",
                           "thumbnail.txt", "music.txt", "length.txt"}) {
    EXPECT_FALSE(testing::FileExists(out + "/" + gone)) << gone;
  }
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(out)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);  // no temporary files left behind
}

TEST(ScriptTest, WriteTagFilesNamesAnUnusableFolder) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("file"), "x");
  Status s = WriteTagFiles(Parse("[narration]Hi.[/narration]"), dir.File("file/sub"));
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("file/sub"));
}

TEST(ScriptTest, UnknownTag) {
  EXPECT_THAT(ErrorOf("[narration]Hi.[/narration]\n  [foo]x[/foo]"),
              StartsWith("line 2, column 3: unknown tag [foo]; the tags are [title]"));
}

TEST(ScriptTest, UnclosedTagIsNamedAtItsOpening) {
  EXPECT_EQ(ErrorOf("[narration]Hi.[/narration]\n\n[slide]# Oops\nno end"),
            "line 3, column 1: [slide] is never closed: expected [/slide] before the end of the "
            "script");
}

TEST(ScriptTest, MismatchedClosingTag) {
  EXPECT_EQ(ErrorOf("[narration]Hello.\n[/slide]"),
            "line 2, column 1: closing tag [/slide] does not match [narration] opened at line 1, "
            "column 1");
  EXPECT_EQ(ErrorOf("[narration]Hi.[/narration][/narration]"),
            "line 1, column 27: [/narration] closes nothing: no tag is open");
}

TEST(ScriptTest, NestedTag) {
  EXPECT_EQ(ErrorOf("[narration]One.\n  Two [image]x.png[/image][/narration]"),
            "line 2, column 7: tag [image] inside [narration] opened at line 1, column 1: tags "
            "cannot be nested; close [/narration] first");
}

TEST(ScriptTest, BracketsThatAreNotTagsStayInBodies) {
  Script s = Parse(
      "[slide]\n# Links\n- [x] done\n- see [the docs](https://example.com) [1]\n[/slide]\n"
      "[narration]Arrays use a[i] and [foo] here.[/narration]");
  EXPECT_EQ(s.visuals[0].body, "# Links\n- [x] done\n- see [the docs](https://example.com) [1]");
  EXPECT_EQ(s.sentences[0].text, "Arrays use a[i] and [foo] here.");
}

TEST(ScriptTest, WhitespaceInsideTagBrackets) {
  EXPECT_EQ(ErrorOf("[ title]x[/title]"),
            "line 1, column 1: whitespace inside the brackets of [title] is not allowed");
  EXPECT_EQ(ErrorOf("[narration]Hi. [/ Narration ]"),
            "line 1, column 16: whitespace inside the brackets of [/narration] is not allowed");
}

TEST(ScriptTest, EmptyNarration) {
  EXPECT_EQ(ErrorOf("[title]T[/title]\n[slide]# A[/slide]\n"),
            "line 3, column 1: the script has no narration: add a [narration] block with the text "
            "to read");
  EXPECT_EQ(ErrorOf(""),
            "line 1, column 1: the script has no narration: add a [narration] block "
            "with the text to read");
  EXPECT_EQ(ErrorOf("[narration]Hi.[/narration]\n[narration] \n\n [/narration]"),
            "line 2, column 1: [narration] is empty");
}

TEST(ScriptTest, EmptySlide) {
  EXPECT_EQ(ErrorOf("[narration]Hi.[/narration]\n  [slide]\n\n[/slide]"),
            "line 2, column 3: [slide] is empty");
}

TEST(ScriptTest, SlideSeparatorLineIsReserved) {
  EXPECT_THAT(ErrorOf("[narration]Hi.[/narration]\n[slide]# A\n  ---\nB[/slide]"),
              StartsWith("line 3, column 3: a line \"---\" inside [slide] is reserved"));
}

TEST(ScriptTest, BadLength) {
  EXPECT_EQ(ErrorOf("[narration]Hi.[/narration]\n[length]\n  about a minute[/length]"),
            "line 3, column 3: bad [length] \"about a minute\": expected a positive duration "
            "such as 60s, 1m30s, 90 or 1:30");
  EXPECT_THAT(ErrorOf("[narration]Hi.[/narration][length]0s[/length]"),
              StartsWith("line 1, column 35: bad [length] \"0s\""));
  EXPECT_DOUBLE_EQ(Parse("[narration]Hi.[/narration][length]1:30[/length]").length_s, 90);
  EXPECT_DOUBLE_EQ(Parse("[narration]Hi.[/narration][length] 45 [/length]").length_s, 45);
}

TEST(ScriptTest, BadBrollRange) {
  EXPECT_EQ(ErrorOf("[narration]Hi.[/narration]\n[broll] a.mp4 8-3[/broll]"),
            "line 2, column 9: bad [broll] range \"8-3\": expected in-out seconds with in < out, "
            "such as 3.5-8");
  EXPECT_THAT(ErrorOf("[narration]Hi.[/narration]\n[broll]3-8[/broll]"),
              StartsWith("line 2, column 8: [broll] names no video file"));
  // A dated file name is a path, not a range.
  EXPECT_EQ(Parse("[narration]Hi.[/narration][broll]2024-01-clip.mp4[/broll]").visuals[0].body,
            "2024-01-clip.mp4");
}

TEST(ScriptTest, SecondMetadataTag) {
  for (const char* tag : {"title", "alt_title", "description", "thumbnail", "music", "length"}) {
    std::string once = std::string("[") + tag + "]1m[/" + tag + "]";
    EXPECT_EQ(
        ErrorOf("[narration]Hi.[/narration]\n" + once + "\n " + once),
        std::string("line 3, column 2: a second [") + tag + "]; the first is at line 2, column 1")
        << tag;
  }
}

TEST(ScriptTest, TextOutsideTags) {
  EXPECT_EQ(ErrorOf("[title]T[/title]\n\n   Hello there [narration]x[/narration]"),
            "line 3, column 4: text outside tags: \"Hello there [narration]x...\"; only "
            "whitespace may appear between tags");
  EXPECT_THAT(ErrorOf("[narration]Hi.[/narration] [not a tag]"),
              StartsWith("line 1, column 28: text outside tags"));
}

TEST(ScriptTest, UnicodeColumnsCountCodePoints) {
  // "[title]" is 7 columns and "Café — naïve 😀" 14, although the latter is 21 bytes.
  EXPECT_THAT(ErrorOf("[title]Café — naïve 😀[/title] x"),
              StartsWith("line 1, column 31: text outside tags: \"x\""));
  Script s = Parse("[narration]Café — naïve 😀 ok. Über alles![/narration]");
  ASSERT_EQ(s.sentences.size(), 2u);
  EXPECT_EQ(s.sentences[0].text, "Café — naïve 😀 ok.");
  EXPECT_EQ(s.sentences[1].at.column, 31);
  ScriptStats stats = MeasureScript(s, 160);
  EXPECT_EQ(stats.words, 5);  // "—" and "😀" are not words
  EXPECT_EQ(stats.characters, 18 + 11);
}

TEST(ScriptTest, InvalidUtf8NamesThePosition) {
  EXPECT_EQ(ErrorOf("[narration]ok\n  café caf\xC3("),
            "line 2, column 11: invalid UTF-8 (byte 0xC3); save the script as UTF-8");
  EXPECT_THAT(ErrorOf("[narration]\xED\xA0\x80[/narration]"),  // a surrogate
              StartsWith("line 1, column 12: invalid UTF-8 (byte 0xED)"));
  EXPECT_THAT(ErrorOf("[narration]\xC0\xAF[/narration]"),  // overlong "/"
              StartsWith("line 1, column 12: invalid UTF-8"));
  EXPECT_EQ(ErrorOf("[narration]a\x07[/narration]"),
            "line 1, column 13: control character U+0007 is not allowed");
}

TEST(ScriptTest, CrLfLineEndsParseLikeLf) {
  std::string crlf;
  for (char c : kTidesScript) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  Script lf = Parse(kTidesScript);
  Script windows = Parse("\xEF\xBB\xBF" + crlf);  // with a byte order mark, as Notepad saves
  ASSERT_EQ(windows.sentences.size(), lf.sentences.size());
  for (size_t k = 0; k < lf.sentences.size(); ++k) {
    EXPECT_EQ(windows.sentences[k].text, lf.sentences[k].text);
    EXPECT_EQ(windows.sentences[k].paragraph, lf.sentences[k].paragraph);
    EXPECT_EQ(windows.sentences[k].at.line, lf.sentences[k].at.line);
    EXPECT_EQ(windows.sentences[k].at.column, lf.sentences[k].at.column);
  }
  EXPECT_EQ(windows.description, lf.description);
  EXPECT_EQ(windows.visuals[1].body, lf.visuals[1].body);
  EXPECT_EQ(windows.sections, lf.sections);
  EXPECT_EQ(ErrorOf("[narration]Hi.[/narration]\r\n\r\n  oops"),
            "line 3, column 3: text outside tags: \"oops\"; only whitespace may appear between "
            "tags");
}

TEST(ScriptTest, LongSingleLineNarrationKeepsColumns) {
  std::string text = "[narration]";
  for (int k = 0; k < 20000; ++k) text += "Été. ";
  text += "[/narration]";
  Script s = Parse(text);
  ASSERT_EQ(s.sentences.size(), 20000u);
  EXPECT_EQ(s.sentences.back().at.line, 1);
  EXPECT_EQ(s.sentences.back().at.column, 12 + 19999 * 5);
}

// Checks what every successful parse promises.
void ExpectValidScript(const Script& s) {
  ASSERT_FALSE(s.sentences.empty());
  for (const NarrationSentence& sentence : s.sentences) {
    EXPECT_FALSE(sentence.text.empty());
    EXPECT_GE(sentence.at.line, 1);
    EXPECT_GE(sentence.at.column, 1);
  }
  for (size_t k = 0; k < s.visuals.size(); ++k) {
    EXPECT_NE(s.visuals[k].kind, VisualKind::kInvalid);
    EXPECT_FALSE(s.visuals[k].body.empty());
    EXPECT_GE(s.visuals[k].from_sentence, 0);
    EXPECT_LE(s.visuals[k].from_sentence, static_cast<int>(s.sentences.size()));
    SentenceRange r = VisualSentences(s, static_cast<int>(k));
    EXPECT_LE(r.begin, r.end);
  }
}

// Returns whether `input` parsed.
bool ExpectParsesOrNamesAPosition(const std::string& input) {
  Result<Script> parsed = ParseScript(input);
  if (parsed.ok()) {
    ExpectValidScript(*parsed);
    EXPECT_GE(MeasureScript(*parsed, 160).estimated_duration_s, 0);
  } else {
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), StartsWith("line ")) << parsed.status().message();
  }
  return parsed.ok();
}

TEST(ScriptTest, RandomBytesNeverCrash) {
  std::mt19937 rng(9);
  for (int round = 0; round < 3000; ++round) {
    std::string input(rng() % 200, '\0');
    for (char& c : input) c = static_cast<char>(rng() & 0xFF);
    ExpectParsesOrNamesAPosition(input);
  }
}

TEST(ScriptTest, RandomTagSoupNeverCrashes) {
  const char* tags[] = {"[narration]", "[/narration]", "[slide]",  "[/slide]", "[image]",
                        "[/image]",    "[broll]",      "[/broll]", "[length]", "[/length]",
                        "[title]",     "[/title]",     "[tags]",   "[/tags]",  "[NARRATION]",
                        "[ slide]",    "[foo]",        "\xC3"};
  const char* text[] = {"[",   "]",    "/",      "# Head", "---", "1m30s", "3-8",  "a.mp4",
                        "Dr.", "e.g.", "Hello.", " ",      "\n",  "\r\n",  "\n\n", "é",
                        "😀",   "…",    "?!",     ",",      "x",   "\t",    "[x]"};
  std::mt19937 rng(7);
  int parsed = 0;
  for (int round = 0; round < 5000; ++round) {
    // Mostly text inside a narration block, with a tag now and then, so that many inputs parse.
    std::string input = rng() % 4 ? "[narration]Hi. " : "";
    int count = static_cast<int>(rng() % 40);
    for (int k = 0; k < count; ++k) {
      input += rng() % 12 ? text[rng() % std::size(text)] : tags[rng() % std::size(tags)];
    }
    if (rng() % 4) input += "[/narration]";
    parsed += ExpectParsesOrNamesAPosition(input);
  }
  EXPECT_GT(parsed, 300);  // the invariants of successful parses were exercised too
}

}  // namespace
}  // namespace cutroom::compose
