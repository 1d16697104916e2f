#include "select/clip_selector.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "select/candidates.h"
#include "select/features.h"
#include "select/metadata.h"
#include "select/scorer.h"
#include "select/selection.h"

namespace cutroom::select {
namespace {

std::string Seconds(const MediaTime& t) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f s", t.ToSeconds());
  return buffer;
}

Status ValidateOptions(const SelectOptions& options) {
  if (options.clips < 1) return InvalidArgumentError("clips must be at least 1");
  if (options.max_duration <= MediaTime()) {
    return InvalidArgumentError("--max-s must be positive");
  }
  if (options.min_duration < MediaTime()) return InvalidArgumentError("--min-s is negative");
  if (options.min_duration > options.max_duration) {
    return InvalidArgumentError("--min-s (" + Seconds(options.min_duration) +
                                ") is greater than --max-s (" + Seconds(options.max_duration) +
                                ")");
  }
  if (!(options.max_overlap >= 0 && options.max_overlap <= 1)) {
    return InvalidArgumentError("max_overlap must lie in [0, 1]");
  }
  if (!(options.max_repeat >= 0 && options.max_repeat <= 1)) {
    return InvalidArgumentError("max_repeat must lie in [0, 1]");
  }
  return ValidateWeights(options.weights);
}

Status ValidateSentences(const std::vector<speech::Sentence>& sentences, size_t words) {
  for (size_t i = 0; i < sentences.size(); ++i) {
    const speech::Sentence& s = sentences[i];
    if (s.first_word < 0 || s.word_count < 1 ||
        static_cast<size_t>(s.first_word) + static_cast<size_t>(s.word_count) > words ||
        s.end < s.start || (i > 0 && s.start < sentences[i - 1].start)) {
      return InvalidArgumentError("transcript: sentence " + std::to_string(i) +
                                  " does not match the words (call DeriveSentences)");
    }
  }
  return Status::Ok();
}

// The source's length when the summary gives none: the last signal time.
MediaTime SignalsDuration(const SignalSummary& signals) {
  if (signals.duration > MediaTime()) return signals.duration;
  double last = 0;
  for (const auto& [t, v] : signals.loudness_lufs) last = std::max(last, t);
  for (const auto& [t, v] : signals.audio_peaks) last = std::max(last, t);
  for (const auto& [t, v] : signals.faces_visible) last = std::max(last, t);
  for (double t : signals.scene_cuts_s) last = std::max(last, t);
  return MediaTime::FromSecondsApprox(last);
}

bool HasSignals(const SignalSummary& signals) {
  return !signals.loudness_lufs.empty() || !signals.audio_peaks.empty() ||
         !signals.faces_visible.empty() || !signals.scene_cuts_s.empty();
}

}  // namespace

