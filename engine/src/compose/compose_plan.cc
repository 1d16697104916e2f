// The plan step of a compose job: script + narration -> Timeline (compose_job.h).
//
// Output time is laid out as
//   [intro][title card?][scene per narrated visual ...][end card per trailing visual ...][outro]
// where the narration plays from the intro's end and the scene boundaries are the narration's
// sentence starts (sample-exact), so the segments add up to exactly
// intro + narration + end cards + outro. Segments are cut on exact MediaTime; the renderer
// rounds to frames.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compose/compose_job.h"
#include "compose/compose_plan_util.h"
#include "compose/compose_plan_visuals.h"
#include "cutroom/file_util.h"
#include "media/probe.h"
#include "timeline/timeline_json.h"

namespace cutroom::compose {
namespace {

namespace fs = std::filesystem;
using internal::ClipFacts;
using internal::PictureFacts;

constexpr double kLogoMargin = 0.03;  // of the output width, on both axes
constexpr double kMusicFadeInMs = 500;
constexpr double kMusicFadeOutMs = 2000;
constexpr double kNarrationMismatchS = 0.05;

// One scene in output time. visual == -1: the title card.
struct Scene {
  int visual = -1;
  MediaTime start;
  MediaTime end;
  bool end_card = false;
};

std::string Padded(int n) {
  std::string s = std::to_string(n);
  return s.size() < 2 ? "0" + s : s;
}

MediaTime Half(MediaTime t) {
  Rational s = t.Seconds();
  return MediaTime(s.num, Rational::Make(1, s.den * 2));
}

class Planner {
 public:
  Planner(const Script& script, const ComposeStyle& style, const Narration& narration,
          std::string script_dir, std::string assets_dir, const StepEnv& env)
      : script_(script),
        style_(style),
        narration_(narration),
        script_dir_(std::move(script_dir)),
        assets_dir_(std::move(assets_dir)),
        env_(env),
        frame_({style.fps.den, style.fps.num}) {}

  Result<timeline::Timeline> Plan(const std::string& narration_wav) {
    tl_.output.width = style_.width;
    tl_.output.height = style_.height;
    tl_.output.fps = style_.fps;

    std::optional<ClipFacts> intro, outro;
    if (!style_.intro.empty()) {
      CR_ASSIGN_OR_RETURN(intro, internal::CheckClipFile(Abs(style_.intro), "intro"));
    }
    if (!style_.outro.empty()) {
      CR_ASSIGN_OR_RETURN(outro, internal::CheckClipFile(Abs(style_.outro), "outro"));
    }
    MediaTime intro_end;
    if (intro) {
      CR_RETURN_IF_ERROR(AddClip(*intro, "intro"));
      intro_end = tl_.segments.back().duration();
    }
    offset_ = intro_end;

    std::vector<Scene> scenes = LayOutScenes();
    for (size_t i = 0; i < scenes.size(); ++i) {
      CR_RETURN_IF_ERROR(internal::CheckCancelled(env_, "plan"));
      CR_RETURN_IF_ERROR(AddScene(scenes[i]));
      internal::Report(env_, 0.9 * static_cast<double>(i + 1) / scenes.size(),
                       "planned scene " + std::to_string(i + 1) + " of " +
                           std::to_string(scenes.size()));
    }
    const MediaTime content_end = scenes.empty() ? offset_ : scenes.back().end;
    if (outro) CR_RETURN_IF_ERROR(AddClip(*outro, "outro"));
    const MediaTime total = tl_.Duration();

    CR_RETURN_IF_ERROR(AddLogo(total));
    CR_RETURN_IF_ERROR(AddNarration(narration_wav));
    CR_RETURN_IF_ERROR(AddMusic(content_end, outro.has_value()));
    if (style_.captions) AddCaptions();
    return std::move(tl_);
  }

 private:
  std::string Abs(const std::string& path) const {
    return internal::ResolveAgainst(path, script_dir_);
  }
  MediaTime Out(int64_t sample) const { return offset_ + narration_.At(sample); }
  MediaTime Frames(double seconds) const {
    return MediaTime(std::llround(std::max(0.0, seconds) * style_.fps.ToDouble()), frame_);
  }

