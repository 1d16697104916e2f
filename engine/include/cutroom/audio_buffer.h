// AudioBuffer: planar float samples (one vector per channel), the engine's own audio type.
//
// Thread safety: value type.
#pragma once

#include <cstdint>
#include <vector>

#include "cutroom/media_time.h"

namespace cutroom {

struct AudioBuffer {
  int sample_rate = 0;
  std::vector<std::vector<float>> channels;  // channels[c][i], all the same length
  MediaTime pts;                             // time of the first sample

  int channel_count() const { return static_cast<int>(channels.size()); }
  int64_t frames() const { return channels.empty() ? 0 : static_cast<int64_t>(channels[0].size()); }
};

}  // namespace cutroom
