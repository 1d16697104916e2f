// Flite adapter: the only translation unit that includes flite. Turns a flite utterance into our
// Speech (float samples plus word times) and keeps every flite handle inside this file.
#include <flite/flite.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "speech/speech_synthesizer.h"

// The voice libraries ship no headers; these are their only entry points we need.
extern "C" {
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
}

namespace cutroom::speech {
namespace {

using RegisterVoiceFn = cst_voice* (*)(const char*);

struct FliteVoice {
  std::string_view name;
  RegisterVoiceFn register_fn;
};

// "kal" is the 16 kHz build of the kal diphone voice, so that every built-in voice shares one
// sample rate (the 8 kHz build sounds like a telephone and would need resampling sooner).
constexpr std::array<FliteVoice, 4> kFliteVoices = {{
    {"slt", &register_cmu_us_slt},
    {"rms", &register_cmu_us_rms},
    {"awb", &register_cmu_us_awb},
    {"kal", &register_cmu_us_kal16},
}};

// flite keeps unguarded process-wide state: flite_init() fills a global feature-function table,
// each register_cmu_us_*() caches its voice in a global (every call returns the same cst_voice,
// and unregister_*() would free it for all users), and the lexicon is initialised lazily. So
// every call into flite in this process is serialised by this mutex. Synthesis runs many times
// faster than real time, so the lost parallelism is cheap next to decoding and encoding video.
std::mutex& FliteMutex() {
  static std::mutex mu;
  return mu;
}

void InitFliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { flite_init(); });
}

struct UtteranceDeleter {
  void operator()(cst_utterance* utt) const { delete_utterance(utt); }
};
using UtterancePtr = std::unique_ptr<cst_utterance, UtteranceDeleter>;

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

std::string VoiceList() {
  std::string list;
  for (const FliteVoice& voice : kFliteVoices) {
    if (!list.empty()) list += ", ";
    list += voice.name;
  }
  return list;
}

// flite's item_feat_* abort the process on a missing feature, so presence is checked first.
const char* NameOf(const cst_item* item) {
  return item_feat_present(item, "name") ? item_feat_string(item, "name") : nullptr;
}

bool IsPause(const cst_item* segment) {
  const char* name = NameOf(segment);
  return name != nullptr && std::string_view(name) == "pau";
}

// The Segment item of a word's first (or last) phone, found through the SylStructure tree
// (word -> syllables -> segments), which never contains pauses. nullptr when the word has no
// phones.
cst_item* EdgeSegment(const cst_item* word, bool last) {
  cst_item* in_syl_structure = item_as(word, "SylStructure");
  if (in_syl_structure == nullptr) return nullptr;
  cst_item* syllable =
      last ? item_last_daughter(in_syl_structure) : item_daughter(in_syl_structure);
  if (syllable == nullptr) return nullptr;
  cst_item* phone = last ? item_last_daughter(syllable) : item_daughter(syllable);
  if (phone == nullptr) return nullptr;
  return item_as(phone, "Segment");
}

// Segment end times are in seconds. Rounded to the nearest sample.
bool SegmentEndTicks(const cst_item* segment, int sample_rate, int64_t* ticks) {
  if (!item_feat_present(segment, "end")) return false;
  double end_s = static_cast<double>(item_feat_float(segment, "end"));
  if (!std::isfinite(end_s)) return false;
  *ticks = std::llround(end_s * sample_rate);
  return true;
}

// A word sounds from the end of the segment before its first phone (often the `pau` that ends
// the previous phrase, so the silence is not counted as part of the word) to the end of its last
// phone. Pauses never belong to a word's syllables; the loop below only guards against a voice
// that put one there.
struct WordSpan {
  int64_t start = 0;
  int64_t end = 0;
};
bool WordSpanTicks(const cst_item* word, int sample_rate, WordSpan* span) {
  cst_item* first = EdgeSegment(word, /*last=*/false);
  cst_item* last = EdgeSegment(word, /*last=*/true);
  if (first == nullptr || last == nullptr) return false;
  while (first != last && IsPause(first)) first = item_next(first);
  if (!SegmentEndTicks(last, sample_rate, &span->end)) return false;
  const cst_item* before = item_prev(first);
  span->start = 0;
  if (before != nullptr && !SegmentEndTicks(before, sample_rate, &span->start)) return false;
  return true;
}

// Text to report for a word. flite expands tokens into spoken words ("42" -> "forty two",
// "don't" -> "dont", "Hello," -> "hello"). When a token became exactly one word, the original
// token (without its punctuation, which flite strips into a separate feature) is what a caption
// should show; a token that became several words is reported as those words, each with its own
// times, since one span for "forty two" would hide where "two" starts.
std::string WordText(const cst_item* word) {
  const char* word_name = NameOf(word);
  std::string text = word_name != nullptr ? word_name : "";
  cst_item* in_token_tree = item_as(word, "Token");
  if (in_token_tree == nullptr) return text;
  cst_item* token = item_parent(in_token_tree);
  if (token == nullptr || item_daughter(token) != in_token_tree ||
      item_next(in_token_tree) != nullptr) {
    return text;
  }
  const char* token_name = NameOf(token);
  if (token_name == nullptr || *token_name == '\0') return text;
  return token_name;
}

