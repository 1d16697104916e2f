#include "select/lexicon.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace cutroom::select {
namespace {

// The lists are small and looked up linearly in constexpr arrays: a std::set would allocate at
// static initialisation.
template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

constexpr std::string_view kYouWords[] = {"you", "your", "you're", "yours", "yourself", "you've"};
constexpr std::string_view kQuestionWords[] = {"why", "how", "what"};
constexpr std::string_view kQuestionOpeners[] = {
    "why",  "what",  "how",   "when",   "where",  "who",    "which", "do",   "does", "did",
    "is",   "are",   "was",   "were",   "can",    "could",  "would", "will", "should",
    "isn't", "aren't", "doesn't", "don't", "didn't", "can't", "won't"};
constexpr std::string_view kStrongWords[] = {
    "secret",  "mistake", "never",   "always", "stop",      "nobody",    "best",    "worst",
    "truth",   "wrong",   "warning", "proven", "hidden",    "everyone",  "nothing", "must",
    "biggest", "only",    "exactly", "simple", "instantly", "guaranteed"};
constexpr std::string_view kEmotionWords[] = {
    "love",         "hate",        "afraid",    "scared",   "fear",       "shocking",
    "shocked",      "crazy",       "insane",    "amazing",  "incredible", "terrible",
    "horrible",     "awful",       "brilliant", "angry",    "furious",    "surprising",
    "unbelievable", "devastating", "dangerous", "disaster", "painful",    "beautiful",
    "obsessed",     "regret",      "failure",   "failed",   "huge",       "wow"};

constexpr std::string_view kBackPointing[] = {"and",    "so",    "but",   "that",    "this", "he",
                                              "she",    "they",  "it",    "because", "also", "then",
                                              "those",  "these", "him",   "her",     "them", "it's",
                                              "that's", "he's",  "she's", "they're"};

constexpr std::string_view kNumberWords[] = {
    "zero",     "one",      "two",     "three",     "four",     "five",     "six",
    "seven",    "eight",    "nine",    "ten",       "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen",  "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty",   "forty",    "fifty",   "sixty",     "seventy",  "eighty",   "ninety",
    "hundred",  "thousand", "million", "billion",   "first",    "second",   "third",
    "fourth",   "fifth",    "tenth",   "dozen",     "half",     "percent",  "twice"};

constexpr std::string_view kStopwords[] = {
    "a",         "about",    "above",     "after",   "again",  "against", "all",      "also",
    "am",        "an",       "and",       "any",     "are",    "aren't",  "as",       "at",
    "be",        "because",  "been",      "before",  "being",  "below",   "between",  "both",
    "but",       "by",       "can",       "can't",   "cannot", "could",   "couldn't", "did",
    "didn't",    "do",       "does",      "doesn't", "doing",  "don't",   "down",     "during",
    "each",      "even",     "every",     "few",     "for",    "from",    "further",  "get",
    "gets",      "got",      "had",       "hadn't",  "has",    "hasn't",  "have",     "haven't",
    "having",    "he",       "he's",      "her",     "here",   "here's",  "hers",     "herself",
    "him",       "himself",  "his",       "how",     "i",      "i'd",     "i'll",     "i'm",
    "i've",      "if",       "in",        "into",    "is",     "isn't",   "it",       "it's",
    "its",       "itself",   "just",      "let's",   "like",   "me",      "more",     "most",
    "my",        "myself",   "no",        "nor",     "not",    "now",     "of",       "off",
    "on",        "once",     "only",      "or",      "other",  "our",     "ours",     "out",
    "over",      "own",      "really",    "same",    "she",    "she's",   "should",   "so",
    "some",      "such",     "than",      "that",    "that's", "the",     "their",    "them",
    "then",      "there",    "there's",   "these",   "they",   "they're", "thing",    "things",
    "this",      "those",    "through",   "to",      "too",    "under",   "until",    "up",
    "very",      "was",      "wasn't",    "we",      "we're",  "we've",   "were",     "weren't",
    "what",      "what's",   "when",      "where",   "which",  "while",   "who",      "whom",
    "why",       "will",     "with",      "won't",   "would",  "you",     "you're",   "your",
    "yours",     "yourself", "yeah",      "okay",    "ok",     "um",      "uh",       "erm",
    "basically", "actually", "literally", "much",    "many",   "lot",     "way",      "make",
    "go",        "going",    "know",      "mean",    "say",    "said",    "see"};

// Discourse words and vague adverbs and pronouns that the scoring stopwords keep (they matter
// to hooks and coherence): they carry no topic however often they are said.
constexpr std::string_view kVagueWords[] = {
    "anyway",  "right",   "well",    "far",      "away",     "yet",      "still",   "back",
    "ever",    "never",   "always",  "maybe",    "sure",     "guess",    "think",   "want",
    "need",    "kind",    "sort",    "stuff",    "whatever", "pretty",   "quite",   "enough",
    "almost",  "else",    "something", "anything", "everything", "nothing", "someone",
    "anyone",  "everyone", "thank",  "thanks",   "hmm",      "hey",      "yes",     "yep",
    "nope",    "gonna",   "wanna",   "gotta",    "though",   "although", "whether"};

constexpr std::string_view kAlwaysFillers[] = {"um", "uh", "erm", "umm", "uhm"};
constexpr std::string_view kFillerAdverbs[] = {"basically", "actually", "literally"};
// Words before "kind of" / "sort of" that make it a real noun phrase ("what kind of bread").
constexpr std::string_view kKindDeterminers[] = {
    "a",     "the",   "what",  "this", "that",   "any",    "some",      "every", "one",
    "which", "these", "those", "same", "that's", "what's", "different", "all"};
// Words before "you know" that make it a real question or clause ("do you know").
constexpr std::string_view kKnowAuxiliaries[] = {"do", "did",  "don't", "didn't", "if",  "what",
                                                 "as", "will", "would", "could",  "can", "should"};

bool EndsWithAny(std::string_view raw, std::string_view chars) {
  return !raw.empty() && chars.find(raw.back()) != std::string_view::npos;
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

}  // namespace

HookKind HookWordKind(std::string_view normalized) {
  if (normalized.empty()) return HookKind::kNone;
  if (Contains(kYouWords, normalized)) return HookKind::kYou;
  if (Contains(kQuestionWords, normalized)) return HookKind::kQuestion;
  std::string stem = SimpleStem(normalized);
  for (std::string_view w : kStrongWords) {
    if (w == normalized || SimpleStem(w) == stem) return HookKind::kStrong;
  }
  for (std::string_view w : kEmotionWords) {
    if (w == normalized || SimpleStem(w) == stem) return HookKind::kEmotion;
  }
  return HookKind::kNone;
}

bool TrailsOff(const std::vector<std::string>& words) {
  static const std::vector<std::vector<std::string>> kTrailingEnds = {
      {"and", "so", "on"}, {"and", "stuff"}, {"or", "something"}, {"or", "whatever"},
      {"whatever"},        {"i", "guess"},   {"you", "know"},      {"how", "it", "is"},
      {"and", "all", "that"}, {"i", "suppose"}, {"or", "so"},     {"basically"}};
  static const std::vector<std::string> kBackchannels = {
      "yeah", "yes", "right", "okay", "ok", "well", "hmm", "mm", "uh", "um", "oh", "so", "anyway",
      "like", "i", "mean", "guess", "whatever", "and", "h", "m"};
  std::vector<std::string> w;
  for (const auto& x : words) {
    if (!x.empty()) w.push_back(x);
  }
  if (w.empty()) return false;
  for (const auto& end : kTrailingEnds) {
    if (w.size() >= end.size() && std::equal(end.rbegin(), end.rend(), w.rbegin())) return true;
  }
  size_t hedges = 0;
  for (const auto& x : w) hedges += std::find(kBackchannels.begin(), kBackchannels.end(), x) != kBackchannels.end();
  return hedges * 5 >= w.size() * 2;  // 40% hedges and backchannels
}

bool IsBackPointingOpener(std::string_view normalized) {
  return Contains(kBackPointing, normalized);
}

bool IsNumberWord(std::string_view normalized) {
  if (normalized.empty()) return false;
  if (std::isdigit(static_cast<unsigned char>(normalized.front()))) return true;
  if (Contains(kNumberWords, normalized)) return true;
  // "twenty-five" is normalised without the hyphen; "hundreds", "millions".
  if (normalized.size() > 1 && normalized.back() == 's' &&
      Contains(kNumberWords, normalized.substr(0, normalized.size() - 1))) {
    return true;
  }
  return false;
}

bool IsVagueWord(std::string_view normalized) { return Contains(kVagueWords, normalized); }

bool IsQuestionOpener(std::string_view normalized) { return Contains(kQuestionOpeners, normalized); }

bool IsStopword(std::string_view normalized) { return Contains(kStopwords, normalized); }

std::string SimpleStem(std::string_view normalized) {
  std::string w(normalized);
  if (w.size() <= 3) return w;
  if (w.size() > 2 && w.substr(w.size() - 2) == "'s") w.resize(w.size() - 2);
  auto ends = [&w](std::string_view suffix) {
    return w.size() >= suffix.size() + 3 &&
           w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  bool verb_suffix = false;
  if (ends("ies")) {
    w.resize(w.size() - 3);
    w += 'y';
  } else if (ends("ing")) {
    w.resize(w.size() - 3);
    verb_suffix = true;
  } else if (ends("ed")) {
    w.resize(w.size() - 2);
    verb_suffix = true;
  } else if (ends("es")) {
    w.resize(w.size() - 2);
  } else if (ends("ly")) {
    w.resize(w.size() - 2);
  } else if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) {
    w.resize(w.size() - 1);
  }
  // "running" -> "runn" -> "run"; "baked" / "bake" -> "bak".
  if (verb_suffix && w.size() >= 3 && w.back() == w[w.size() - 2] && !IsVowel(w.back()) &&
      w.back() != 'l' && w.back() != 's' && w.back() != 'z') {
    w.pop_back();
  }
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  return w;
}

std::vector<bool> MarkFillers(const std::vector<std::string>& raw,
                              const std::vector<std::string>& normalized) {
  const size_t n = normalized.size();
  std::vector<bool> filler(n, false);
  // A word opens a clause when it is the first word or the previous one ends in punctuation.
  auto opens_clause = [&](size_t i) { return i == 0 || EndsWithAny(raw[i - 1], ",.?!;:"); };
  auto closes_clause = [&](size_t i) { return i + 1 == n || EndsWithAny(raw[i], ",.?!;:"); };
  for (size_t i = 0; i < n; ++i) {
    const std::string& w = normalized[i];
    if (Contains(kAlwaysFillers, w) || Contains(kFillerAdverbs, w)) {
      filler[i] = true;
    } else if (w == "like") {
      // "it was, like, huge" / "um like"; not "I like bread".
      if (EndsWithAny(raw[i], ",") || (i > 0 && EndsWithAny(raw[i - 1], ",")) ||
          (i > 0 && filler[i - 1]) || i == 0) {
        filler[i] = true;
      }
    } else if (i + 1 < n && w == "you" && normalized[i + 1] == "know") {
      bool auxiliary = i > 0 && Contains(kKnowAuxiliaries, normalized[i - 1]) &&
                       !EndsWithAny(raw[i - 1], ",.?!;:");
      if (!auxiliary && (opens_clause(i) || closes_clause(i + 1))) {
        filler[i] = filler[i + 1] = true;
      }
    } else if (i + 1 < n && w == "i" && normalized[i + 1] == "mean") {
      if (closes_clause(i + 1) || opens_clause(i)) filler[i] = filler[i + 1] = true;
    } else if (i + 1 < n && (w == "sort" || w == "kind") && normalized[i + 1] == "of") {
      bool noun_phrase = i > 0 && Contains(kKindDeterminers, normalized[i - 1]) &&
                         !EndsWithAny(raw[i - 1], ",.?!;:");
      if (!noun_phrase) filler[i] = filler[i + 1] = true;
    }
  }
  return filler;
}

}  // namespace cutroom::select
