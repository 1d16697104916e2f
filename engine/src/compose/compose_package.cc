// The package step of a compose job: chapters, thumbnail, caption files and metadata.json.
//
// Scene ids (the contract with the planner, compose_plan.cc): the Timeline names the source of
// visual i (0-based index into Script::visuals) "<kind>_<n>" with n = i + 1, written with at
// least two digits:
//
//   slide_01, slide_02 ...   a [slide]: the source of its text overlay (or of its segment)
//   image_01 ...             an [image]: the source of its picture segment
//   broll_01 ...             a [broll]: the source of its clip's segments
//
// Every other source (slide backgrounds, the title card, intro/outro, narration, music, logo)
// uses an id that does not have this form ("background", "title", "intro", "logo"), and an id
// with a suffix ("slide_01_2") is not a scene id. A scene starts at the earliest output time at
// which its id appears: the start of the first segment on that source (segments play back to
// back) or the `start` of the first overlay showing it. Chapters come from the slide scenes with
// script.visuals[i].heading; the thumbnail uses the first image_/broll_ segment's picture, else
// the colours of the first slide scene's look.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compose/compose_job.h"
#include "compose/slides/title_card.h"
#include "cutroom/file_util.h"
#include "export/subtitles.h"
#include "media/frame_scaler.h"
#include "media/frames.h"
#include "media/image_writer.h"
#include "media/probe.h"
#include "media/video_reader.h"
#include "timeline/timeline_json.h"