AudioBuffer ToAudioBuffer(const cst_wave& wave) {
  AudioBuffer audio;
  audio.sample_rate = wave.sample_rate;
  std::vector<float> samples(static_cast<size_t>(wave.num_samples));
  for (int i = 0; i < wave.num_samples; ++i) {
    samples[static_cast<size_t>(i)] = static_cast<float>(wave.samples[i]) / 32768.0f;
  }
  audio.channels.push_back(std::move(samples));
  audio.pts = MediaTime(0, Rational::Make(1, wave.sample_rate));
  return audio;
}

// Words in utterance order, clamped so that they are non-overlapping, non-empty and inside the
// audio (diphone voices predict a final pause a little longer than the wave they produce).
Result<std::vector<TimedWord>> ExtractWords(cst_utterance* utt, int sample_rate,
                                            int64_t frame_count) {
  cst_relation* words = utt_relation(utt, "Word");
  if (words == nullptr) return InternalError("flite produced no Word relation");
  const Rational time_base = Rational::Make(1, sample_rate);
  std::vector<TimedWord> out;
  int64_t previous_end = 0;
  for (cst_item* word = relation_head(words); word != nullptr; word = item_next(word)) {
    WordSpan span;
    if (!WordSpanTicks(word, sample_rate, &span)) continue;  // no phones: nothing was spoken
    int64_t start = std::clamp<int64_t>(span.start, previous_end, frame_count);
    int64_t end = std::min<int64_t>(std::max<int64_t>(span.end, start + 1), frame_count);
    if (start >= end) continue;  // entirely past the end of the audio
    out.push_back({WordText(word), MediaTime(start, time_base), MediaTime(end, time_base)});
    previous_end = end;
  }
  return out;
}

class FliteSynthesizer final : public SpeechSynthesizer {
 public:
  // `voice` is flite's process-lifetime voice object; not owned.
  FliteSynthesizer(std::string name, cst_voice* voice) : name_(std::move(name)), voice_(voice) {}

  Result<Speech> Synthesize(const std::string& text) override {
    if (IsBlank(text)) return InvalidArgumentError("flite " + name_ + ": text is empty");
    if (text.find('\0') != std::string::npos) {
      return InvalidArgumentError("flite " + name_ + ": text contains a NUL character");
    }
    std::lock_guard<std::mutex> lock(FliteMutex());
    UtterancePtr utt(flite_synth_text(text.c_str(), voice_));
    if (utt == nullptr) return InternalError("flite " + name_ + ": synthesis failed");
    const cst_wave* wave = utt_wave(utt.get());
    if (wave == nullptr || wave->sample_rate <= 0 || wave->num_samples < 0 ||
        (wave->num_samples > 0 && wave->samples == nullptr)) {
      return InternalError("flite " + name_ + ": synthesis produced no audio");
    }
    if (wave->num_channels != 1) {
      return InternalError("flite " + name_ + ": expected mono audio, got " +
                           std::to_string(wave->num_channels) + " channels");
    }
    Speech speech;
    speech.audio = ToAudioBuffer(*wave);
    CR_ASSIGN_OR_RETURN(speech.words,
                        ExtractWords(utt.get(), wave->sample_rate, speech.audio.frames()));
    if (speech.words.empty()) {
      return InvalidArgumentError("flite " + name_ + ": text has no speakable words");
    }
    return speech;
  }

 private:
  std::string name_;
  cst_voice* voice_;
};

}  // namespace

std::vector<std::string> FliteVoiceNames() {
  std::vector<std::string> names;
  for (const FliteVoice& voice : kFliteVoices) names.emplace_back(voice.name);
  return names;
}

Result<std::unique_ptr<SpeechSynthesizer>> CreateFliteSynthesizer(const std::string& voice) {
  const std::string name = voice.empty() ? std::string(kFliteVoices[0].name) : voice;
  auto it = std::find_if(kFliteVoices.begin(), kFliteVoices.end(),
                         [&](const FliteVoice& v) { return v.name == name; });
  if (it == kFliteVoices.end()) {
    return InvalidArgumentError("unknown flite voice \"" + name + "\" (available: " + VoiceList() +
                                ")");
  }
  cst_voice* flite_voice = nullptr;
  {
    std::lock_guard<std::mutex> lock(FliteMutex());
    InitFliteOnce();
    flite_voice = it->register_fn(nullptr);
  }
  if (flite_voice == nullptr) return InternalError("flite could not load voice " + name);
  return std::unique_ptr<SpeechSynthesizer>(std::make_unique<FliteSynthesizer>(name, flite_voice));
}

}  // namespace cutroom::speech
