#include "cutroom/timeline.h"

namespace cutroom::timeline {

MediaTime Timeline::Duration() const {
  MediaTime total = MediaTime::Zero();
  for (const Segment& segment : segments) total = total + segment.duration();
  return total;
}

const Source* Timeline::FindSource(const std::string& id) const {
  for (const Source& source : sources) {
    if (source.id == id) return &source;
  }
  return nullptr;
}

// These names are the JSON spellings (docs/timeline.md); timeline_json.cc parses them back.
std::string_view LayoutName(Layout layout) {
  switch (layout) {
    case Layout::kFill:
      return "fill";
    case Layout::kSplit:
      return "split";
    case Layout::kFitBlur:
      return "fit_blur";
    case Layout::kInvalid:
      break;
  }
  return "invalid";
}

std::string_view InterpolationName(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::kHold:
      return "hold";
    case Interpolation::kLinear:
      return "linear";
    case Interpolation::kSmooth:
      return "smooth";
    case Interpolation::kInvalid:
      break;
  }
  return "invalid";
}

std::string_view CaptionPositionName(CaptionPosition position) {
  switch (position) {
    case CaptionPosition::kBottom:
      return "bottom";
    case CaptionPosition::kLowerThird:
      return "lower_third";
    case CaptionPosition::kCenter:
      return "center";
    case CaptionPosition::kTop:
      return "top";
    case CaptionPosition::kInvalid:
      break;
  }
  return "invalid";
}

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kVideo:
      return "video";
    case SourceKind::kImage:
      return "image";
    case SourceKind::kInvalid:
      break;
  }
  return "invalid";
}

std::string_view AudioRoleName(AudioRole role) {
  switch (role) {
    case AudioRole::kVoice:
      return "voice";
    case AudioRole::kMusic:
      return "music";
    case AudioRole::kEffect:
      return "effect";
    case AudioRole::kInvalid:
      break;
  }
  return "invalid";
}

std::string_view TransitionKindName(TransitionKind kind) {
  switch (kind) {
    case TransitionKind::kCut:
      return "cut";
    case TransitionKind::kCrossfade:
      return "crossfade";
    case TransitionKind::kSlide:
      return "slide";
    case TransitionKind::kZoom:
      return "zoom";
    case TransitionKind::kInvalid:
      break;
  }
  return "invalid";
}

std::string_view OverlayAnimationName(OverlayAnimation animation) {
  switch (animation) {
    case OverlayAnimation::kNone:
      return "none";
    case OverlayAnimation::kFade:
      return "fade";
    case OverlayAnimation::kRise:
      return "rise";
    case OverlayAnimation::kPop:
      return "pop";
    case OverlayAnimation::kInvalid:
      break;
  }
  return "invalid";
}

}  // namespace cutroom::timeline
