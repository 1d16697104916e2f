#include "render/timeline_audio.h"

#include <algorithm>

#include "media/audio_reader.h"
#include "render/audio_dsp.h"
#include "render/audio_track_mixer.h"

namespace cutroom::render {

std::vector<int64_t> SegmentBoundaries(const timeline::Timeline& timeline, Rational unit) {
  std::vector<int64_t> out;
  MediaTime t;
  out.push_back(0);
  for (const auto& seg : timeline.segments) {
    t = t + seg.duration();
    out.push_back(t.Rescale(unit, Rounding::kNearest));
  }
  return out;
}

bool Contiguous(const timeline::Segment& a, const timeline::Segment& b) {
  return a.source == b.source && a.out == b.in && a.mute == b.mute;
}

struct TimelineAudio::Impl {
  const timeline::Timeline* timeline = nullptr;
  Options options;
  std::vector<int64_t> bounds;
  std::map<std::string, std::unique_ptr<media::AudioReader>> readers;  // by source id
  size_t segment = 0;
  int64_t position = 0;  // output sample index of the next sample before the limiter
  bool segment_started = false;
  bool flushed = false;
  std::unique_ptr<AudioTrackMixer> tracks;  // null when the timeline has no audio tracks
  std::unique_ptr<TruePeakLimiter> limiter;
};

TimelineAudio::TimelineAudio() : impl_(std::make_unique<Impl>()) {}
TimelineAudio::~TimelineAudio() = default;

int64_t TimelineAudio::total_samples() const { return impl_->bounds.back(); }

Result<std::unique_ptr<TimelineAudio>> TimelineAudio::Create(const timeline::Timeline& timeline,
                                                             const Options& options) {
  std::unique_ptr<TimelineAudio> audio(new TimelineAudio());
  Impl& d = *audio->impl_;
  d.timeline = &timeline;
  d.options = options;
  d.bounds = SegmentBoundaries(timeline, {1, options.sample_rate});
  if (!timeline.audio.tracks.empty()) {
    AudioTrackMixer::Options mo;
    mo.sample_rate = options.sample_rate;
    mo.channels = options.channels;
    mo.total_samples = d.bounds.back();
    mo.cancel = options.cancel;
    CR_ASSIGN_OR_RETURN(d.tracks, AudioTrackMixer::Create(timeline, mo));
  }
  if (options.limit_true_peak) {
    d.limiter = std::make_unique<TruePeakLimiter>(options.channels, options.sample_rate,
                                                  options.ceiling_dbtp);
  }
  return audio;
}

Result<AudioBuffer> TimelineAudio::Read(int64_t max_frames) {
  Impl& d = *impl_;
  AudioBuffer out;
  out.sample_rate = d.options.sample_rate;
  out.channels.assign(static_cast<size_t>(d.options.channels), {});
  out.pts = MediaTime(d.position, {1, d.options.sample_rate});
  const int64_t fade =
      static_cast<int64_t>(d.timeline->audio.fade_ms * d.options.sample_rate / 1000.0);

  while (out.frames() < max_frames && d.segment < d.timeline->segments.size()) {
    const timeline::Segment& seg = d.timeline->segments[d.segment];
    const int64_t seg_start = d.bounds[d.segment];
    const int64_t seg_len = d.bounds[d.segment + 1] - seg_start;
    const int64_t offset = d.position - seg_start;
    if (offset >= seg_len) {
      ++d.segment;
      d.segment_started = false;
      continue;
    }
    const int64_t want = std::min(max_frames - out.frames(), seg_len - offset);
    AudioBuffer chunk;
    if (seg.mute) {
      chunk.sample_rate = d.options.sample_rate;
      chunk.channels.assign(out.channels.size(),
                            std::vector<float>(static_cast<size_t>(want), 0.0f));
    } else {
      const timeline::Source* src = d.timeline->FindSource(seg.source);
      if (src == nullptr) return InvalidArgumentError("unknown source '" + seg.source + "'");
      auto& reader = d.readers[seg.source];
      if (!reader) {
        media::AudioReaderOptions ro;
        ro.sample_rate = d.options.sample_rate;
        ro.channels = d.options.channels;
        ro.cancel = d.options.cancel;
        CR_ASSIGN_OR_RETURN(reader, media::AudioReader::Open(src->path, ro));
      }
      const bool continues = d.segment > 0 && Contiguous(d.timeline->segments[d.segment - 1], seg);
      if (!d.segment_started && !continues) CR_RETURN_IF_ERROR(reader->Seek(seg.in));
      CR_ASSIGN_OR_RETURN(chunk, reader->Read(want));
      // A source whose audio ends early: pad with silence to keep sync.
      for (auto& c : chunk.channels) c.resize(static_cast<size_t>(want), 0.0f);
    }
    d.segment_started = true;
    ApplyGainDb(chunk, seg.gain_db);
    // Fades only where the audio really cuts: a new framing of continuous source audio (the
    // next segment picks up exactly where this one ends) must play through untouched.
    const bool joined_before =
        d.segment > 0 && Contiguous(d.timeline->segments[d.segment - 1], seg);
    const bool joined_after = d.segment + 1 < d.timeline->segments.size() &&
                              Contiguous(seg, d.timeline->segments[d.segment + 1]);
    const int64_t edge_fade = std::min(fade, seg_len / 2);
    ApplyEdgeFades(chunk, offset, seg_len, joined_before ? 0 : edge_fade,
                   joined_after ? 0 : edge_fade);
    for (size_t c = 0; c < out.channels.size(); ++c) {
      out.channels[c].insert(out.channels[c].end(), chunk.channels[c].begin(),
                             chunk.channels[c].end());
    }
    d.position += want;
  }
  // The tracks mix over the cut segments; loudness normalisation applies to the whole mix.
  if (d.tracks) CR_RETURN_IF_ERROR(d.tracks->MixInto(out));
  ApplyGainDb(out, d.options.extra_gain_db);
  if (!d.limiter) return out;
  if (out.frames() > 0) return d.limiter->Process(out);
  if (d.flushed) return out;
  d.flushed = true;
  return d.limiter->Flush();
}

}  // namespace cutroom::render
