#include "speech/transcript.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

namespace cutroom::speech {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

struct SourceName {
  TranscriptSource source;
  std::string_view name;
};
constexpr std::array<SourceName, 5> kSourceNames = {{
    {TranscriptSource::kSubtitles, "subtitles"},
    {TranscriptSource::kAlignment, "alignment"},
    {TranscriptSource::kHttpAsr, "http_asr"},
    {TranscriptSource::kBuiltinAsr, "builtin_asr"},
    {TranscriptSource::kSynthesis, "synthesis"},
}};

const Rational kMillis{1, 1000};

bool EndsSentence(std::string_view text) {
  while (!text.empty() && (text.back() == '"' || text.back() == '\'' || text.back() == ')' ||
                           text.back() == ']')) {
    text.remove_suffix(1);
  }
  if (text.empty()) return false;
  if (text.back() == '.' || text.back() == '?' || text.back() == '!') return true;
  // UTF-8 ellipsis and fullwidth/CJK stops.
  for (std::string_view stop : {"\xE2\x80\xA6", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"}) {
    if (text.size() >= stop.size() && text.substr(text.size() - stop.size()) == stop) return true;
  }
  return false;
}

// Milliseconds as "12.345" (locale independent).
double Seconds3(const MediaTime& t) {
  return static_cast<double>(t.Rescale(kMillis)) / 1000.0;
}

MediaTime FromSeconds(double s) { return MediaTime(std::llround(s * 1000.0), kMillis); }

Result<MediaTime> TimeField(const Json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) return InvalidArgumentError(where + ": missing \"" + key + "\"");
  if (!it->is_number()) return InvalidArgumentError(where + ": \"" + key + "\" is not a number");
  double s = it->get<double>();
  if (!std::isfinite(s) || s < 0 || s > 1e9) {
    return InvalidArgumentError(where + ": \"" + key + "\" is out of range");
  }
  return FromSeconds(s);
}

Result<std::string> StringField(const Json& object, const char* key, const std::string& where,
                                bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return InvalidArgumentError(where + ": missing \"" + key + "\"");
    return std::string();
  }
  if (!it->is_string()) return InvalidArgumentError(where + ": \"" + key + "\" is not a string");
  return it->get<std::string>();
}

Result<Transcript> ParseTranscript(const Json& root) {
  if (!root.is_object()) return InvalidArgumentError("transcript: not a JSON object");
  Transcript t;
  CR_ASSIGN_OR_RETURN(std::string language, StringField(root, "language", "transcript", false));
  if (!language.empty()) t.language = language;
  CR_ASSIGN_OR_RETURN(std::string source, StringField(root, "source", "transcript", true));
  CR_ASSIGN_OR_RETURN(t.source, ParseTranscriptSource(source));
  auto words = root.find("words");
  if (words == root.end() || !words->is_array()) {
    return InvalidArgumentError("transcript: \"words\" must be an array");
  }
  for (size_t i = 0; i < words->size(); ++i) {
    const Json& w = (*words)[i];
    const std::string where = "words[" + std::to_string(i) + "]";
    if (!w.is_object()) return InvalidArgumentError(where + ": not an object");
    Word word;
    CR_ASSIGN_OR_RETURN(word.text, StringField(w, "text", where, true));
    CR_ASSIGN_OR_RETURN(word.start, TimeField(w, "start_s", where));
    CR_ASSIGN_OR_RETURN(word.end, TimeField(w, "end_s", where));
    if (word.end < word.start) {
      return InvalidArgumentError(where + " (\"" + word.text + "\"): end_s is before start_s");
    }
    if (auto c = w.find("confidence"); c != w.end()) {
      if (!c->is_number()) return InvalidArgumentError(where + ": \"confidence\" is not a number");
      word.confidence = std::clamp(c->get<float>(), 0.0f, 1.0f);
    }
    CR_ASSIGN_OR_RETURN(word.speaker, StringField(w, "speaker", where, false));
    t.words.push_back(std::move(word));
  }
  if (auto warnings = root.find("warnings"); warnings != root.end()) {
    if (!warnings->is_array()) return InvalidArgumentError("transcript: \"warnings\" not an array");
    for (const Json& w : *warnings) {
      if (w.is_string()) t.warnings.push_back(w.get<std::string>());
    }
  }
  // Sentences are derived data: recomputed rather than trusted.
  t.sentences = DeriveSentences(t.words);
  return t;
}

}  // namespace

std::string_view TranscriptSourceName(TranscriptSource source) {
  for (const SourceName& s : kSourceNames) {
    if (s.source == source) return s.name;
  }
  return "invalid";
}

Result<TranscriptSource> ParseTranscriptSource(std::string_view name) {
  for (const SourceName& s : kSourceNames) {
    if (s.name == name) return s.source;
  }
  return InvalidArgumentError("unknown transcript source \"" + std::string(name) + "\"");
}

