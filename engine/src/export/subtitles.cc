#include "export/subtitles.h"

#include "captions/caption_styles.h"

namespace cutroom::export_ {

std::vector<speech::Cue> TimelineCaptionCues(const timeline::Timeline& timeline) {
  std::vector<speech::Cue> cues;
  if (!timeline.captions) return cues;
  const timeline::CaptionTrack& track = *timeline.captions;
  for (const captions::WordGroup& group : captions::GroupWords(track)) {
    speech::Cue cue;
    cue.start = group.start;
    cue.end = group.end;
    for (size_t i = group.first; i < group.first + group.count; ++i) {
      if (!cue.text.empty()) cue.text += ' ';
      cue.text += track.words[i].text;
    }
    if (track.uppercase) {
      // ASCII only, as the burned captions do; UTF-8 bytes pass unchanged.
      for (char& c : cue.text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
    }
    cues.push_back(std::move(cue));
  }
  return cues;
}

std::string TimelineCaptionsToSrt(const timeline::Timeline& timeline) {
  return speech::WriteSrt(TimelineCaptionCues(timeline));
}

std::string TimelineCaptionsToVtt(const timeline::Timeline& timeline) {
  return speech::WriteWebVtt(TimelineCaptionCues(timeline));
}

Result<std::string> TimelineCaptionsToAss(const timeline::Timeline& timeline) {
  const timeline::CaptionTrack track =
      timeline.captions ? *timeline.captions : timeline::CaptionTrack{};
  return captions::BuildAssScript(track, timeline.output.width, timeline.output.height);
}

}  // namespace cutroom::export_
