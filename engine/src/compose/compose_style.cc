// style.json and brand kits: strict JSON in the manner of the Timeline (timeline_json.cc): every
// field optional, unknown or repeated fields are errors naming their JSON path, wrong types name
// the path and what was found, ranges are checked here so later steps can trust the values.
//
// style.json fields are the ComposeStyle member names; SceneLook objects ("look" and each
// "scenes[i]") use the SceneLook member names. A "scenes[i]" object starts from the parsed
// "look", so a template can override just what differs in that scene. Enumerations are
// snake_case strings: transitions as timeline::TransitionKindName, text animations as
// timeline::OverlayAnimationName, caption positions as timeline::CaptionPositionName, motions as
// MotionName, logo corners "top_left", "top_right", "bottom_left", "bottom_right". The frame rate
// is exact, as in the Timeline: "30", "30000/1001", "29.97" or an integer.
#include "compose/compose_style.h"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "captions/caption_styles.h"
#include "compose/compose_job.h"
#include "cutroom/file_util.h"
#include "json/strict_json.h"

namespace cutroom::compose {
namespace {

namespace fs = std::filesystem;
using strict_json::Describe;
using strict_json::FieldError;
using strict_json::Json;
using strict_json::ObjectReader;
using strict_json::Presence;
using strict_json::ReadArray;
using strict_json::ReadNumber;
using strict_json::ReadOptional;
using strict_json::ToBool;
using strict_json::ToColour;
using strict_json::ToDouble;
using strict_json::ToEnum;
using strict_json::ToFrameRate;
using strict_json::ToInt;
using strict_json::ToString;
using OrderedJson = nlohmann::ordered_json;

constexpr size_t kMaxStyleBytes = 1 << 20;
constexpr size_t kMaxScriptBytes = 8 << 20;
constexpr int kMinSide = 16;
constexpr int kMaxSide = 8192;
constexpr int kMaxFps = 240;

constexpr std::initializer_list<Motion> kMotions = {
    Motion::kNone, Motion::kZoomIn, Motion::kZoomOut, Motion::kPanLeft, Motion::kPanRight};
constexpr std::initializer_list<timeline::TransitionKind> kTransitions = {
    timeline::TransitionKind::kCut, timeline::TransitionKind::kCrossfade,
    timeline::TransitionKind::kSlide, timeline::TransitionKind::kZoom};
constexpr std::initializer_list<timeline::OverlayAnimation> kAnimations = {
    timeline::OverlayAnimation::kNone, timeline::OverlayAnimation::kFade,
    timeline::OverlayAnimation::kRise, timeline::OverlayAnimation::kPop};
constexpr std::initializer_list<timeline::CaptionPosition> kPositions = {
    timeline::CaptionPosition::kBottom, timeline::CaptionPosition::kLowerThird,
    timeline::CaptionPosition::kCenter, timeline::CaptionPosition::kTop};
constexpr std::initializer_list<LogoCorner> kCorners = {
    LogoCorner::kTopLeft, LogoCorner::kTopRight, LogoCorner::kBottomLeft, LogoCorner::kBottomRight};

std::string_view LogoCornerName(LogoCorner corner) {
  switch (corner) {
    case LogoCorner::kTopLeft:
      return "top_left";
    case LogoCorner::kTopRight:
      return "top_right";
    case LogoCorner::kBottomLeft:
      return "bottom_left";
    case LogoCorner::kBottomRight:
      return "bottom_right";
    case LogoCorner::kInvalid:
      break;
  }
  return "invalid";
}

std::string ResolvePath(const std::string& base_dir, const std::string& path) {
  if (path.empty() || base_dir.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

Status ReadPath(ObjectReader& reader, std::string_view key, const std::string& base_dir,
                std::string* out) {
  CR_RETURN_IF_ERROR(ReadOptional(reader, key, ToString, out));
  *out = ResolvePath(base_dir, *out);
  return Status::Ok();
}

Status ReadLook(const Json& j, const std::string& path, const std::string& base_dir,
                SceneLook* look) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  CR_RETURN_IF_ERROR(ReadOptional(r, "background", ToColour, &look->background));
  CR_RETURN_IF_ERROR(ReadOptional(r, "text", ToColour, &look->text));
  CR_RETURN_IF_ERROR(ReadOptional(r, "accent", ToColour, &look->accent));
  CR_RETURN_IF_ERROR(ReadOptional(r, "font_family", ToString, &look->font_family));
  CR_RETURN_IF_ERROR(ReadPath(r, "font_file", base_dir, &look->font_file));
  auto to_transition = [](const Json& v, const std::string& p) {
    return ToEnum(v, p, "transition", kTransitions, &timeline::TransitionKindName);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "transition", to_transition, &look->transition));
  CR_RETURN_IF_ERROR(ReadNumber(r, "transition_s", 0, 5, "s", &look->transition_s));
  auto to_motion = [](const Json& v, const std::string& p) {
    return ToEnum(v, p, "motion", kMotions, &MotionName);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "motion", to_motion, &look->motion));
  auto to_animation = [](const Json& v, const std::string& p) {
    return ToEnum(v, p, "text animation", kAnimations, &timeline::OverlayAnimationName);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "text_animation", to_animation, &look->text_animation));
  CR_RETURN_IF_ERROR(ReadNumber(r, "text_animation_s", 0, 5, "s", &look->text_animation_s));
  return r.CheckNoUnknownFields();
}

