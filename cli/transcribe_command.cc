// `cutroom transcribe FILE`: a word-timed transcript from the best source available (subtitles,
// an OpenAI-compatible server, or the built-in recognizer), written as JSON and optionally as
// SRT/WebVTT captions.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "cli_common.h"
#include "cutroom/file_util.h"
#include "commands.h"
#include "http_transcriber.h"
#include "speech/subtitle_io.h"
#include "speech/transcribe.h"
#include "speech/transcript.h"

namespace cutroom::cli {
namespace {

constexpr char kCommand[] = "transcribe";

constexpr char kHelp[] = R"(usage: cutroom transcribe FILE [--subtitles F] [--asr builtin|http] [-o transcript.json]
                         [--srt F] [--vtt F] [--language L] [--threads N] [--no-found-subtitles]

Word-timed transcript of a media file, best source first:
  1. subtitles (--subtitles F, an embedded mov_text/subrip/ass/webvtt stream, or a sidecar such as
     FILE.srt or FILE.en.vtt), aligned to the audio for word times inside each cue;
  2. --asr http: an OpenAI-compatible server at $CUTROOM_ASR_URL (key $CUTROOM_ASR_API_KEY,
     model $CUTROOM_ASR_MODEL, default whisper-1);
  3. --asr builtin (default): pocketsphinx, English, split at silences, chunks in parallel.

  -o, --output F        transcript JSON (docs/transcript.md); default: stdout
  --srt F, --vtt F      also write captions
  --language L          subtitle language to prefer and ASR hint (default en)
  --threads N           recognizer threads (default: all cores)
  --no-found-subtitles  ignore embedded and sidecar subtitles
  -h, --help            this text

Exit status: 0 success, 1 failure, 2 usage error.
)";

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

int RunTranscribe(int argc, char** argv) {
  Result<ParsedArgs> args =
      ParseArgs(argc, argv, {"-h", "--help", "--no-found-subtitles"},
                {"--subtitles", "--asr", "-o", "--output", "--srt", "--vtt", "--language",
                 "--threads"});
  if (!args.ok()) return Fail(kCommand, args.status().message(), kExitUsage);
  if (args->Has("-h") || args->Has("--help")) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (args->positional.size() != 1) return Fail(kCommand, "expected one input FILE", kExitUsage);
  const std::string input = args->positional[0];
  const std::string asr = args->Get("--asr", "builtin");
  if (asr != "builtin" && asr != "http") {
    return Fail(kCommand, "--asr must be builtin or http, not '" + asr + "'", kExitUsage);
  }
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  if (args->Has("--threads")) {
    threads = std::atoi(args->Get("--threads").c_str());
    if (threads < 1 || threads > 256) return Fail(kCommand, "--threads must be 1..256", kExitUsage);
  }
  ConfigureLibraryLogging(false);

  speech::TranscribeOptions options;
  options.subtitles_path = args->Get("--subtitles");
  options.use_found_subtitles = !args->Has("--no-found-subtitles");
  options.language = args->Get("--language", "en");
  ThreadPoolExecutor executor(threads);
  options.executor = &executor;
  std::unique_ptr<speech::SpeechRecognizer> http;
  if (asr == "http") {
    integrations::HttpSpeechConfig config;
    config.base_url = Env("CUTROOM_ASR_URL");
    if (config.base_url.empty()) {
      return Fail(kCommand, "--asr http needs CUTROOM_ASR_URL (e.g. http://127.0.0.1:8080)",
                  kExitUsage);
    }
    config.api_key = Env("CUTROOM_ASR_API_KEY");
    if (!Env("CUTROOM_ASR_MODEL").empty()) config.model = Env("CUTROOM_ASR_MODEL");
    config.language = options.language;
    Result<std::unique_ptr<speech::SpeechRecognizer>> made = integrations::CreateHttpRecognizer(config);
    if (!made.ok()) return Fail(kCommand, made.status().message(), kExitUsage);
    http = std::move(made).value();
    options.asr = speech::AsrChoice::kHttp;
    options.http_recognizer = http.get();
  }

  Result<speech::Transcript> transcript = speech::TranscribeFile(input, options);
  if (!transcript.ok()) return Fail(kCommand, transcript.status().message());
  for (const std::string& warning : transcript->warnings) {
    std::fprintf(stderr, "cutroom transcribe: warning: %s\n", warning.c_str());
  }
  const std::string json = speech::TranscriptToJson(*transcript);
  const std::string output = args->Has("-o") ? args->Get("-o") : args->Get("--output");
  if (output.empty() || output == "-") {
    std::fputs(json.c_str(), stdout);
  } else if (Status s = WriteFileAtomically(output, json); !s.ok()) {
    return Fail(kCommand, s.message());
  }
  const std::vector<speech::Cue> cues = speech::CuesFromTranscript(*transcript);
  if (args->Has("--srt")) {
    if (Status s = WriteFileAtomically(args->Get("--srt"), speech::WriteSrt(cues)); !s.ok()) {
      return Fail(kCommand, s.message());
    }
  }
  if (args->Has("--vtt")) {
    if (Status s = WriteFileAtomically(args->Get("--vtt"), speech::WriteWebVtt(cues));
        !s.ok()) {
      return Fail(kCommand, s.message());
    }
  }
  std::fprintf(stderr, "cutroom transcribe: %zu words, %zu sentences from %s\n",
               transcript->words.size(), transcript->sentences.size(),
               std::string(speech::TranscriptSourceName(transcript->source)).c_str());
  return kExitOk;
}

}  // namespace cutroom::cli
