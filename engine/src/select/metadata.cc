#include "select/metadata.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "select/lexicon.h"

namespace cutroom::select {
namespace {

constexpr std::string_view kDroppedOpeners[] = {
    "and", "so",   "but",  "well", "okay",      "ok",       "um",   "uh",
    "erm", "like", "yeah", "now",  "basically", "actually", "also", "then"};

bool IsDroppedOpener(std::string_view w) {
  return std::find(std::begin(kDroppedOpeners), std::end(kDroppedOpeners), w) !=
         std::end(kDroppedOpeners);
}

bool IsTrailingJunk(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '-' || c == ' ' || c == '"' ||
         c == '\'' || c == '(' || c == ')';
}

bool AllLetters(std::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string Join(const std::vector<std::string>& parts, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (!out.empty()) out += ' ';
    out += parts[i];
  }
  return out;
}

// Cuts `text` at the last space that keeps it within max_chars (mid-word only when a single word
// is longer than that).
std::string CutAtWord(const std::string& text, size_t max_chars) {
  if (text.size() <= max_chars) return text;
  size_t space = text.rfind(' ', max_chars);
  return text.substr(0, space == std::string::npos || space == 0 ? max_chars : space);
}

bool SentenceHooks(const SourceContext& context, int sentence) {
  const speech::Sentence& s = context.sentences[static_cast<size_t>(sentence)];
  std::string_view text = s.text;
  while (!text.empty() && (text.back() == '"' || text.back() == '\'')) text.remove_suffix(1);
  if (!text.empty() && text.back() == '?') return true;
  for (int i = 0; i < s.word_count; ++i) {
    const std::string& w = context.normalized[static_cast<size_t>(s.first_word + i)];
    HookKind kind = HookWordKind(w);
    if (IsNumberWord(w) || kind == HookKind::kStrong || kind == HookKind::kEmotion) return true;
    if (i == 0 && IsQuestionOpener(w)) return true;
  }
  return false;
}

struct Phrase {
  std::string key;  // stems joined by a space
  double score = 0;
  std::vector<std::string> stems;
  std::vector<std::string> surface;  // the most frequent surface form, word by word
};

// A recognised word below this confidence is as likely a mishearing as the word ("year" heard
// as "hear" scores ~0.1 in pocketsphinx's posteriors): no tag is made of it.
constexpr float kMinTagConfidence = 0.5f;

// Keyphrase candidates of one sentence: eligible single words and adjacent eligible pairs not
// separated by punctuation. Calls fn(key, stems, surface words).
template <typename Fn>
void ForEachPhrase(const SourceContext& context, const speech::Sentence& sentence, Fn fn) {
  auto eligible = [&](size_t i) {
    const std::string& w = context.normalized[i];
    bool filler = context.filler_prefix[i + 1] != context.filler_prefix[i];
    const bool heard = i >= context.confidence.size() || context.confidence[i] >= kMinTagConfidence;
    return w.size() >= 3 && AllLetters(w) && !IsStopword(w) && !IsNumberWord(w) && !filler &&
           heard && HookWordKind(w) != HookKind::kYou && !IsVagueWord(w);
  };
  const size_t begin = static_cast<size_t>(sentence.first_word);
  const size_t end = begin + static_cast<size_t>(sentence.word_count);
  for (size_t i = begin; i < end; ++i) {
    if (!eligible(i)) continue;
    fn(context.stems[i], std::vector<std::string>{context.stems[i]},
       std::vector<std::string>{context.normalized[i]});
    const std::string& raw = context.raw[i];
    bool punctuated = !raw.empty() && !std::isalnum(static_cast<unsigned char>(raw.back()));
    if (i + 1 < end && !punctuated && eligible(i + 1)) {
      fn(context.stems[i] + " " + context.stems[i + 1],
         std::vector<std::string>{context.stems[i], context.stems[i + 1]},
         std::vector<std::string>{context.normalized[i], context.normalized[i + 1]});
    }
  }
}

std::vector<std::string> Hashtags(const SourceContext& context, const Window& window) {
  const size_t sentences = context.sentences.size();
  std::unordered_map<std::string, int> df;
  for (const speech::Sentence& s : context.sentences) {
    std::set<std::string> seen;
    ForEachPhrase(context, s, [&](const std::string& key, const auto&, const auto&) {
      if (seen.insert(key).second) ++df[key];
    });
  }
  std::map<std::string, int> tf;
  std::map<std::string, std::vector<std::string>> stems_of;
  std::map<std::string, std::map<std::vector<std::string>, int>> surfaces;
  for (int s = window.first_sentence; s <= window.last_sentence; ++s) {
    ForEachPhrase(context, context.sentences[static_cast<size_t>(s)],
                  [&](const std::string& key, const std::vector<std::string>& stems,
                      const std::vector<std::string>& surface) {
                    ++tf[key];
                    stems_of[key] = stems;
                    ++surfaces[key][surface];
                  });
  }
  std::vector<Phrase> phrases;
  for (const auto& [key, count] : tf) {
    const auto& stems = stems_of[key];
    // A two-word phrase said once is usually chance ("perfect loaf"); said twice it is a name.
    if (stems.size() > 1 && count < 2) continue;
    double idf = std::log((1.0 + static_cast<double>(sentences)) / (1.0 + df[key])) + 1.0;
    Phrase p;
    p.key = key;
    p.stems = stems;
    p.score = count * idf * (stems.size() > 1 ? 1.5 : 1.0);
    int best = -1;
    for (const auto& [surface, n] : surfaces[key]) {
      if (n > best) {
        best = n;
        p.surface = surface;
      }
    }
    phrases.push_back(std::move(p));
  }
  std::sort(phrases.begin(), phrases.end(), [](const Phrase& a, const Phrase& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.key < b.key;
  });
  std::vector<std::string> tags;
  std::set<std::string> used_stems;
  for (const Phrase& p : phrases) {
    if (tags.size() >= 5) break;
    if (tags.size() >= 3 && p.score < 0.3 * phrases.front().score) break;
    bool shares = std::any_of(p.stems.begin(), p.stems.end(),
                              [&](const std::string& s) { return used_stems.count(s) > 0; });
    if (shares) continue;
    used_stems.insert(p.stems.begin(), p.stems.end());
    tags.push_back(CamelCaseHashtag(p.surface));
  }
  return tags;
}

std::string Description(const SourceContext& context, const Window& window) {
  std::string text = context.sentences[static_cast<size_t>(window.first_sentence)].text;
  if (window.last_sentence > window.first_sentence) {
    const std::string& second =
        context.sentences[static_cast<size_t>(window.first_sentence + 1)].text;
    if (text.size() + 1 + second.size() <= kDescriptionChars) text += " " + second;
  }
  if (text.size() > kDescriptionChars) {
    text = CutAtWord(text, kDescriptionChars - 3);
    while (!text.empty() && IsTrailingJunk(text.back())) text.pop_back();
    text += "\xE2\x80\xA6";  // an ellipsis
  }
  return text;
}

std::string Clock(double seconds) {
  long total = std::lround(seconds);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%ld:%02ld", total / 60, total % 60);
  return buffer;
}

}  // namespace

std::string CamelCaseHashtag(const std::vector<std::string>& words) {
  std::string tag = "#";
  for (const std::string& word : words) {
    bool first = true;
    for (char c : word) {
      if (!std::isalnum(static_cast<unsigned char>(c))) continue;
      tag += first ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                   : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      first = false;
    }
  }
  return tag;
}

std::string TitleFromWords(const std::vector<std::string>& raw_words,
                           const std::vector<std::string>& normalized_words, size_t max_chars) {
  if (raw_words.empty()) return "";
  size_t begin = 0;
  // Keep at least two words: "So?" stays a title.
  while (begin + 2 < raw_words.size() &&
         (IsDroppedOpener(normalized_words[begin]) || normalized_words[begin].empty())) {
    ++begin;
  }
  // Whole words up to max_chars; a cut title does not end on a function word ("... so that the").
  size_t end = begin;
  size_t length = 0;
  while (end < raw_words.size() &&
         length + (end > begin ? 1 : 0) + raw_words[end].size() <= max_chars) {
    length += (end > begin ? 1 : 0) + raw_words[end].size();
    ++end;
  }
  std::string title;
  if (end == begin) {
    title = CutAtWord(raw_words[begin], max_chars);  // one word longer than a title
  } else {
    if (end < raw_words.size()) {
      while (end > begin + 1 && IsStopword(normalized_words[end - 1])) --end;
    }
    title = Join(raw_words, begin, end);
  }
  // A dropped opener may leave a leading comma or dash behind.
  size_t lead = 0;
  while (lead < title.size() && (title[lead] == ',' || title[lead] == '-' || title[lead] == ' ')) {
    ++lead;
  }
  title.erase(0, lead);
  while (!title.empty() && IsTrailingJunk(title.back())) title.pop_back();
  bool has_lower =
      std::any_of(title.begin(), title.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (!has_lower) {
    for (char& c : title) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (char& c : title) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      break;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) break;
  }
  return title;
}

int TitleSentence(const SourceContext& context, const Window& window) {
  if (SentenceHooks(context, window.first_sentence)) return window.first_sentence;
  int best = window.first_sentence;
  double best_density = -1;
  for (int pass = 0; pass < 2 && best_density < 0; ++pass) {
    for (int s = window.first_sentence; s <= window.last_sentence; ++s) {
      const speech::Sentence& sentence = context.sentences[static_cast<size_t>(s)];
      // Prefer sentences of 4+ words; a second pass takes any.
      if (pass == 0 && sentence.word_count < 4) continue;
      double weight = 0;
      for (const std::string& term : context.sentence_terms[static_cast<size_t>(s)]) {
        auto it = context.idf.find(term);
        if (it != context.idf.end()) weight += it->second;
      }
      double density = weight / std::max(1, sentence.word_count);
      if (density > best_density) {
        best_density = density;
        best = s;
      }
    }
  }
  return best;
}

ClipMetadata ExtractMetadata(const SourceContext& context, const Window& window) {
  ClipMetadata m;
  if (!window.HasSpeech()) {
    m.title = "Highlight at " + Clock(window.start.ToSeconds());
    m.description = "A moment from " + Clock(window.start.ToSeconds()) + " to " +
                    Clock(window.end.ToSeconds()) + ", chosen from audio and visual signals.";
    return m;
  }
  for (int s = window.first_sentence; s <= window.last_sentence; ++s) {
    if (!m.text.empty()) m.text += ' ';
    m.text += context.sentences[static_cast<size_t>(s)].text;
  }
  const speech::Sentence& title_sentence =
      context.sentences[static_cast<size_t>(TitleSentence(context, window))];
  const auto first = static_cast<std::ptrdiff_t>(title_sentence.first_word);
  const auto last = first + title_sentence.word_count;
  m.title = TitleFromWords(
      std::vector<std::string>(context.raw.begin() + first, context.raw.begin() + last),
      std::vector<std::string>(context.normalized.begin() + first,
                               context.normalized.begin() + last));
  m.description = Description(context, window);
  m.hashtags = Hashtags(context, window);
  return m;
}

}  // namespace cutroom::select