  // One source per file and role: every scene has its own id ("image_03", so chapters and
  // editors can tell scenes apart even when two show the same picture); shared layers such as
  // the slides' background are one source, decoded once.
  std::string SourceFor(const std::string& path, timeline::SourceKind kind,
                        const std::string& id_hint) {
    const std::string key = path + "\n" + id_hint;
    auto it = source_ids_.find(key);
    if (it != source_ids_.end()) return it->second;
    std::string id = id_hint;
    for (int n = 2; tl_.FindSource(id) != nullptr; ++n) id = id_hint + "_" + std::to_string(n);
    tl_.sources.push_back({id, path, kind});
    source_ids_[key] = id;
    return id;
  }

  // The scenes in output time (see the file comment).
  std::vector<Scene> LayOutScenes() const {
    const int count = static_cast<int>(narration_.sentences.size());
    auto sample_at = [&](int sentence) {
      return sentence <= 0       ? int64_t{0}
             : sentence >= count ? narration_.samples
                                 : narration_.sentences[static_cast<size_t>(sentence)].start;
    };
    std::vector<Scene> scenes;
    std::vector<int> narrated, trailing;
    for (int v = 0; v < static_cast<int>(script_.visuals.size()); ++v) {
      (script_.visuals[static_cast<size_t>(v)].from_sentence < count ? narrated : trailing)
          .push_back(v);
    }
    const int first_from =
        narrated.empty() ? count : script_.visuals[static_cast<size_t>(narrated[0])].from_sentence;
    if (first_from > 0) scenes.push_back({-1, Out(0), Out(sample_at(first_from)), false});
    // Visuals that start at the same sentence share its span equally.
    for (size_t g = 0; g < narrated.size();) {
      const int from = script_.visuals[static_cast<size_t>(narrated[g])].from_sentence;
      size_t end = g;
      while (end < narrated.size() &&
             script_.visuals[static_cast<size_t>(narrated[end])].from_sentence == from) {
        ++end;
      }
      const int next_from = end < narrated.size()
                                ? script_.visuals[static_cast<size_t>(narrated[end])].from_sentence
                                : count;
      const int64_t a = sample_at(from), b = sample_at(next_from);
      const int64_t k = static_cast<int64_t>(end - g);
      for (int64_t j = 0; j < k; ++j) {
        int64_t s0 = a + (b - a) * j / k, s1 = a + (b - a) * (j + 1) / k;
        if (s1 > s0) scenes.push_back({narrated[g + static_cast<size_t>(j)], Out(s0), Out(s1)});
      }
      g = end;
    }
    MediaTime cursor = Out(narration_.samples);
    const MediaTime card = Frames(style_.end_card_s);
    for (int v : trailing) {
      if (card <= MediaTime()) break;
      scenes.push_back({v, cursor, cursor + card, true});
      cursor = cursor + card;
    }
    return scenes;
  }

  timeline::Transition TransitionInto(const SceneLook& look, MediaTime limit) const {
    timeline::Transition t;
    if (tl_.segments.empty() || look.transition == timeline::TransitionKind::kCut ||
        look.transition == timeline::TransitionKind::kInvalid) {
      return t;
    }
    MediaTime d = std::min(Frames(look.transition_s), Half(limit));
    if (d <= MediaTime()) return t;
    t.kind = look.transition;
    t.duration = d;
    return t;
  }

  timeline::Segment StillSegment(const std::string& source, MediaTime duration) const {
    timeline::Segment seg;
    seg.source = source;
    seg.in = MediaTime();
    seg.out = duration;
    seg.mute = true;
    seg.interpolation = timeline::Interpolation::kLinear;
    return seg;
  }

  Status AddClip(const ClipFacts& clip, const std::string& id) {
    // Whole output frames of the clip, so no frame is asked for past its end.
    MediaTime out(clip.duration.Rescale(frame_, Rounding::kDown), frame_);
    if (out <= MediaTime()) {
      return InvalidArgumentError(id + " file " + clip.path + " is shorter than one frame");
    }
    timeline::Segment seg;
    seg.source = SourceFor(clip.path, timeline::SourceKind::kVideo, id);
    seg.in = MediaTime();
    seg.out = out;
    seg.layout = internal::LayoutFor(clip.width, clip.height, style_.width, style_.height);
    seg.mute = !clip.has_audio || !tl_.output.audio.has_value();
    tl_.segments.push_back(std::move(seg));
    return Status::Ok();
  }

