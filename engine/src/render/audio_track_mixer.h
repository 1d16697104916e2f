// Mixes a Timeline's audio tracks (`audio.tracks`: narration, music, effects) onto the segments'
// audio: each track's source range played from its output time, looped when asked, with its gain
// and fades, ducked under the voice tracks (DuckingEnvelope), cut at the end of the video.
// Streams: one AudioReader per track, memory independent of the timeline's length.
//
// Thread safety: one instance per thread.
#pragma once

#include <memory>
#include <vector>

#include "cutroom/audio_buffer.h"
#include "cutroom/cancel.h"
#include "cutroom/timeline.h"

namespace cutroom::render {

class AudioTrackMixer {
 public:
  struct Options {
    int sample_rate = 48000;
    int channels = 2;
    int64_t total_samples = 0;  // the video's length: tracks are cut there
    const CancelToken* cancel = nullptr;
  };

  // Opens one reader per track. REQUIRES: the timeline is valid (ValidateStructure), and it
  // outlives the mixer.
  static Result<std::unique_ptr<AudioTrackMixer>> Create(const timeline::Timeline& timeline,
                                                         const Options& options);
  ~AudioTrackMixer();

  // Adds the tracks' next `mix.frames()` output samples onto `mix` (successive calls continue
  // where the last one ended). REQUIRES: mix has the channel count of the options.
  Status MixInto(AudioBuffer& mix);

 private:
  AudioTrackMixer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cutroom::render
