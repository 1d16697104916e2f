#include "captions/caption_styles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace cutroom::captions {
namespace {

using ::testing::HasSubstr;
using timeline::CaptionPosition;
using timeline::CaptionTrack;
using timeline::CaptionWord;

MediaTime Ms(int64_t ms) { return MediaTime(ms, {1, 1000}); }

struct W {
  const char* text;
  int64_t start_ms;
  int64_t end_ms;
};

CaptionTrack MakeTrack(const std::vector<W>& words, const std::string& style = "highlight_word",
                       int max_words = 3) {
  CaptionTrack track;
  track.style = style;
  track.max_words = max_words;
  for (const W& w : words) track.words.push_back({w.text, Ms(w.start_ms), Ms(w.end_ms)});
  return track;
}

// Word times deliberately off the centisecond grid, so rounding is exercised.
CaptionTrack Speech(const std::string& style = "highlight_word", int max_words = 3) {
  return MakeTrack({{"So", 1003, 1204},
                    {"here's", 1207, 1455},
                    {"the", 1460, 1530},
                    {"thing.", 1531, 1902},
                    {"Nobody", 2004, 2400},
                    {"tells", 2410, 2701},
                    {"you", 2705, 2809},
                    {"this,", 2812, 3150},
                    {"but", 4100, 4250},
                    {"it", 4255, 4330},
                    {"works!", 4333, 4999},
                    {"\"Really?\"", 5100, 5600},
                    {"Yes", 5650, 5900},
                    {"indeed\xE2\x80\xA6", 5905, 6500},
                    {"okay", 6502, 6900}},
                   style, max_words);
}

struct Event {
  int layer = 0;
  int64_t start_cs = 0;
  int64_t end_cs = 0;
  std::string style;
  std::string text;  // raw, with override tags
};

int64_t ParseTime(const std::string& t) {
  int h = 0, m = 0, s = 0, cs = 0;
  EXPECT_EQ(std::sscanf(t.c_str(), "%d:%d:%d.%d", &h, &m, &s, &cs), 4) << t;
  return ((h * 60LL + m) * 60 + s) * 100 + cs;
}

std::vector<Event> ParseEvents(const std::string& script) {
  std::vector<Event> events;
  std::istringstream in(script);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Dialogue: ", 0) != 0) continue;
    std::vector<std::string> fields;
    size_t pos = 10;
    for (int i = 0; i < 9; ++i) {
      size_t comma = line.find(',', pos);
      EXPECT_NE(comma, std::string::npos) << line;
      fields.push_back(line.substr(pos, comma - pos));
      pos = comma + 1;
    }
    Event e;
    e.layer = std::stoi(fields[0]);
    e.start_cs = ParseTime(fields[1]);
    e.end_cs = ParseTime(fields[2]);
    e.style = fields[3];
    e.text = line.substr(pos);
    events.push_back(e);
  }
  return events;
}

