#include <algorithm>
#include <csignal>
#include <cstdio>
#include <thread>

#include "captions/caption_styles.h"
#include "cli_common.h"
#include "commands.h"
#include "cutroom/file_util.h"
#include "render/renderer.h"
#include "timeline/timeline_json.h"

namespace cutroom::cli {
namespace {

constexpr char kUsage[] =
    R"(usage: cutroom render TIMELINE.json -o OUT.mp4 [--threads N] [--log-format text|json]

Renders a Timeline (docs/timeline.md) to an MP4: H.264 + AAC, faststart, captions burned in,
loudness normalised. The output appears only when rendering succeeded.

  -o, --output FILE    the MP4 to write (required)
  --threads N          CPU budget for decoding and encoding (default: the number of cores)
  --ass FILE           also write the burned-in captions as an ASS subtitle file
  --log-format FORMAT  text (default) or json lines on stderr
  --verbose            also show FFmpeg's own messages
)";

CancelToken* g_cancel = nullptr;  // only for the signal handler; owned by RunRender's stack
extern "C" void OnSignal(int) {
  if (g_cancel != nullptr) g_cancel->Cancel();
}

}  // namespace

int RunRender(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, {"--help", "-h", "--verbose"},
                        {"-o", "--output", "--threads", "--log-format", "--ass"});
  if (!args.ok()) return Fail("render", args.status().message(), kExitUsage);
  if (args->Has("--help") || args->Has("-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (args->positional.size() != 1) return Fail("render", "expected one TIMELINE.json", kExitUsage);
  std::string output = args->Get("-o", args->Get("--output"));
  if (output.empty()) return Fail("render", "missing -o OUT.mp4", kExitUsage);
  auto format = ParseLogFormat(args->Get("--log-format"));
  if (!format.ok()) return Fail("render", format.status().message(), kExitUsage);
  // x264's automatic choice (1.5 threads per core plus look-ahead threads) oversubscribes small
  // machines: measured 5% more CPU seconds on 2 cores (docs/benchmarks.md).
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (args->Has("--threads")) {
    try {
      threads = std::stoi(args->Get("--threads"));
    } catch (...) {
      threads = -1;
    }
    if (threads < 1 || threads > 64) return Fail("render", "--threads must be 1..64", kExitUsage);
  }
  ConfigureLibraryLogging(args->Has("--verbose"));
  Logger logger(stderr, *format);

  auto tl = timeline::LoadTimelineFile(args->positional[0]);
  if (!tl.ok()) {
    logger.Error(tl.status().message(), {{"command", "render"}});
    return kExitFailure;
  }
  if (args->Has("--ass")) {
    if (!tl->captions) return Fail("render", "--ass: the timeline has no captions");
    auto script = captions::BuildAssScript(*tl->captions, tl->output.width, tl->output.height);
    if (!script.ok()) return Fail("render", script.status().message());
    Status written = WriteFileAtomically(args->Get("--ass"), *script);
    if (!written.ok()) return Fail("render", written.message());
  }
  CancelToken cancel;
  g_cancel = &cancel;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);

  ProgressBar bar;
  render::RenderOptions options;
  options.threads = threads;
  options.cancel = &cancel;
  options.logger = &logger;
  options.progress = [&](double p, const std::string& m) { bar.Update(p, m); };
  auto stats = render::RenderTimeline(*tl, output, options);
  bar.Done();
  g_cancel = nullptr;
  if (!stats.ok()) {
    logger.Error(stats.status().message(), {{"command", "render"}, {"output", output}});
    return kExitFailure;
  }
  char gain[32];
  std::snprintf(gain, sizeof(gain), "%+.1f", stats->loudness_gain_db);
  logger.Info("rendered", {{"output", output},
                           {"frames", std::to_string(stats->frames)},
                           {"duration_s", std::to_string(stats->duration_s)},
                           {"loudness_gain_db", gain},
                           {"bytes", std::to_string(stats->bytes)}});
  return kExitOk;
}

}  // namespace cutroom::cli
