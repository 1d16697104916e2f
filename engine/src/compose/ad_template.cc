#include "compose/ad_template.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <system_error>
#include <utility>

#include "compose/script.h"
#include "compose/script_text.h"
#include "cutroom/file_util.h"
#include "json/strict_json.h"

namespace cutroom::compose {
namespace internal {

struct EmbeddedText {
  std::string_view name;
  std::string_view text;
};

// Defined in the .cc that ad_template.cmake generates from assets/templates/*.json, sorted by
// name.
std::span<const EmbeddedText> ShippedAdTemplates();

}  // namespace internal

namespace {

using strict_json::Json;
using strict_json::ObjectReader;
using strict_json::ReadNumber;
using strict_json::ReadOptional;
using strict_json::ToBool;
using strict_json::ToColour;
using strict_json::ToEnum;
using strict_json::ToNonEmptyString;
using strict_json::ToString;

constexpr int kMaxProductCodePoints = 80;
constexpr int kMaxCtaCodePoints = 120;
constexpr int kMaxFeatureCodePoints = 120;
constexpr size_t kMaxFeatures = 3;
constexpr size_t kMaxImages = 4;
constexpr size_t kMaxScenes = 8;
constexpr size_t kMaxTemplateBytes = 1 << 20;

// The placeholders, in the order of `Values`.
constexpr std::array<std::string_view, 5> kPlaceholders = {"product", "cta", "feature1", "feature2",
                                                           "feature3"};
using Values = std::array<std::string, kPlaceholders.size()>;

constexpr std::array<std::string_view, 4> kRoles = {"hook", "features", "proof", "cta"};

// The script tags (script.h); a body that contains one of them is not a valid script.
constexpr std::array<std::string_view, 11> kScriptTags = {
    "title", "alt_title", "description", "tags",  "thumbnail", "narration",
    "slide", "image",     "broll",       "music", "length"};

template <typename Enum, size_t N>
using NameTable = std::array<std::pair<std::string_view, Enum>, N>;

constexpr NameTable<timeline::TransitionKind, 4> kTransitions = {{
    {"cut", timeline::TransitionKind::kCut},
    {"crossfade", timeline::TransitionKind::kCrossfade},
    {"slide", timeline::TransitionKind::kSlide},
    {"zoom", timeline::TransitionKind::kZoom},
}};
constexpr NameTable<Motion, 5> kMotions = {{
    {"none", Motion::kNone},
    {"zoom_in", Motion::kZoomIn},
    {"zoom_out", Motion::kZoomOut},
    {"pan_left", Motion::kPanLeft},
    {"pan_right", Motion::kPanRight},
}};
constexpr NameTable<timeline::OverlayAnimation, 4> kAnimations = {{
    {"none", timeline::OverlayAnimation::kNone},
    {"fade", timeline::OverlayAnimation::kFade},
    {"rise", timeline::OverlayAnimation::kRise},
    {"pop", timeline::OverlayAnimation::kPop},
}};
constexpr NameTable<timeline::CaptionPosition, 4> kCaptionPositions = {{
    {"bottom", timeline::CaptionPosition::kBottom},
    {"lower_third", timeline::CaptionPosition::kLowerThird},
    {"center", timeline::CaptionPosition::kCenter},
    {"top", timeline::CaptionPosition::kTop},
}};

// style.json fields that belong to the output, the brand or the user rather than to an ad's look.
constexpr std::array<std::string_view, 13> kStyleFieldsNotInTemplates = {
    "width",        "height", "fps",   "scenes", "logo",  "logo_corner",   "logo_width",
    "logo_opacity", "intro",  "outro", "music",  "voice", "max_duration_s"};

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// The first text in `text` that ParseScript would read as a tag ("[slide]", "[/narration]",
// "[ Image ]"), or nullopt. Mirrors the parser's rule: a known tag name, optionally closing,
// with optional blanks inside the brackets; other bracketed text ("[1]", "[x]") is plain text.
std::optional<std::string> FindScriptTag(std::string_view text) {
  auto blanks = [&](size_t k) {
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
    return k;
  };
  for (size_t i = text.find('['); i != std::string_view::npos; i = text.find('[', i + 1)) {
    size_t j = blanks(i + 1);
    if (j < text.size() && text[j] == '/') j = blanks(j + 1);
    const size_t start = j;
    std::string name;
    while (j < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j])));
      ++j;
    }
    if (j == start) continue;
    j = blanks(j);
    if (j < text.size() && text[j] == ']' &&
        std::find(kScriptTags.begin(), kScriptTags.end(), name) != kScriptTags.end()) {
      return std::string(text.substr(i, j + 1 - i));
    }
  }
  return std::nullopt;
}