Status CheckSide(int value, const std::string& path) {
  if (value < kMinSide || value > kMaxSide) {
    return FieldError(path, std::to_string(value) + " is outside " + std::to_string(kMinSide) +
                                ".." + std::to_string(kMaxSide));
  }
  if (value % 2 != 0) return FieldError(path, std::to_string(value) + " must be even");
  return Status::Ok();
}

Result<std::string> ToCaptionStyle(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string name, ToString(j, path));
  std::vector<std::string> names = captions::StyleNames();
  if (std::find(names.begin(), names.end(), name) != names.end()) return name;
  std::string known;
  for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
  return strict_json::UnknownNameError(path, "caption style", name, known);
}

Status ReadStyle(const Json& root, const std::string& base_dir, ComposeStyle* style) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::MakeRoot(root, "style"));
  CR_RETURN_IF_ERROR(ReadOptional(r, "width", ToInt, &style->width));
  CR_RETURN_IF_ERROR(CheckSide(style->width, r.PathOf("width")));
  CR_RETURN_IF_ERROR(ReadOptional(r, "height", ToInt, &style->height));
  CR_RETURN_IF_ERROR(CheckSide(style->height, r.PathOf("height")));
  CR_RETURN_IF_ERROR(ReadOptional(r, "fps", ToFrameRate, &style->fps));
  if (style->fps.den <= 0 || style->fps.num < 1 ||
      style->fps.num > static_cast<int64_t>(kMaxFps) * style->fps.den) {
    return FieldError(r.PathOf("fps"), style->fps.ToString() + " is outside 1..240");
  }
  if (const Json* look = r.Find("look")) {
    CR_RETURN_IF_ERROR(ReadLook(*look, r.PathOf("look"), base_dir, &style->look));
  }
  // A scene starts from the look parsed above.
  auto to_scene = [&](const Json& j, const std::string& path) -> Result<SceneLook> {
    SceneLook look = style->look;
    CR_RETURN_IF_ERROR(ReadLook(j, path, base_dir, &look));
    return look;
  };
  CR_RETURN_IF_ERROR(ReadArray(r, "scenes", Presence::kOptional, to_scene, &style->scenes));
  CR_RETURN_IF_ERROR(ReadOptional(r, "captions", ToBool, &style->captions));
  CR_RETURN_IF_ERROR(ReadOptional(r, "caption_style", ToCaptionStyle, &style->caption_style));
  auto to_position = [](const Json& v, const std::string& p) {
    return ToEnum(v, p, "caption position", kPositions, &timeline::CaptionPositionName);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "caption_position", to_position, &style->caption_position));
  CR_RETURN_IF_ERROR(ReadPath(r, "logo", base_dir, &style->logo));
  auto to_corner = [](const Json& v, const std::string& p) {
    return ToEnum(v, p, "logo corner", kCorners, &LogoCornerName);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "logo_corner", to_corner, &style->logo_corner));
  if (const Json* j = r.Find("logo_width")) {
    std::string path = r.PathOf("logo_width");
    CR_ASSIGN_OR_RETURN(double width, ToDouble(*j, path));
    if (!(width > 0 && width <= 1)) {
      return FieldError(path, Describe(*j) + " must be above 0 and at most 1 (of the width)");
    }
    style->logo_width = width;
  }
  CR_RETURN_IF_ERROR(ReadNumber(r, "logo_opacity", 0, 1, "", &style->logo_opacity));
  CR_RETURN_IF_ERROR(ReadPath(r, "intro", base_dir, &style->intro));
  CR_RETURN_IF_ERROR(ReadPath(r, "outro", base_dir, &style->outro));
  CR_RETURN_IF_ERROR(ReadPath(r, "music", base_dir, &style->music));
  CR_RETURN_IF_ERROR(ReadNumber(r, "music_gain_db", -60, 24, "dB", &style->music_gain_db));
  CR_RETURN_IF_ERROR(ReadNumber(r, "music_duck_db", -60, 0, "dB", &style->music_duck_db));
  CR_RETURN_IF_ERROR(ReadOptional(r, "voice", ToString, &style->voice));
  if (style->voice.empty()) return FieldError(r.PathOf("voice"), "must not be empty");
  CR_RETURN_IF_ERROR(ReadNumber(r, "sentence_gap_s", 0, 10, "s", &style->sentence_gap_s));
  CR_RETURN_IF_ERROR(ReadNumber(r, "paragraph_pause_s", 0, 10, "s", &style->paragraph_pause_s));
  CR_RETURN_IF_ERROR(ReadNumber(r, "end_card_s", 0, 30, "s", &style->end_card_s));
  if (const Json* j = r.Find("max_duration_s")) {
    std::string path = r.PathOf("max_duration_s");
    CR_ASSIGN_OR_RETURN(double limit, ToDouble(*j, path));
    if (!(limit > 0)) return FieldError(path, Describe(*j) + " must be above 0");
    style->max_duration_s = limit;
  }
  return r.CheckNoUnknownFields();
}