// The text a viewer reads: override blocks removed, escapes undone.
std::string Visible(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '{' || text[i + 1] == '}')) {
      out += text[++i];
    } else if (text.compare(i, 4, "\\\xE2\x81\xA0") == 0) {
      out += '\\';
      i += 3;
    } else if (text[i] == '{') {
      size_t close = text.find('}', i);
      EXPECT_NE(close, std::string::npos) << text;
      i = close;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

std::string BuildOrDie(const CaptionTrack& track, int w = 1080, int h = 1920) {
  Result<std::string> script = BuildAssScript(track, w, h);
  EXPECT_TRUE(script.ok()) << script.status().ToString();
  return script.ok() ? *script : std::string();
}

TEST(StyleNamesTest, ListsAllStylesInDisplayOrder) {
  EXPECT_THAT(StyleNames(), ::testing::ElementsAre("highlight_word", "karaoke", "pop_in", "bounce",
                                                   "boxed_word", "minimal"));
}

TEST(GroupWordsTest, GroupsAreContiguousBoundedAndNeverCrossASentenceEnd) {
  for (int max_words = 1; max_words <= 4; ++max_words) {
    CaptionTrack track = Speech("highlight_word", max_words);
    std::vector<WordGroup> groups = GroupWords(track);
    size_t next = 0;
    for (const WordGroup& g : groups) {
      EXPECT_EQ(g.first, next);
      EXPECT_GE(g.count, 1u);
      EXPECT_LE(g.count, static_cast<size_t>(max_words));
      EXPECT_EQ(g.start, track.words[g.first].start);
      for (size_t j = g.first; j + 1 < g.first + g.count; ++j) {
        const std::string& w = track.words[j].text;
        EXPECT_NE(w.back(), '.') << "group crosses a sentence end after " << w;
        EXPECT_NE(w.back(), '!') << w;
        EXPECT_NE(w.back(), '"') << w;
        EXPECT_NE(w, "indeed\xE2\x80\xA6");
        // No pause over 0.7 s inside a group.
        EXPECT_LE((track.words[j + 1].start - track.words[j].end).ToMicroseconds(), 700000);
      }
      next = g.first + g.count;
    }
    EXPECT_EQ(next, track.words.size()) << "every word is in a group";
  }
}

TEST(GroupWordsTest, SplitsAtPausesAndBalancesGroups) {
  // "this," ends at 3.15 s and "but" starts at 4.10 s: a 0.95 s pause.
  CaptionTrack track = Speech("highlight_word", 4);
  std::vector<WordGroup> groups = GroupWords(track);
  bool split_at_pause = false;
  for (const WordGroup& g : groups) split_at_pause |= g.first == 8;
  EXPECT_TRUE(split_at_pause);

  // Four words at max 3 become 2 + 2 rather than leaving one word alone.
  CaptionTrack four =
      MakeTrack({{"one", 0, 100}, {"two", 100, 200}, {"three", 200, 300}, {"four", 300, 400}});
  std::vector<WordGroup> balanced = GroupWords(four);
  ASSERT_EQ(balanced.size(), 2u);
  EXPECT_EQ(balanced[0].count, 2u);
  EXPECT_EQ(balanced[1].count, 2u);
}

TEST(GroupWordsTest, GroupStaysUntilLastWordEndsAndBridgesShortGaps) {
  CaptionTrack track = MakeTrack({{"Short.", 0, 500},   // next starts 0.2 s later: bridged
                                  {"Gap.", 700, 1000},  // next starts 0.5 s later: not bridged
                                  {"Last.", 1500, 2000}},
                                 "highlight_word", 3);
  std::vector<WordGroup> groups = GroupWords(track);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].end, Ms(700));
  EXPECT_EQ(groups[1].end, Ms(1000));
  EXPECT_EQ(groups[2].end, Ms(2000));
}

TEST(GroupWordsTest, ClosingQuotesAfterPunctuationEndASentence) {
  CaptionTrack track = MakeTrack({{"He", 0, 100},
                                  {"said", 100, 200},
                                  {"\xE2\x80\x9Cstop!\xE2\x80\x9D", 200, 300},
                                  {"Then", 300, 400}},
                                 "highlight_word", 4);
  std::vector<WordGroup> groups = GroupWords(track);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].count, 3u);
}

TEST(BuildAssScriptTest, ScriptHeaderMatchesOutputSize) {
  std::string script = BuildOrDie(Speech());
  EXPECT_THAT(script, HasSubstr("[Script Info]\n"));
  EXPECT_THAT(script, HasSubstr("PlayResX: 1080\n"));
  EXPECT_THAT(script, HasSubstr("PlayResY: 1920\n"));
  EXPECT_THAT(script, HasSubstr("ScaledBorderAndShadow: yes\n"));
  EXPECT_THAT(script, HasSubstr("WrapStyle: 0\n"));
  EXPECT_THAT(script, HasSubstr("[V4+ Styles]\n"));
  EXPECT_THAT(script, HasSubstr("[Events]\n"));
}

