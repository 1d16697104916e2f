// A generated two-person conversation with known ground truth: two real face photos side by
// side, each speaker's turns spoken by its own flite voice, the talking face's mouth opening
// and closing with its speech envelope (the listener's stays still). Several topics, each
// with strong moments (a hook question, numbers, a payoff) and weak ones (fillers, trailing off),
// so clip selection, speaker framing and captions can be tested against known answers.
#pragma once

#include <string>
#include <vector>

#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::compose {

// The silence before every turn and after the last one.
inline constexpr double kTurnPauseS = 0.45;

struct TalkTurn {
  int speaker = 0;  // 0: left face, 1: right face
  std::string text;
  bool strong = false;  // written as a strong clip moment
};

struct TwoPersonTalkOptions {
  std::string left_face_path;   // photo with one face
  std::string right_face_path;  // may be the same photo (it is mirrored and tinted)
  std::vector<std::string> voices = {"slt", "awb"};
  // Empty: the built-in script (about 70 s, 3 topics). Longer: LongConversation (talk_scripts.h).
  std::vector<TalkTurn> turns;
  int width = 1280;
  int height = 720;
  int fps = 30;
};

struct SpokenTurn {
  int speaker = 0;
  MediaTime start, end;  // of the speech, source time
  std::string text;
  bool strong = false;
};

struct TwoPersonTalk {
  std::string video_path;
  MediaTime duration;
  std::vector<SpokenTurn> turns;
  double face_center_x[2] = {0, 0};  // normalised
  double face_center_y = 0.5;
};

Result<TwoPersonTalk> WriteTwoPersonTalk(const std::string& path,
                                         const TwoPersonTalkOptions& options);

// The ground truth as JSON: {"duration_s", "faces": [{"cx","cy"}...], "turns": [{"speaker",
// "start_s", "end_s", "text", "strong"}]}.
std::string TwoPersonTalkToJson(const TwoPersonTalk& talk);

std::vector<TalkTurn> DefaultConversation();

}  // namespace cutroom::compose