  Status AddSlide(const Scene& scene, const std::string& markdown, const SceneLook& look,
                  const std::string& name, int line) {
    // Text clear of the captions while they show (end cards have none).
    const internal::TextBand band =
        internal::SlideTextBand(style_, style_.captions && !scene.end_card);
    CR_ASSIGN_OR_RETURN(internal::SlideLayers layers,
                        internal::WriteSlideLayers(markdown, look, style_.width, style_.height,
                                                   band.height, assets_dir_, name + ".png", line));
    const MediaTime duration = scene.end - scene.start;
    timeline::Segment seg =
        StillSegment(SourceFor(layers.background, timeline::SourceKind::kImage, "background"),
                     duration);
    seg.transition = TransitionInto(look, duration);
    tl_.segments.push_back(std::move(seg));
    timeline::Overlay text;
    text.source = SourceFor(layers.text, timeline::SourceKind::kImage, name);
    text.start = scene.start;
    text.end = scene.end;
    text.y = static_cast<double>(band.top) / style_.height;
    text.animation = look.text_animation;
    if (text.animation != timeline::OverlayAnimation::kNone) {
      text.animation_duration = std::min(Frames(look.text_animation_s), Half(duration));
      if (text.animation_duration <= MediaTime()) {
        text.animation = timeline::OverlayAnimation::kNone;
        text.animation_duration = MediaTime();
      }
    }
    tl_.overlays.push_back(std::move(text));
    return Status::Ok();
  }

  Status AddImage(const Scene& scene, const Visual& visual, const SceneLook& look) {
    CR_ASSIGN_OR_RETURN(PictureFacts picture,
                        internal::CheckImageTag(visual.body, visual.at.line, script_dir_));
    const MediaTime duration = scene.end - scene.start;
    timeline::Segment seg = StillSegment(
        SourceFor(picture.path, timeline::SourceKind::kImage, "image_" + Padded(scene.visual + 1)),
        duration);
    seg.layout = internal::LayoutFor(picture.width, picture.height, style_.width, style_.height);
    if (seg.layout == timeline::Layout::kFill) {
      seg.crop = internal::KenBurns(scene.end_card ? Motion::kNone : look.motion, duration,
                                    picture.width, picture.height, style_.width, style_.height);
    }
    seg.transition = TransitionInto(look, duration);
    tl_.segments.push_back(std::move(seg));
    return Status::Ok();
  }

  Status AddBroll(const Scene& scene, const Visual& visual, const SceneLook& look) {
    const std::string where = "line " + std::to_string(visual.at.line) + ": ";
    Result<ClipFacts> clip = internal::CheckClipFile(Abs(visual.body), "b-roll");
    if (!clip.ok()) return Status(clip.status().code(), where + clip.status().message());
    MediaTime in, out = clip->duration;
    if (visual.broll_in_s >= 0) in = MediaTime::FromSecondsApprox(visual.broll_in_s);
    if (visual.broll_out_s >= 0) {
      out = std::min(out, MediaTime::FromSecondsApprox(visual.broll_out_s));
    }
    if (in >= out) {
      return InvalidArgumentError(where + "b-roll range starts at " + in.ToString() +
                                  " s, past the end of " + clip->path + " (" +
                                  clip->duration.ToString() + " s)");
    }
    const std::string id =
        SourceFor(clip->path, timeline::SourceKind::kVideo, "broll_" + Padded(scene.visual + 1));
    const timeline::Layout layout =
        internal::LayoutFor(clip->width, clip->height, style_.width, style_.height);
    // Trimmed to the scene, or repeated until it is filled.
    const MediaTime length = out - in;
    MediaTime placed = scene.start;
    while (placed < scene.end) {
      MediaTime piece = std::min(length, scene.end - placed);
      timeline::Segment seg;
      seg.source = id;
      seg.in = in;
      seg.out = in + piece;
      seg.layout = layout;
      seg.mute = true;
      if (placed == scene.start) seg.transition = TransitionInto(look, piece);
      tl_.segments.push_back(std::move(seg));
      placed = placed + piece;
    }
    return Status::Ok();
  }