// Every style: events parse, each event shows a run of consecutive transcript words exactly,
// every word is shown, and no event starts before the first word it shows is spoken.
TEST(BuildAssScriptTest, EveryStyleShowsEachWordExactlyAndNeverEarly) {
  for (const std::string& style : StyleNames()) {
    SCOPED_TRACE(style);
    CaptionTrack track = Speech(style, 3);
    std::vector<Event> events = ParseEvents(BuildOrDie(track));
    ASSERT_FALSE(events.empty());
    std::vector<int> shown(track.words.size(), 0);
    for (const Event& e : events) {
      EXPECT_LT(e.start_cs, e.end_cs) << e.text;
      std::vector<std::string> visible = Split(Visible(e.text));
      ASSERT_FALSE(visible.empty()) << e.text;
      size_t first = 0;
      while (first < track.words.size() && track.words[first].text != visible[0]) ++first;
      ASSERT_LT(first, track.words.size()) << e.text;
      for (size_t k = 0; k < visible.size(); ++k) {
        ASSERT_LT(first + k, track.words.size()) << e.text;
        EXPECT_EQ(visible[k], track.words[first + k].text) << e.text;
        ++shown[first + k];
      }
      EXPECT_GE(e.start_cs * 10, track.words[first].start.ToMicroseconds() / 1000) << e.text;
    }
    for (size_t i = 0; i < shown.size(); ++i) EXPECT_GT(shown[i], 0) << track.words[i].text;
  }
}

TEST(BuildAssScriptTest, HighlightWordEventStartsWhenItsWordStartsRoundedUp) {
  CaptionTrack track = Speech("highlight_word", 3);
  std::vector<Event> events = ParseEvents(BuildOrDie(track));
  const std::string tag = "{\\1c&H00D4FF&\\fscx110\\fscy110}";
  ASSERT_EQ(events.size(), track.words.size()) << "one event per word-active interval";
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    size_t at = e.text.find(tag);
    ASSERT_NE(at, std::string::npos) << e.text;
    std::string active = Visible(e.text.substr(at));
    active = active.substr(0, active.find(' '));
    EXPECT_EQ(active, track.words[i].text);
    int64_t start_ms = track.words[i].start.ToMicroseconds() / 1000;
    EXPECT_GE(e.start_cs * 10, start_ms);
    EXPECT_LT(e.start_cs * 10 - start_ms, 10);
  }
  // 1.003 s rounds up to 1.01 s; the group holds through the pause-free gap to the next word.
  EXPECT_EQ(events[0].start_cs, 101);
  EXPECT_EQ(events[0].end_cs, events[1].start_cs);
}

TEST(BuildAssScriptTest, KaraokeTimesFillFromWordTimes) {
  CaptionTrack track = MakeTrack({{"one", 1000, 1300}, {"two", 1500, 1800}}, "karaoke", 3);
  std::vector<Event> events = ParseEvents(BuildOrDie(track));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].start_cs, 100);
  EXPECT_EQ(events[0].end_cs, 180);
  EXPECT_THAT(events[0].text, HasSubstr("{\\kf30}one{\\k20} {\\kf30}two"));
}

TEST(BuildAssScriptTest, PopInRevealsWordsOneByOne) {
  CaptionTrack track =
      MakeTrack({{"one", 1000, 1300}, {"two", 1300, 1600}, {"three", 1600, 2000}}, "pop_in", 3);
  std::vector<Event> events = ParseEvents(BuildOrDie(track));
  ASSERT_EQ(events.size(), 3u);
  const char* kWords[] = {"one", "two", "three"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_THAT(events[i].text,
                HasSubstr("\\t(0,80,\\fscx100\\fscy100)}" + std::string(kWords[i])));
    // Words not yet spoken are laid out but fully transparent.
    size_t hidden = events[i].text.find("{\\alpha&HFF&}");
    if (i + 1 < 3) {
      ASSERT_NE(hidden, std::string::npos);
      EXPECT_EQ(Visible(events[i].text.substr(hidden)).find(kWords[i]), std::string::npos);
    } else {
      EXPECT_EQ(hidden, std::string::npos);
    }
  }
}

TEST(BuildAssScriptTest, BoxedWordDrawsABoxLayerUnderTheText) {
  std::string script =
      BuildOrDie(MakeTrack({{"one", 1000, 1300}, {"two", 1300, 1600}}, "boxed_word"));
  EXPECT_THAT(script, HasSubstr("Style: Box,"));
  std::vector<Event> events = ParseEvents(script);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].layer, 0);
  EXPECT_EQ(events[0].style, "Box");
  EXPECT_EQ(events[1].layer, 1);
  EXPECT_EQ(events[1].style, "Caption");
  EXPECT_EQ(events[0].start_cs, events[1].start_cs);
}

