#include <cstdio>
#include <filesystem>

#include "cli_common.h"
#include "commands.h"
#include "compose/sample_talk.h"
#include "cutroom/file_util.h"
#include "timeline/timeline_json.h"

namespace cutroom::cli {
namespace {

constexpr char kUsage[] = R"(usage: cutroom sample -o DIR [--face PHOTO] [--voice NAME] [--caption-style NAME]

Generates a sample talk (a face photo with flite speech of a known text) as DIR/talk.mp4, and a
9:16 captioned Timeline of it as DIR/clip.timeline.json, ready for `cutroom render`.

  -o, --output DIR      folder to write into (created if missing)
  --face PHOTO          the face photo (default: the bundled astronaut portrait)
  --voice NAME          flite voice: slt (default), rms, awb, kal
  --caption-style NAME  highlight_word (default), karaoke, pop_in, bounce, boxed_word, minimal
)";

}  // namespace

int RunSample(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, {"--help", "-h", "--verbose"},
                        {"-o", "--output", "--face", "--voice", "--caption-style"});
  if (!args.ok()) return Fail("sample", args.status().message(), kExitUsage);
  if (args->Has("--help") || args->Has("-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  std::string dir = args->Get("-o", args->Get("--output"));
  if (dir.empty() || !args->positional.empty()) return Fail("sample", "expected -o DIR", kExitUsage);
  ConfigureLibraryLogging(args->Has("--verbose"));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail("sample", "cannot create " + dir + ": " + ec.message());

  compose::SampleTalkOptions options;
  options.face_path = args->Get("--face", std::string(CUTROOM_ASSET_DIR) + "/faces/astronaut.jpg");
  options.voice = args->Get("--voice", "slt");
  std::string talk_path = (std::filesystem::path(dir) / "talk.mp4").string();
  auto talk = compose::WriteSampleTalk(talk_path, options);
  if (!talk.ok()) return Fail("sample", talk.status().message());

  timeline::Timeline tl =
      compose::MakeSampleClipTimeline(*talk, args->Get("--caption-style", "highlight_word"));
  tl.sources[0].path = "talk.mp4";  // relative to the timeline file: the folder can move
  std::string timeline_path = (std::filesystem::path(dir) / "clip.timeline.json").string();
  Status written = WriteFileAtomically(timeline_path, timeline::TimelineToJson(tl));
  if (!written.ok()) return Fail("sample", written.message());
  std::printf("wrote %s (%.1f s, %zu words) and %s\n", talk_path.c_str(), talk->duration.ToSeconds(),
              talk->words.size(), timeline_path.c_str());
  return kExitOk;
}

}  // namespace cutroom::cli