// Valid UTF-8 with no control characters other than whitespace.
Status CheckText(std::string_view text, const std::string& what) {
  for (size_t i = 0; i < text.size();) {
    DecodedCodePoint d = DecodeUtf8(text, i);
    if (d.length == 0) return InvalidArgumentError(what + ": invalid UTF-8");
    const char32_t cp = d.code_point;
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F) {
      return InvalidArgumentError(what + ": control characters are not allowed");
    }
    i += static_cast<size_t>(d.length);
  }
  if (std::optional<std::string> tag = FindScriptTag(text)) {
    return InvalidArgumentError(what + ": " + Quoted(*tag) +
                                " would be read as a script tag; write it without the square "
                                "brackets");
  }
  return Status::Ok();
}

// A user's line of text (product, CTA, feature): checked, whitespace collapsed to one line.
Result<std::string> CleanLine(std::string_view text, const std::string& what, int max_code_points) {
  CR_RETURN_IF_ERROR(CheckText(text, what));
  std::string line = CollapseWhitespace(text);
  if (line.empty()) return InvalidArgumentError(what + " is required");
  if (CountCodePoints(line) > max_code_points) {
    return InvalidArgumentError(what + " is too long: " + std::to_string(CountCodePoints(line)) +
                                " characters, at most " + std::to_string(max_code_points));
  }
  return line;
}

// Calls `visit(name, begin, end)` for every "{name}" (name: letters, digits, "_") in `text`;
// other braces are plain text. Stops at the first error.
template <typename Visit>
Status ForEachPlaceholder(std::string_view text, Visit visit) {
  for (size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i + 1)) {
    size_t j = i + 1;
    while (j < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) {
      ++j;
    }
    if (j == i + 1 || j >= text.size() || text[j] != '}') continue;
    CR_RETURN_IF_ERROR(visit(text.substr(i + 1, j - i - 1), i, j + 1));
  }
  return Status::Ok();
}

std::string PlaceholderList() {
  std::string out;
  for (std::string_view p : kPlaceholders)
    out += (out.empty() ? "{" : ", {") + std::string(p) + "}";
  return out;
}

int PlaceholderIndex(std::string_view name) {
  for (size_t i = 0; i < kPlaceholders.size(); ++i) {
    if (kPlaceholders[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Status CheckPlaceholders(std::string_view text, const std::string& path) {
  return ForEachPlaceholder(text, [&](std::string_view name, size_t, size_t) -> Status {
    if (PlaceholderIndex(name) < 0) {
      return InvalidArgumentError(path + ": unknown placeholder {" + std::string(name) +
                                  "}; the placeholders are " + PlaceholderList());
    }
    return Status::Ok();
  });
}

bool IsTerminator(char c) { return c == '.' || c == '!' || c == '?'; }

// Replaces the placeholders. A value that ends a sentence itself ("Order now!") swallows the
// template's own terminator right after the placeholder, so "{cta}." does not read "now!.".
// REQUIRES: CheckPlaceholders(text) passed.
std::string Substitute(std::string_view text, const Values& values) {
  std::string out;
  size_t done = 0;
  Status ignored = ForEachPlaceholder(text, [&](std::string_view name, size_t begin, size_t end) {
    out.append(text.substr(done, begin - done));
    const std::string& value = values[static_cast<size_t>(PlaceholderIndex(name))];
    out += value;
    done = end;
    if (!value.empty() && IsTerminator(value.back()) && done < text.size() &&
        IsTerminator(text[done])) {
      ++done;
    }
    return Status::Ok();
  });
  (void)ignored;
  out.append(text.substr(done));
  return out;
}

// Applies the SceneLook fields present in `j` (style.json's form) over `look`.
Status ApplyLook(const Json& j, const std::string& path, SceneLook& look) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  CR_RETURN_IF_ERROR(ReadOptional(r, "background", ToColour, &look.background));
  CR_RETURN_IF_ERROR(ReadOptional(r, "text", ToColour, &look.text));
  CR_RETURN_IF_ERROR(ReadOptional(r, "accent", ToColour, &look.accent));
  CR_RETURN_IF_ERROR(ReadOptional(r, "font_family", ToNonEmptyString, &look.font_family));
  if (const Json* font_file = r.Find("font_file")) {
    // A template has no folder of its own once compiled in or copied: only absolute paths.
    const std::string at = r.PathOf("font_file");
    CR_ASSIGN_OR_RETURN(look.font_file, ToString(*font_file, at));
    if (!look.font_file.empty() && look.font_file.front() != '/') {
      return InvalidArgumentError(at + ": must be an absolute path in a template");
    }
  }
  auto to_transition = [](const Json& v, const std::string& at) {
    return ToEnum(v, at, "transition", kTransitions);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "transition", to_transition, &look.transition));
  CR_RETURN_IF_ERROR(ReadNumber(r, "transition_s", 0, 5, "s", &look.transition_s));
  auto to_motion = [](const Json& v, const std::string& at) {
    return ToEnum(v, at, "motion", kMotions);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "motion", to_motion, &look.motion));
  auto to_animation = [](const Json& v, const std::string& at) {
    return ToEnum(v, at, "text animation", kAnimations);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "text_animation", to_animation, &look.text_animation));
  CR_RETURN_IF_ERROR(ReadNumber(r, "text_animation_s", 0, 5, "s", &look.text_animation_s));
  return r.CheckNoUnknownFields();
}

