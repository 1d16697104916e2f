// Transcript: words with exact times, from subtitles, alignment or recognition. Sentences are
// derived from the words (punctuation and pauses), never edited on their own.
//
// Thread safety: value types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::speech {

// Where a transcript's words came from, best first. Serialised as the string in parentheses.
enum class TranscriptSource {
  kInvalid = 0,
  kSubtitles,   // "subtitles": cue text, word times aligned inside each cue
  kAlignment,   // "alignment": known text aligned to the audio
  kHttpAsr,     // "http_asr": an OpenAI-compatible transcription server
  kBuiltinAsr,  // "builtin_asr": pocketsphinx
  kSynthesis,   // "synthesis": word times reported by a speech synthesizer
};
std::string_view TranscriptSourceName(TranscriptSource source);
Result<TranscriptSource> ParseTranscriptSource(std::string_view name);

struct Word {
  std::string text;         // as shown to people (case and punctuation kept)
  MediaTime start;          // source time
  MediaTime end;            // > start
  float confidence = 1.0f;  // 0..1; 1 for text that was known (subtitles, alignment)
  std::string speaker;      // empty when unknown
};

struct Sentence {
  std::string text;  // its words joined by single spaces
  MediaTime start;   // first word's start
  MediaTime end;     // last word's end
  int first_word = 0;
  int word_count = 0;
};

struct Transcript {
  std::string language = "en";  // BCP 47 / ISO 639-1
  TranscriptSource source = TranscriptSource::kInvalid;
  std::vector<Word> words;          // in time order, not overlapping
  std::vector<Sentence> sentences;  // derived by DeriveSentences()
  // Things a user should know about the result (e.g. "audio is 8000 Hz: accuracy will be poor").
  std::vector<std::string> warnings;
};

struct SentenceOptions {
  // A silence at least this long between two words ends a sentence even without punctuation
  // (recognizers produce none).
  MediaTime pause = MediaTime(700, {1, 1000});
  // A sentence never grows past this many words (run-on speech with no pauses).
  int max_words = 40;
};

// Splits `words` into sentences at ., ?, ! (also before closing quotes), at pauses and at
// max_words.
std::vector<Sentence> DeriveSentences(const std::vector<Word>& words,
                                      const SentenceOptions& options = {});

// Sorts words by start, then clamps each start to the previous end so that no two overlap and
// every word keeps a positive length (a word squeezed to nothing gets 1 ms). Re-derives sentences.
void NormalizeTranscript(Transcript* transcript, const SentenceOptions& options = {});

// The JSON form documented in docs/transcript.md. Times are seconds with 3 decimals.
std::string TranscriptToJson(const Transcript& transcript);
// Errors: not JSON, missing or wrongly typed fields, end before start (messages name the word).
Result<Transcript> TranscriptFromJson(std::string_view json);

// Words of `text` as a person reads them: split at whitespace, punctuation kept on the word.
std::vector<std::string> SplitWords(std::string_view text);
// Lower-cased ASCII letters, digits and inner apostrophes; "" for a token of pure punctuation.
// Non-ASCII bytes (UTF-8 letters) are kept as they are.
std::string NormalizeWord(std::string_view word);
// Word error rate of `hypothesis` against `reference` (both compared after NormalizeWord,
// empty tokens ignored): (substitutions + deletions + insertions) / reference words.
// An empty reference gives 0 for an empty hypothesis, else 1.
double WordErrorRate(const std::vector<std::string>& reference,
                     const std::vector<std::string>& hypothesis);

}  // namespace cutroom::speech
