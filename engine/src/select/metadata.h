// Extractive metadata for a clip: a title from its hook sentence (or its most keyword-dense
// sentence), a description from its first sentences, and hashtags from TF-IDF keyphrases of the
// clip against the whole transcript. No LLM.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "select/candidates.h"
#include "select/features.h"

namespace cutroom::select {

inline constexpr size_t kMaxTitleChars = 70;
inline constexpr size_t kDescriptionChars = 200;

struct ClipMetadata {
  std::string title;        // <= 70 chars, sentence case, no trailing punctuation but ? and !
  std::string description;  // the first 1-2 sentences, about 200 chars at most
  std::vector<std::string> hashtags;  // 3-5 "#CamelCase" keyphrases (fewer for tiny clips)
  std::string text;                   // the clip's sentences, joined
};

ClipMetadata ExtractMetadata(const SourceContext& context, const Window& window);

// Which sentence of the window gives the title: the first when it hooks (a question, a number,
// a hook word, an opening why/how/what), else the one with the most TF-IDF weight per word.
int TitleSentence(const SourceContext& context, const Window& window);

// `words` joined, without leading fillers and back-pointing conjunctions ("So, um, here's" ->
// "Here's"), cut at a word boundary to max_chars, first letter upper-cased (all-caps text is
// lower-cased first), trailing punctuation other than ? and ! removed.
std::string TitleFromWords(const std::vector<std::string>& raw_words,
                           const std::vector<std::string>& normalized_words,
                           size_t max_chars = kMaxTitleChars);

// "#SourdoughStarter" from {"sourdough", "starter"}: letters and digits only.
std::string CamelCaseHashtag(const std::vector<std::string>& words);

}  // namespace cutroom::select
