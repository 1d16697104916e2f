#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "media/probe.h"

namespace cutroom::cli {
namespace {

constexpr char kUsage[] = R"(usage: cutroom probe FILE [--json]

Shows what a media file holds: container, duration, and each stream's codec, size, frame rate,
rotation, sample rate and channels.

  --json   print JSON: {"duration_s", "streams": [{"type", "codec", "width", "height", "fps",
           "rotation", "sample_rate", "channels", ...}]}
)";

}  // namespace

int RunProbe(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, {"--json", "--help", "-h"}, {});
  if (!args.ok()) return Fail("probe", args.status().message(), kExitUsage);
  if (args->Has("--help") || args->Has("-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (args->positional.size() != 1) return Fail("probe", "expected one FILE", kExitUsage);
  auto info = media::ProbeFile(args->positional[0]);
  if (!info.ok()) return Fail("probe", info.status().message());
  if (args->Has("--json")) {
    std::printf("%s\n", media::MediaInfoToJson(*info).c_str());
    return kExitOk;
  }
  std::printf("%s: %s, %.3f s\n", info->path.c_str(), info->container.c_str(),
              info->duration.ToSeconds());
  for (const auto& s : info->streams) {
    if (s.type == StreamType::kVideo) {
      std::printf("  #%d video %s %dx%d %.3f fps%s rotation %d, %s\n", s.index, s.codec.c_str(),
                  s.width, s.height, s.fps.den ? s.fps.ToDouble() : 0.0,
                  s.variable_frame_rate ? " (variable)" : "", s.rotation_deg,
                  s.pixel_format.c_str());
    } else if (s.type == StreamType::kAudio) {
      std::printf("  #%d audio %s %d Hz, %d channels\n", s.index, s.codec.c_str(), s.sample_rate,
                  s.channels);
    } else {
      std::printf("  #%d %s %s\n", s.index, s.type == StreamType::kSubtitle ? "subtitle" : "data",
                  s.codec.c_str());
    }
  }
  return kExitOk;
}

}  // namespace cutroom::cli
