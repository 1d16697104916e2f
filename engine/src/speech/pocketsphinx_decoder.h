// The pocketsphinx adapter: the only code that includes pocketsphinx and sphinxbase. A decoder
// recognises 16 kHz mono speech with the en-us language model, or aligns known words to it with
// a linear grammar. Frame numbers are 10 ms frames counted from the start of the samples given.
//
// Thread safety: a decoder is used by one thread at a time; distinct decoders may run in
// parallel (Create() itself is serialised internally because sphinxbase keeps a process-wide
// log stream).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cutroom/status.h"

namespace cutroom::speech {

inline constexpr int kDecoderSampleRate = 16000;
inline constexpr int kFramesPerSecond = 100;

// Paths of the acoustic model, language model and dictionary (Debian's pocketsphinx-en-us).
struct PocketsphinxModel {
  std::string acoustic_model_dir = "/usr/share/pocketsphinx/model/en-us/en-us";
  std::string language_model = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
  std::string dictionary = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
};

enum class DecoderMode { kInvalid = 0, kRecognize, kAlign };

struct DecodedWord {
  std::string word;      // dictionary spelling, alternative-pronunciation suffix removed
  int start_frame = 0;   // first frame of the word
  int end_frame = 0;     // one past its last frame
  float confidence = 1;  // posterior probability (recognition); 1 for alignment
};

class PocketsphinxDecoder {
 public:
  // Errors: NotFound when the model files are missing (install pocketsphinx-en-us).
  static Result<std::unique_ptr<PocketsphinxDecoder>> Create(const PocketsphinxModel& model,
                                                             DecoderMode mode);
  ~PocketsphinxDecoder();
  PocketsphinxDecoder(const PocketsphinxDecoder&) = delete;
  PocketsphinxDecoder& operator=(const PocketsphinxDecoder&) = delete;

  // REQUIRES: mode kRecognize. Words spoken in `samples` (16 kHz mono), fillers and silences
  // removed. Silence gives no words.
  Result<std::vector<DecodedWord>> Recognize(std::span<const int16_t> samples);

  // REQUIRES: mode kAlign, every word InDictionary(). The words in order with their frames;
  // silences and fillers may come between them. When the audio ends before the grammar does,
  // only the words reached are returned (a prefix of `words`).
  Result<std::vector<DecodedWord>> Align(std::span<const int16_t> samples,
                                         const std::vector<std::string>& words);

  // Whether `word` (lower case) has a pronunciation in the dictionary.
  bool InDictionary(const std::string& word) const;

 private:
  struct Impl;
  explicit PocketsphinxDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Samples as the decoder wants them: float [-1, 1] to int16 with clipping.
std::vector<int16_t> ToPcm16(std::span<const float> samples);

}  // namespace cutroom::speech