// Applies the template's "style" (a part of style.json) over `style`; its "look" is returned in
// `look` (the template-wide look, under each scene's own).
Status ApplyTemplateStyle(const Json& j, const std::string& path, ComposeStyle& style,
                          SceneLook& look) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  for (std::string_view key : kStyleFieldsNotInTemplates) {
    if (j.contains(key)) {
      return InvalidArgumentError(
          r.PathOf(key) +
          ": not allowed in a template (it belongs to the output, the "
          "brand or the user: set it with compose's options or style.json)");
    }
  }
  if (const Json* j_look = r.Find("look")) {
    CR_RETURN_IF_ERROR(ApplyLook(*j_look, r.PathOf("look"), look));
  }
  CR_RETURN_IF_ERROR(ReadOptional(r, "captions", ToBool, &style.captions));
  CR_RETURN_IF_ERROR(ReadOptional(r, "caption_style", ToNonEmptyString, &style.caption_style));
  auto to_position = [](const Json& v, const std::string& at) {
    return ToEnum(v, at, "caption position", kCaptionPositions);
  };
  CR_RETURN_IF_ERROR(ReadOptional(r, "caption_position", to_position, &style.caption_position));
  CR_RETURN_IF_ERROR(ReadNumber(r, "music_gain_db", -60, 12, "dB", &style.music_gain_db));
  CR_RETURN_IF_ERROR(ReadNumber(r, "music_duck_db", -60, 0, "dB", &style.music_duck_db));
  CR_RETURN_IF_ERROR(ReadNumber(r, "sentence_gap_s", 0, 5, "s", &style.sentence_gap_s));
  CR_RETURN_IF_ERROR(ReadNumber(r, "paragraph_pause_s", 0, 10, "s", &style.paragraph_pause_s));
  CR_RETURN_IF_ERROR(ReadNumber(r, "end_card_s", 0, 30, "s", &style.end_card_s));
  return r.CheckNoUnknownFields();
}

struct SceneSpec {
  std::string role;
  std::string narration;
  std::string slide;  // empty when the template gives none
  int image = -1;     // index into AdInputs::images; -1 = none
  SceneLook look;     // base look, template look and the scene's own look, in that order
};

struct TemplateSpec {
  std::string name;
  std::string description;
  double duration_s = 0;
  std::array<std::string, kMaxFeatures> feature_defaults;
  ComposeStyle style;  // base with the template's "style" applied (scenes not yet set)
  std::vector<SceneSpec> scenes;
  std::array<bool, kPlaceholders.size()> used{};  // placeholders that the scenes use
};

Status CheckTemplateText(const std::string& text, const std::string& path) {
  CR_RETURN_IF_ERROR(CheckText(text, path));
  return CheckPlaceholders(text, path);
}

