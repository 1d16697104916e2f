// The steps of a `cutroom compose` job, each a function of files so the job engine (jobs/, the
// `compose` pipeline) can run them as cached, resumable steps:
//
//   narrate -> plan -> render -> package
//
//   NarrateScript      script.txt, style.json          -> narration.wav, narration.json
//   PlanComposition    script.txt, style.json, narration.{wav,json}
//                                                      -> assets/ (slide PNGs), timeline.json
//   (render: clip::RenderClipFile(timeline.json, video.mp4))
//   PackageComposition script.txt, timeline.json, narration.json, video.mp4
//                                                      -> DIR/{video.mp4, thumbnail.jpg,
//                                                         metadata.json, video.srt, video.vtt,
//                                                         timeline.json}
//
// The script is the tagged format of script.h; templates and topics become such a script (and
// a style.json) before the job starts (ad_template.h, integrations/llm).
//
// Thread safety: free functions on files; concurrent calls must use different output paths.
#pragma once

#include <string>
#include <vector>

#include "clip/clip_job.h"  // StepEnv
#include "compose/compose_style.h"
#include "compose/script.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::compose {

using clip::StepEnv;

// Reads and parses a script file. Errors: unreadable (names the path), ParseScript's errors
// prefixed with the path ("script.txt: line 3, column 5: ...").
Result<Script> LoadScript(const std::string& path);

// narration.json, as read back by ReadNarration. Times are sample counts at `sample_rate` of
// narration.wav, so durations are exact.
struct NarratedWord {
  std::string text;
  int64_t start = 0;  // samples from the start of narration.wav
  int64_t end = 0;
};
struct NarratedSentence {
  std::string text;
  int paragraph = 0;
  int64_t start = 0;  // first sample of its speech
  int64_t end = 0;    // one past its last sample of speech (the pause after it not included)
  std::vector<NarratedWord> words;
};
struct Narration {
  std::string voice;
  int sample_rate = 0;
  int64_t samples = 0;  // the whole narration.wav, pauses included, no trailing pause
  std::vector<NarratedSentence> sentences;  // one per Script::sentences, same order

  MediaTime duration() const { return MediaTime(samples, {1, sample_rate}); }
  MediaTime At(int64_t sample) const { return MediaTime(sample, {1, sample_rate}); }
};
Result<Narration> ReadNarration(const std::string& narration_json);

// Synthesizes every sentence with style.voice (flite voices: "slt", "rms", "awb", "kal"; "espeak:LANG"
// for espeak-ng), sentence by sentence, joined by style.sentence_gap_s of silence, and
// style.paragraph_pause_s at paragraph breaks; writes narration.wav (mono 16-bit) and
// narration.json. Errors: unknown voice (lists the voices), a sentence the voice cannot say,
// the narration longer than style.max_duration_s (names both durations), cancellation.
Status NarrateScript(const std::string& script_path, const ComposeStyle& style,
                     const std::string& narration_wav, const std::string& narration_json,
                     const StepEnv& env);

// Builds the Timeline: one scene per visual (a slide: a background image segment plus its text
// as an animated overlay; an image: Ken Burns over it; b-roll: the clip trimmed or looped to the
// scene), lasting from its first sentence's start to the next visual's (the first scene from 0;
// a scene before any visual shows a title card); a visual after the last sentence becomes a
// static end card of style.end_card_s; transitions from the scene looks; intro/outro clips;
// logo overlay; narration as a voice track (offset by the intro), music looped and ducked;
// captions from the narration's words. Writes slide PNGs into `assets_dir` (created) and the
// Timeline JSON (absolute source paths) to `timeline_json`.
// Errors (naming the file and the script line): a missing image or b-roll file, an image tag
// that is not a file (prompts need an image generator, which is not configured), an unsupported
// or corrupt image, an unreadable font, a missing music/intro/outro/logo file.
Status PlanComposition(const std::string& script_path, const ComposeStyle& style,
                       const std::string& narration_wav, const std::string& narration_json,
                       const std::string& assets_dir, const std::string& timeline_json,
                       const StepEnv& env);

struct Chapter {
  MediaTime start;  // output time
  std::string title;
};

// Chapters from the script's sections (slide headings) at the output times their scenes start.
// The first chapter starts at 0 (an "Intro" chapter is added when the first section starts
// later); YouTube needs at least three chapters of at least 10 s, so chapters are returned only
// when that holds, else none.
std::vector<Chapter> ChaptersFor(const Script& script, const std::string& timeline_json_text);

struct ComposeResult {
  std::string output_dir;
  std::string video;  // DIR/video.mp4
  double duration_s = 0;
  std::vector<std::string> warnings;
};

// Copies video.mp4 and timeline.json into output_dir and writes thumbnail.jpg (1280x720: the
// [thumbnail] text, else the title, over the first image or slide in the style's look),
// metadata.json ({title, alt_title, description, tags, chapters: [{start, title}], duration,
// voice, words}), video.srt and video.vtt; each file through a temporary name and a rename,
// metadata.json last.
Result<ComposeResult> PackageComposition(const std::string& script_path, const ComposeStyle& style,
                                         const std::string& timeline_json,
                                         const std::string& narration_json,
                                         const std::string& video_mp4,
                                         const std::string& output_dir, const StepEnv& env);

}  // namespace cutroom::compose
