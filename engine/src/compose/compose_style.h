// How a composed video looks and sounds: output size, colours and fonts, motion, transitions,
// captions, logo, intro/outro, music and narration pacing. One JSON form (docs/compose.md,
// "style.json") written by the CLI from --aspect/--voice/--brand/--music and by ad templates
// (ad_template.h), read by every compose step.
//
// Thread safety: value types and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cutroom/status.h"
#include "cutroom/timeline.h"

namespace cutroom::compose {

enum class Motion {
  kInvalid = 0,
  kNone,      // held still (end cards)
  kZoomIn,    // Ken Burns: zoom 1 -> 1.15 about the centre
  kZoomOut,   // 1.15 -> 1
  kPanLeft,   // at zoom 1.15, the window moves from right to left
  kPanRight,  // ... from left to right
};
std::string_view MotionName(Motion motion);  // "none", "zoom_in", "zoom_out", "pan_left", "pan_right"

// The look of one scene. Colours are "#RRGGBB".
struct SceneLook {
  std::string background = "#101418";
  std::string text = "#F5F7FA";
  std::string accent = "#FFB000";
  std::string font_family = "DejaVu Sans";
  std::string font_file;  // optional TTF/OTF; overrides font_family
  timeline::TransitionKind transition = timeline::TransitionKind::kCrossfade;  // into this scene
  double transition_s = 0.4;
  Motion motion = Motion::kZoomIn;  // images and slides' backgrounds (slides: kNone is typical)
  timeline::OverlayAnimation text_animation = timeline::OverlayAnimation::kRise;  // slide text
  double text_animation_s = 0.5;
};

enum class LogoCorner { kInvalid = 0, kTopLeft, kTopRight, kBottomLeft, kBottomRight };

struct ComposeStyle {
  int width = 1080;  // from the aspect: 9:16 1080x1920, 16:9 1920x1080, 1:1 1080x1080
  int height = 1920;
  Rational fps{30, 1};
  SceneLook look;                 // every scene's look ...
  std::vector<SceneLook> scenes;  // ... unless scene i (visual i) has its own here (templates)
  bool captions = true;
  std::string caption_style = "highlight_word";
  timeline::CaptionPosition caption_position = timeline::CaptionPosition::kLowerThird;
  std::string logo;  // an image file with alpha (PNG), shown over the whole video; "" = none
  LogoCorner logo_corner = LogoCorner::kTopRight;
  double logo_width = 0.14;  // fraction of the output width
  double logo_opacity = 0.85;
  std::string intro;  // video files played before / after the composition; "" = none
  std::string outro;
  std::string music;  // overrides the script's [music]; "" = the script's, if any
  double music_gain_db = -8;
  double music_duck_db = -14;
  std::string voice = "slt";
  double sentence_gap_s = 0.15;
  double paragraph_pause_s = 0.6;
  double end_card_s = 3.0;
  double max_duration_s = 900;  // narration longer than this is refused

  const SceneLook& LookOf(int scene) const {
    return scene >= 0 && scene < static_cast<int>(scenes.size()) ? scenes[scene] : look;
  }
};

// "9:16", "16:9", "1:1", "4:5" -> width and height (1080 on the short side).
// Errors: InvalidArgument listing the accepted aspects.
Status ApplyAspect(std::string_view aspect, ComposeStyle& style);

// Strict JSON (unknown fields are errors naming their path, like the Timeline's). Every field is
// optional and defaults as above; relative file paths are resolved against `base_dir`.
Result<ComposeStyle> ParseComposeStyle(std::string_view json_text, const std::string& base_dir);
Result<ComposeStyle> LoadComposeStyle(const std::string& path);
std::string ComposeStyleToJson(const ComposeStyle& style);  // every field; ParseComposeStyle reads it back

// Applies a brand kit file (docs/compose.md): {"font", "font_file", "colors": {"primary",
// "secondary", "text", "background"}, "caption_style", "logo", "watermark", "intro", "outro",
// "music"} — primary becomes the accent, text and background the slides' colours (every scene).
// Errors: unreadable file, bad JSON, unknown field, a colour that is not #RRGGBB, a missing file.
Status ApplyBrandFile(const std::string& path, ComposeStyle& style);

}  // namespace cutroom::compose