Result<SceneSpec> ParseScene(const Json& j, const std::string& path, const SceneLook& base_look) {
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::Make(j, path));
  SceneSpec scene;
  scene.look = base_look;
  if (const Json* role = r.Find("role")) {
    const std::string at = r.PathOf("role");
    CR_ASSIGN_OR_RETURN(scene.role, ToString(*role, at));
    if (std::find(kRoles.begin(), kRoles.end(), scene.role) == kRoles.end()) {
      return InvalidArgumentError(at + ": unknown role " + Quoted(scene.role) +
                                  "; the roles are hook, features, proof, cta");
    }
  }
  if (const Json* narration = r.Find("narration")) {
    const std::string at = r.PathOf("narration");
    CR_ASSIGN_OR_RETURN(scene.narration, ToString(*narration, at));
    CR_RETURN_IF_ERROR(CheckTemplateText(scene.narration, at));
    scene.narration = CollapseWhitespace(scene.narration);
  }
  if (const Json* slide = r.Find("slide")) {
    const std::string at = r.PathOf("slide");
    CR_ASSIGN_OR_RETURN(scene.slide, ToString(*slide, at));
    CR_RETURN_IF_ERROR(CheckTemplateText(scene.slide, at));
    scene.slide = TrimBlock(scene.slide);
  }
  if (const Json* image = r.Find("image")) {
    if (!image->is_number_integer() || image->get<int64_t>() < 0 || image->get<int64_t>() > 99) {
      return InvalidArgumentError(r.PathOf("image") + ": must be an image index from 0 to 99");
    }
    scene.image = static_cast<int>(image->get<int64_t>());
  }
  if (const Json* look = r.Find("look")) {
    CR_RETURN_IF_ERROR(ApplyLook(*look, r.PathOf("look"), scene.look));
  }
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  if (scene.role.empty()) return InvalidArgumentError(path + ".role: required");
  if (scene.narration.empty()) return InvalidArgumentError(path + ".narration: required");
  if (scene.slide.empty() && scene.image < 0) {
    return InvalidArgumentError(path + ": a scene needs a slide, an image or both");
  }
  return scene;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Parses and checks a template file's text; `base` is the style the template applies over.
