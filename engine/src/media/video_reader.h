// Frame-accurate video decoding. Frames come out upright (rotation metadata applied) as 8-bit
// yuv420p, limited range, with exact presentation times in source time (0 = container start).
//
// Thread safety: one reader per thread. Decoding itself uses FFmpeg's threads (options.threads).
#pragma once

#include <memory>
#include <string>

#include "cutroom/cancel.h"
#include "cutroom/media_info.h"
#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::media {

struct VideoReaderOptions {
  int threads = 0;                      // FFmpeg decode threads; 0 = FFmpeg's choice
  const CancelToken* cancel = nullptr;  // not owned; must outlive the reader
  bool skip_loop_filter = false;        // faster, slightly blockier: fine for analysis
};

class VideoReader {
 public:
  // Errors: as ProbeFile, plus "has no video stream".
  static Result<std::unique_ptr<VideoReader>> Open(const std::string& path,
                                                   const VideoReaderOptions& options);
  ~VideoReader();

  const StreamInfo& stream() const;
  int width() const;   // upright
  int height() const;  // upright

  // The frame on screen at source time `t`: the last frame with pts <= t, or the first frame
  // when t precedes it, or the last frame when t is past the end. Fastest when successive calls
  // have non-decreasing t; a step backwards or a jump of more than 2 s forward seeks.
  Result<VideoFrame> FrameAt(MediaTime t);

  // Sequential decoding from the current position. Returns false at the end of the stream.
  Result<bool> Next(VideoFrame* frame);

  // Positions so that the next Next() returns the frame on screen at `t`.
  Status Seek(MediaTime t);

  // Corrupt packets skipped so far (decoding goes on past isolated damage).
  int corrupt_packets() const;

 private:
  VideoReader();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cutroom::media