OrderedJson LookToJson(const SceneLook& look) {
  return {{"background", look.background},
          {"text", look.text},
          {"accent", look.accent},
          {"font_family", look.font_family},
          {"font_file", look.font_file},
          {"transition", timeline::TransitionKindName(look.transition)},
          {"transition_s", look.transition_s},
          {"motion", MotionName(look.motion)},
          {"text_animation", timeline::OverlayAnimationName(look.text_animation)},
          {"text_animation_s", look.text_animation_s}};
}

// A brand kit's file field: resolved against the kit's folder and required to exist.
Status ReadBrandFile(ObjectReader& reader, std::string_view key, const std::string& base_dir,
                     std::optional<std::string>* out) {
  const Json* j = reader.Find(key);
  if (j == nullptr) return Status::Ok();
  std::string path = reader.PathOf(key);
  CR_ASSIGN_OR_RETURN(std::string file, ToString(*j, path));
  if (file.empty()) return FieldError(path, "must not be empty");
  file = ResolvePath(base_dir, file);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return NotFoundError(path + ": " + file + ": no such file");
  *out = std::move(file);
  return Status::Ok();
}

}  // namespace

std::string_view MotionName(Motion motion) {
  switch (motion) {
    case Motion::kNone:
      return "none";
    case Motion::kZoomIn:
      return "zoom_in";
    case Motion::kZoomOut:
      return "zoom_out";
    case Motion::kPanLeft:
      return "pan_left";
    case Motion::kPanRight:
      return "pan_right";
    case Motion::kInvalid:
      break;
  }
  return "invalid";
}

Status ApplyAspect(std::string_view aspect, ComposeStyle& style) {
  struct Size {
    std::string_view aspect;
    int width, height;
  };
  constexpr Size kSizes[] = {
      {"9:16", 1080, 1920}, {"16:9", 1920, 1080}, {"1:1", 1080, 1080}, {"4:5", 1080, 1350}};
  for (const Size& size : kSizes) {
    if (size.aspect == aspect) {
      style.width = size.width;
      style.height = size.height;
      return Status::Ok();
    }
  }
  return InvalidArgumentError("unknown aspect '" + std::string(aspect) +
                              "' (known: 9:16, 16:9, 1:1, 4:5)");
}

Result<ComposeStyle> ParseComposeStyle(std::string_view json_text, const std::string& base_dir) {
  CR_ASSIGN_OR_RETURN(Json root, strict_json::ParseJson(json_text));
  ComposeStyle style;
  try {
    CR_RETURN_IF_ERROR(ReadStyle(root, base_dir, &style));
  } catch (const std::exception& e) {
    // Every conversion checks the type first, so this is a bug in this file.
    return InternalError(std::string("reading style JSON: ") + e.what());
  }
  return style;
}

Result<ComposeStyle> LoadComposeStyle(const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kMaxStyleBytes));
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  std::string base_dir = (ec ? fs::path(path) : absolute).parent_path().string();
  auto style = ParseComposeStyle(text, base_dir);
  if (!style.ok()) return style.status().WithContext(path);
  return style;
}

