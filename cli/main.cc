// The `cutroom` command: the composition root. Subcommands live in *_command.cc.
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"

namespace {

constexpr char kUsage[] = R"(usage: cutroom COMMAND [ARGS]   (cutroom COMMAND --help for details)

Commands:
  clip INPUT [-o DIR] [--clips N]     long video -> scored, reframed, captioned shorts
  compose SCRIPT | --template NAME | --topic "..."   narrated video from a script, an ad template or a topic
  probe FILE [--json]                 what a media file holds
  render TIMELINE.json -o OUT.mp4     render a Timeline to a finished MP4
  speak TEXT -o OUT.wav [--words F]   text to speech with word times (flite)
  analyze FILE [-o analysis.json]     cuts, motion, faces and audio in one pass
  transcribe FILE [-o transcript.json] word-timed transcript (subtitles, http or built-in ASR)
  sample -o DIR                       generate a sample talk and a 9:16 captioned Timeline
  job render TIMELINE.json -o OUT.mp4 render as a resumable, cached job (local job engine)
  jobs list|show|cancel|pause|resume|retry|delete [ID]   manage jobs (--json)
  gc [--older-than DAYS]              free cache and artifacts no job needs
  serve [--listen HOST:PORT]          REST API, web UI and workers (cutroom serve --help)

Options:
  --version   print the version
  --help      this text
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string command = argv[1];
  if (command == "--version" || command == "version") {
    std::printf("cutroom %s\n", CUTROOM_VERSION);
    return 0;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  int sub_argc = argc - 2;
  char** sub_argv = argv + 2;
  if (command == "probe") return cutroom::cli::RunProbe(sub_argc, sub_argv);
  if (command == "clip") return cutroom::cli::RunClip(sub_argc, sub_argv);
  if (command == "compose") return cutroom::cli::RunCompose(sub_argc, sub_argv);
  if (command == "render") return cutroom::cli::RunRender(sub_argc, sub_argv);
  if (command == "sample") return cutroom::cli::RunSample(sub_argc, sub_argv);
  if (command == "speak") return cutroom::cli::RunSpeak(argc - 1, argv + 1);
  if (command == "analyze") return cutroom::cli::RunAnalyze(sub_argc, sub_argv);
  if (command == "transcribe") return cutroom::cli::RunTranscribe(sub_argc, sub_argv);
  if (command == "job") return cutroom::cli::RunJob(sub_argc, sub_argv);
  if (command == "jobs") return cutroom::cli::RunJobs(sub_argc, sub_argv);
  if (command == "gc") return cutroom::cli::RunGc(sub_argc, sub_argv);
#ifdef CUTROOM_HAS_SERVER
  if (command == "serve") return cutroom::cli::RunServe(sub_argc, sub_argv);
#endif
  std::fprintf(stderr, "cutroom: unknown command '%s'\n", command.c_str());
  std::fputs(kUsage, stderr);
  return 2;
}
