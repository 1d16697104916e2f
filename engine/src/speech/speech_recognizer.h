// Speech recognition behind one interface: the built-in pocketsphinx recognizer here, an
// OpenAI-compatible transcription server in integrations/. Plus loading a media file's audio in
// the form recognizers and the aligner want (16 kHz mono).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cutroom/audio_buffer.h"
#include "cutroom/cancel.h"
#include "cutroom/executor.h"
#include "cutroom/status.h"
#include "speech/pocketsphinx_decoder.h"
#include "speech/speech_audio_stream.h"
#include "speech/silence_split.h"
#include "speech/transcript.h"

namespace cutroom::speech {

class SpeechRecognizer {
 public:
  virtual ~SpeechRecognizer() = default;
  // Words spoken in `audio` (its first channel), with times in the audio's source time
  // (audio.pts is the time of its first sample). Silence gives an empty transcript, not an error.
  // `cancel` may be null. Thread safety: one call at a time per instance.
  virtual Result<Transcript> Recognize(const AudioBuffer& audio, const CancelToken* cancel) = 0;

  // The same for a stream read to its end, with times in the stream's source time.
  // Recognizers that can work in pieces (the built-in one) keep memory bounded whatever the
  // length of the stream; this default reads the whole stream and calls Recognize(). `stream`
  // is not owned; `cancel` may be null. Thread safety: as Recognize().
  virtual Result<Transcript> RecognizeStream(SpeechAudioStream* stream, const CancelToken* cancel);
};

struct BuiltinRecognizerOptions {
  PocketsphinxModel model;
  // kChunked splits at silences and decodes the chunks in parallel on the executor; kSinglePass
  // decodes the speech as one utterance (for comparison and for very short clips).
  enum class Mode { kInvalid = 0, kChunked, kSinglePass } mode = Mode::kChunked;
  SplitOptions split;
  // Recognized words carry no punctuation, so pauses alone end sentences: 0.45 s separates
  // sentences and speaker turns in conversational speech, while pauses inside a sentence are
  // mostly under 0.3 s. (The 0.7 s default suits punctuated text, where pauses only back it up.)
  SentenceOptions sentences = {MediaTime(450, {1, 1000}), 40};
};

// pocketsphinx with pocketsphinx-en-us (English only). `executor` (not owned, must outlive the
// recognizer) runs the chunks; decoders are created on first use (one per concurrent chunk) and
// reused across calls. REQUIRES: Recognize() is not called from one of `executor`'s threads
// (it blocks until its chunks finish). Audio must be 16 kHz (see SpeechAudioStream).
// RecognizeStream() reads the stream through a SpeechChunker (a 60 s window) and keeps at most
// two chunks per worker decoding or queued, so its memory does not grow with the source's length
// (beyond the words found).
Result<std::unique_ptr<SpeechRecognizer>> CreateBuiltinRecognizer(
    Executor* executor, const BuiltinRecognizerOptions& options = {});

struct SpeechAudio {
  AudioBuffer audio;                  // 16 kHz mono, pts = source time of the first sample
  int source_sample_rate = 0;         // of the file's audio stream
  std::vector<std::string> warnings;  // e.g. low sample rate
};

// Decodes the whole best audio stream of `path` to 16 kHz mono, in memory (about 115 MB per
// hour: prefer SpeechAudioStream for long sources). Errors and warnings: as
// SpeechAudioStream::Open. `cancel` may be null.
Result<SpeechAudio> LoadSpeechAudio(const std::string& path, const CancelToken* cancel = nullptr);

}  // namespace cutroom::speech