std::string ComposeStyleToJson(const ComposeStyle& style) {
  OrderedJson scenes = OrderedJson::array();
  for (const SceneLook& look : style.scenes) scenes.push_back(LookToJson(look));
  OrderedJson root = {{"width", style.width},
                      {"height", style.height},
                      {"fps", style.fps.ToString()},
                      {"look", LookToJson(style.look)},
                      {"scenes", std::move(scenes)},
                      {"captions", style.captions},
                      {"caption_style", style.caption_style},
                      {"caption_position", timeline::CaptionPositionName(style.caption_position)},
                      {"logo", style.logo},
                      {"logo_corner", LogoCornerName(style.logo_corner)},
                      {"logo_width", style.logo_width},
                      {"logo_opacity", style.logo_opacity},
                      {"intro", style.intro},
                      {"outro", style.outro},
                      {"music", style.music},
                      {"music_gain_db", style.music_gain_db},
                      {"music_duck_db", style.music_duck_db},
                      {"voice", style.voice},
                      {"sentence_gap_s", style.sentence_gap_s},
                      {"paragraph_pause_s", style.paragraph_pause_s},
                      {"end_card_s", style.end_card_s},
                      {"max_duration_s", style.max_duration_s}};
  return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

// Brand kit fields: "font" (a fontconfig family), "font_file", "colors" {"primary" (the accent),
// "secondary" (checked, not used: no ComposeStyle field takes it), "text", "background"},
// "caption_style", "logo", "watermark" (used as the logo, at opacity 0.4 in the bottom right
// corner, when the kit has no "logo"), "intro", "outro", "music". Files are resolved against the
// kit's folder and must exist. Font and colours apply to the look and to every scene's look.
// Nothing is changed unless the whole kit is valid.
Status ApplyBrandFile(const std::string& path, ComposeStyle& style) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kMaxStyleBytes));
  auto root = strict_json::ParseJson(text);
  if (!root.ok()) return root.status().WithContext(path);
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  std::string base_dir = (ec ? fs::path(path) : absolute).parent_path().string();

  struct Brand {
    std::optional<std::string> font, font_file, caption_style, logo, watermark, intro, outro, music;
    std::optional<std::string> primary, secondary, text, background;
  } brand;
  auto read = [&]() -> Status {
    CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::MakeRoot(*root, "style"));
    if (const Json* j = r.Find("font")) {
      CR_ASSIGN_OR_RETURN(std::string family, ToString(*j, r.PathOf("font")));
      if (family.empty()) return FieldError(r.PathOf("font"), "must not be empty");
      brand.font = std::move(family);
    }
    CR_RETURN_IF_ERROR(ReadBrandFile(r, "font_file", base_dir, &brand.font_file));
    if (const Json* colors = r.Find("colors")) {
      CR_ASSIGN_OR_RETURN(ObjectReader c, ObjectReader::Make(*colors, r.PathOf("colors")));
      for (auto [key, out] :
           {std::pair{"primary", &brand.primary}, std::pair{"secondary", &brand.secondary},
            std::pair{"text", &brand.text}, std::pair{"background", &brand.background}}) {
        if (const Json* j = c.Find(key)) {
          CR_ASSIGN_OR_RETURN(*out, ToColour(*j, c.PathOf(key)));
        }
      }
      CR_RETURN_IF_ERROR(c.CheckNoUnknownFields());
    }
    if (const Json* j = r.Find("caption_style")) {
      CR_ASSIGN_OR_RETURN(brand.caption_style, ToCaptionStyle(*j, r.PathOf("caption_style")));
    }
    CR_RETURN_IF_ERROR(ReadBrandFile(r, "logo", base_dir, &brand.logo));
    CR_RETURN_IF_ERROR(ReadBrandFile(r, "watermark", base_dir, &brand.watermark));
    CR_RETURN_IF_ERROR(ReadBrandFile(r, "intro", base_dir, &brand.intro));
    CR_RETURN_IF_ERROR(ReadBrandFile(r, "outro", base_dir, &brand.outro));
    CR_RETURN_IF_ERROR(ReadBrandFile(r, "music", base_dir, &brand.music));
    return r.CheckNoUnknownFields();
  };
  Status status;
  try {
    status = read();
  } catch (const std::exception& e) {
    status = InternalError(std::string("reading brand JSON: ") + e.what());
  }
  if (!status.ok()) return status.WithContext(path);

  auto apply_look = [&brand](SceneLook& look) {
    if (brand.font) {
      look.font_family = *brand.font;
      look.font_file.clear();  // a family named by the brand replaces an earlier font file
    }
    if (brand.font_file) look.font_file = *brand.font_file;
    if (brand.primary) look.accent = *brand.primary;
    if (brand.text) look.text = *brand.text;
    if (brand.background) look.background = *brand.background;
  };
  apply_look(style.look);
  for (SceneLook& look : style.scenes) apply_look(look);
  if (brand.caption_style) style.caption_style = *brand.caption_style;
  if (brand.logo) {
    style.logo = *brand.logo;
  } else if (brand.watermark) {
    style.logo = *brand.watermark;
    style.logo_opacity = 0.4;
    style.logo_corner = LogoCorner::kBottomRight;
  }
  if (brand.intro) style.intro = *brand.intro;
  if (brand.outro) style.outro = *brand.outro;
  if (brand.music) style.music = *brand.music;
  return Status::Ok();
}

// LoadScript lives here with the other file readers of compose_job.h's inputs.
Result<Script> LoadScript(const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kMaxScriptBytes));
  auto script = ParseScript(text);
  if (!script.ok()) return script.status().WithContext(path);
  return script;
}

}  // namespace cutroom::compose
