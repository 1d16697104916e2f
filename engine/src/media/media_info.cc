#include "cutroom/media_info.h"

namespace cutroom {
namespace {

const StreamInfo* Best(const std::vector<StreamInfo>& streams, StreamType type) {
  const StreamInfo* best = nullptr;
  for (const auto& s : streams) {
    if (s.type != type || s.attached_picture) continue;
    // Prefer the largest picture, or the most channels: FFmpeg's own heuristic is similar.
    if (best == nullptr || s.width * s.height > best->width * best->height ||
        s.channels > best->channels) {
      best = &s;
    }
  }
  return best;
}

}  // namespace

const StreamInfo* MediaInfo::video() const { return Best(streams, StreamType::kVideo); }
const StreamInfo* MediaInfo::audio() const { return Best(streams, StreamType::kAudio); }

}  // namespace cutroom