Result<TemplateSpec> ParseTemplate(std::string_view text, const ComposeStyle& base) {
  CR_ASSIGN_OR_RETURN(Json j, strict_json::ParseJson(text));
  CR_ASSIGN_OR_RETURN(ObjectReader r, ObjectReader::MakeRoot(j, "template"));
  TemplateSpec spec;
  spec.style = base;
  SceneLook look = base.look;
  if (const Json* name = r.Find("name")) {
    CR_ASSIGN_OR_RETURN(spec.name, ToString(*name, "name"));
    const bool ok =
        !spec.name.empty() && spec.name.size() <= 64 &&
        std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
    if (!ok) return InvalidArgumentError("name: must be 1-64 of a-z, 0-9, _ and -");
  }
  if (const Json* description = r.Find("description")) {
    CR_ASSIGN_OR_RETURN(spec.description, ToString(*description, "description"));
    CR_RETURN_IF_ERROR(CheckText(spec.description, "description"));
  }
  CR_RETURN_IF_ERROR(ReadNumber(r, "duration_s", 5, 300, "s", &spec.duration_s));
  if (const Json* defaults = r.Find("defaults")) {
    CR_ASSIGN_OR_RETURN(ObjectReader d, ObjectReader::Make(*defaults, "defaults"));
    for (size_t i = 0; i < kMaxFeatures; ++i) {
      const std::string name = "feature" + std::to_string(i + 1);
      const Json* line = d.Find(name);
      if (line == nullptr) continue;
      const std::string at = d.PathOf(name);
      CR_ASSIGN_OR_RETURN(std::string raw, ToString(*line, at));
      CR_RETURN_IF_ERROR(CheckTemplateText(raw, at));
      CR_ASSIGN_OR_RETURN(spec.feature_defaults[i], CleanLine(raw, at, kMaxFeatureCodePoints));
      bool has_placeholder = false;
      Status ignored = ForEachPlaceholder(raw, [&](std::string_view, size_t, size_t) {
        has_placeholder = true;
        return Status::Ok();
      });
      (void)ignored;
      if (has_placeholder) return InvalidArgumentError(at + ": a default cannot use placeholders");
    }
    CR_RETURN_IF_ERROR(d.CheckNoUnknownFields());
  }
  if (const Json* style = r.Find("style")) {
    CR_RETURN_IF_ERROR(ApplyTemplateStyle(*style, "style", spec.style, look));
  }
  const Json* scenes = r.Find("scenes");
  CR_RETURN_IF_ERROR(r.CheckNoUnknownFields());
  if (spec.name.empty()) return InvalidArgumentError("name: required");
  if (spec.duration_s == 0) return InvalidArgumentError("duration_s: required");
  if (scenes == nullptr) return InvalidArgumentError("scenes: required");
  if (!scenes->is_array() || scenes->size() < 2 || scenes->size() > kMaxScenes) {
    return InvalidArgumentError("scenes: must be an array of 2 to " + std::to_string(kMaxScenes) +
                                " scenes");
  }
  for (size_t i = 0; i < scenes->size(); ++i) {
    CR_ASSIGN_OR_RETURN(SceneSpec scene,
                        ParseScene((*scenes)[i], "scenes[" + std::to_string(i) + "]", look));
    spec.scenes.push_back(std::move(scene));
  }
  for (const SceneSpec& scene : spec.scenes) {
    for (const std::string* text : {&scene.narration, &scene.slide}) {
      Status ignored = ForEachPlaceholder(*text, [&](std::string_view name, size_t, size_t) {
        spec.used[static_cast<size_t>(PlaceholderIndex(name))] = true;
        return Status::Ok();
      });
      (void)ignored;
    }
  }
  // The last scene is the call to action on a static end card.
  const std::string last = "scenes[" + std::to_string(spec.scenes.size() - 1) + "]";
  const SceneSpec& cta = spec.scenes.back();
  if (cta.role != "cta")
    return InvalidArgumentError(last + ".role: the last scene must be \"cta\"");
  if (cta.slide.empty() || cta.image >= 0) {
    return InvalidArgumentError(last +
                                ": the call to action is a slide (the end card), not an image");
  }
  if (!Contains(cta.slide, "{cta}") || !Contains(cta.narration, "{cta}")) {
    return InvalidArgumentError(last + ": the end card's slide and narration must both say {cta}");
  }
  for (size_t i = 0; i + 1 < spec.scenes.size(); ++i) {
    if (spec.scenes[i].role == "cta") {
      return InvalidArgumentError("scenes[" + std::to_string(i) +
                                  "].role: only the last scene is the call to action");
    }
  }
  return spec;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Makes the script. `image_paths[i]` is the file scene i shows, or "" for its slide.
Result<std::string> BuildScript(const TemplateSpec& spec, const Values& values,
                                const std::vector<std::string>& image_paths) {
  std::string script = "[title]" + values[0] + "[/title]\n";
  for (size_t i = 0; i < spec.scenes.size(); ++i) {
    const SceneSpec& scene = spec.scenes[i];
    script += "\n";
    if (!image_paths[i].empty()) {
      script += "[image]" + image_paths[i] + "[/image]\n";
    } else {
      // A scene written for an image, filled without images, shows the product's name.
      const std::string slide = scene.slide.empty() ? "# {product}" : scene.slide;
      script += "[slide]\n" + Substitute(slide, values) + "\n[/slide]\n";
    }
    script += "[narration]" + Substitute(scene.narration, values) + "[/narration]\n";
  }
  Result<Script> parsed = ParseScript(script);
  if (!parsed.ok()) {
    return InvalidArgumentError("template " + spec.name +
                                ": the filled script is not valid: " + parsed.status().message());
  }
  if (parsed->visuals.size() != spec.scenes.size()) {
    return InternalError("template " + spec.name + ": the filled script has " +
                         std::to_string(parsed->visuals.size()) + " visuals for " +
                         std::to_string(spec.scenes.size()) + " scenes");
  }
  return script;
}

Result<std::string> ResolveImage(const std::string& path, size_t index) {
  const std::string what = "image " + std::to_string(index + 1) + " (" + Quoted(path) + ")";
  CR_RETURN_IF_ERROR(CheckText(path, what));
  if (path.empty() || CollapseWhitespace(path) != path) {
    return InvalidArgumentError(what +
                                ": a path with leading, trailing or repeated whitespace "
                                "cannot be written into a script; rename the file");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFoundError(what + ": no such file");
  }
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) return InvalidArgumentError(what + ": " + ec.message());
  std::string resolved = absolute.lexically_normal().string();
  CR_RETURN_IF_ERROR(CheckText(resolved, what));
  if (CollapseWhitespace(resolved) != resolved) {
    return InvalidArgumentError(what + ": its absolute path " + Quoted(resolved) +
                                " has repeated whitespace, which a script cannot hold");
  }
  return resolved;
}

