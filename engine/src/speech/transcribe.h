// Getting a media file's transcript from the best source available:
//   1. subtitles: --subtitles FILE, else an embedded text subtitle stream (mov_text, subrip, ass,
//      webvtt), else a sidecar beside the input (name.srt, name.en.vtt, name.ass, ...); cue text
//      is aligned to the audio for word times inside each cue;
//   2. a recognizer: the HTTP one when given and chosen, else the built-in pocketsphinx one.
//
// Thread safety: TranscribeFile may run concurrently with itself when the recognizers and the
// executor allow it; it blocks until done.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cutroom/cancel.h"
#include "cutroom/executor.h"
#include "cutroom/status.h"
#include "speech/speech_recognizer.h"
#include "speech/subtitle_io.h"
#include "speech/transcript.h"

namespace cutroom::speech {

enum class AsrChoice { kInvalid = 0, kBuiltin, kHttp };

struct TranscribeOptions {
  std::string subtitles_path;  // explicit subtitle file; empty: look for embedded and sidecars
  bool use_found_subtitles = true;  // embedded streams and sidecars
  std::string language = "en";      // preferred subtitle language (sidecar "name.en.vtt")
  AsrChoice asr = AsrChoice::kBuiltin;
  SpeechRecognizer* http_recognizer = nullptr;  // not owned; required for kHttp
  Executor* executor = nullptr;                 // not owned; required for kBuiltin
  const CancelToken* cancel = nullptr;
};

Result<Transcript> TranscribeFile(const std::string& path, const TranscribeOptions& options);

// Sidecar subtitle files of `media_path`, best first: same stem with the language tag, then
// without, then other languages ("talk.en.srt", "talk.srt", "talk.de.vtt").
std::vector<std::string> FindSidecarSubtitles(const std::string& media_path,
                                              const std::string& language = "en");

// Cues of a text subtitle stream embedded in `path` (its FFmpeg stream index), demuxed and
// decoded in process by media::ReadSubtitleCues (markup removed). Errors: as ReadSubtitleCues.
Result<std::vector<Cue>> ReadEmbeddedSubtitles(const std::string& path, int stream_index,
                                               const CancelToken* cancel = nullptr);

}  // namespace cutroom::speech