Result<Selection> SelectClips(const speech::Transcript& transcript, const SignalSummary& signals,
                              const SelectOptions& options) {
  CR_RETURN_IF_ERROR(ValidateOptions(options));
  Selection selection;

  std::vector<speech::Sentence> sentences = transcript.sentences;
  if (sentences.empty() && !transcript.words.empty()) {
    sentences = speech::DeriveSentences(transcript.words);
  }
  CR_RETURN_IF_ERROR(ValidateSentences(sentences, transcript.words.size()));

  std::vector<Window> windows;
  if (sentences.empty()) {
    MediaTime duration = SignalsDuration(signals);
    if (!HasSignals(signals) || duration <= MediaTime()) {
      return FailedPreconditionError(
          "no speech in the transcript and no audio or visual signals to choose clips from");
    }
    selection.warnings.push_back(
        "no speech in the transcript: clips are fixed windows chosen from audio and visual "
        "signals");
    if (duration < options.min_duration) {
      selection.warnings.push_back("source is shorter than --min-s (" + Seconds(duration) + " < " +
                                   Seconds(options.min_duration) + "): one clip of the whole");
    }
    windows =
        FixedWindows(duration, signals.scene_cuts_s, options.min_duration, options.max_duration);
  } else {
    MediaTime source_end = std::max(signals.duration, transcript.words.back().end);
    if (source_end < options.min_duration) {
      selection.warnings.push_back("source is shorter than --min-s (" + Seconds(source_end) +
                                   " < " + Seconds(options.min_duration) +
                                   "): one clip of the whole");
      windows.push_back(WholeTranscript(sentences));
    } else {
      windows = SentenceWindows(sentences, options.min_duration, options.max_duration);
      if (windows.empty()) {
        selection.warnings.push_back(
            "no run of whole sentences lasts between --min-s and --max-s (" +
            Seconds(options.min_duration) + " to " + Seconds(options.max_duration) +
            "): clips are the longest runs within --max-s");
        windows = LongestWindowsWithin(sentences, options.max_duration);
      }
    }
  }

  SourceContext context =
      BuildSourceContext(transcript.words, std::move(sentences), signals, options.topic);
  std::vector<ScoredWindow> scored;
  std::vector<RankedSpan> spans;
  scored.reserve(windows.size());
  spans.reserve(windows.size());
  for (const Window& window : windows) {
    scored.push_back(ScoreWindow(context, window, options.weights));
    spans.push_back({window.start.ToSeconds(), window.end.ToSeconds(), scored.back().score});
  }

  SpreadOptions spread;
  spread.clips = options.clips;
  spread.max_overlap = options.max_overlap;
  spread.source_duration_s = context.source_end_s;
  // Word pairs of the chosen clips, made when a clip is chosen; a candidate's own are made per
  // check (a window's words), so memory stays at the chosen clips' words.
  std::unordered_map<int, std::unordered_set<uint64_t>> chosen_pairs;
  const std::vector<uint64_t> word_hashes =
      options.max_repeat < 1 ? WordHashes(context.normalized) : std::vector<uint64_t>();
  auto pairs_of = [&](int index) {
    const Window& w = windows[static_cast<size_t>(index)];
    if (!w.HasSpeech()) return std::unordered_set<uint64_t>();
    const speech::Sentence& first = context.sentences[static_cast<size_t>(w.first_sentence)];
    const speech::Sentence& last = context.sentences[static_cast<size_t>(w.last_sentence)];
    return WordPairs(word_hashes, static_cast<size_t>(first.first_word),
                     static_cast<size_t>(last.first_word + last.word_count));
  };
  if (options.max_repeat < 1) {
    spread.repeats = [&](int candidate, int chosen) {
      auto it = chosen_pairs.find(chosen);
      if (it == chosen_pairs.end()) it = chosen_pairs.emplace(chosen, pairs_of(chosen)).first;
      return RepeatedShare(pairs_of(candidate), it->second) > options.max_repeat;
    };
  }
  for (int index : ChooseSpread(spans, spread)) {
    const Window& window = windows[static_cast<size_t>(index)];
    ScoredWindow& s = scored[static_cast<size_t>(index)];
    ClipMetadata metadata = ExtractMetadata(context, window);
    ClipCandidate clip;
    clip.start = window.start;
    clip.end = window.end;
    clip.first_sentence = window.first_sentence;
    clip.last_sentence = window.last_sentence;
    clip.score = s.score;
    clip.components = std::move(s.components);
    clip.reason = std::move(s.reason);
    clip.title = std::move(metadata.title);
    clip.description = std::move(metadata.description);
    clip.hashtags = std::move(metadata.hashtags);
    clip.text = std::move(metadata.text);
    selection.clips.push_back(std::move(clip));
  }
  if (static_cast<int>(selection.clips.size()) < options.clips && windows.size() > 1) {
    selection.warnings.push_back("only " + std::to_string(selection.clips.size()) + " of " +
                                 std::to_string(options.clips) + " clips fit without overlapping or repeating one another");
  }
  return selection;
}

}  // namespace cutroom::select