  Status AddScene(const Scene& scene) {
    if (scene.visual < 0) {
      std::string title = script_.title.empty() ? "" : "# " + script_.title;
      return AddSlide(scene, title, style_.look, "title", 0);
    }
    const Visual& visual = script_.visuals[static_cast<size_t>(scene.visual)];
    const SceneLook& look = style_.LookOf(scene.visual);
    switch (visual.kind) {
      case VisualKind::kSlide:
        return AddSlide(scene, visual.body, look, "slide_" + Padded(scene.visual + 1),
                        visual.at.line);
      case VisualKind::kImage:
        return AddImage(scene, visual, look);
      case VisualKind::kBroll:
        return AddBroll(scene, visual, look);
      default:
        return InternalError("visual " + std::to_string(scene.visual) + " has no kind");
    }
  }

  Status AddLogo(MediaTime total) {
    if (style_.logo.empty()) return Status::Ok();
    CR_ASSIGN_OR_RETURN(PictureFacts logo, internal::CheckPictureFile(Abs(style_.logo), "logo"));
    const double w = std::clamp(style_.logo_width, 0.01, 1.0);
    const double h = w * style_.width * logo.height / logo.width / style_.height;
    const double mx = kLogoMargin, my = kLogoMargin * style_.width / style_.height;
    const bool right = style_.logo_corner == LogoCorner::kTopRight ||
                       style_.logo_corner == LogoCorner::kBottomRight;
    const bool bottom = style_.logo_corner == LogoCorner::kBottomLeft ||
                        style_.logo_corner == LogoCorner::kBottomRight;
    timeline::Overlay overlay;
    overlay.source = SourceFor(logo.path, timeline::SourceKind::kImage, "logo");
    overlay.start = MediaTime();
    overlay.end = total;
    overlay.x = std::clamp(right ? 1 - mx - w : mx, 0.0, 1.0);
    overlay.y = std::clamp(bottom ? 1 - my - h : my, 0.0, 1.0);
    overlay.width = w;
    overlay.opacity = std::clamp(style_.logo_opacity, 0.0, 1.0);
    tl_.overlays.push_back(std::move(overlay));
    return Status::Ok();
  }

  Status AddNarration(const std::string& narration_wav) {
    const std::string path = internal::ResolveAgainst(narration_wav, ".");
    Result<MediaInfo> info = media::ProbeFile(path);
    if (!info.ok()) return info.status().WithContext("narration " + path);
    if (info->audio() == nullptr) {
      return FailedPreconditionError("narration " + path + " has no audio; run narrate again");
    }
    if (std::abs(info->duration.ToSeconds() - narration_.duration().ToSeconds()) >
        kNarrationMismatchS) {
      return FailedPreconditionError("narration " + path + " (" + info->duration.ToString() +
                                     " s) does not match its narration.json (" +
                                     narration_.duration().ToString() + " s); run narrate again");
    }
    if (narration_.samples == 0) return Status::Ok();
    timeline::AudioTrack track;
    track.source = SourceFor(path, timeline::SourceKind::kVideo, "narration");
    track.in = MediaTime();
    track.out = narration_.duration();
    track.at = offset_;
    track.role = timeline::AudioRole::kVoice;
    tl_.audio.tracks.push_back(std::move(track));
    return Status::Ok();
  }