namespace cutroom::compose {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr double kMinChapterS = 10;  // YouTube's rules for chapters
constexpr size_t kMinChapters = 3;
constexpr int kThumbnailWidth = 1280;
constexpr int kThumbnailHeight = 720;
constexpr int kJpegQuality = 90;
constexpr const char* kIntroTitle = "Intro";
// A rendered video whose length differs from its Timeline's by more than this was probably not
// rendered from it.
constexpr double kDurationMismatchS = 0.5;

void Report(const StepEnv& env, double fraction, const std::string& message) {
  if (env.progress) env.progress(fraction, message);
}

Status CheckCancel(const StepEnv& env) {
  if (env.cancel != nullptr && env.cancel->IsCancelled()) {
    return CancelledError("compose package cancelled");
  }
  return Status::Ok();
}

double RoundMs(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

// "0:00", "1:05", "1:02:03": whole seconds, as YouTube reads chapter times in a description.
std::string ClockText(double seconds) {
  auto total = static_cast<long long>(std::floor(std::max(0.0, seconds) + 1e-6));
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                  total % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%lld:%02lld", total / 60, total % 60);
  }
  return buf;
}

// The visual index (0-based) of a scene id "<prefix><n>" (n >= 1, decimal digits only), or -1.
int VisualIndexOf(const std::string& id, std::string_view prefix) {
  if (id.size() <= prefix.size() || id.compare(0, prefix.size(), prefix) != 0) return -1;
  int n = 0;
  for (size_t i = prefix.size(); i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9' || n > 1000000) return -1;
    n = n * 10 + (id[i] - '0');
  }
  return n >= 1 ? n - 1 : -1;
}

// For each visual index whose scene id (with `prefix`) appears in the Timeline, the earliest
// output time it appears at (see the file comment).
std::map<int, MediaTime> SceneStarts(const timeline::Timeline& tl, std::string_view prefix) {
  std::map<int, MediaTime> starts;
  auto note = [&](const std::string& id, MediaTime at) {
    int index = VisualIndexOf(id, prefix);
    if (index < 0) return;
    auto [it, inserted] = starts.emplace(index, at);
    if (!inserted && at < it->second) it->second = at;
  };
  MediaTime at = MediaTime::Zero();
  for (const timeline::Segment& segment : tl.segments) {
    note(segment.source, at);
    at = at + segment.duration();
  }
  for (const timeline::Overlay& overlay : tl.overlays) note(overlay.source, overlay.start);
  return starts;
}

std::vector<Chapter> ChaptersOf(const Script& script, const timeline::Timeline& tl) {
  const std::map<int, MediaTime> starts = SceneStarts(tl, "slide_");
  std::vector<Chapter> chapters;
  for (size_t i = 0; i < script.visuals.size(); ++i) {
    const Visual& visual = script.visuals[i];
    if (visual.kind != VisualKind::kSlide || visual.heading.empty()) continue;
    auto it = starts.find(static_cast<int>(i));
    if (it == starts.end()) continue;
    // Scenes are in script order; a heading that does not move time forward adds nothing.
    if (!chapters.empty() && it->second <= chapters.back().start) continue;
    chapters.push_back({it->second, visual.heading});
  }
  if (chapters.empty()) return {};
  const MediaTime zero = MediaTime::Zero();
  if (chapters.front().start > zero) {
    // An "Intro" shorter than a chapter may be would void every chapter; the first section takes
    // over the opening seconds instead.
    if (chapters.front().start.ToSeconds() < kMinChapterS) {
      chapters.front().start = zero;
    } else {
      chapters.insert(chapters.begin(), Chapter{zero, kIntroTitle});
    }
  }
  if (chapters.size() < kMinChapters) return {};
  const MediaTime end = tl.Duration();
  for (size_t i = 0; i < chapters.size(); ++i) {
    const MediaTime next = i + 1 < chapters.size() ? chapters[i + 1].start : end;
    if ((next - chapters[i].start).ToSeconds() < kMinChapterS - 1e-9) return {};
  }
  return chapters;
}

// --- Thumbnail -------------------------------------------------------------------------------

// BT.709 limited range (the engine's frames) <-> 8-bit RGB.
uint8_t Clamp8(double v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

VideoFrame YuvToRgba(const VideoFrame& yuv) {
  const int w = yuv.width, h = yuv.height;
  auto pixels = std::make_shared<uint8_t[]>(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  for (int y = 0; y < h; ++y) {
    const uint8_t* py = yuv.data[0] + static_cast<ptrdiff_t>(y) * yuv.linesize[0];
    const uint8_t* pu = yuv.data[1] + static_cast<ptrdiff_t>(y / 2) * yuv.linesize[1];
    const uint8_t* pv = yuv.data[2] + static_cast<ptrdiff_t>(y / 2) * yuv.linesize[2];
    uint8_t* out = pixels.get() + static_cast<ptrdiff_t>(y) * w * 4;
    for (int x = 0; x < w; ++x) {
      double l = 1.164384 * (py[x] - 16);
      double cb = pu[x / 2] - 128.0, cr = pv[x / 2] - 128.0;
      out[4 * x] = Clamp8(l + 1.792741 * cr);
      out[4 * x + 1] = Clamp8(l - 0.213249 * cb - 0.532909 * cr);
      out[4 * x + 2] = Clamp8(l + 2.112402 * cb);
      out[4 * x + 3] = 255;
    }
  }
  VideoFrame rgba;
  rgba.format = PixelFormat::kRgba;
  rgba.width = w;
  rgba.height = h;
  rgba.data[0] = pixels.get();
  rgba.linesize[0] = w * 4;
  rgba.owner = std::move(pixels);
  return rgba;
}

// REQUIRES: even width and height (the thumbnail's).
VideoFrame RgbaToYuv(const VideoFrame& rgba) {
  VideoFrame yuv = media::AllocateVideoFrame(PixelFormat::kYuv420p, rgba.width, rgba.height);
  for (int y = 0; y < rgba.height; y += 2) {
    for (int x = 0; x < rgba.width; x += 2) {
      double cb_sum = 0, cr_sum = 0;
      for (int dy = 0; dy < 2; ++dy) {
        for (int dx = 0; dx < 2; ++dx) {
          const uint8_t* p =
              rgba.data[0] + static_cast<ptrdiff_t>(y + dy) * rgba.linesize[0] + 4 * (x + dx);
          double r = p[0], g = p[1], b = p[2];
          yuv.data[0][static_cast<ptrdiff_t>(y + dy) * yuv.linesize[0] + x + dx] =
              Clamp8(16 + (0.2126 * r + 0.7152 * g + 0.0722 * b) * 219.0 / 255.0);
          cb_sum += (-0.114572 * r - 0.385428 * g + 0.5 * b) * 224.0 / 255.0;
          cr_sum += (0.5 * r - 0.454153 * g - 0.045847 * b) * 224.0 / 255.0;
        }
      }
      yuv.data[1][static_cast<ptrdiff_t>(y / 2) * yuv.linesize[1] + x / 2] =
          Clamp8(128 + cb_sum / 4);
      yuv.data[2][static_cast<ptrdiff_t>(y / 2) * yuv.linesize[2] + x / 2] =
          Clamp8(128 + cr_sum / 4);
    }
  }
  return yuv;
}

// The frame of `path` at `t`, cover-scaled (centred crop) to the thumbnail size, as kRgba.
Result<VideoFrame> CoverPicture(const std::string& path, MediaTime t, const StepEnv& env) {
  media::VideoReaderOptions options;
  options.threads = std::max(1, env.threads);
  options.cancel = env.cancel;
  CR_ASSIGN_OR_RETURN(std::unique_ptr<media::VideoReader> reader,
                      media::VideoReader::Open(path, options));
  CR_ASSIGN_OR_RETURN(VideoFrame frame, reader->FrameAt(t));
  const int w = frame.width & ~1, h = frame.height & ~1;
  if (w < 2 || h < 2) return InvalidArgumentError(path + ": picture too small for a thumbnail");
  // Whole, even pixels: the exact swscale path.
  int crop_w = w, crop_h = h;
  if (static_cast<int64_t>(w) * kThumbnailHeight > static_cast<int64_t>(h) * kThumbnailWidth) {
    crop_w = std::max(
        2, static_cast<int>(static_cast<int64_t>(h) * kThumbnailWidth / kThumbnailHeight) & ~1);
  } else {
    crop_h = std::max(
        2, static_cast<int>(static_cast<int64_t>(w) * kThumbnailHeight / kThumbnailWidth) & ~1);
  }
  RectF rect{static_cast<double>(((w - crop_w) / 2) & ~1),
             static_cast<double>(((h - crop_h) / 2) & ~1), static_cast<double>(crop_w),
             static_cast<double>(crop_h)};
  VideoFrame scaled =
      media::AllocateVideoFrame(PixelFormat::kYuv420p, kThumbnailWidth, kThumbnailHeight);
  media::FrameScaler scaler(media::ScaleFilter::kBicubic);
  CR_RETURN_IF_ERROR(scaler.Scale(frame, rect, scaled, 0, 0, kThumbnailWidth, kThumbnailHeight));
  return YuvToRgba(scaled);
}

SlideStyle SlideStyleOf(const SceneLook& look) {
  SlideStyle s;
  s.font_family = look.font_family;
  s.font_file = look.font_file;
  s.background = look.background;
  s.text = look.text;
  s.accent = look.accent;
  return s;
}

// Draws thumbnail.jpg: `text` over the first picture scene (image or b-roll), else over the
// first slide's background colour. A picture that cannot be decoded falls back to the colour
// with a warning: the thumbnail is never worth failing the package for.
Status WriteThumbnail(const std::string& text, const ComposeStyle& style,
                      const timeline::Timeline& tl, const std::string& path, const StepEnv& env,
                      std::vector<std::string>& warnings) {
  const timeline::Segment* picture = nullptr;
  int picture_visual = -1;
  for (const timeline::Segment& segment : tl.segments) {
    int index = VisualIndexOf(segment.source, "image_");
    if (index < 0) index = VisualIndexOf(segment.source, "broll_");
    if (index >= 0 && tl.FindSource(segment.source) != nullptr) {
      picture = &segment;
      picture_visual = index;
      break;
    }
  }
  const std::map<int, MediaTime> slides = SceneStarts(tl, "slide_");
  int slide = -1;
  for (const auto& [index, start] : slides) {
    if (slide < 0 || start < slides.at(slide)) slide = index;
  }
  std::optional<VideoFrame> background;
  int look_index = slide;
  if (picture != nullptr) {
    const timeline::Source* source = tl.FindSource(picture->source);
    // A still picture is the same at any time; for a clip, a frame a third of the way in is
    // past any fade-in from black.
    MediaTime at =
        source->kind == timeline::SourceKind::kImage
            ? MediaTime::Zero()
            : picture->in + MediaTime::FromSecondsApprox(picture->duration().ToSeconds() / 3.0);
    auto cover = CoverPicture(source->path, at, env);
    if (cover.ok()) {
      background = std::move(cover).value();
      look_index = picture_visual;
    } else {
      warnings.push_back("thumbnail: cannot use the picture of '" + picture->source + "' (" +
                         cover.status().message() + "); drawn over a plain colour");
    }
  }
  const SceneLook& look = style.LookOf(look_index);
  auto card = RenderTitleCard(text, background ? &*background : nullptr, kThumbnailWidth,
                              kThumbnailHeight, SlideStyleOf(look));
  if (!card.ok()) return card.status().WithContext("thumbnail");
  return media::WriteJpeg(RgbaToYuv(*card), path, kJpegQuality);
}

// --- Metadata --------------------------------------------------------------------------------

struct VideoFacts {
  double duration_s = 0;
  int width = 0;
  int height = 0;
};

Result<VideoFacts> ProbeVideo(const std::string& path, const StepEnv& env) {
  auto info = media::ProbeFile(path, env.cancel);
  if (!info.ok()) return info.status().WithContext("rendered video");
  const StreamInfo* video = info->video();
  if (video == nullptr) return InvalidArgumentError("rendered video " + path + ": no video stream");
  VideoFacts facts;
  MediaTime duration = info->duration > MediaTime::Zero() ? info->duration : video->duration;
  facts.duration_s = RoundMs(duration.ToSeconds());
  facts.width = video->upright_width();
  facts.height = video->upright_height();
  return facts;
}

std::string MetadataJson(const Script& script, const std::vector<Chapter>& chapters,
                         const VideoFacts& video, const std::string& voice) {
  Json chapter_list = Json::array();
  for (const Chapter& chapter : chapters) {
    double start = RoundMs(chapter.start.ToSeconds());
    chapter_list.push_back(
        {{"start", start}, {"start_text", ClockText(start)}, {"title", chapter.title}});
  }
  const ScriptStats stats = MeasureScript(script, 0);
  Json metadata = {{"title", script.title},
                   {"alt_title", script.alt_title},
                   {"description", script.description},
                   {"tags", script.tags},
                   {"chapters", std::move(chapter_list)},
                   {"duration", video.duration_s},
                   {"voice", voice},
                   {"words", stats.words},
                   {"sentences", stats.sentences},
                   {"width", video.width},
                   {"height", video.height},
                   {"files",
                    {{"video", "video.mp4"},
                     {"thumbnail", "thumbnail.jpg"},
                     {"srt", "video.srt"},
                     {"vtt", "video.vtt"},
                     {"timeline", "timeline.json"}}}};
  return metadata.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

void ChapterWarnings(const Script& script, const std::vector<Chapter>& chapters,
                     std::vector<std::string>& warnings) {
  if (!chapters.empty()) return;
  if (script.sections.empty()) {
    warnings.push_back("no chapters: no slide has a heading");
  } else {
    warnings.push_back("no chapters: YouTube needs at least 3 sections of at least 10 s each (" +
                       std::to_string(script.sections.size()) + " slide heading" +
                       (script.sections.size() == 1 ? "" : "s") + " in the script)");
  }
}

}  // namespace

std::vector<Chapter> ChaptersFor(const Script& script, const std::string& timeline_json_text) {
  auto tl = timeline::ParseTimelineJson(timeline_json_text);
  if (!tl.ok()) return {};  // PackageComposition reports an unreadable Timeline itself
  return ChaptersOf(script, *tl);
}

Result<ComposeResult> PackageComposition(const std::string& script_path, const ComposeStyle& style,
                                         const std::string& timeline_json,
                                         const std::string& narration_json,
                                         const std::string& video_mp4,
                                         const std::string& output_dir, const StepEnv& env) {
  Report(env, 0.0, "packaging");
  CR_ASSIGN_OR_RETURN(Script script, LoadScript(script_path));
  CR_ASSIGN_OR_RETURN(std::string timeline_text, ReadSmallFile(timeline_json));
  auto parsed = timeline::ParseTimelineJson(timeline_text);
  if (!parsed.ok()) return parsed.status().WithContext(timeline_json);
  const timeline::Timeline tl = std::move(parsed).value();
  // The video is checked before anything is written: a missing render leaves no package behind.
  CR_ASSIGN_OR_RETURN(VideoFacts video, ProbeVideo(video_mp4, env));
  // An empty narration_json (a caller with no narration step) means style.voice was used.
  std::string voice = style.voice;
  ComposeResult result;
  if (!narration_json.empty()) {
    CR_ASSIGN_OR_RETURN(Narration narration, ReadNarration(narration_json));  // names the file
    voice = narration.voice;
    if (narration.sentences.size() != script.sentences.size()) {
      result.warnings.push_back("narration.json has " + std::to_string(narration.sentences.size()) +
                                " sentences but the script " +
                                std::to_string(script.sentences.size()) +
                                ": the narration is from another version of the script");
    }
  }

  const fs::path dir(output_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return PermissionDeniedError("cannot create " + output_dir + ": " + ec.message());
  result.output_dir = output_dir;
  result.video = (dir / "video.mp4").string();
  result.duration_s = video.duration_s;

  if (script.title.empty()) {
    result.warnings.push_back("the script has no [title]: metadata.json has an empty title");
  }
  const double timeline_s = tl.Duration().ToSeconds();
  if (std::fabs(timeline_s - video.duration_s) > kDurationMismatchS) {
    char buf[160];
    std::snprintf(buf, sizeof(buf),
                  "video.mp4 lasts %.3f s but its Timeline %.3f s: was it rendered from it?",
                  video.duration_s, timeline_s);
    result.warnings.emplace_back(buf);
  }

  Report(env, 0.1, "copying the video");
  CR_RETURN_IF_ERROR(CopyFileAtomically(video_mp4, result.video));
  CR_RETURN_IF_ERROR(WriteFileAtomically((dir / "timeline.json").string(), timeline_text));
  CR_RETURN_IF_ERROR(CheckCancel(env));
  CR_RETURN_IF_ERROR(
      WriteFileAtomically((dir / "video.srt").string(), export_::TimelineCaptionsToSrt(tl)));
  CR_RETURN_IF_ERROR(
      WriteFileAtomically((dir / "video.vtt").string(), export_::TimelineCaptionsToVtt(tl)));

  Report(env, 0.5, "drawing the thumbnail");
  std::string card_text = !script.thumbnail_text.empty() ? script.thumbnail_text
                          : !script.title.empty()        ? script.title
                          : !script.sections.empty()     ? script.sections.front()
                                                         : std::string();
  CR_RETURN_IF_ERROR(
      WriteThumbnail(card_text, style, tl, (dir / "thumbnail.jpg").string(), env, result.warnings));
  CR_RETURN_IF_ERROR(CheckCancel(env));

  const std::vector<Chapter> chapters = ChaptersOf(script, tl);
  ChapterWarnings(script, chapters, result.warnings);
  CR_RETURN_IF_ERROR(WriteFileAtomically((dir / "metadata.json").string(),
                                         MetadataJson(script, chapters, video, voice)));
  Report(env, 1.0, "done");
  return result;
}

}  // namespace cutroom::compose
