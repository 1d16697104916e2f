// The built-in recognizer: silence-split chunks decoded in parallel with pooled pocketsphinx
// decoders, word frames mapped back to source time.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <utility>

#include "media/audio_reader.h"
#include "media/probe.h"
#include "speech/speech_recognizer.h"

namespace cutroom::speech {
namespace {

constexpr int64_t kSamplesPerFrame = kDecoderSampleRate / kFramesPerSecond;
constexpr double kMinTargetChunkS = 4.0;

// Decoders are expensive to create (they load the models), so finished chunks hand theirs back.
class DecoderPool {
 public:
  explicit DecoderPool(PocketsphinxModel model) : model_(std::move(model)) {}

  Result<std::unique_ptr<PocketsphinxDecoder>> Take() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        std::unique_ptr<PocketsphinxDecoder> decoder = std::move(free_.back());
        free_.pop_back();
        return decoder;
      }
    }
    return PocketsphinxDecoder::Create(model_, DecoderMode::kRecognize);
  }
  void Give(std::unique_ptr<PocketsphinxDecoder> decoder) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(decoder));
  }

 private:
  const PocketsphinxModel model_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PocketsphinxDecoder>> free_;  // guarded by mu_
};

// Counts finished tasks; Wait() returns when all have reported.
class Completion {
 public:
  explicit Completion(size_t count) : remaining_(count) {}
  void Done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--remaining_ == 0) cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return remaining_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t remaining_;  // guarded by mu_
};

struct ChunkResult {
  std::optional<Status> error;
  std::vector<DecodedWord> words;
};

class BuiltinRecognizer final : public SpeechRecognizer {
 public:
  BuiltinRecognizer(Executor* executor, BuiltinRecognizerOptions options)
      : executor_(executor), options_(std::move(options)), pool_(options_.model) {}

  Result<Transcript> Recognize(const AudioBuffer& audio, const CancelToken* cancel) override {
    if (audio.sample_rate != kDecoderSampleRate || audio.channels.empty()) {
      return InvalidArgumentError("built-in recognizer: needs 16 kHz audio, got " +
                                  std::to_string(audio.sample_rate) + " Hz with " +
                                  std::to_string(audio.channel_count()) + " channels");
    }
    const std::vector<float>& samples = audio.channels[0];
    SplitOptions split = options_.split;
    const double duration_s = static_cast<double>(samples.size()) / kDecoderSampleRate;
    if (options_.mode == BuiltinRecognizerOptions::Mode::kSinglePass) {
      split.target_chunk_s = split.max_chunk_s = std::max(1.0, duration_s + 1);
    } else {
      // Enough chunks to keep every worker busy, but none so short that context is lost.
      const double per_worker = duration_s / std::max(1, executor_->Concurrency());
      split.target_chunk_s = std::clamp(per_worker, kMinTargetChunkS, split.target_chunk_s);
    }
    const std::vector<SampleRange> ranges = SplitAtSilences(samples, kDecoderSampleRate, split);
    const std::vector<int16_t> pcm = ToPcm16(samples);

    std::vector<ChunkResult> results(ranges.size());
    Completion completion(ranges.size());
    for (size_t i = 0; i < ranges.size(); ++i) {
      executor_->Submit([&, i] {
        ChunkResult& result = results[i];
        if (cancel != nullptr && cancel->IsCancelled()) {
          result.error = CancelledError("recognition cancelled");
        } else if (auto decoder = pool_.Take(); !decoder.ok()) {
          result.error = decoder.status();
        } else {
          std::span<const int16_t> chunk(pcm.data() + ranges[i].begin,
                                         static_cast<size_t>(ranges[i].size()));
          Result<std::vector<DecodedWord>> words = (*decoder)->Recognize(chunk);
          if (words.ok()) {
            result.words = std::move(words).value();
          } else {
            result.error = words.status();
          }
          pool_.Give(std::move(decoder).value());
        }
        completion.Done();
      });
    }
    completion.Wait();

    Transcript transcript;
    transcript.language = "en";
    transcript.source = TranscriptSource::kBuiltinAsr;
    const Rational sample_base{1, kDecoderSampleRate};
    const MediaTime origin = audio.pts;
    for (size_t i = 0; i < ranges.size(); ++i) {
      if (results[i].error.has_value()) {
        return results[i].error->WithContext("built-in recognizer, chunk at " +
                                             MediaTime(ranges[i].begin, sample_base).ToString() +
                                             " s");
      }
      for (const DecodedWord& w : results[i].words) {
        Word word;
        word.text = w.word;
        word.start = origin + MediaTime(ranges[i].begin + w.start_frame * kSamplesPerFrame, sample_base);
        word.end = origin + MediaTime(ranges[i].begin + w.end_frame * kSamplesPerFrame, sample_base);
        word.confidence = w.confidence;
        transcript.words.push_back(std::move(word));
      }
    }
    NormalizeTranscript(&transcript, options_.sentences);
    return transcript;
  }

