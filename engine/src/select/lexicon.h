// Word lists for scoring and metadata: hook words, openers that point back, filler words and
// English stopwords, plus a simple suffix stemmer. All lookups take NormalizeWord() output
// (lower-case ASCII, inner apostrophes kept).
//
// Thread safety: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cutroom::select {

enum class HookKind {
  kNone = 0,
  kYou,       // you, your, you're, yourself
  kQuestion,  // why, how, what
  kStrong,    // secret, mistake, never, always, stop, nobody, best, worst, ...
  kEmotion,   // love, hate, scared, shocking, crazy, ...
};
// Also matches simple inflections ("mistakes", "secrets").
HookKind HookWordKind(std::string_view normalized);

// Words that open a question when they open a sentence: wh-words and the auxiliaries of yes/no
// questions ("is it true that...", "could a person..."). Recognised speech has no "?", so the
// first word is most of what tells a question.
bool IsQuestionOpener(std::string_view normalized);

// Words that make an opening sentence depend on what came before ("and", "so", "he", "this").
bool IsBackPointingOpener(std::string_view normalized);

// Digits ("3", "1990s") or English number words ("three", "hundred", "first").
bool IsNumberWord(std::string_view normalized);

// Words that carry no topic however often they are said ("anyway", "right", "maybe",
// "something"), beyond the stopwords: never a hashtag.
bool IsVagueWord(std::string_view normalized);

// Function words that carry no topic (for TF-IDF terms, topics and hashtags).
bool IsStopword(std::string_view normalized);

// Strips common English suffixes so that "baking", "bakes" and "baked" meet: "bak". Words of up
// to 3 letters are kept as they are.
std::string SimpleStem(std::string_view normalized);

// For each word, whether it is (part of) a filler: um, uh, erm, basically, actually, literally
// always; "like", "you know", "I mean", "sort of", "kind of" only where they are used as fillers
// (judged from neighbouring words and commas). `raw` are the words as shown (punctuation kept),
// `normalized` their NormalizeWord() forms. REQUIRES: raw.size() == normalized.size().
std::vector<bool> MarkFillers(const std::vector<std::string>& raw,
                              const std::vector<std::string>& normalized);

// Whether a sentence (its normalized words) trails off instead of landing a point: it ends on a
// hedge such as "and so on", "i guess", "you know", "or whatever", "how it is", or is mostly
// hedges and backchannels ("yeah", "right", "okay", "well", "hmm"): 40% or more of it.
bool TrailsOff(const std::vector<std::string>& normalized);

}  // namespace cutroom::select
