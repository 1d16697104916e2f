// A generated "talk": a face photo drifting gently on a plain background, with flite speech of a
// known text and exact word times. Used by `cutroom sample` (the README's first command) and
// as a test fixture with known ground truth.
#pragma once

#include <string>
#include <vector>

#include "cutroom/timeline.h"
#include "speech/speech_synthesizer.h"

namespace cutroom::compose {

struct SampleTalkOptions {
  std::string face_path;  // a photo with one face (JPEG/PNG)
  std::string voice = "slt";
  std::string text;  // empty: a built-in paragraph of about 20 s
  int width = 1280;
  int height = 720;
  Rational fps{30, 1};
  int threads = 0;
};

struct SampleTalk {
  std::string video_path;
  std::vector<speech::TimedWord> words;
  MediaTime duration;
  // The face's centre in normalised frame coordinates at a time (it drifts slowly).
  double FaceCenterX(double t_s) const;
  double FaceCenterY(double t_s) const;
  int width = 0, height = 0, face_size = 0;
};

// Writes `path` (MP4, H.264 + AAC mono 16 kHz).
Result<SampleTalk> WriteSampleTalk(const std::string& path, const SampleTalkOptions& options);

// A 9:16 1080x1920 Timeline of the whole talk: the crop follows the face with a keyframe every
// second (smooth interpolation) and the words are captioned in `caption_style`.
timeline::Timeline MakeSampleClipTimeline(const SampleTalk& talk, const std::string& caption_style);

}  // namespace cutroom::compose