 DecoderPool& pool() { return pool_; }

 private:
  Executor* executor_;
  const BuiltinRecognizerOptions options_;
  DecoderPool pool_;
};

}  // namespace

Result<std::unique_ptr<SpeechRecognizer>> CreateBuiltinRecognizer(
    Executor* executor, const BuiltinRecognizerOptions& options) {
  if (executor == nullptr) return InvalidArgumentError("built-in recognizer: no executor");
  if (options.mode == BuiltinRecognizerOptions::Mode::kInvalid) {
    return InvalidArgumentError("built-in recognizer: invalid mode");
  }
  // Load one decoder now so that a missing model is reported here, not per chunk.
  CR_ASSIGN_OR_RETURN(std::unique_ptr<PocketsphinxDecoder> first,
                      PocketsphinxDecoder::Create(options.model, DecoderMode::kRecognize));
  auto recognizer = std::make_unique<BuiltinRecognizer>(executor, options);
  recognizer->pool().Give(std::move(first));
  return std::unique_ptr<SpeechRecognizer>(std::move(recognizer));
}

Result<SpeechAudio> LoadSpeechAudio(const std::string& path, const CancelToken* cancel) {
  CR_ASSIGN_OR_RETURN(MediaInfo info, media::ProbeFile(path, cancel));
  const StreamInfo* stream = info.audio();
  if (stream == nullptr) return FailedPreconditionError(path + ": has no audio stream");
  SpeechAudio out;
  out.source_sample_rate = stream->sample_rate;
  if (stream->sample_rate > 0 && stream->sample_rate < kDecoderSampleRate) {
    out.warnings.push_back("audio is " + std::to_string(stream->sample_rate) +
                           " Hz (telephone quality): recognition accuracy will be poor; the "
                           "built-in model expects 16 kHz or more");
  }
  media::AudioReaderOptions reader_options;
  reader_options.sample_rate = kDecoderSampleRate;
  reader_options.channels = 1;
  reader_options.cancel = cancel;
  CR_ASSIGN_OR_RETURN(std::unique_ptr<media::AudioReader> reader,
                      media::AudioReader::Open(path, reader_options));
  out.audio.sample_rate = kDecoderSampleRate;
  out.audio.channels.resize(1);
  bool first = true;
  for (;;) {
    CR_ASSIGN_OR_RETURN(AudioBuffer buffer, reader->Read(kDecoderSampleRate * 10));
    if (buffer.frames() == 0) break;
    if (first) {
      out.audio.pts = buffer.pts;
      first = false;
    }
    out.audio.channels[0].insert(out.audio.channels[0].end(), buffer.channels[0].begin(),
                                 buffer.channels[0].end());
  }
  if (first) out.audio.pts = MediaTime(0, {1, kDecoderSampleRate});
  return out;
}

}  // namespace cutroom::speech
