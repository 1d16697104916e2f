// Text to speech with word times: one interface, several engines (flite for English, espeak-ng
// for other languages; an HTTP speech server in later work).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cutroom/audio_buffer.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::speech {

struct TimedWord {
  std::string text;
  MediaTime start;  // from the start of the synthesized audio
  MediaTime end;
};

struct Speech {
  AudioBuffer audio;             // mono
  std::vector<TimedWord> words;  // in order, not overlapping, inside the audio
};

class SpeechSynthesizer {
 public:
  virtual ~SpeechSynthesizer() = default;
  // Errors: empty text, unknown voice. Thread safety: one call at a time per instance.
  virtual Result<Speech> Synthesize(const std::string& text) = 0;
};

// Built-in flite voices: "slt" (default, female US), "rms", "awb", "kal".
std::vector<std::string> FliteVoiceNames();
Result<std::unique_ptr<SpeechSynthesizer>> CreateFliteSynthesizer(const std::string& voice);

// espeak-ng voices are named by language code as its data declares them ("en", "en-us", "de",
// "fr", "es", ...), sorted. Errors: espeak-ng's data cannot be loaded.
Result<std::vector<std::string>> EspeakVoiceNames();
// A synthesizer for one espeak-ng language (empty: "en"). Word times come from espeak-ng's word
// events matched to the text's words by character position: a word starts at its first event
// and ends where the next word starts (the last at the end of the audio), so pauses are counted
// in the word before them. Every whitespace-separated token with a letter or digit is one word,
// punctuation around it stripped. Errors: unknown voice (the message lists the available ones).
// espeak-ng has process-wide state, so all espeak-ng synthesizers in a process take turns (a
// mutex inside the adapter); calling them from several threads is safe but not parallel.
Result<std::unique_ptr<SpeechSynthesizer>> CreateEspeakSynthesizer(const std::string& voice);

// Writes 16-bit PCM WAV (mono or stereo) to `path` via a temporary name + rename.
Status WriteWav(const std::string& path, const AudioBuffer& audio);

}  // namespace cutroom::speech
