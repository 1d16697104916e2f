// Encodes and muxes an output file: H.264 (libx264) + AAC in MP4 with faststart.
// The file is written under a temporary name in the same folder and renamed into place by
// Finish(); a writer destroyed without a successful Finish() removes its temporary file, so a
// half-written file is never presented as a result.
//
// Thread safety: one thread at a time. x264 uses `threads` threads of its own.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cutroom/audio_buffer.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::media {

// OK when the encoders the renderer needs (libx264, AAC) are in this FFmpeg build; else
// FailedPrecondition naming the missing one (readiness checks).
Status CheckEncodersAvailable();

struct VideoEncodeSettings {
  int width = 0;
  int height = 0;
  Rational fps{30, 1};
  std::string preset = "veryfast";
  int crf = 23;
  std::string profile = "high";
  int threads = 0;  // 0 = x264's choice; set from the job's CPU budget
};

struct AudioEncodeSettings {
  int sample_rate = 48000;
  int channels = 2;
  int bitrate = 128000;
};

class MediaWriter {
 public:
  // Errors: unwritable folder, unknown preset/profile, odd size, missing encoder.
  static Result<std::unique_ptr<MediaWriter>> Create(
      const std::string& path, const VideoEncodeSettings& video,
      const std::optional<AudioEncodeSettings>& audio);
  ~MediaWriter();

  // Frames are timed by their index: frame n is shown at n / fps.
  // REQUIRES: kYuv420p of the configured size.
  Status WriteVideo(const VideoFrame& frame);
  // Any number of samples per call (planar float, configured rate and channels).
  Status WriteAudio(const AudioBuffer& audio);
  // Flushes the encoders, writes the index at the front (faststart), renames into place.
  Status Finish();

  int64_t frames_written() const;
  int64_t bytes_written() const;

 private:
  MediaWriter();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cutroom::media
