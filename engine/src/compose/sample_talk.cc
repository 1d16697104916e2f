#include "compose/sample_talk.h"

#include <algorithm>
#include <cmath>

#include "media/frame_scaler.h"
#include "media/frames.h"
#include "media/media_writer.h"
#include "media/video_reader.h"

namespace cutroom::compose {
namespace {

constexpr char kDefaultText[] =
    "Did you know that most short videos lose half of their viewers in the first three seconds? "
    "That is why the opening line matters more than anything else. "
    "Start with a question, a number, or a bold claim. "
    "Then deliver the payoff quickly, and keep every sentence short. "
    "Captions help too, because most people watch without sound.";

constexpr double kDriftXPixels = 48.0;  // peak horizontal drift of the face
constexpr double kDriftPeriodS = 9.0;

int Even(double v) { return static_cast<int>(std::lround(v / 2.0)) * 2; }

}  // namespace

double SampleTalk::FaceCenterX(double t_s) const {
  double x = width * 0.62 + kDriftXPixels * std::sin(2 * M_PI * t_s / kDriftPeriodS);
  return Even(x - face_size / 2.0) / static_cast<double>(width) + face_size / 2.0 / width;
}

double SampleTalk::FaceCenterY(double) const { return 0.5; }

Result<SampleTalk> WriteSampleTalk(const std::string& path, const SampleTalkOptions& options) {
  CR_ASSIGN_OR_RETURN(auto face_reader, media::VideoReader::Open(options.face_path, {}));
  CR_ASSIGN_OR_RETURN(VideoFrame face, face_reader->FrameAt(MediaTime()));
  CR_ASSIGN_OR_RETURN(auto tts, speech::CreateFliteSynthesizer(options.voice));
  CR_ASSIGN_OR_RETURN(speech::Speech speech,
                      tts->Synthesize(options.text.empty() ? kDefaultText : options.text));

  SampleTalk talk;
  talk.video_path = path;
  talk.words = speech.words;
  talk.width = options.width;
  talk.height = options.height;
  talk.face_size = Even(options.height * 0.7);
  const int sample_rate = speech.audio.sample_rate;
  const int64_t samples = speech.audio.frames();
  // Half a second of room after the last word.
  const int64_t total_samples = samples + sample_rate / 2;
  talk.duration = MediaTime(total_samples, {1, sample_rate});
  const int64_t frames = talk.duration.Rescale({options.fps.den, options.fps.num}, Rounding::kUp);

  media::VideoEncodeSettings v;
  v.width = options.width;
  v.height = options.height;
  v.fps = options.fps;
  v.crf = 20;
  v.threads = options.threads;
  media::AudioEncodeSettings a{sample_rate, 1, 64000};
  CR_ASSIGN_OR_RETURN(auto writer, media::MediaWriter::Create(path, v, a));
  media::FrameScaler scaler(media::ScaleFilter::kBicubic);
  VideoFrame canvas =
      media::AllocateVideoFrame(PixelFormat::kYuv420p, options.width, options.height);
  const RectF whole{0, 0, static_cast<double>(face.width & ~1),
                    static_cast<double>(face.height & ~1)};
  int64_t audio_pos = 0;
  for (int64_t k = 0; k < frames; ++k) {
    double t = static_cast<double>(k) * options.fps.den / options.fps.num;
    media::FillYuv(canvas, 48, 136, 122);  // dark slate
    int x = Even(talk.FaceCenterX(t) * options.width - talk.face_size / 2.0);
    int y = Even(talk.FaceCenterY(t) * options.height - talk.face_size / 2.0);
    CR_RETURN_IF_ERROR(scaler.Scale(face, whole, canvas, x, y, talk.face_size, talk.face_size));
    CR_RETURN_IF_ERROR(writer->WriteVideo(canvas));
    int64_t target = std::min<int64_t>(
        total_samples,
        MediaTime(k + 1, {options.fps.den, options.fps.num}).Rescale({1, sample_rate}));
    if (target > audio_pos) {
      AudioBuffer chunk;
      chunk.sample_rate = sample_rate;
      chunk.channels.assign(1, std::vector<float>(static_cast<size_t>(target - audio_pos), 0.0f));
      for (int64_t i = audio_pos; i < std::min(target, samples); ++i) {
        chunk.channels[0][static_cast<size_t>(i - audio_pos)] =
            speech.audio.channels[0][static_cast<size_t>(i)];
      }
      CR_RETURN_IF_ERROR(writer->WriteAudio(chunk));
      audio_pos = target;
    }
  }
  CR_RETURN_IF_ERROR(writer->Finish());
  return talk;
}

timeline::Timeline MakeSampleClipTimeline(const SampleTalk& talk,
                                          const std::string& caption_style) {
  timeline::Timeline tl;
  tl.output.width = 1080;
  tl.output.height = 1920;
  tl.output.fps = {30, 1};
  tl.sources.push_back({"talk", talk.video_path});
  timeline::Segment seg;
  seg.source = "talk";
  seg.in = MediaTime();
  // Whole frames of the source only: the clip never asks for time past the last frame.
  seg.out = MediaTime(talk.duration.Rescale({1, 30}, Rounding::kDown), {1, 30});
  seg.layout = timeline::Layout::kFill;
  seg.interpolation = timeline::Interpolation::kSmooth;
  for (int s = 0; s <= static_cast<int>(seg.out.ToSeconds()); ++s) {
    timeline::CropKeyframe kf;
    kf.t = MediaTime(s, {1, 1});
    kf.cx = talk.FaceCenterX(s);
    kf.cy = talk.FaceCenterY(s);
    kf.zoom = 1.0;
    seg.crop.push_back(kf);
  }
  tl.segments.push_back(seg);
  timeline::CaptionTrack captions;
  captions.style = caption_style;
  for (const auto& w : talk.words) {
    if (w.start >= seg.out) break;
    captions.words.push_back({w.text, w.start, std::min(w.end, seg.out)});
  }
  tl.captions = captions;
  return tl;
}

}  // namespace cutroom::compose
