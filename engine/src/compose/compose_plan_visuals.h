// The pieces PlanComposition (compose_job.h) builds scenes from: checked media files, Ken Burns
// crop paths, layouts and slide layers. Internal to cutroom::compose_job.
//
// Thread safety: pure functions on files and values.
#pragma once

#include <string>
#include <vector>

#include "compose/compose_job.h"
#include "compose/compose_style.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "cutroom/timeline.h"

namespace cutroom::compose::internal {

struct PictureFacts {
  std::string path;  // absolute
  int width = 0;     // upright
  int height = 0;
};

// An [image] tag's picture: `body` resolved against `script_dir`, which must be an existing file
// that decodes. Errors (InvalidArgument unless noted) start "line L: ": a file-like body that is
// missing (NotFound, "image file not found: PATH"), a prompt (needs an image generator, which is
// not configured), a file that does not decode as a picture (names the file).
Result<PictureFacts> CheckImageTag(const std::string& body, int line, const std::string& script_dir);

// A picture given by the style (logo): must exist and decode. `what` names it in errors.
Result<PictureFacts> CheckPictureFile(const std::string& path, const std::string& what);

struct ClipFacts {
  std::string path;  // absolute
  int width = 0;     // upright
  int height = 0;
  MediaTime duration;  // of the video (the shorter of container and video stream when known)
  bool has_audio = false;
};

// A video file (b-roll, intro, outro): must exist, have a video stream and a known duration.
// Errors name `what` and the file.
Result<ClipFacts> CheckClipFile(const std::string& path, const std::string& what);

// Music: must exist and have an audio stream of known duration. Returns that duration.
Result<MediaTime> CheckMusicFile(const std::string& path, const std::string& what);

// kFill when the picture's aspect ratio is within ~35% of the output's, else kFitBlur.
timeline::Layout LayoutFor(int src_width, int src_height, int out_width, int out_height);

// Crop keyframes for `motion` over `duration` (fill layout; zoom 1 -> 1.15 etc.). Pans move the
// window across all the room the zoomed window has. Empty for kNone.
std::vector<timeline::CropKeyframe> KenBurns(Motion motion, MediaTime duration, int src_width,
                                             int src_height, int out_width, int out_height);

// The horizontal band of the frame a slide's text is laid out in: the whole frame, or, when
// captions show at the bottom, lower third or top, the part clear of them (captions take up to
// two lines ending ~30% / ~10% above the bottom, or starting ~12% below the top).
struct TextBand {
  int top = 0;  // pixels
  int height = 0;
};
TextBand SlideTextBand(const ComposeStyle& style, bool with_captions);

// The two layers of a slide in `look`, written into `assets_dir` (PNG): the look's plain
// background (shared by every slide of that colour) and the Markdown's text over transparency.
struct SlideLayers {
  std::string background;  // absolute paths
  std::string text;
};
// The background is width x height, the text layer width x text_height (a TextBand's).
// Errors ("line L: " when line > 0): a bad colour, an unreadable or invalid font file (named).
Result<SlideLayers> WriteSlideLayers(const std::string& markdown, const SceneLook& look,
                                     int width, int height, int text_height,
                                     const std::string& assets_dir, const std::string& text_name,
                                     int line);

}  // namespace cutroom::compose::internal
