// Text subtitle streams (mov_text, subrip, ass/ssa, webvtt) demuxed and decoded with libavcodec
// into plain-text cues.
//
// Thread safety: a pure function of the file; may run concurrently with itself.
#pragma once

#include <string>
#include <vector>

#include "cutroom/cancel.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::media {

struct SubtitleCue {
  MediaTime start;   // source time, counted from the container's start like AudioReader's
  MediaTime end;     // > start
  std::string text;  // plain text: ASS override tags ({\i1}, {\an8}) removed, lines joined by '\n'
};

// Every cue of the text subtitle stream `stream_index` (FFmpeg's stream index) of `path`, sorted
// by start; cues whose text is empty after markup removal are dropped. Errors: as ProbeFile,
// InvalidArgument for an index that is not a subtitle stream, FailedPrecondition for a bitmap
// subtitle stream (dvd_subtitle, hdmv_pgs: they would need OCR), DataLoss for an undecodable one.
// `cancel` may be null.
Result<std::vector<SubtitleCue>> ReadSubtitleCues(const std::string& path, int stream_index,
                                                  const CancelToken* cancel = nullptr);

// The plain text of one decoded ASS event: `line` is a Dialogue payload as libavcodec's text
// subtitle decoders emit it ("ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text"),
// or just the text when it has fewer fields. Exposed for tests.
std::string PlainTextOfAssEvent(const std::string& line);

}  // namespace cutroom::media
