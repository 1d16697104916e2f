// Clip selection: candidate windows on sentence boundaries, scored 0-100 from documented
// components (docs/scoring.md) with weights read from JSON, de-duplicated and spread across the
// source, each with a one-line reason and extractive title, description and hashtags.
// Pure: inputs are a transcript and analysis summaries; no media, no network.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "speech/transcript.h"

namespace cutroom::select {

// What selection needs from analysis, flattened (the clip pipeline fills it from
// analysis::Analysis; tests fill it by hand).
struct SignalSummary {
  MediaTime duration;                                    // of the source
  std::vector<std::pair<double, double>> loudness_lufs;  // (t_s, short-term LUFS), ~10 Hz
  std::vector<std::pair<double, double>> audio_peaks;    // (t_s, strength 0..1)
  std::vector<std::pair<double, int>> faces_visible;     // (t_s, faces in view), sampled
  std::vector<double> scene_cuts_s;
};

// Component weights by name ("hook", "completeness", "coherence", "energy", "pace", "faces",
// "fillers", "topic"). Missing names keep their defaults.
struct ScoringWeights {
  std::map<std::string, double> weights;
  static ScoringWeights Defaults();
  // {"version": 1, "weights": {"hook": 3.0, ...}}. Errors: not JSON, unknown component, negative.
  static Result<ScoringWeights> FromJson(const std::string& json);
  std::string ToJson() const;
};

struct SelectOptions {
  int clips = 5;
  MediaTime min_duration = MediaTime(15, {1, 1});
  MediaTime max_duration = MediaTime(90, {1, 1});
  double max_overlap = 0.2;        // share of the shorter clip
  // A clip sharing more than this share of its adjacent word pairs with a chosen clip repeats
  // it (the same passage said again) and is not chosen. 1 turns the check off.
  double max_repeat = 0.5;
  std::vector<std::string> topic;  // --topic words; empty: the topic component is neutral
  ScoringWeights weights = ScoringWeights::Defaults();
};

struct Component {
  std::string name;
  double value = 0;  // 0..1, 1 is best
  double weight = 0;
  double contribution = 0;  // points of the 0-100 score
  std::string detail;       // "question in the first 3 s; a number"
};

struct ClipCandidate {
  MediaTime start;         // first word's start (a sentence start)
  MediaTime end;           // last word's end (a sentence end)
  int first_sentence = 0;  // -1 for a fixed window of a source without speech
  int last_sentence = 0;   // inclusive; -1 without speech
  double score = 0;        // 0..100
  std::vector<Component> components;
  std::string reason;  // one line: the strongest components and the main weakness
  std::string title;
  std::string description;
  std::vector<std::string> hashtags;  // "#BuildInPublic"
  std::string text;                   // the words, for people
};

struct Selection {
  std::vector<ClipCandidate> clips;   // best first
  std::vector<std::string> warnings;  // "source is shorter than --min-s: one clip of the whole"
};

// Errors: no sentences and no signals to fall back on; min > max. A source shorter than
// min_duration gives one clip of the whole with a warning; a transcript without words gives
// clips from audio/visual signals (fixed windows) with a warning.
Result<Selection> SelectClips(const speech::Transcript& transcript, const SignalSummary& signals,
                              const SelectOptions& options);

}  // namespace cutroom::select
