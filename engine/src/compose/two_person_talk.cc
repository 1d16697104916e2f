#include "compose/two_person_talk.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "analysis/faces/face_detector.h"
#include "media/frame_scaler.h"
#include "media/frames.h"
#include "media/media_writer.h"
#include "media/video_reader.h"
#include "speech/speech_synthesizer.h"

namespace cutroom::compose {
namespace {

int Even(double v) { return static_cast<int>(std::lround(v / 2.0)) * 2; }

// The mouth of a face picture, from its landmarks, in the picture's pixels.
struct Mouth {
  int y = 0, x0 = 0, x1 = 0, chin = 0;
  double width = 0;
};

struct FacePicture {
  VideoFrame frame;  // yuv420p, face_size square
  Mouth mouth;
  int x = 0, y = 0;  // position on the canvas
};

Result<FacePicture> LoadFace(const std::string& path, int size, bool mirror,
                             analysis::FaceDetector& detector) {
  CR_ASSIGN_OR_RETURN(auto reader, media::VideoReader::Open(path, {}));
  CR_ASSIGN_OR_RETURN(VideoFrame photo, reader->FrameAt(MediaTime()));
  FacePicture face;
  face.frame = media::AllocateVideoFrame(PixelFormat::kYuv420p, size, size);
  media::FrameScaler scaler(media::ScaleFilter::kBicubic);
  // A square around the face (head and shoulders), so the face is large in the frame.
  analysis::Plane8 photo_luma;
  photo_luma.width = photo.width;
  photo_luma.height = photo.height;
  for (int y = 0; y < photo.height; ++y) {
    photo_luma.pixels.insert(photo_luma.pixels.end(), photo.data[0] + y * photo.linesize[0],
                             photo.data[0] + y * photo.linesize[0] + photo.width);
  }
  CR_ASSIGN_OR_RETURN(auto in_photo, detector.Detect(photo_luma, analysis::Upsample::kNone));
  if (in_photo.empty()) return InvalidArgumentError(path + ": no face found in the photo");
  const RectF& fb = in_photo[0].box;
  int side = std::min({static_cast<int>(fb.w * 2.6), photo.width, photo.height}) & ~1;
  double sx =
      std::clamp(fb.x + fb.w / 2 - side / 2.0, 0.0, static_cast<double>(photo.width - side));
  double sy =
      std::clamp(fb.y + fb.h * 0.6 - side / 2.0, 0.0, static_cast<double>(photo.height - side));
  RectF square{static_cast<double>(static_cast<int>(sx) & ~1),
               static_cast<double>(static_cast<int>(sy) & ~1), static_cast<double>(side),
               static_cast<double>(side)};
  CR_RETURN_IF_ERROR(scaler.Scale(photo, square, face.frame, 0, 0, size, size));
  if (mirror) {
    for (int p = 0; p < 3; ++p) {
      int w = p == 0 ? size : size / 2, h = p == 0 ? size : size / 2;
      for (int y = 0; y < h; ++y)
        std::reverse(face.frame.data[p] + y * face.frame.linesize[p],
                     face.frame.data[p] + y * face.frame.linesize[p] + w);
    }
    // A cooler tint tells the two people apart at a glance.
    for (int y = 0; y < size / 2; ++y) {
      for (int x = 0; x < size / 2; ++x) {
        uint8_t& u = face.frame.data[1][y * face.frame.linesize[1] + x];
        u = static_cast<uint8_t>(std::min(240, u + 10));
      }
    }
  }
  analysis::Plane8 luma;
  luma.width = luma.height = size;
  for (int y = 0; y < size; ++y) {
    luma.pixels.insert(luma.pixels.end(), face.frame.data[0] + y * face.frame.linesize[0],
                       face.frame.data[0] + y * face.frame.linesize[0] + size);
  }
  CR_ASSIGN_OR_RETURN(auto found, detector.Detect(luma, analysis::Upsample::kNone));
  if (found.empty() || !found[0].has_landmarks) {
    return InvalidArgumentError(path + ": no face found in the photo");
  }
  const auto& lm = found[0].landmarks;
  face.mouth.y = static_cast<int>(std::lround((lm[62].y + lm[66].y) / 2));
  face.mouth.x0 = static_cast<int>(lm[48].x) - 4;
  face.mouth.x1 = static_cast<int>(lm[54].x) + 4;
  face.mouth.chin = std::min(size - 1, static_cast<int>(lm[8].y) + 6);
  face.mouth.width = lm[54].x - lm[48].x;
  return face;
}

// Copies the face onto the canvas with its jaw lowered by `open` pixels (a dark open mouth).
void DrawFace(const FacePicture& f, int open, VideoFrame& canvas) {
  const int size = f.frame.width;
  for (int p = 0; p < 3; ++p) {
    const int div = p == 0 ? 1 : 2;
    const int n = size / div;
    const int my = f.mouth.y / div, chin = f.mouth.chin / div, x0 = f.mouth.x0 / div,
              x1 = f.mouth.x1 / div, o = open / div;
    for (int y = 0; y < n; ++y) {
      uint8_t* dst = canvas.data[p] + (f.y / div + y) * canvas.linesize[p] + f.x / div;
      std::memcpy(dst, f.frame.data[p] + y * f.frame.linesize[p], static_cast<size_t>(n));
      if (o <= 0 || y < my || y > chin) continue;
      // The open mouth is an ellipse across the lips; the jaw below moves down by `o`.
      const double r = o > 0 ? (y - my + 0.5) / o * 2.0 - 1.0 : 1.0;
      const double half = (x1 - x0) / 2.0 * std::sqrt(std::max(0.0, 1.0 - r * r));
      const double mid = (x0 + x1) / 2.0;
      for (int x = std::max(0, x0); x <= std::min(n - 1, x1); ++x) {
        if (y < my + o) {
          if (std::fabs(x - mid) <= half) dst[x] = p == 0 ? 30 : 128;
        } else {
          dst[x] = f.frame.data[p][(y - o) * f.frame.linesize[p] + x];
        }
      }
    }
  }
}

}  // namespace

std::vector<TalkTurn> DefaultConversation() {
  return {
      {0, "Why do most new companies fail in their very first year?", true},
      {1,
       "Here is the surprising answer. Nine out of ten founders run out of money because they "
       "build for six months before talking to a single customer. Talk to ten customers first, "
       "and you will save half a year.",
       true},
      {0, "Um, yeah, I mean, that is, uh, kind of interesting, I guess, and so on.", false},
      {1, "So, anyway, there were some other things too, and, well, you know.", false},
      {0, "What is the one habit that changed your sleep?", true},
      {1,
       "I stopped looking at screens one hour before bed. Within two weeks I was falling asleep "
       "twenty minutes faster, and my mornings felt completely different.",
       true},
      {0, "And, uh, that was, like, sort of the thing, basically.", false},
      {1, "Right, right. And then, um, we kind of moved on to other stuff after that.", false},
      {0, "How far away is the nearest star, really?", true},
      {1,
       "The nearest star after the sun is about four light years away. Even our fastest probe "
       "would need more than seventy thousand years to get there. Space is mostly empty.",
       true},
      {0, "Hmm. Okay. Well. Let me think about that for a moment.", false},
      {1, "Yeah, uh, so, I mean, whatever, you know how it is.", false},
  };
}

Result<TwoPersonTalk> WriteTwoPersonTalk(const std::string& path, const TwoPersonTalkOptions& o) {
  if (o.voices.size() != 2) return InvalidArgumentError("two voices are needed");
  std::vector<TalkTurn> turns = o.turns.empty() ? DefaultConversation() : o.turns;
  CR_ASSIGN_OR_RETURN(auto landmarks,
                      analysis::LandmarkModel::Load(analysis::kDefaultLandmarkModel));
  CR_ASSIGN_OR_RETURN(auto detector, analysis::FaceDetector::Create(landmarks));
  const int face_size = Even(o.height * 0.55);
  FacePicture faces[2];
  CR_ASSIGN_OR_RETURN(faces[0], LoadFace(o.left_face_path, face_size, false, *detector));
  CR_ASSIGN_OR_RETURN(faces[1], LoadFace(o.right_face_path, face_size, true, *detector));
  faces[0].x = Even(o.width * 0.25 - face_size / 2.0);
  faces[1].x = Even(o.width * 0.75 - face_size / 2.0);
  faces[0].y = faces[1].y = Even((o.height - face_size) / 2.0);

  // Speech: every turn in its speaker's voice, with a pause between turns.
  std::unique_ptr<speech::SpeechSynthesizer> voices[2];
  for (int s = 0; s < 2; ++s) {
    CR_ASSIGN_OR_RETURN(voices[s],
                        speech::CreateFliteSynthesizer(o.voices[static_cast<size_t>(s)]));
  }
  TwoPersonTalk talk;
  talk.video_path = path;
  std::vector<float> audio;
  int rate = 0;
  for (const TalkTurn& turn : turns) {
    CR_ASSIGN_OR_RETURN(speech::Speech sp, voices[turn.speaker]->Synthesize(turn.text));
    if (rate == 0) rate = sp.audio.sample_rate;
    if (sp.audio.sample_rate != rate) return InternalError("voices differ in sample rate");
    audio.insert(audio.end(), static_cast<size_t>(kTurnPauseS * rate), 0.0f);
    const int64_t at = static_cast<int64_t>(audio.size());
    audio.insert(audio.end(), sp.audio.channels[0].begin(), sp.audio.channels[0].end());
    MediaTime offset(at, {1, rate});
    talk.turns.push_back({turn.speaker, offset + sp.words.front().start,
                          offset + sp.words.back().end, turn.text, turn.strong});
  }
  audio.insert(audio.end(), static_cast<size_t>(kTurnPauseS * rate), 0.0f);
  talk.duration = MediaTime(static_cast<int64_t>(audio.size()), {1, rate});
  talk.face_center_x[0] = (faces[0].x + face_size / 2.0) / o.width;
  talk.face_center_x[1] = (faces[1].x + face_size / 2.0) / o.width;

  media::VideoEncodeSettings v;
  v.width = o.width;
  v.height = o.height;
  v.fps = {o.fps, 1};
  v.crf = 20;
  CR_ASSIGN_OR_RETURN(
      auto writer, media::MediaWriter::Create(path, v, media::AudioEncodeSettings{rate, 1, 64000}));
  VideoFrame canvas = media::AllocateVideoFrame(PixelFormat::kYuv420p, o.width, o.height);
  const int64_t frames = talk.duration.Rescale({1, o.fps}, Rounding::kDown);
  int64_t audio_pos = 0;
  for (int64_t k = 0; k < frames; ++k) {
    const double t = static_cast<double>(k) / o.fps;
    media::FillYuv(canvas, 52, 134, 124);
    int talker = -1;
    for (const SpokenTurn& turn : talk.turns) {
      if (t >= turn.start.ToSeconds() && t < turn.end.ToSeconds()) talker = turn.speaker;
    }
    // Mouth opening follows the speech envelope (RMS over +-25 ms).
    double sum = 0;
    int n = 0;
    for (int64_t i = static_cast<int64_t>((t - 0.025) * rate);
         i < static_cast<int64_t>((t + 0.025) * rate); ++i) {
      if (i >= 0 && i < static_cast<int64_t>(audio.size())) {
        sum += audio[static_cast<size_t>(i)] * audio[static_cast<size_t>(i)];
        ++n;
      }
    }
    const double rms = n > 0 ? std::sqrt(sum / n) : 0.0;
    for (int s = 0; s < 2; ++s) {
      int open = 0;
      if (s == talker)
        open = static_cast<int>(0.35 * faces[s].mouth.width * std::min(1.0, rms / 0.12));
      DrawFace(faces[s], open & ~1, canvas);
    }
    CR_RETURN_IF_ERROR(writer->WriteVideo(canvas));
    int64_t target = std::min<int64_t>(static_cast<int64_t>(audio.size()),
                                       MediaTime(k + 1, {1, o.fps}).Rescale({1, rate}));
    if (target > audio_pos) {
      AudioBuffer chunk;
      chunk.sample_rate = rate;
      chunk.channels.assign(1,
                            std::vector<float>(audio.begin() + audio_pos, audio.begin() + target));
      CR_RETURN_IF_ERROR(writer->WriteAudio(chunk));
      audio_pos = target;
    }
  }
  CR_RETURN_IF_ERROR(writer->Finish());
  talk.duration = MediaTime(frames, {1, o.fps});
  return talk;
}

std::string TwoPersonTalkToJson(const TwoPersonTalk& talk) {
  nlohmann::ordered_json j;
  j["duration_s"] = talk.duration.ToSeconds();
  j["faces"] = {{{"cx", talk.face_center_x[0]}, {"cy", talk.face_center_y}},
                {{"cx", talk.face_center_x[1]}, {"cy", talk.face_center_y}}};
  nlohmann::ordered_json turns = nlohmann::ordered_json::array();
  for (const auto& t : talk.turns) {
    turns.push_back({{"speaker", t.speaker},
                     {"start_s", t.start.ToSeconds()},
                     {"end_s", t.end.ToSeconds()},
                     {"text", t.text},
                     {"strong", t.strong}});
  }
  j["turns"] = std::move(turns);
  return j.dump(2) + "\n";
}

}  // namespace cutroom::compose
