#include "speech/transcribe.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <string_view>

#include "media/probe.h"
#include "speech/forced_aligner.h"

extern char** environ;

namespace cutroom::speech {
namespace {

constexpr std::array<std::string_view, 5> kTextSubtitleCodecs = {"mov_text", "subrip", "ass",
                                                                 "ssa", "webvtt"};
constexpr std::array<std::string_view, 4> kSidecarExtensions = {".srt", ".vtt", ".ass", ".ssa"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Runs argv without a shell; returns stdout, and stderr in *error_output.
Result<std::string> RunCapture(const std::vector<std::string>& args, const CancelToken* cancel,
                               std::string* error_output) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return UnavailableError("pipe failed");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return UnavailableError("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawned != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return UnavailableError("cannot run " + args[0] + " (is it installed?)");
  }
  // The subtitle text is small; read stdout fully, then stderr (ffmpeg at loglevel error writes
  // little there, so the pipe cannot fill and block it).
  std::string out;
  std::array<char, 4096> buf;
  for (ssize_t n; (n = read(out_pipe[0], buf.data(), buf.size())) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    out.append(buf.data(), static_cast<size_t>(n));
    if (cancel != nullptr && cancel->IsCancelled()) kill(pid, SIGTERM);
  }
  for (ssize_t n; (n = read(err_pipe[0], buf.data(), buf.size())) > 0;) {
    error_output->append(buf.data(), static_cast<size_t>(n));
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (cancel != nullptr && cancel->IsCancelled()) return CancelledError("cancelled");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return InternalError(args[0] + " failed: " + *error_output);
  }
  return out;
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
  for (const fs::directory_entry& entry :
       fs::directory_iterator(media.parent_path().empty() ? fs::path(".") : media.parent_path(), ec)) {
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
  std::string errors;
  Result<std::string> srt =
      RunCapture({"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path, "-map",
                  "0:" + std::to_string(stream_index), "-f", "srt", "pipe:1"},
                 cancel, &errors);
  if (!srt.ok()) {
    return srt.status().WithContext(path + ": subtitle stream " + std::to_string(stream_index));
  }
  Result<std::vector<Cue>> cues = ParseSrt(*srt);
  if (!cues.ok()) return cues.status().WithContext(path + ": embedded subtitles");
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
  CR_ASSIGN_OR_RETURN(SpeechAudio audio, LoadSpeechAudio(path, options.cancel));
  Transcript transcript;
  if (have_subtitles) {
    CR_ASSIGN_OR_RETURN(std::unique_ptr<ForcedAligner> aligner, ForcedAligner::Create());
    CR_ASSIGN_OR_RETURN(transcript, aligner->AlignCues(audio.audio, cues, options.cancel));
    transcript.language = options.language;
  } else if (options.asr == AsrChoice::kHttp) {
    if (options.http_recognizer == nullptr) {
      return FailedPreconditionError("--asr http: no transcription server configured");
    }
    CR_ASSIGN_OR_RETURN(transcript, options.http_recognizer->Recognize(audio.audio, options.cancel));
  } else if (options.asr == AsrChoice::kBuiltin) {
    if (options.executor == nullptr) return InvalidArgumentError("transcribe: no executor");
    CR_ASSIGN_OR_RETURN(std::unique_ptr<SpeechRecognizer> recognizer,
                        CreateBuiltinRecognizer(options.executor));
    CR_ASSIGN_OR_RETURN(transcript, recognizer->Recognize(audio.audio, options.cancel));
  } else {
    return InvalidArgumentError("transcribe: invalid recognizer choice");
  }
  transcript.warnings.insert(transcript.warnings.begin(), audio.warnings.begin(),
                             audio.warnings.end());
  return transcript;
}

}  // namespace cutroom::speech
