#include "select/metadata.h"

#include <gtest/gtest.h>

#include <cctype>

#include "select/lexicon.h"
#include "select/test_transcript.h"

namespace cutroom::select {
namespace {

using testing::TranscriptBuilder;

std::vector<std::string> Normalized(std::string_view text) {
  std::vector<std::string> out;
  for (const std::string& w : speech::SplitWords(text)) {
    std::string n = speech::NormalizeWord(w);
    if (!n.empty()) out.push_back(n);
  }
  return out;
}

// Whether the title's words appear, in order and contiguously, in one sentence of the clip.
bool TitleComesFromASentence(const std::string& title, const speech::Transcript& t, int first,
                             int last) {
  std::vector<std::string> title_words = Normalized(title);
  if (title_words.empty()) return false;
  for (int s = first; s <= last; ++s) {
    std::vector<std::string> words = Normalized(t.sentences[static_cast<size_t>(s)].text);
    for (size_t i = 0; i + title_words.size() <= words.size(); ++i) {
      if (std::equal(title_words.begin(), title_words.end(),
                     words.begin() + static_cast<long>(i))) {
        return true;
      }
    }
  }
  return false;
}

// Splits "#SourdoughStarter" into {"sourdough", "starter"}; empty when not #CamelCase.
std::vector<std::string> CamelWords(const std::string& tag) {
  std::vector<std::string> words;
  if (tag.size() < 2 || tag[0] != '#' || !std::isupper(static_cast<unsigned char>(tag[1]))) {
    return {};
  }
  for (size_t i = 1; i < tag.size(); ++i) {
    char c = tag[i];
    if (!std::isalnum(static_cast<unsigned char>(c))) return {};
    if (std::isupper(static_cast<unsigned char>(c))) words.emplace_back();
    words.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return words;
}

speech::Transcript BakingTalk() {
  return TranscriptBuilder()
      .Say("The weather was nice and we talked for a while about many different things.")
      .Say("Why does your sourdough starter smell like nail polish?")
      .Say("A hungry sourdough starter makes acetone when the yeast runs out of flour.")
      .Say("Feed the sourdough starter twice a day with fresh rye flour.")
      .Say("Within a week the yeast is strong and the smell is gone.", 1.0)
      .Say("Next we will talk about telescopes and the stars.")
      .Build();
}

TEST(MetadataTest, TitleIsTheHookSentenceInSentenceCase) {
  speech::Transcript t = BakingTalk();
  SourceContext context = BuildSourceContext(t.words, t.sentences, {}, {});
  Window w{t.sentences[1].start, t.sentences[4].end, 1, 4};
  ClipMetadata m = ExtractMetadata(context, w);
  EXPECT_EQ(m.title, "Why does your sourdough starter smell like nail polish?");
  EXPECT_LE(m.title.size(), kMaxTitleChars);
  EXPECT_TRUE(TitleComesFromASentence(m.title, t, 1, 4));
  EXPECT_EQ(m.description.rfind("Why does your sourdough starter", 0), 0u) << m.description;
  EXPECT_LE(m.description.size(), kDescriptionChars + 3);
  EXPECT_EQ(m.text.rfind("Why does", 0), 0u);
}

TEST(MetadataTest, HashtagsAreCamelCaseKeyphrasesOfTheClip) {
  speech::Transcript t = BakingTalk();
  SourceContext context = BuildSourceContext(t.words, t.sentences, {}, {});
  Window w{t.sentences[1].start, t.sentences[4].end, 1, 4};
  ClipMetadata m = ExtractMetadata(context, w);
  ASSERT_GE(m.hashtags.size(), 3u);
  ASSERT_LE(m.hashtags.size(), 5u);
  std::vector<std::string> clip_words = Normalized(m.text);
  for (const std::string& tag : m.hashtags) {
    std::vector<std::string> words = CamelWords(tag);
    ASSERT_FALSE(words.empty()) << tag << " is not #CamelCase";
    for (const std::string& word : words) {
      EXPECT_FALSE(IsStopword(word)) << tag;
      EXPECT_NE(std::find(clip_words.begin(), clip_words.end(), word), clip_words.end())
          << tag << ": \"" << word << "\" is not in the clip";
    }
  }
  EXPECT_EQ(m.hashtags[0], "#SourdoughStarter") << "the phrase the clip repeats comes first";
}

// Recognised speech: a word the recogniser barely heard (here "telescope", confidence 0.1) or a
// discourse word ("anyway") makes no tag, however often it comes.
TEST(MetadataTest, HashtagsSkipMisheardAndDiscourseWords) {
  speech::Transcript t = TranscriptBuilder()
                             .Say("Anyway, the telescope shows the rings of Saturn tonight.")
                             .Say("Anyway, a telescope with a wide mirror gathers more light.")
                             .Say("Anyway, the rings of Saturn are made of ice and rock.")
                             .Build();
  SourceContext heard = BuildSourceContext(t.words, t.sentences, {}, {});
  Window w{t.sentences[0].start, t.sentences[2].end, 0, 2};
  const std::vector<std::string> all = ExtractMetadata(heard, w).hashtags;
  EXPECT_NE(std::find(all.begin(), all.end(), "#Telescope"), all.end())
      << "known text: the repeated word is a tag";
  for (speech::Word& word : t.words) {
    if (speech::NormalizeWord(word.text) == "telescope") word.confidence = 0.1f;
  }
  SourceContext misheard = BuildSourceContext(t.words, t.sentences, {}, {});
  const std::vector<std::string> tags = ExtractMetadata(misheard, w).hashtags;
  ASSERT_FALSE(tags.empty());
  for (const std::string& tag : tags) {
    EXPECT_EQ(tag.find("Telescope"), std::string::npos) << tag;
    EXPECT_EQ(tag.find("Anyway"), std::string::npos) << tag;
  }
  EXPECT_NE(std::find(tags.begin(), tags.end(), "#Saturn"), tags.end());
}

TEST(MetadataTest, LongTitlesAreCutAtAWordAndKeyphraseDensityPicksTheSentence) {
  speech::Transcript t =
      TranscriptBuilder()
          .Say("It was a day like the others.")
          .Say(
              "Careful shaping keeps the gluten network of the loaf tight so that the oven "
              "spring lifts the crust evenly all around.")
          .Build();
  SourceContext context = BuildSourceContext(t.words, t.sentences, {}, {});
  Window w{t.sentences[0].start, t.sentences[1].end, 0, 1};
  EXPECT_EQ(TitleSentence(context, w), 1) << "the opener neither hooks nor carries keywords";
  ClipMetadata m = ExtractMetadata(context, w);
  EXPECT_LE(m.title.size(), kMaxTitleChars);
  EXPECT_EQ(m.title.rfind("Careful shaping keeps the gluten", 0), 0u) << m.title;
  EXPECT_TRUE(TitleComesFromASentence(m.title, t, 0, 1));
  EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(m.title.back()))) << m.title;
}

TEST(MetadataTest, TitleCleanup) {
  auto title = [](std::string_view text) {
    std::vector<std::string> raw = speech::SplitWords(text);
    std::vector<std::string> normalized;
    for (const std::string& w : raw) normalized.push_back(speech::NormalizeWord(w));
    return TitleFromWords(raw, normalized);
  };
  EXPECT_EQ(title("so, um, here's the secret."), "Here's the secret");
  EXPECT_EQ(title("THIS CHANGES EVERYTHING!"), "This changes everything!");
  EXPECT_EQ(title("And so?"), "And so?");
  EXPECT_EQ(CamelCaseHashtag({"build", "in", "public"}), "#BuildInPublic");
  EXPECT_EQ(CamelCaseHashtag({"don't"}), "#Dont");
}

}  // namespace
}  // namespace cutroom::select
