#include "render/audio_track_mixer.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "media/audio_reader.h"
#include "render/audio_dsp.h"

namespace cutroom::render {
namespace {

int64_t MsToSamples(double ms, int sample_rate) {
  return static_cast<int64_t>(std::llround(ms * sample_rate / 1000.0));
}

// One track's playback: output samples [start, end), each pass of the source range `length`
// samples long.
struct TrackState {
  const timeline::AudioTrack* track = nullptr;
  std::unique_ptr<media::AudioReader> reader;
  int64_t start = 0;
  int64_t end = 0;
  int64_t length = 0;
  int64_t fade_in = 0;
  int64_t fade_out = 0;
  int64_t seam_fade = 0;              // at loop seams, so a non-seamless loop does not click
  std::optional<int64_t> next_local;  // the local sample the reader stands at
};

AudioBuffer Silence(int channels, int sample_rate, int64_t frames) {
  AudioBuffer buffer;
  buffer.sample_rate = sample_rate;
  buffer.channels.assign(static_cast<size_t>(channels),
                         std::vector<float>(static_cast<size_t>(frames), 0.0f));
  return buffer;
}

void AddInto(AudioBuffer& mix, const AudioBuffer& add, int64_t at) {
  for (size_t c = 0; c < mix.channels.size(); ++c) {
    const auto& src = add.channels[c];
    auto& dst = mix.channels[c];
    for (size_t i = 0; i < src.size(); ++i) dst[static_cast<size_t>(at) + i] += src[i];
  }
}

}  // namespace

struct AudioTrackMixer::Impl {
  Options options;
  std::vector<TrackState> tracks;
  std::optional<DuckingEnvelope> ducking;  // only when a voice track and a ducked track exist
  int64_t position = 0;

  // The track's samples for output [position, position + frames), silence outside its span.
  Result<AudioBuffer> Render(TrackState& state, int64_t frames);
};

AudioTrackMixer::AudioTrackMixer() : impl_(std::make_unique<Impl>()) {}
AudioTrackMixer::~AudioTrackMixer() = default;

Result<std::unique_ptr<AudioTrackMixer>> AudioTrackMixer::Create(const timeline::Timeline& timeline,
                                                                 const Options& options) {
  std::unique_ptr<AudioTrackMixer> mixer(new AudioTrackMixer());
  Impl& d = *mixer->impl_;
  d.options = options;
  const int rate = options.sample_rate;
  bool has_voice = false, has_ducked = false;
  for (size_t i = 0; i < timeline.audio.tracks.size(); ++i) {
    const timeline::AudioTrack& track = timeline.audio.tracks[i];
    const timeline::Source* source = timeline.FindSource(track.source);
    if (source == nullptr) {
      return InvalidArgumentError("audio.tracks[" + std::to_string(i) + "].source: unknown '" +
                                  track.source + "'");
    }
    TrackState state;
    state.track = &track;
    state.start = track.at.Rescale({1, rate}, Rounding::kNearest);
    state.length = track.duration().Rescale({1, rate}, Rounding::kNearest);
    if (state.length <= 0 || state.start >= options.total_samples) continue;
    state.end = track.loop ? options.total_samples
                           : std::min(options.total_samples, state.start + state.length);
    const int64_t cut_fade = MsToSamples(timeline.audio.fade_ms, rate);
    state.fade_in = std::max(cut_fade, MsToSamples(track.fade_in_ms, rate));
    state.fade_out = std::max(cut_fade, MsToSamples(track.fade_out_ms, rate));
    state.seam_fade = track.loop ? cut_fade : 0;
    media::AudioReaderOptions ro;
    ro.sample_rate = rate;
    ro.channels = options.channels;
    ro.cancel = options.cancel;
    auto reader = media::AudioReader::Open(source->path, ro);
    if (!reader.ok()) {
      return reader.status().WithContext("audio.tracks[" + std::to_string(i) + "]");
    }
    state.reader = std::move(reader).value();
    has_voice |= track.role == timeline::AudioRole::kVoice;
    has_ducked |= track.role != timeline::AudioRole::kVoice && track.duck_db < 0.0;
    d.tracks.push_back(std::move(state));
  }
  if (has_voice && has_ducked) d.ducking.emplace(rate);
  return mixer;
}

Result<AudioBuffer> AudioTrackMixer::Impl::Render(TrackState& state, int64_t frames) {
  AudioBuffer out = Silence(options.channels, options.sample_rate, frames);
  int64_t x = std::max(position, state.start);
  const int64_t stop = std::min(position + frames, state.end);
  while (x < stop) {
    if (options.cancel != nullptr && options.cancel->IsCancelled()) {
      return CancelledError("mixing audio tracks was cancelled");
    }
    const int64_t local = x - state.start;
    const int64_t pass = local / state.length;
    const int64_t in_pass = local % state.length;
    const int64_t want = std::min(stop - x, state.length - in_pass);
    if (!state.next_local || *state.next_local != local || in_pass == 0) {
      CR_RETURN_IF_ERROR(
          state.reader->Seek(state.track->in + MediaTime(in_pass, {1, options.sample_rate})));
    }
    AudioBuffer chunk = Silence(options.channels, options.sample_rate, 0);
    while (chunk.frames() < want) {
      CR_ASSIGN_OR_RETURN(AudioBuffer part, state.reader->Read(want - chunk.frames()));
      if (part.frames() == 0) break;
      for (size_t c = 0; c < chunk.channels.size(); ++c) {
        chunk.channels[c].insert(chunk.channels[c].end(), part.channels[c].begin(),
                                 part.channels[c].end());
      }
    }
    // A source shorter than the range: silence for the rest, as for segments.
    for (auto& c : chunk.channels) c.resize(static_cast<size_t>(want), 0.0f);
    state.next_local = local + want;
    if (state.seam_fade > 0) {
      ApplyEdgeFades(chunk, in_pass, state.length, pass > 0 ? state.seam_fade : 0, state.seam_fade);
    }
    ApplyEdgeFades(chunk, local, state.end - state.start, state.fade_in, state.fade_out);
    ApplyGainDb(chunk, state.track->gain_db);
    AddInto(out, chunk, x - position);
    x += want;
  }
  return out;
}

Status AudioTrackMixer::MixInto(AudioBuffer& mix) {
  Impl& d = *impl_;
  const int64_t frames = mix.frames();
  if (frames == 0) return Status::Ok();
  AudioBuffer voice = Silence(d.options.channels, d.options.sample_rate, frames);
  for (TrackState& state : d.tracks) {
    if (state.track->role != timeline::AudioRole::kVoice) continue;
    CR_ASSIGN_OR_RETURN(AudioBuffer samples, d.Render(state, frames));
    AddInto(voice, samples, 0);
  }
  AddInto(mix, voice, 0);
  std::vector<float> duck;
  if (d.ducking) duck = d.ducking->Process(voice);
  for (TrackState& state : d.tracks) {
    if (state.track->role == timeline::AudioRole::kVoice) continue;
    CR_ASSIGN_OR_RETURN(AudioBuffer samples, d.Render(state, frames));
    if (d.ducking && state.track->duck_db < 0.0) {
      std::vector<float> gain(duck.size());
      for (size_t i = 0; i < gain.size(); ++i) {
        gain[i] = static_cast<float>(std::pow(10.0, state.track->duck_db * duck[i] / 20.0));
      }
      for (auto& channel : samples.channels) {
        for (size_t i = 0; i < channel.size(); ++i) channel[i] *= gain[i];
      }
    }
    AddInto(mix, samples, 0);
  }
  d.position += frames;
  return Status::Ok();
}

}  // namespace cutroom::render