Result<FilledAd> Fill(const TemplateSpec& spec, const AdInputs& inputs) {
  Values values;
  CR_ASSIGN_OR_RETURN(values[0], CleanLine(inputs.product, "product", kMaxProductCodePoints));
  CR_ASSIGN_OR_RETURN(values[1], CleanLine(inputs.cta, "call to action", kMaxCtaCodePoints));
  if (inputs.features.size() > kMaxFeatures) {
    return InvalidArgumentError("at most " + std::to_string(kMaxFeatures) + " features, got " +
                                std::to_string(inputs.features.size()));
  }
  for (size_t i = 0; i < kMaxFeatures; ++i) {
    const bool given =
        i < inputs.features.size() && !CollapseWhitespace(inputs.features[i]).empty();
    if (given) {
      CR_ASSIGN_OR_RETURN(
          values[2 + i],
          CleanLine(inputs.features[i], "feature " + std::to_string(i + 1), kMaxFeatureCodePoints));
    } else {
      values[2 + i] = spec.feature_defaults[i];
    }
    if (values[2 + i].empty() && spec.used[2 + i]) {
      return InvalidArgumentError("feature " + std::to_string(i + 1) + " is required: template " +
                                  spec.name + " has no default for it");
    }
  }
  if (inputs.images.size() > kMaxImages) {
    return InvalidArgumentError("at most " + std::to_string(kMaxImages) + " images, got " +
                                std::to_string(inputs.images.size()));
  }
  std::vector<std::string> images;
  for (size_t i = 0; i < inputs.images.size(); ++i) {
    CR_ASSIGN_OR_RETURN(std::string resolved, ResolveImage(inputs.images[i], i));
    images.push_back(std::move(resolved));
  }
  std::vector<std::string> scene_images(spec.scenes.size());
  for (size_t i = 0; i < spec.scenes.size(); ++i) {
    if (spec.scenes[i].image >= 0 && !images.empty()) {
      scene_images[i] = images[static_cast<size_t>(spec.scenes[i].image) % images.size()];
    }
  }
  FilledAd filled;
  CR_ASSIGN_OR_RETURN(filled.script, BuildScript(spec, values, scene_images));
  filled.style = spec.style;
  filled.style.scenes.clear();
  for (const SceneSpec& scene : spec.scenes) filled.style.scenes.push_back(scene.look);
  filled.style.scenes.back().motion = Motion::kNone;  // the static end card
  return filled;
}

// A trial fill with placeholder-like text, so that a template that cannot make a valid script
// fails when it is loaded, not when a user fills it.
Status TrialFill(const TemplateSpec& spec) {
  AdInputs inputs;
  inputs.product = "Product";
  inputs.cta = "Call to action";
  inputs.features = {"Feature one", "Feature two", "Feature three"};
  return Fill(spec, inputs).status();
}

std::string ShippedNames() {
  std::string out;
  for (const std::string& name : AdTemplateNames()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

std::vector<std::string> AdTemplateNames() {
  std::vector<std::string> names;
  for (const internal::EmbeddedText& t : internal::ShippedAdTemplates()) {
    names.emplace_back(t.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<AdTemplate> LoadAdTemplate(const std::string& name_or_path) {
  AdTemplate tmpl;
  std::string context;
  if (EndsWith(Lowercase(name_or_path), ".json")) {
    context = name_or_path;
    Result<std::string> text = ReadSmallFile(name_or_path, kMaxTemplateBytes);
    if (!text.ok()) return text.status().WithContext("ad template " + Quoted(name_or_path));
    tmpl.json = std::move(*text);
  } else {
    for (const internal::EmbeddedText& t : internal::ShippedAdTemplates()) {
      if (t.name == name_or_path) tmpl.json = std::string(t.text);
    }
    if (tmpl.json.empty()) {
      return InvalidArgumentError("unknown ad template " + Quoted(name_or_path) +
                                  "; the templates are " + ShippedNames() +
                                  ", or a path to a template .json file");
    }
    context = "ad template " + name_or_path;
  }
  Result<TemplateSpec> spec = ParseTemplate(tmpl.json, ComposeStyle{});
  if (!spec.ok()) return spec.status().WithContext(context);
  Status trial = TrialFill(*spec);
  if (!trial.ok()) return trial.WithContext(context);
  tmpl.name = spec->name;
  tmpl.description = spec->description;
  return tmpl;
}

Result<FilledAd> FillAdTemplate(const AdTemplate& tmpl, const AdInputs& inputs,
                                const ComposeStyle& base) {
  Result<TemplateSpec> spec = ParseTemplate(tmpl.json, base);
  if (!spec.ok()) return spec.status().WithContext("ad template " + tmpl.name);
  return Fill(*spec, inputs);
}

}  // namespace cutroom::compose
