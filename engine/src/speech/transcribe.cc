#include "speech/transcribe.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string_view>

#include "media/probe.h"
#include "media/subtitle_reader.h"
#include "speech/forced_aligner.h"

namespace cutroom::speech {
namespace {

// Cue alignment over a sliding window of the stream: cues in start order, the window holding
// only [cue start - slack, cue end + slack] of the current cue (plus one read), so a 10-hour
// source with subtitles takes the memory of its longest cue. Each cue sees the same audio as it
// would in the whole file, so the words come out as ForcedAligner::AlignCues gives them.
Result<Transcript> AlignCuesStreaming(ForcedAligner& aligner, SpeechAudioStream& stream,
                                      std::vector<Cue> cues, const CancelToken* cancel) {
  constexpr int kRate = 16000;
  const MediaTime kSlack(300, {1, 1000});  // ForcedAligner's own slack around a cue
  std::stable_sort(cues.begin(), cues.end(),
                   [](const Cue& a, const Cue& b) { return a.start < b.start; });
  AudioBuffer window;
  window.sample_rate = kRate;
  window.channels.resize(1);
  bool ended = false;
  Transcript all;
  all.source = TranscriptSource::kSubtitles;
  auto window_end = [&] { return window.pts + MediaTime(window.frames(), {1, kRate}); };
  for (const Cue& cue : cues) {
    const MediaTime need = std::max(cue.end, cue.start + MediaTime(1, {1, 1000})) + kSlack;
    while (!ended && (window.frames() == 0 || window_end() < need)) {
      CR_ASSIGN_OR_RETURN(AudioBuffer piece, stream.Read(kRate * 10));
      if (piece.frames() == 0) {
        ended = true;
        break;
      }
      if (window.frames() == 0) window.pts = piece.pts;
      window.channels[0].insert(window.channels[0].end(), piece.channels[0].begin(),
                                piece.channels[0].end());
    }
    const int64_t drop = std::clamp<int64_t>(
        (cue.start - kSlack - window.pts).Rescale({1, kRate}, Rounding::kDown), 0, window.frames());
    if (drop > 0) {
      window.channels[0].erase(window.channels[0].begin(), window.channels[0].begin() + drop);
      window.pts = window.pts + MediaTime(drop, {1, kRate});
    }
    CR_ASSIGN_OR_RETURN(Transcript part, aligner.AlignCues(window, {cue}, cancel));
    for (Word& w : part.words) all.words.push_back(std::move(w));
  }
  NormalizeTranscript(&all);
  return all;
}

constexpr std::array<std::string_view, 5> kTextSubtitleCodecs = {"mov_text", "subrip", "ass", "ssa",
                                                                 "webvtt"};
constexpr std::array<std::string_view, 4> kSidecarExtensions = {".srt", ".vtt", ".ass", ".ssa"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const StreamInfo* TextSubtitleStream(const MediaInfo& info, const std::string& language) {
  const StreamInfo* best = nullptr;
  for (const StreamInfo& s : info.streams) {
    if (s.type != StreamType::kSubtitle) continue;
    if (std::find(kTextSubtitleCodecs.begin(), kTextSubtitleCodecs.end(), s.codec) ==
        kTextSubtitleCodecs.end()) {
      continue;  // bitmap subtitles (dvd_subtitle, hdmv_pgs) would need OCR
    }
    const bool matches = !language.empty() && Lower(s.language).rfind(Lower(language), 0) == 0;
    if (best == nullptr || (matches && Lower(best->language).rfind(Lower(language), 0) != 0)) {
      best = &s;
    }
  }
  return best;
}

}  // namespace

std::vector<std::string> FindSidecarSubtitles(const std::string& media_path,
                                              const std::string& language) {
  namespace fs = std::filesystem;
  const fs::path media(media_path);
  const std::string stem = media.stem().string();
  std::error_code ec;
  std::vector<std::pair<int, std::string>> found;
  for (const fs::directory_entry& entry : fs::directory_iterator(
           media.parent_path().empty() ? fs::path(".") : media.parent_path(), ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string name = entry.path().filename().string();
    const std::string ext = Lower(entry.path().extension().string());
    if (std::find(kSidecarExtensions.begin(), kSidecarExtensions.end(), ext) ==
        kSidecarExtensions.end()) {
      continue;
    }
    const std::string base = entry.path().stem().string();  // "talk" or "talk.en"
    int rank = -1;
    if (base == stem) {
      rank = 1;
    } else if (base.rfind(stem + ".", 0) == 0) {
      rank = Lower(base.substr(stem.size() + 1)).rfind(Lower(language), 0) == 0 ? 0 : 2;
    }
    if (rank >= 0) found.emplace_back(rank, entry.path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [rank, path] : found) out.push_back(std::move(path));
  return out;
}

Result<std::vector<Cue>> ReadEmbeddedSubtitles(const std::string& path, int stream_index,
                                               const CancelToken* cancel) {
  CR_ASSIGN_OR_RETURN(std::vector<media::SubtitleCue> decoded,
                      media::ReadSubtitleCues(path, stream_index, cancel));
  std::vector<Cue> cues;
  cues.reserve(decoded.size());
  for (media::SubtitleCue& c : decoded) {
    Cue cue;
    cue.start = c.start;
    cue.end = c.end;
    cue.text = std::move(c.text);
    cues.push_back(std::move(cue));
  }
  return cues;
}

Result<Transcript> TranscribeFile(const std::string& path, const TranscribeOptions& options) {
  CR_ASSIGN_OR_RETURN(MediaInfo info, media::ProbeFile(path, options.cancel));
  std::vector<Cue> cues;
  bool have_subtitles = false;
  std::string subtitles_from;
  if (!options.subtitles_path.empty()) {
    CR_ASSIGN_OR_RETURN(cues, ReadSubtitleFile(options.subtitles_path));
    have_subtitles = true;
    subtitles_from = options.subtitles_path;
  } else if (options.use_found_subtitles) {
    if (const StreamInfo* stream = TextSubtitleStream(info, options.language)) {
      CR_ASSIGN_OR_RETURN(cues, ReadEmbeddedSubtitles(path, stream->index, options.cancel));
      have_subtitles = true;
      subtitles_from = "embedded " + stream->codec + " stream " + std::to_string(stream->index);
    } else if (std::vector<std::string> sidecars = FindSidecarSubtitles(path, options.language);
               !sidecars.empty()) {
      CR_ASSIGN_OR_RETURN(cues, ReadSubtitleFile(sidecars.front()));
      have_subtitles = true;
      subtitles_from = sidecars.front();
    }
  }

  if (info.audio() == nullptr) {
    if (!have_subtitles) return FailedPreconditionError(path + ": has no audio stream");
    Transcript t = TranscriptFromCues(cues, options.language);
    t.warnings.push_back("no audio stream: word times spread evenly inside each cue of " +
                         subtitles_from);
    return t;
  }
  // Everything reads the audio as a stream: the built-in recognizer and the aligner in bounded
  // memory.
  CR_ASSIGN_OR_RETURN(std::unique_ptr<SpeechAudioStream> audio,
                      SpeechAudioStream::Open(path, options.cancel));
  Transcript transcript;
  if (have_subtitles) {
    CR_ASSIGN_OR_RETURN(std::unique_ptr<ForcedAligner> aligner, ForcedAligner::Create());
    CR_ASSIGN_OR_RETURN(transcript, AlignCuesStreaming(*aligner, *audio, cues, options.cancel));
    transcript.language = options.language;
  } else if (options.asr == AsrChoice::kHttp) {
    if (options.http_recognizer == nullptr) {
      return FailedPreconditionError("--asr http: no transcription server configured");
    }
    CR_ASSIGN_OR_RETURN(transcript,
                        options.http_recognizer->RecognizeStream(audio.get(), options.cancel));
  } else if (options.asr == AsrChoice::kBuiltin) {
    if (options.executor == nullptr) return InvalidArgumentError("transcribe: no executor");
    CR_ASSIGN_OR_RETURN(std::unique_ptr<SpeechRecognizer> recognizer,
                        CreateBuiltinRecognizer(options.executor));
    CR_ASSIGN_OR_RETURN(transcript, recognizer->RecognizeStream(audio.get(), options.cancel));
  } else {
    return InvalidArgumentError("transcribe: invalid recognizer choice");
  }
  transcript.warnings.insert(transcript.warnings.begin(), audio->warnings().begin(),
                             audio->warnings().end());
  return transcript;
}

}  // namespace cutroom::speech
