// Text to speech with word times: one interface, several engines (flite built in; espeak-ng and an
// HTTP speech server in later work).
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

// Writes 16-bit PCM WAV (mono or stereo) to `path` via a temporary name + rename.
Status WriteWav(const std::string& path, const AudioBuffer& audio);

}  // namespace cutroom::speech