TEST(BuildAssScriptTest, MinimalShowsLongerLinesWithoutAnimation) {
  CaptionTrack track = Speech("minimal", 3);
  std::vector<Event> events = ParseEvents(BuildOrDie(track));
  // "Nobody tells you this," is four words: one line in minimal despite max_words 3.
  bool long_line = false;
  for (const Event& e : events) {
    EXPECT_EQ(e.text.find('{'), std::string::npos) << e.text;
    long_line |= Split(Visible(e.text)).size() == 4;
  }
  EXPECT_TRUE(long_line);
}

TEST(BuildAssScriptTest, UppercaseAndEscaping) {
  CaptionTrack track =
      MakeTrack({{"caf\xC3\xA9", 0, 400}, {"{x}", 400, 800}, {"a\\N", 800, 900}}, "minimal");
  track.uppercase = true;
  std::string script = BuildOrDie(track);
  std::vector<Event> events = ParseEvents(script);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Visible(events[0].text), "CAF\xC3\x89 {X} A\\N");
  // Braces are escaped and the backslash cannot form a \N line break.
  EXPECT_THAT(events[0].text, HasSubstr("\\{X\\}"));
  EXPECT_EQ(events[0].text.find("A\\N"), std::string::npos);
}

TEST(BuildAssScriptTest, ColoursBecomeAssBgr) {
  CaptionTrack track = Speech();
  track.primary_colour = "#112233";
  track.highlight_colour = "#aabbcc";
  std::string script = BuildOrDie(track);
  EXPECT_THAT(script, HasSubstr(",&H00332211,"));
  EXPECT_THAT(script, HasSubstr("\\1c&HCCBBAA&"));
}

TEST(BuildAssScriptTest, MalformedColourIsAnError) {
  for (const char* bad : {"#FFF", "FFFFFF", "#GG0000", "", "#FFFFFF00", "red"}) {
    CaptionTrack track = Speech();
    track.highlight_colour = bad;
    Result<std::string> script = BuildAssScript(track, 1080, 1920);
    ASSERT_FALSE(script.ok()) << bad;
    EXPECT_EQ(script.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(script.status().message(), HasSubstr("highlight_colour"));
  }
}

TEST(BuildAssScriptTest, UnknownStyleIsAnError) {
  Result<std::string> script = BuildAssScript(Speech("comic_sans"), 1080, 1920);
  ASSERT_FALSE(script.ok());
  EXPECT_THAT(script.status().message(), HasSubstr("comic_sans"));
}

TEST(BuildAssScriptTest, PositionsKeepCaptionsInTheSafeZone) {
  CaptionTrack track = Speech();
  std::string lower = BuildOrDie(track);
  // Bottom-centre alignment 2, 8% side margins (87 px), baseline 30% (576 px) above the bottom.
  EXPECT_THAT(lower, HasSubstr(",2,87,87,576,1\n"));
  track.position = CaptionPosition::kTop;
  EXPECT_THAT(BuildOrDie(track), HasSubstr(",8,87,87,230,1\n"));
  track.position = CaptionPosition::kCenter;
  EXPECT_THAT(BuildOrDie(track), HasSubstr(",5,87,87,0,1\n"));
  track.position = CaptionPosition::kBottom;
  EXPECT_THAT(BuildOrDie(track), HasSubstr(",2,87,87,192,1\n"));
}

TEST(BuildAssScriptTest, TimesUseHoursMinutesSecondsCentiseconds) {
  CaptionTrack track = MakeTrack({{"late", 3723456, 3724000}}, "minimal");
  std::vector<Event> events = ParseEvents(BuildOrDie(track));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].start_cs, 372346);  // 1:02:03.46, rounded up from .456
  EXPECT_THAT(BuildOrDie(track), HasSubstr("Dialogue: 0,1:02:03.46,1:02:04.00,"));
}

}  // namespace
}  // namespace cutroom::captions