  // Music under the composition: from the intro's end, looped, ducked under the narration; it
  // stops where the outro starts (the outro brings its own sound).
  Status AddMusic(MediaTime content_end, bool has_outro) {
    std::string path = !style_.music.empty() ? Abs(style_.music)
                       : !script_.music_path.empty() ? Abs(script_.music_path)
                                                     : "";
    if (path.empty() || content_end <= offset_) return Status::Ok();
    CR_ASSIGN_OR_RETURN(MediaTime length, internal::CheckMusicFile(path, "music"));
    timeline::AudioTrack track;
    track.source = SourceFor(path, timeline::SourceKind::kVideo, "music");
    track.in = MediaTime();
    track.out = length;
    track.gain_db = style_.music_gain_db;
    track.duck_db = std::min(0.0, style_.music_duck_db);
    track.role = timeline::AudioRole::kMusic;
    const double fade_ms = tl_.audio.fade_ms;
    if (!has_outro) {
      track.at = offset_;
      track.loop = true;
      track.fade_in_ms = kMusicFadeInMs;
      track.fade_out_ms = kMusicFadeOutMs;
      tl_.audio.tracks.push_back(std::move(track));
      return Status::Ok();
    }
    // A looping track would run on under the outro: lay the passes out one by one instead.
    for (MediaTime at = offset_; at < content_end; at = at + length) {
      timeline::AudioTrack pass = track;
      pass.at = at;
      pass.out = std::min(length, content_end - at);
      const bool first = at == offset_, last = at + length >= content_end;
      pass.fade_in_ms = first ? kMusicFadeInMs : fade_ms;
      pass.fade_out_ms = last ? kMusicFadeOutMs : fade_ms;
      tl_.audio.tracks.push_back(std::move(pass));
    }
    return Status::Ok();
  }

  void AddCaptions() {
    timeline::CaptionTrack captions;
    captions.style = style_.caption_style;
    captions.position = style_.caption_position;
    captions.font = style_.look.font_family;
    captions.font_file = style_.look.font_file;
    captions.highlight_colour = style_.look.accent;
    for (const NarratedSentence& sentence : narration_.sentences) {
      const std::vector<std::string> texts = internal::CaptionTexts(sentence.text, sentence.words);
      for (size_t i = 0; i < sentence.words.size(); ++i) {
        const NarratedWord& word = sentence.words[i];
        captions.words.push_back({texts[i], Out(word.start), Out(word.end)});
      }
    }
    if (!captions.words.empty()) tl_.captions = std::move(captions);
  }

  const Script& script_;
  const ComposeStyle& style_;
  const Narration& narration_;
  const std::string script_dir_;
  const std::string assets_dir_;
  const StepEnv& env_;
  const Rational frame_;  // one output frame
  MediaTime offset_;      // output time of the narration's start (the intro's end)
  timeline::Timeline tl_;
  std::map<std::string, std::string> source_ids_;  // path -> id
};

// The narration must have been made from this script.
Status CheckNarrationMatches(const Script& script, const Narration& narration,
                             const std::string& narration_json) {
  bool same = script.sentences.size() == narration.sentences.size() && narration.sample_rate > 0;
  for (size_t i = 0; same && i < script.sentences.size(); ++i) {
    same = script.sentences[i].text == narration.sentences[i].text;
  }
  if (!same) {
    return FailedPreconditionError(narration_json +
                                   " was made from another script; run narrate again");
  }
  return Status::Ok();
}

}  // namespace

Status PlanComposition(const std::string& script_path, const ComposeStyle& style,
                       const std::string& narration_wav, const std::string& narration_json,
                       const std::string& assets_dir, const std::string& timeline_json,
                       const StepEnv& env) {
  CR_ASSIGN_OR_RETURN(Script script, LoadScript(script_path));
  CR_ASSIGN_OR_RETURN(Narration narration, ReadNarration(narration_json));
  CR_RETURN_IF_ERROR(CheckNarrationMatches(script, narration, narration_json));
  const std::string assets = internal::ResolveAgainst(assets_dir, ".");
  std::error_code ec;
  fs::create_directories(assets, ec);
  if (ec) return UnavailableError("cannot create " + assets + ": " + ec.message());

  const std::string script_dir =
      internal::ResolveAgainst(internal::FolderOf(script_path), ".");
  Planner planner(script, style, narration, script_dir, assets, env);
  CR_ASSIGN_OR_RETURN(timeline::Timeline tl, planner.Plan(narration_wav));
  CR_RETURN_IF_ERROR(WriteFileAtomically(timeline_json, timeline::TimelineToJson(tl)));
  internal::Report(env, 1.0, "planned " + std::to_string(tl.segments.size()) + " segments");
  return Status::Ok();
}

}  // namespace cutroom::compose
