// A media file's speech audio (its best audio stream as 16 kHz mono) read in pieces, and the
// windowed chunker that splits such a stream at silences while holding only a bounded window, so
// that recognising a 10-hour source takes the same memory as a 10-minute one.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cutroom/audio_buffer.h"
#include "cutroom/cancel.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "speech/pocketsphinx_decoder.h"
#include "speech/silence_split.h"

namespace cutroom::media {
class AudioReader;
}

namespace cutroom::speech {

// Thread safety: one thread at a time.
class SpeechAudioStream {
 public:
  // Errors: as media::ProbeFile, and FailedPrecondition "has no audio stream". Audio below 16 kHz
  // adds a warning that recognition accuracy will be poor. `cancel` may be null; not owned, it
  // must outlive the stream.
  static Result<std::unique_ptr<SpeechAudioStream>> Open(const std::string& path,
                                                         const CancelToken* cancel = nullptr);
  ~SpeechAudioStream();

  // Up to `max_frames` 16 kHz mono samples; fewer only at the end; an empty buffer at the end.
  // The buffer's pts is its first sample's source time.
  Result<AudioBuffer> Read(int64_t max_frames);

  const std::string& path() const { return path_; }
  int source_sample_rate() const { return source_sample_rate_; }
  MediaTime duration() const { return duration_; }  // from probing; zero when unknown
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  SpeechAudioStream() = default;
  std::string path_;
  int source_sample_rate_ = 0;
  MediaTime duration_;
  std::vector<std::string> warnings_;
  std::unique_ptr<media::AudioReader> reader_;
};

// One piece of speech to decode on its own.
struct SpeechChunk {
  int64_t begin = 0;         // first sample, counted from the stream's first sample
  std::vector<int16_t> pcm;  // 16-bit samples at the stream's rate
};

// Splits audio appended in pieces at silences (SplitAtSilences on a sliding window). Chunks are
// handed out once they are followed by enough audio to know they are complete; the audio before
// the next possible chunk is dropped. So at most about `window_s` of samples is buffered, whatever
// the length of the stream. Within one window the chunks are those SplitAtSilences finds; a
// stream no longer than a window gives exactly SplitAtSilences' chunks of the whole.
//
// Thread safety: one thread at a time.
class SpeechChunker {
 public:
  // REQUIRES: sample_rate > 0. window_s is raised to fit two of the longest chunks.
  SpeechChunker(int sample_rate, const SplitOptions& split, double window_s = 60);

  void Append(std::span<const float> samples);
  // True when the buffer has reached the window and TakeChunks(kMore) should run.
  bool WindowFull() const;
  int64_t buffered() const { return static_cast<int64_t>(buffer_.size()); }

  enum class Input { kInvalid = 0, kMore, kEnded };
  // Chunks that are complete, in order. kEnded: everything left; the chunker is then empty.
  std::vector<SpeechChunk> TakeChunks(Input input);

 private:
  const int sample_rate_;
  const SplitOptions split_;
  int64_t window_ = 0;  // samples
  int64_t guard_ = 0;   // a chunk ending closer than this to the buffer's end may go on
  int64_t origin_ = 0;  // stream sample index of buffer_[0]
  std::vector<float> buffer_;
};

}  // namespace cutroom::speech
