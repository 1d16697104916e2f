#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "compose/sample_talk.h"
#include "compose/talk_scripts.h"
#include "compose/two_person_talk.h"
#include "cutroom/file_util.h"
#include "timeline/timeline_json.h"

namespace cutroom::cli {
namespace {

constexpr char kUsage[] =
    R"(usage: cutroom sample -o DIR [--face PHOTO] [--voice NAME] [--caption-style NAME]
       cutroom sample --conversation -o DIR [--face PHOTO] [--face2 PHOTO] [--minutes M]

Generates a sample talk (a face photo with flite speech of a known text) as DIR/talk.mp4, and a
9:16 captioned Timeline of it as DIR/clip.timeline.json, ready for `cutroom render`.

With --conversation: a two-person conversation of about 70 s over three topics (two
flite voices, mouths moving with the speech) as DIR/conversation.mp4, with the ground truth
(who speaks when, which moments were written strong) in DIR/conversation.truth.json: a source
for `cutroom clip`. With --minutes M, a longer conversation of at least M minutes instead, its
topics taken in order from a built-in bank of about 14 minutes, no sentence spoken twice (so clip
selection finds distinct clips all through it).

  -o, --output DIR      folder to write into (created if missing)
  --face PHOTO          the face photo (default: the bundled astronaut portrait)
  --face2 PHOTO         with --conversation: the right person's photo (default: --face,
                        mirrored and tinted)
  --minutes M           with --conversation: its length in minutes, 1 to 60 (decimals allowed);
                        more than the bank holds (about 14) is an error that names the limit
  --voice NAME          flite voice: slt (default), rms, awb, kal
  --caption-style NAME  highlight_word (default), karaoke, pop_in, bounce, boxed_word, minimal
)";

// --minutes: a number from 1 to 60.
Result<double> ParseMinutes(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || v < 1 || v > 60) {
    return InvalidArgumentError("--minutes must be a number of minutes from 1 to 60, not '" + text +
                                "'");
  }
  return v;
}

}  // namespace

int RunSample(int argc, char** argv) {
  auto args =
      ParseArgs(argc, argv, {"--help", "-h", "--verbose", "--conversation"},
                {"-o", "--output", "--face", "--face2", "--voice", "--caption-style", "--minutes"});
  if (!args.ok()) return Fail("sample", args.status().message(), kExitUsage);
  if (args->Has("--help") || args->Has("-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  std::string dir = args->Get("-o", args->Get("--output"));
  if (dir.empty() || !args->positional.empty())
    return Fail("sample", "expected -o DIR", kExitUsage);
  std::vector<compose::TalkTurn> turns;  // empty: the built-in script
  if (args->Has("--minutes")) {
    if (!args->Has("--conversation"))
      return Fail("sample", "--minutes needs --conversation", kExitUsage);
    auto minutes = ParseMinutes(args->Get("--minutes"));
    if (!minutes.ok()) return Fail("sample", minutes.status().message(), kExitUsage);
    auto long_turns = compose::LongConversation(*minutes);
    if (!long_turns.ok()) return Fail("sample", long_turns.status().message(), kExitUsage);
    turns = std::move(*long_turns);
  }
  ConfigureLibraryLogging(args->Has("--verbose"));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail("sample", "cannot create " + dir + ": " + ec.message());

  const std::string default_face = std::string(CUTROOM_ASSET_DIR) + "/faces/astronaut.jpg";
  if (args->Has("--conversation")) {
    compose::TwoPersonTalkOptions co;
    co.left_face_path = args->Get("--face", default_face);
    co.right_face_path = args->Get("--face2", co.left_face_path);
    co.turns = std::move(turns);
    std::string path = (std::filesystem::path(dir) / "conversation.mp4").string();
    auto talk = compose::WriteTwoPersonTalk(path, co);
    if (!talk.ok()) return Fail("sample", talk.status().message());
    std::string truth = (std::filesystem::path(dir) / "conversation.truth.json").string();
    Status written = WriteFileAtomically(truth, compose::TwoPersonTalkToJson(*talk));
    if (!written.ok()) return Fail("sample", written.message());
    std::printf("wrote %s (%.1f s, %zu turns) and %s\n", path.c_str(), talk->duration.ToSeconds(),
                talk->turns.size(), truth.c_str());
    return kExitOk;
  }
  compose::SampleTalkOptions options;
  options.face_path = args->Get("--face", default_face);
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
  std::printf("wrote %s (%.1f s, %zu words) and %s\n", talk_path.c_str(),
              talk->duration.ToSeconds(), talk->words.size(), timeline_path.c_str());
  return kExitOk;
}

}  // namespace cutroom::cli
