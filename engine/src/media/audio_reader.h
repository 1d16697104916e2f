// Sample-exact audio decoding, resampled to a fixed rate and channel count (planar float).
//
// Thread safety: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "cutroom/audio_buffer.h"
#include "cutroom/cancel.h"
#include "cutroom/status.h"

namespace cutroom::media {

struct AudioReaderOptions {
  int sample_rate = 48000;
  int channels = 2;                     // 1 or 2 (down/up-mixed by swresample)
  const CancelToken* cancel = nullptr;  // not owned
};

class AudioReader {
 public:
  // Errors: as ProbeFile, plus "has no audio stream".
  static Result<std::unique_ptr<AudioReader>> Open(const std::string& path,
                                                   const AudioReaderOptions& options);
  ~AudioReader();

  // The next Read() starts exactly at source time `t` (rounded to a sample). Where the stream
  // has no audio at t (it starts later), silence is returned.
  Status Seek(MediaTime t);

  // Up to `max_frames` samples per channel; fewer only at the end of the stream; 0 at the end.
  // The buffer's pts is its first sample's source time.
  Result<AudioBuffer> Read(int64_t max_frames);

  int sample_rate() const;
  int channels() const;

 private:
  AudioReader();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cutroom::media
