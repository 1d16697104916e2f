// espeak-ng adapter: the only translation unit that includes espeak-ng. Synthesizes in
// synchronous mode, collects the samples and word events of one call, and maps each word event
// to the word of the input text at the event's character offset.
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "speech/speech_synthesizer.h"
#include "speech/text_words.h"

namespace cutroom::speech {
namespace {

// espeak-ng keeps process-wide state: espeak_Initialize() loads the phoneme data into globals and
// may be called once, the synth callback is one global function pointer, and the selected voice
// is global too (espeak_SetVoiceByProperties changes it for every caller). Two synthesizers
// synthesizing at once would mix each other's voice and samples, so all of this file's calls
// into espeak-ng after initialisation hold EspeakMutex(). Synthesis is far faster than real time,
// so serialising it costs little next to decoding and encoding video.
std::mutex& EspeakMutex() {
  static std::mutex mu;
  return mu;
}

int OnSynth(short* samples, int count, espeak_EVENT* events);

// The sample rate espeak-ng synthesizes at, or an error status. Initialises espeak-ng once per
// process (std::call_once: initialisation is not thread-safe and must not be repeated).
Result<int> InitEspeakOnce() {
  static std::once_flag once;
  static int sample_rate = -1;
  std::call_once(once, [] {
    // DONT_EXIT: a missing data folder returns an error instead of ending the process.
    // 100 ms buffers keep the callback's slices small; the size does not change the result.
    sample_rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 100, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (sample_rate > 0) espeak_SetSynthCallback(&OnSynth);
  });
  if (sample_rate <= 0) {
    return UnavailableError("espeak-ng could not be initialised (is espeak-ng-data installed?)");
  }
  return sample_rate;
}

struct WordEvent {
  int64_t char_offset = 0;  // 0-based code point offset in the input text
  int64_t sample = 0;       // where the word starts in the output
};

// What one espeak_Synth call produced.
struct Collector {
  int sample_rate = 0;
  std::vector<float> samples;
  std::vector<WordEvent> words;
};

// The collector of the espeak_Synth call in progress. The callback is one global function and
// not every buffer it receives carries an event with our user_data (audio-only buffers hold just
// the list terminator), so the call in progress is found here. In synchronous mode the callback
// runs on the thread inside espeak_Synth, which holds EspeakMutex() while this is set.
Collector* g_current_collector = nullptr;  // guarded by EspeakMutex()

int OnSynth(short* samples, int count, espeak_EVENT* events) {
  Collector* collector = g_current_collector;
  if (collector == nullptr) return 1;  // not ours: abort
  for (espeak_EVENT* e = events; e != nullptr && e->type != espeakEVENT_LIST_TERMINATED; ++e) {
    if (e->type != espeakEVENT_WORD) continue;
    // text_position counts characters from 1. `sample` is the event's absolute sample index;
    // audio_position (ms) is the coarser fallback.
    const int64_t sample =
        e->sample > 0 ? e->sample
                      : static_cast<int64_t>(e->audio_position) * collector->sample_rate / 1000;
    collector->words.push_back({std::max(0, e->text_position - 1), sample});
  }
  if (samples != nullptr && count > 0) {
    for (int i = 0; i < count; ++i) {
      collector->samples.push_back(static_cast<float>(samples[i]) / 32768.0f);
    }
  }
  return 0;  // continue
}

// Every language code espeak-ng's voices declare ("en", "en-gb", "de", ...), sorted.
// REQUIRES: espeak-ng initialised, EspeakMutex() held.
std::vector<std::string> ListLanguagesLocked() {
  std::set<std::string> names;
  const espeak_VOICE** voices = espeak_ListVoices(nullptr);
  for (int i = 0; voices != nullptr && voices[i] != nullptr; ++i) {
    // "languages" is a list of (priority byte, NUL-terminated name), ended by an empty name.
    const char* p = voices[i]->languages;
    while (p != nullptr && *p != '\0') {
      const std::string name(p + 1);
      if (name.empty()) break;
      names.insert(name);
      p += 1 + name.size() + 1;
    }
  }
  return {names.begin(), names.end()};
}

std::string Join(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& name : names) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

class EspeakSynthesizer final : public SpeechSynthesizer {
 public:
  EspeakSynthesizer(std::string language, int sample_rate)
      : language_(std::move(language)), sample_rate_(sample_rate) {}

  Result<Speech> Synthesize(const std::string& text) override {
    const std::string what = "espeak-ng " + language_;
    if (text.find('\0') != std::string::npos) {
      return InvalidArgumentError(what + ": text contains a NUL character");
    }
    const std::vector<TextWord> words = SplitTextWords(text);
    if (words.empty()) return InvalidArgumentError(what + ": text has no speakable words");
    Collector collector;
    collector.sample_rate = sample_rate_;
    {
      std::lock_guard<std::mutex> lock(EspeakMutex());
      espeak_VOICE spec{};
      spec.languages = language_.c_str();
      if (espeak_SetVoiceByProperties(&spec) != EE_OK) {
        return InternalError(what + ": cannot select the voice");
      }
      g_current_collector = &collector;
      const espeak_ERROR err = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                            espeakCHARS_UTF8, nullptr, nullptr);
      g_current_collector = nullptr;
      if (err != EE_OK) return InternalError(what + ": synthesis failed");
    }
    if (collector.samples.empty() || collector.words.empty()) {
      return InvalidArgumentError(what + ": text has no speakable words");
    }
    Speech speech;
    speech.audio.sample_rate = sample_rate_;
    speech.audio.pts = MediaTime(0, Rational::Make(1, sample_rate_));
    const int64_t frames = static_cast<int64_t>(collector.samples.size());
    speech.audio.channels.push_back(std::move(collector.samples));
    std::vector<WordStartEvent> events;
    events.reserve(collector.words.size());
    for (const WordEvent& e : collector.words) events.push_back({e.char_offset, e.sample});
    speech.words = TimeWordsFromStarts(words, events, frames, sample_rate_);
    return speech;
  }

 private:
  const std::string language_;
  const int sample_rate_;
};

}  // namespace

Result<std::vector<std::string>> EspeakVoiceNames() {
  CR_RETURN_IF_ERROR(InitEspeakOnce().status());
  std::lock_guard<std::mutex> lock(EspeakMutex());
  return ListLanguagesLocked();
}

Result<std::unique_ptr<SpeechSynthesizer>> CreateEspeakSynthesizer(const std::string& voice) {
  CR_ASSIGN_OR_RETURN(int sample_rate, InitEspeakOnce());
  const std::string name = voice.empty() ? std::string("en") : voice;
  std::vector<std::string> names;
  {
    std::lock_guard<std::mutex> lock(EspeakMutex());
    names = ListLanguagesLocked();
  }
  if (!std::binary_search(names.begin(), names.end(), name)) {
    return InvalidArgumentError("unknown espeak-ng voice \"" + name +
                                "\" (available: " + Join(names) + ")");
  }
  return std::unique_ptr<SpeechSynthesizer>(std::make_unique<EspeakSynthesizer>(name, sample_rate));
}

}  // namespace cutroom::speech
