#include "analysis/audio/loudness_meter.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace cutroom::analysis {
namespace {

struct Ebur128Deleter {
  void operator()(ebur128_state* state) const { ebur128_destroy(&state); }
};
using Ebur128Ptr = std::unique_ptr<ebur128_state, Ebur128Deleter>;

// Frames interleaved per ebur128_add_frames_float call. Bounds the scratch buffer so that a long
// AudioBuffer does not grow it; libebur128 keeps no reference to the data between calls.
constexpr int64_t kChunkFrames = 4096;

constexpr double kNegativeInfinity = -std::numeric_limits<double>::infinity();

double LoudnessOrNegInf(int rc, double value) {
  return rc == EBUR128_SUCCESS ? value : kNegativeInfinity;
}

}  // namespace

struct LoudnessMeter::Impl {
  Ebur128Ptr state;
  int channels = 0;
  int sample_rate = 0;
  std::vector<float> interleaved;  // scratch, kChunkFrames * channels, sized once
};

Result<std::unique_ptr<LoudnessMeter>> LoudnessMeter::Create(int channels, int sample_rate,
                                                             unsigned modes) {
  // libebur128's default channel map weights at most 5.1 and ignores further channels; 7.1 is
  // the widest layout we accept, so a corrupt count fails here instead of measuring nonsense.
  if (channels < 1 || channels > 8) {
    return InvalidArgumentError("loudness meter: bad channel count " + std::to_string(channels));
  }
  if (sample_rate < 8000 || sample_rate > 384000) {
    return InvalidArgumentError("loudness meter: bad sample rate " + std::to_string(sample_rate));
  }
  int ebu_mode = 0;
  if (modes & static_cast<unsigned>(LoudnessModes::kIntegrated)) {
    ebu_mode |= EBUR128_MODE_I | EBUR128_MODE_LRA;
  }
  if (modes & static_cast<unsigned>(LoudnessModes::kMomentary)) {
    ebu_mode |= EBUR128_MODE_M | EBUR128_MODE_S;
  }
  if (modes & static_cast<unsigned>(LoudnessModes::kTruePeak)) {
    ebu_mode |= EBUR128_MODE_TRUE_PEAK;
  }
  Ebur128Ptr state(ebur128_init(static_cast<unsigned>(channels),
                                static_cast<unsigned long>(sample_rate), ebu_mode));
  if (state == nullptr) return InternalError("loudness meter: ebur128_init failed");

  std::unique_ptr<LoudnessMeter> meter(new LoudnessMeter());
  meter->impl_ = std::make_unique<Impl>();
  meter->impl_->state = std::move(state);
  meter->impl_->channels = channels;
  meter->impl_->sample_rate = sample_rate;
  meter->impl_->interleaved.resize(static_cast<size_t>(kChunkFrames * channels));
  return meter;
}

LoudnessMeter::~LoudnessMeter() = default;

Status LoudnessMeter::Add(const AudioBuffer& buffer) {
  Impl& impl = *impl_;
  if (buffer.channel_count() != impl.channels) {
    return InvalidArgumentError("loudness meter: buffer has " +
                                std::to_string(buffer.channel_count()) + " channels, expected " +
                                std::to_string(impl.channels));
  }
  if (buffer.sample_rate != impl.sample_rate) {
    return InvalidArgumentError("loudness meter: buffer rate " +
                                std::to_string(buffer.sample_rate) + " Hz, expected " +
                                std::to_string(impl.sample_rate));
  }
  const int64_t frames = buffer.frames();
  for (const auto& channel : buffer.channels) {
    if (static_cast<int64_t>(channel.size()) != frames) {
      return InvalidArgumentError("loudness meter: channels have different lengths");
    }
  }
  const int channels = impl.channels;
  for (int64_t start = 0; start < frames; start += kChunkFrames) {
    const int64_t count = std::min(kChunkFrames, frames - start);
    for (int c = 0; c < channels; ++c) {
      const float* src = buffer.channels[static_cast<size_t>(c)].data() + start;
      float* dst = impl.interleaved.data() + c;
      for (int64_t i = 0; i < count; ++i) dst[i * channels] = src[i];
    }
    const int rc = ebur128_add_frames_float(impl.state.get(), impl.interleaved.data(),
                                            static_cast<size_t>(count));
    if (rc != EBUR128_SUCCESS) {
      return InternalError("loudness meter: ebur128_add_frames_float failed (" +
                           std::to_string(rc) + ")");
    }
  }
  return Status::Ok();
}

double LoudnessMeter::IntegratedLufs() const {
  double value = kNegativeInfinity;
  const int rc = ebur128_loudness_global(impl_->state.get(), &value);
  return LoudnessOrNegInf(rc, value);
}

double LoudnessMeter::MomentaryLufs() const {
  double value = kNegativeInfinity;
  const int rc = ebur128_loudness_momentary(impl_->state.get(), &value);
  return LoudnessOrNegInf(rc, value);
}

double LoudnessMeter::ShortTermLufs() const {
  double value = kNegativeInfinity;
  const int rc = ebur128_loudness_shortterm(impl_->state.get(), &value);
  return LoudnessOrNegInf(rc, value);
}

double LoudnessMeter::TruePeakDb() const {
  double peak = 0.0;
  for (int c = 0; c < impl_->channels; ++c) {
    double channel_peak = 0.0;
    if (ebur128_true_peak(impl_->state.get(), static_cast<unsigned>(c), &channel_peak) !=
        EBUR128_SUCCESS) {
      return kNegativeInfinity;
    }
    peak = std::max(peak, channel_peak);
  }
  return peak > 0.0 ? 20.0 * std::log10(peak) : kNegativeInfinity;
}

}  // namespace cutroom::analysis
