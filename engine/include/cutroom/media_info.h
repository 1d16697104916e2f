// What probing a media file tells: container, duration and streams, upright geometry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cutroom/media_time.h"

namespace cutroom {

enum class StreamType { kInvalid = 0, kVideo, kAudio, kSubtitle, kData };

struct StreamInfo {
  int index = -1;
  StreamType type = StreamType::kInvalid;
  std::string codec;     // FFmpeg codec name: "h264", "aac", "mov_text"
  std::string language;  // ISO 639 tag when present
  MediaTime duration;    // zero when unknown
  // video
  int width = 0;  // coded size, before rotation
  int height = 0;
  Rational fps;  // average frame rate; {0,1} when unknown
  bool variable_frame_rate = false;
  int rotation_deg = 0;  // clockwise rotation to apply for upright display: 0, 90, 180, 270
  std::string pixel_format;
  int bit_depth = 0;
  // audio
  int sample_rate = 0;
  int channels = 0;
  bool attached_picture = false;  // cover art, not a real video stream

  int upright_width() const { return rotation_deg % 180 == 0 ? width : height; }
  int upright_height() const { return rotation_deg % 180 == 0 ? height : width; }
};

struct MediaInfo {
  std::string path;
  std::string container;  // FFmpeg demuxer name
  MediaTime duration;
  int64_t bit_rate = 0;
  std::vector<StreamInfo> streams;

  // Best video stream (not cover art) and best audio stream, when present.
  const StreamInfo* video() const;
  const StreamInfo* audio() const;
};

}  // namespace cutroom
