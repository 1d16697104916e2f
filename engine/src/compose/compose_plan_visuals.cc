#include "compose/compose_plan_visuals.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <memory>
#include <utility>

#include "compose/compose_plan_util.h"
#include "compose/slides/slide_renderer.h"
#include "media/probe.h"
#include "media/video_reader.h"

namespace cutroom::compose::internal {
namespace {

namespace fs = std::filesystem;

constexpr double kKenBurnsZoom = 1.15;
constexpr double kFillAspectTolerance = 1.35;  // source/output aspect ratio, either way

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool HasImageExtension(const std::string& body) {
  static const char* const kExtensions[] = {".png", ".jpg",  ".jpeg", ".webp", ".gif", ".bmp",
                                            ".tif", ".tiff", ".avif", ".heic", ".jxl"};
  std::string ext = Lower(fs::path(body).extension().string());
  return std::any_of(std::begin(kExtensions), std::end(kExtensions),
                     [&](const char* e) { return ext == e; });
}

bool IsRegularFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string LinePrefix(int line) { return line > 0 ? "line " + std::to_string(line) + ": " : ""; }

// Decodes the first frame: the probe alone accepts any file named *.png (FFmpeg's image demuxer
// trusts the extension), decoding does not.
Result<PictureFacts> DecodePicture(const std::string& path) {
  media::VideoReaderOptions options;
  options.threads = 1;
  CR_ASSIGN_OR_RETURN(std::unique_ptr<media::VideoReader> reader,
                      media::VideoReader::Open(path, options));
  CR_ASSIGN_OR_RETURN(VideoFrame frame, reader->FrameAt(MediaTime()));
  if (frame.empty() || reader->width() <= 0 || reader->height() <= 0) {
    return InvalidArgumentError("no picture decoded");
  }
  return PictureFacts{path, reader->width(), reader->height()};
}

Result<PictureFacts> CheckPicture(const std::string& path, const std::string& what, int line) {
  Result<PictureFacts> facts = DecodePicture(path);
  if (!facts.ok()) {
    return InvalidArgumentError(LinePrefix(line) + what + " " + path +
                                ": cannot decode it as a picture (unsupported format or corrupt "
                                "file: " +
                                facts.status().message() + ")");
  }
  return facts;
}

}  // namespace

Result<PictureFacts> CheckImageTag(const std::string& body, int line,
                                   const std::string& script_dir) {
  const std::string path = ResolveAgainst(body, script_dir);
  if (!IsRegularFile(path)) {
    if (HasImageExtension(body) || body.find('/') != std::string::npos ||
        body.find('\\') != std::string::npos) {
      return NotFoundError(LinePrefix(line) + "image file not found: " + body +
                           (body == path ? "" : " (" + path + ")"));
    }
    return InvalidArgumentError(
        LinePrefix(line) + "[image] '" + body +
        "' is not a file; image prompts need an image generator, which is not configured: "
        "pass a picture file instead");
  }
  return CheckPicture(path, "image file", line);
}

Result<PictureFacts> CheckPictureFile(const std::string& path, const std::string& what) {
  if (!IsRegularFile(path)) return NotFoundError(what + " file not found: " + path);
  return CheckPicture(path, what + " file", 0);
}

Result<ClipFacts> CheckClipFile(const std::string& path, const std::string& what) {
  if (!IsRegularFile(path)) return NotFoundError(what + " file not found: " + path);
  Result<MediaInfo> info = media::ProbeFile(path);
  if (!info.ok()) return info.status().WithContext(what + " file " + path);
  const StreamInfo* video = info->video();
  if (video == nullptr) {
    return InvalidArgumentError(what + " file " + path + " has no video stream");
  }
  MediaTime duration = info->duration;
  if (video->duration > MediaTime() && (duration <= MediaTime() || video->duration < duration)) {
    duration = video->duration;
  }
  if (duration <= MediaTime()) {
    return InvalidArgumentError(what + " file " + path + ": unknown duration");
  }
  return ClipFacts{path, video->upright_width(), video->upright_height(), duration,
                   info->audio() != nullptr};
}

Result<MediaTime> CheckMusicFile(const std::string& path, const std::string& what) {
  if (!IsRegularFile(path)) return NotFoundError(what + " file not found: " + path);
  Result<MediaInfo> info = media::ProbeFile(path);
  if (!info.ok()) return info.status().WithContext(what + " file " + path);
  const StreamInfo* audio = info->audio();
  if (audio == nullptr) return InvalidArgumentError(what + " file " + path + " has no audio");
  MediaTime duration = audio->duration > MediaTime() ? audio->duration : info->duration;
  // Whole milliseconds, rounded down: never past the stream's end.
  duration = MediaTime(duration.Rescale({1, 1000}, Rounding::kDown), {1, 1000});
  if (duration <= MediaTime()) {
    return InvalidArgumentError(what + " file " + path + ": unknown or zero duration");
  }
  return duration;
}

timeline::Layout LayoutFor(int src_width, int src_height, int out_width, int out_height) {
  if (src_width <= 0 || src_height <= 0) return timeline::Layout::kFitBlur;
  double ratio = (static_cast<double>(src_width) / src_height) /
                 (static_cast<double>(out_width) / out_height);
  return std::max(ratio, 1 / ratio) <= kFillAspectTolerance ? timeline::Layout::kFill
                                                            : timeline::Layout::kFitBlur;
}

std::vector<timeline::CropKeyframe> KenBurns(Motion motion, MediaTime duration, int src_width,
                                             int src_height, int out_width, int out_height) {
  if (motion == Motion::kNone || motion == Motion::kInvalid || duration <= MediaTime() ||
      src_width <= 0 || src_height <= 0) {
    return {};
  }
  timeline::CropKeyframe first, last;
  first.t = MediaTime();
  last.t = duration;
  switch (motion) {
    case Motion::kZoomIn:
      last.zoom = kKenBurnsZoom;
      break;
    case Motion::kZoomOut:
      first.zoom = kKenBurnsZoom;
      break;
    case Motion::kPanLeft:
    case Motion::kPanRight: {
      // The zoom-1 window is the largest output-aspect window in the source; at 1.15 it leaves
      // this much room on each side (as a fraction of the source width).
      double out_aspect = static_cast<double>(out_width) / out_height;
      double w1 = std::min<double>(src_width, src_height * out_aspect);
      double half = w1 / kKenBurnsZoom / 2 / src_width;
      double right = 1 - half, left = half;
      first.zoom = last.zoom = kKenBurnsZoom;
      first.cx = motion == Motion::kPanLeft ? right : left;
      last.cx = motion == Motion::kPanLeft ? left : right;
      break;
    }
    default:
      return {};
  }
  return {first, last};
}

TextBand SlideTextBand(const ComposeStyle& style, bool with_captions) {
  auto even = [](double v) { return static_cast<int>(std::lround(v / 2)) * 2; };
  if (!with_captions) return {0, style.height};
  switch (style.caption_position) {
    case timeline::CaptionPosition::kLowerThird:
      return {0, even(0.56 * style.height)};
    case timeline::CaptionPosition::kBottom:
      return {0, even(0.74 * style.height)};
    case timeline::CaptionPosition::kTop: {
      int top = even(0.28 * style.height);
      return {top, style.height - top};
    }
    default:  // centred captions cross any text: keep the whole frame
      return {0, style.height};
  }
}

Result<SlideLayers> WriteSlideLayers(const std::string& markdown, const SceneLook& look,
                                     int width, int height, int text_height,
                                     const std::string& assets_dir, const std::string& text_name,
                                     int line) {
  SlideStyle style;
  style.font_family = look.font_family;
  style.font_file = look.font_file;
  style.background = look.background;
  style.text = look.text;
  style.accent = look.accent;
  // Sized for the whole frame, not the band the text may use: the band only bounds it (text
  // shrinks to fit a tall slide).
  style.base_size = height / 22.0;
  auto fail = [&](const Status& status) {
    return Status(status.code(), LinePrefix(line) + "slide: " + status.message());
  };
  SlideLayers layers;
  std::string colour = look.background.size() > 1 ? look.background.substr(1) : look.background;
  layers.background =
      (fs::path(assets_dir) / ("background_" + Lower(colour) + ".png")).string();
  Result<VideoFrame> background = RenderSlide("", width, height, style);
  if (!background.ok()) return fail(background.status());
  style.transparent_background = true;
  Result<VideoFrame> text = RenderSlide(markdown, width, text_height, style);
  if (!text.ok()) return fail(text.status());
  // Rewritten every time (cheap: one flat colour): a file left by an earlier run may have
  // another size.
  CR_RETURN_IF_ERROR(WritePng(*background, layers.background));
  layers.text = (fs::path(assets_dir) / text_name).string();
  CR_RETURN_IF_ERROR(WritePng(*text, layers.text));
  return layers;
}

}  // namespace cutroom::compose::internal
