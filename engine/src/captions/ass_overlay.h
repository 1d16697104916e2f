// Burns an ASS script onto frames with libass (the only place that includes libass).
//
// Thread safety: one AssOverlay per thread (libass renderers are not thread-safe).
#pragma once

#include <memory>
#include <string>

#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::captions {

class AssOverlay {
 public:
  // `font_file`: optional TTF/OTF added to libass (its family becomes usable by name); empty
  // uses fontconfig. Errors: unreadable font file, a script libass cannot parse.
  static Result<std::unique_ptr<AssOverlay>> Create(const std::string& ass_script, int width,
                                                    int height, const std::string& font_file);
  virtual ~AssOverlay() = default;

  // Alpha-blends the captions visible at `time` (output time) onto `frame`.
  // REQUIRES: frame is kYuv420p (BT.709 limited range) of the size given to Create and owned by
  // the caller alone.
  virtual Status BlendOnto(VideoFrame& frame, MediaTime time) = 0;
};

}  // namespace cutroom::captions