std::vector<Sentence> DeriveSentences(const std::vector<Word>& words,
                                      const SentenceOptions& options) {
  std::vector<Sentence> sentences;
  Sentence current;
  auto flush = [&] {
    if (current.word_count > 0) sentences.push_back(current);
    current = Sentence();
  };
  for (size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (current.word_count > 0 &&
        (w.start - current.end >= options.pause || current.word_count >= options.max_words)) {
      flush();
    }
    if (current.word_count == 0) {
      current.first_word = static_cast<int>(i);
      current.start = w.start;
    } else {
      current.text += ' ';
    }
    current.text += w.text;
    current.end = w.end;
    ++current.word_count;
    if (EndsSentence(w.text)) flush();
  }
  flush();
  return sentences;
}

void NormalizeTranscript(Transcript* transcript, const SentenceOptions& options) {
  std::vector<Word>& words = transcript->words;
  std::stable_sort(words.begin(), words.end(),
                   [](const Word& a, const Word& b) { return a.start < b.start; });
  const MediaTime kMinLength(1, kMillis);
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && words[i].start < words[i - 1].end) words[i].start = words[i - 1].end;
    if (words[i].end <= words[i].start) words[i].end = words[i].start + kMinLength;
  }
  transcript->sentences = DeriveSentences(words, options);
}

std::string TranscriptToJson(const Transcript& t) {
  OrderedJson root = OrderedJson::object();
  root["version"] = 1;
  root["language"] = t.language;
  root["source"] = std::string(TranscriptSourceName(t.source));
  OrderedJson words = OrderedJson::array();
  for (const Word& w : t.words) {
    OrderedJson word = OrderedJson::object();
    word["text"] = w.text;
    word["start_s"] = Seconds3(w.start);
    word["end_s"] = Seconds3(w.end);
    word["confidence"] = std::round(static_cast<double>(w.confidence) * 1000.0) / 1000.0;
    if (!w.speaker.empty()) word["speaker"] = w.speaker;
    words.push_back(std::move(word));
  }
  root["words"] = std::move(words);
  OrderedJson sentences = OrderedJson::array();
  for (const Sentence& s : t.sentences) {
    OrderedJson sentence = OrderedJson::object();
    sentence["text"] = s.text;
    sentence["start_s"] = Seconds3(s.start);
    sentence["end_s"] = Seconds3(s.end);
    sentence["first_word"] = s.first_word;
    sentence["word_count"] = s.word_count;
    sentences.push_back(std::move(sentence));
  }
  root["sentences"] = std::move(sentences);
  if (!t.warnings.empty()) root["warnings"] = t.warnings;
  // replace: invalid UTF-8 from a broken subtitle file must not abort serialisation.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<Transcript> TranscriptFromJson(std::string_view json) {
  try {
    return ParseTranscript(Json::parse(json.begin(), json.end()));
  } catch (const Json::parse_error& e) {
    return InvalidArgumentError("transcript: not valid JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("transcript: ") + e.what());
  }
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !space(text[i])) ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

std::string NormalizeWord(std::string_view word) {
  std::string out;
  for (char ch : word) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c) != 0) {
      out += c < 0x80 ? static_cast<char>(std::tolower(c)) : ch;
    } else if (c == '\'' || c == '-') {
      out += ch;  // trimmed below unless inside the word
    }
  }
  while (!out.empty() && (out.front() == '\'' || out.front() == '-')) out.erase(out.begin());
  while (!out.empty() && (out.back() == '\'' || out.back() == '-')) out.pop_back();
  return out;
}

double WordErrorRate(const std::vector<std::string>& reference,
                     const std::vector<std::string>& hypothesis) {
  auto normalized = [](const std::vector<std::string>& words) {
    std::vector<std::string> out;
    for (const std::string& w : words) {
      std::string n = NormalizeWord(w);
      if (!n.empty()) out.push_back(std::move(n));
    }
    return out;
  };
  const std::vector<std::string> ref = normalized(reference);
  const std::vector<std::string> hyp = normalized(hypothesis);
  if (ref.empty()) return hyp.empty() ? 0.0 : 1.0;
  std::vector<size_t> row(hyp.size() + 1), next(hyp.size() + 1);
  for (size_t j = 0; j <= hyp.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= ref.size(); ++i) {
    next[0] = i;
    for (size_t j = 1; j <= hyp.size(); ++j) {
      size_t substitute = row[j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1);
      next[j] = std::min({substitute, row[j] + 1, next[j - 1] + 1});
    }
    std::swap(row, next);
  }
  return static_cast<double>(row[hyp.size()]) / static_cast<double>(ref.size());
}

}  // namespace cutroom::speech
