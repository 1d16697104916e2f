#include "select/features.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "select/lexicon.h"

namespace cutroom::select {
namespace {

struct WordRange {
  size_t begin = 0;
  size_t end = 0;  // exclusive
  size_t size() const { return end - begin; }
};

WordRange WordsOf(const SourceContext& context, const Window& window) {
  const auto& first = context.sentences[static_cast<size_t>(window.first_sentence)];
  const auto& last = context.sentences[static_cast<size_t>(window.last_sentence)];
  return {static_cast<size_t>(first.first_word),
          static_cast<size_t>(last.first_word + last.word_count)};
}

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

void Append(std::string* detail, const std::string& part) {
  if (!detail->empty()) *detail += "; ";
  *detail += part;
}

// Whether sentence text ends in `mark`, ignoring closing quotes and brackets.
char TerminalMark(std::string_view text) {
  while (!text.empty() && (text.back() == '"' || text.back() == '\'' || text.back() == ')' ||
                           text.back() == ']' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  if (text.empty()) return 0;
  char c = text.back();
  return c == '.' || c == '?' || c == '!' ? c : 0;
}

FeatureValue NoSpeech() { return {0.5, "no speech (neutral)"}; }

// Whether a sentence is a question: a "?" or, since recognizers give no punctuation, an opening
// question word ("why", "is", "could").
bool IsQuestion(const SourceContext& context, int sentence) {
  const speech::Sentence& s = context.sentences[static_cast<size_t>(sentence)];
  if (s.word_count == 0) return false;
  return TerminalMark(s.text) == '?' ||
         IsQuestionOpener(context.normalized[static_cast<size_t>(s.first_word)]);
}

// The question just before a window that the window's opening answers ("is it true that naps
// make you tired?" | "only the long ones do"): a clip that leaves it out opens on a reply to
// something the viewer never hears. Empty when there is none.
std::string CutOffQuestion(const SourceContext& context, const Window& window) {
  const int first = window.first_sentence;
  if (first <= 0 || IsQuestion(context, first) || !IsQuestion(context, first - 1)) return {};
  const speech::Sentence& before = context.sentences[static_cast<size_t>(first - 1)];
  const speech::Sentence& opening = context.sentences[static_cast<size_t>(first)];
  if ((opening.start - before.end).ToSeconds() > kAnsweredQuestionGapSeconds) return {};
  std::string text = before.text;
  const size_t cut = text.size() > 40 ? text.rfind(' ', 37) : std::string::npos;
  if (cut != std::string::npos) text = text.substr(0, cut) + "...";
  return text;
}

template <typename T>
size_t LowerBound(const std::vector<std::pair<double, T>>& samples, double t) {
  return static_cast<size_t>(std::lower_bound(samples.begin(), samples.end(), t,
                                              [](const std::pair<double, T>& s, double value) {
                                                return s.first < value;
                                              }) -
                             samples.begin());
}

}  // namespace

SourceContext BuildSourceContext(const std::vector<speech::Word>& words,
                                 std::vector<speech::Sentence> sentences,
                                 const SignalSummary& signals,
                                 const std::vector<std::string>& topic) {
  SourceContext c;
  c.sentences = std::move(sentences);
  const size_t n = words.size();
  c.raw.reserve(n);
  c.normalized.reserve(n);
  for (const speech::Word& w : words) {
    c.raw.push_back(w.text);
    c.normalized.push_back(speech::NormalizeWord(w.text));
    c.stems.push_back(SimpleStem(c.normalized.back()));
    c.word_start_s.push_back(w.start.ToSeconds());
    c.word_end_s.push_back(w.end.ToSeconds());
    c.confidence.push_back(w.confidence);
  }
  std::vector<bool> fillers = MarkFillers(c.raw, c.normalized);
  c.filler_prefix.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) c.filler_prefix[i + 1] = c.filler_prefix[i] + (fillers[i] ? 1 : 0);

  for (const speech::Sentence& s : c.sentences) {
    std::vector<std::string> normalized(c.normalized.begin() + s.first_word,
                                        c.normalized.begin() + s.first_word + s.word_count);
    c.sentence_terms.push_back(ContentTerms(normalized));
  }
  c.idf = InverseDocumentFrequency(c.sentence_terms);
  c.topics = SegmentTopics(c.sentence_terms);

  c.source_end_s = signals.duration.ToSeconds();
  if (n > 0) c.source_end_s = std::max(c.source_end_s, c.word_end_s.back());

  c.loudness_lufs = signals.loudness_lufs;
  std::sort(c.loudness_lufs.begin(), c.loudness_lufs.end());
  c.audio_peaks = signals.audio_peaks;
  std::sort(c.audio_peaks.begin(), c.audio_peaks.end());
  c.peak_strength_prefix.assign(c.audio_peaks.size() + 1, 0.0);
  for (size_t i = 0; i < c.audio_peaks.size(); ++i) {
    c.peak_strength_prefix[i + 1] = c.peak_strength_prefix[i] + c.audio_peaks[i].second;
  }
  c.faces_visible = signals.faces_visible;
  std::sort(c.faces_visible.begin(), c.faces_visible.end());
  c.faces_prefix.assign(c.faces_visible.size() + 1, 0);
  for (size_t i = 0; i < c.faces_visible.size(); ++i) {
    c.faces_prefix[i + 1] = c.faces_prefix[i] + (c.faces_visible[i].second >= 1 ? 1 : 0);
  }

  std::set<std::string> topic_stems;
  for (const std::string& phrase : topic) {
    for (const std::string& token : speech::SplitWords(phrase)) {
      std::string word = speech::NormalizeWord(token);
      if (word.empty() || IsStopword(word)) continue;
      topic_stems.insert(SimpleStem(word));
    }
  }
  c.topic_stems.assign(topic_stems.begin(), topic_stems.end());
  return c;
}

LoudnessRise HookLoudnessRise(const SourceContext& context, double start_s, double end_s) {
  const auto& samples = context.loudness_lufs;
  size_t begin = LowerBound(samples, start_s);
  size_t end = LowerBound(samples, end_s);
  size_t hook_end = LowerBound(samples, std::min(end_s, start_s + kHookSeconds));
  if (begin >= hook_end || end <= begin) return {};
  double hook_sum = 0;
  for (size_t i = begin; i < hook_end; ++i) hook_sum += samples[i].second;
  std::vector<double> values;
  values.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) values.push_back(samples[i].second);
  auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return {true, hook_sum / static_cast<double>(hook_end - begin) - *middle};
}

FeatureValue HookFeature(const SourceContext& context, const Window& window) {
  const double start_s = window.start.ToSeconds();
  const double end_s = window.end.ToSeconds();
  LoudnessRise rise = HookLoudnessRise(context, start_s, end_s);
  // +3 dB over the clip's median is a clear rise (1), -3 dB a clear drop (0).
  const double loudness = rise.has_value ? std::clamp(0.5 + rise.rise_db / 6.0, 0.0, 1.0) : 0.5;
  if (!window.HasSpeech()) {
    return {loudness, rise.has_value ? Format("loudness %+.1f dB in the first 3 s", rise.rise_db)
                                     : "no speech and no loudness data (neutral)"};
  }
  const double hook_end_s = start_s + kHookSeconds;
  double question = 0;
  bool number = false, you = false;
  std::vector<std::string> hits;
  for (int s = window.first_sentence; s <= window.last_sentence; ++s) {
    const speech::Sentence& sentence = context.sentences[static_cast<size_t>(s)];
    if (sentence.start.ToSeconds() >= hook_end_s && s != window.first_sentence) break;
    if (TerminalMark(sentence.text) == '?') question = 1;
  }
  WordRange words = WordsOf(context, window);
  for (size_t i = words.begin; i < words.end; ++i) {
    if (context.word_start_s[i] >= hook_end_s && i != words.begin) break;
    const std::string& w = context.normalized[i];
    if (IsNumberWord(w)) number = true;
    // Recognizers give no "?": an opening question word ("why", "is", "could") is most of one.
    if (i == words.begin && IsQuestionOpener(w)) question = std::max(question, 0.7);
    switch (HookWordKind(w)) {
      case HookKind::kYou:
        you = true;
        break;
      case HookKind::kQuestion:
        break;
      case HookKind::kStrong:
      case HookKind::kEmotion:
        if (std::find(hits.begin(), hits.end(), w) == hits.end()) hits.push_back(w);
        break;
      case HookKind::kNone:
        break;
    }
  }
  const double lexicon = std::min(1.0, static_cast<double>(hits.size()) / 2.0);
  FeatureValue f;
  f.value = 0.3 * question + 0.2 * (number ? 1 : 0) + 0.15 * (you ? 1 : 0) + 0.2 * lexicon +
            0.15 * loudness;
  if (question >= 1)
    Append(&f.detail, "question in the first 3 s");
  else if (question > 0)
    Append(&f.detail, "opens with a question word");
  if (number) Append(&f.detail, "a number");
  if (you) Append(&f.detail, "speaks to \"you\"");
  if (!hits.empty()) {
    std::string list;
    for (const std::string& h : hits) list += (list.empty() ? "" : ", ") + h;
    Append(&f.detail, "hook words: " + list);
  }
  if (rise.has_value) Append(&f.detail, Format("loudness %+.1f dB", rise.rise_db));
  if (f.detail.empty()) f.detail = "no question, number, \"you\" or hook word in the first 3 s";
  return f;
}

FeatureValue CompletenessFeature(const SourceContext& context, const Window& window) {
  if (!window.HasSpeech()) return NoSpeech();
  WordRange words = WordsOf(context, window);
  const size_t last = words.end - 1;
  // Nothing follows the source's last word: the end of the source is the pause.
  const bool at_source_end = words.end >= context.word_start_s.size();
  const double next_s = at_source_end ? context.source_end_s : context.word_start_s[words.end];
  const double pause_s = std::max(0.0, next_s - context.word_end_s[last]);
  const double pause = at_source_end ? 1.0 : std::min(1.0, pause_s / kCompletePauseSeconds);
  const std::string& opener = context.normalized[words.begin];
  const bool points_back = IsBackPointingOpener(opener);
  const std::string cut_question = CutOffQuestion(context, window);
  const char mark = TerminalMark(context.sentences[static_cast<size_t>(window.last_sentence)].text);
  // A clip that trails off (its last sentence mostly fillers and hedges: "and so on, you know")
  // has not landed its point, however cleanly it ends.
  const speech::Sentence& final_sentence = context.sentences[static_cast<size_t>(window.last_sentence)];
  const int final_begin = final_sentence.first_word;
  const int final_words = std::max(1, final_sentence.word_count);
  const int final_fillers = context.filler_prefix[static_cast<size_t>(final_begin + final_sentence.word_count)] -
                            context.filler_prefix[static_cast<size_t>(final_begin)];
  std::vector<std::string> final_normalized(
      context.normalized.begin() + final_begin,
      context.normalized.begin() + final_begin + final_sentence.word_count);
  const double trailing = TrailsOff(final_normalized) ? 1.0 : std::min(1.0, 4.0 * final_fillers / final_words);
  // Ending on a question leaves it unanswered (unless the whole clip is that one question).
  const bool final_question =
      window.last_sentence > window.first_sentence && IsQuestion(context, window.last_sentence);
  FeatureValue f;
  const bool depends_on_before = points_back || !cut_question.empty();
  f.value = (0.35 * pause + 0.35 * (depends_on_before ? 0 : 1) + 0.3 * (mark ? 1 : 0)) *
            (1.0 - 0.6 * trailing) * (final_question ? 0.4 : 1.0);
  Append(&f.detail, mark ? std::string("ends on \"") + mark + "\"" : "ends without punctuation");
  if (trailing >= 0.5) Append(&f.detail, "trails off in fillers");
  if (final_question) Append(&f.detail, "ends on an unanswered question");
  Append(&f.detail, at_source_end ? std::string("ends with the source")
                                  : Format("%.1f s pause after", pause_s));
  if (points_back) Append(&f.detail, "opens on \"" + opener + "\", which points back");
  if (!cut_question.empty()) {
    Append(&f.detail, "opens on the answer to a question it leaves out (\"" + cut_question + "\")");
  }
  return f;
}

FeatureValue CoherenceFeature(const SourceContext& context, const Window& window) {
  if (!window.HasSpeech()) return NoSpeech();
  int crossings =
      CountBoundariesInside(context.topics, window.first_sentence, window.last_sentence);
  FeatureValue f;
  f.value = std::max(0.0, 1.0 - 0.5 * crossings);
  f.detail = crossings == 0 ? "inside one topic segment"
                            : "crosses " + std::to_string(crossings) + " topic change" +
                                  (crossings > 1 ? "s" : "");
  return f;
}

FeatureValue EnergyFeature(const SourceContext& context, const Window& window) {
  const auto& peaks = context.audio_peaks;
  if (peaks.empty() || context.source_end_s <= 0) return {0.5, "no audio peak data (neutral)"};
  const double start_s = window.start.ToSeconds();
  const double end_s = window.end.ToSeconds();
  size_t begin = LowerBound(peaks, start_s);
  size_t end = LowerBound(peaks, end_s);
  const double window_sum = context.peak_strength_prefix[end] - context.peak_strength_prefix[begin];
  const double source_rate = context.peak_strength_prefix.back() / context.source_end_s;
  const double window_rate = window_sum / std::max(1e-3, end_s - start_s);
  if (source_rate <= 0) return {0.5, "no audio peak strength (neutral)"};
  const double ratio = window_rate / source_rate;
  // ratio / (1 + ratio): the source's average rate gives 0.5, three times it 0.75.
  return {ratio / (1.0 + ratio), std::to_string(end - begin) + " audio peaks, " +
                                     Format("%.1fx the source's rate", ratio)};
}

FeatureValue PaceFeature(const SourceContext& context, const Window& window) {
  if (!window.HasSpeech()) return NoSpeech();
  const double seconds = std::max(1e-3, (window.end - window.start).ToSeconds());
  const double wps = static_cast<double>(WordsOf(context, window).size()) / seconds;
  double value = 1.0;
  if (wps < kPaceLowWps) value = std::max(0.0, 1.0 - (kPaceLowWps - wps) / 1.5);
  if (wps > kPaceHighWps) value = std::max(0.0, 1.0 - (wps - kPaceHighWps) / 1.5);
  return {value, Format("%.1f words/s", wps)};
}

FeatureValue FacesFeature(const SourceContext& context, const Window& window) {
  const auto& samples = context.faces_visible;
  if (samples.empty()) return {0.5, "no face data (neutral)"};
  size_t begin = LowerBound(samples, window.start.ToSeconds());
  size_t end = LowerBound(samples, window.end.ToSeconds());
  if (end <= begin) return {0.5, "no face samples in the window (neutral)"};
  const double share =
      static_cast<double>(context.faces_prefix[end] - context.faces_prefix[begin]) /
      static_cast<double>(end - begin);
  return {share, Format("a face in view %.0f%% of the time", share * 100)};
}

FeatureValue FillersFeature(const SourceContext& context, const Window& window) {
  if (!window.HasSpeech()) return NoSpeech();
  WordRange words = WordsOf(context, window);
  const int fillers = context.filler_prefix[words.end] - context.filler_prefix[words.begin];
  const double ratio = static_cast<double>(fillers) / static_cast<double>(words.size());
  return {std::max(0.0, 1.0 - kFillerPenalty * ratio),
          std::to_string(fillers) + " filler words in " + std::to_string(words.size()) +
              Format(" (%.0f%%)", ratio * 100)};
}

FeatureValue TopicFeature(const SourceContext& context, const Window& window) {
  if (context.topic_stems.empty()) return {0.5, "no topic given (neutral)"};
  if (!window.HasSpeech()) return NoSpeech();
  WordRange words = WordsOf(context, window);
  std::set<std::string> matched;
  int hits = 0;
  for (size_t i = words.begin; i < words.end; ++i) {
    const std::string& stem = context.stems[i];
    if (std::binary_search(context.topic_stems.begin(), context.topic_stems.end(), stem)) {
      matched.insert(stem);
      ++hits;
    }
  }
  const double coverage =
      static_cast<double>(matched.size()) / static_cast<double>(context.topic_stems.size());
  // One topic word in 10 is dense: a clip that stays on the topic rather than touching it.
  const double density = static_cast<double>(hits) / static_cast<double>(words.size());
  FeatureValue f;
  f.value = 0.5 * coverage + 0.5 * std::min(1.0, density / 0.1);
  f.detail = "matches " + std::to_string(matched.size()) + " of " +
             std::to_string(context.topic_stems.size()) + " topic words, " + std::to_string(hits) +
             " times";
  return f;
}

}  // namespace cutroom::select
