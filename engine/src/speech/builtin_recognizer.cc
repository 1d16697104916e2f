// The built-in recognizer: silence-split chunks decoded in parallel with pooled pocketsphinx
// decoders, word frames mapped back to source time.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

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

// Chunks decoded on the executor, at most `max_in_flight` queued or running at once (Submit
// blocks for room), results kept in submission order. The destructor waits for every task, since
// they write into this object.
class ChunkDecoding {
 public:
  ChunkDecoding(Executor* executor, DecoderPool* pool, const CancelToken* cancel,
                size_t max_in_flight)
      : executor_(executor), pool_(pool), cancel_(cancel), max_in_flight_(max_in_flight) {}
  ~ChunkDecoding() { WaitAll(); }
  ChunkDecoding(const ChunkDecoding&) = delete;
  ChunkDecoding& operator=(const ChunkDecoding&) = delete;

  struct ChunkResult {
    int64_t begin = 0;  // samples from the audio's first sample
    std::optional<Status> error;
    std::vector<DecodedWord> words;
  };

  void Submit(SpeechChunk chunk) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return in_flight_ < max_in_flight_; });
      ++in_flight_;
    }
    // std::deque: references to elements stay valid while more are appended.
    ChunkResult* result = &results_.emplace_back();
    result->begin = chunk.begin;
    executor_->Submit([this, result, pcm = std::move(chunk.pcm)] {
      if (cancel_ != nullptr && cancel_->IsCancelled()) {
        result->error = CancelledError("recognition cancelled");
      } else if (auto decoder = pool_->Take(); !decoder.ok()) {
        result->error = decoder.status();
      } else {
        Result<std::vector<DecodedWord>> words = (*decoder)->Recognize(pcm);
        if (words.ok()) {
          result->words = std::move(words).value();
        } else {
          result->error = words.status();
        }
        pool_->Give(std::move(decoder).value());
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (result->error.has_value()) failed_ = true;
      --in_flight_;
      cv_.notify_all();
    });
  }

  void WaitAll() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return in_flight_ == 0; });
  }

  bool failed() {
    std::lock_guard<std::mutex> lock(mu_);
    return failed_;
  }

  // REQUIRES: WaitAll() returned.
  const std::deque<ChunkResult>& results() const { return results_; }

 private:
  Executor* executor_;
  DecoderPool* pool_;
  const CancelToken* cancel_;
  const size_t max_in_flight_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t in_flight_ = 0;             // guarded by mu_
  bool failed_ = false;              // guarded by mu_
  std::deque<ChunkResult> results_;  // appended by the submitting thread only
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
    const double duration_s = static_cast<double>(samples.size()) / kDecoderSampleRate;
    SplitOptions split = SplitFor(duration_s);
    if (options_.mode == BuiltinRecognizerOptions::Mode::kSinglePass) {
      split.target_chunk_s = split.max_chunk_s = std::max(1.0, duration_s + 1);
    }
    const std::vector<SampleRange> ranges = SplitAtSilences(samples, kDecoderSampleRate, split);
    ChunkDecoding decoding(executor_, &pool_, cancel, MaxInFlight());
    for (const SampleRange& range : ranges) {
      SpeechChunk chunk;
      chunk.begin = range.begin;
      chunk.pcm = ToPcm16(std::span<const float>(samples).subspan(
          static_cast<size_t>(range.begin), static_cast<size_t>(range.size())));
      decoding.Submit(std::move(chunk));
    }
    decoding.WaitAll();
    return BuildTranscript(decoding.results(), audio.pts);
  }

  Result<Transcript> RecognizeStream(SpeechAudioStream* stream,
                                     const CancelToken* cancel) override {
    if (options_.mode == BuiltinRecognizerOptions::Mode::kSinglePass) {
      return SpeechRecognizer::RecognizeStream(stream, cancel);  // one utterance needs it all
    }
    const double duration_s = stream->duration().ToSeconds();
    SpeechChunker chunker(kDecoderSampleRate, SplitFor(duration_s > 0 ? duration_s : 1e9));
    ChunkDecoding decoding(executor_, &pool_, cancel, MaxInFlight());
    MediaTime origin(0, {1, kDecoderSampleRate});
    bool first = true;
    for (;;) {
      CR_ASSIGN_OR_RETURN(AudioBuffer buffer, stream->Read(kDecoderSampleRate * 10));
      if (buffer.frames() == 0) break;
      if (first) {
        origin = buffer.pts;
        first = false;
      }
      chunker.Append(buffer.channels[0]);
      if (!chunker.WindowFull()) continue;
      for (SpeechChunk& chunk : chunker.TakeChunks(SpeechChunker::Input::kMore)) {
        decoding.Submit(std::move(chunk));
      }
      if (decoding.failed()) break;  // the error is reported below; no need to read on
    }
    for (SpeechChunk& chunk : chunker.TakeChunks(SpeechChunker::Input::kEnded)) {
      decoding.Submit(std::move(chunk));
    }
    decoding.WaitAll();
    return BuildTranscript(decoding.results(), origin);
  }

  DecoderPool& pool() { return pool_; }

 private:
  // Enough chunks to keep every worker busy, but none so short that context is lost.
  SplitOptions SplitFor(double duration_s) const {
    SplitOptions split = options_.split;
    const double per_worker = duration_s / std::max(1, executor_->Concurrency());
    split.target_chunk_s = std::clamp(per_worker, kMinTargetChunkS, split.target_chunk_s);
    return split;
  }

  // Two per worker: one decoding, one queued, so no worker waits for the reader.
  size_t MaxInFlight() const {
    return 2 * static_cast<size_t>(std::max(1, executor_->Concurrency()));
  }

  Result<Transcript> BuildTranscript(const std::deque<ChunkDecoding::ChunkResult>& results,
                                     MediaTime origin) const {
    Transcript transcript;
    transcript.language = "en";
    transcript.source = TranscriptSource::kBuiltinAsr;
    const Rational sample_base{1, kDecoderSampleRate};
    for (const ChunkDecoding::ChunkResult& chunk : results) {
      if (chunk.error.has_value()) {
        return chunk.error->WithContext("built-in recognizer, chunk at " +
                                        (origin + MediaTime(chunk.begin, sample_base)).ToString() +
                                        " s");
      }
      for (const DecodedWord& w : chunk.words) {
        Word word;
        word.text = w.word;
        word.start =
            origin + MediaTime(chunk.begin + w.start_frame * kSamplesPerFrame, sample_base);
        word.end = origin + MediaTime(chunk.begin + w.end_frame * kSamplesPerFrame, sample_base);
        word.confidence = w.confidence;
        transcript.words.push_back(std::move(word));
      }
    }
    NormalizeTranscript(&transcript, options_.sentences);
    return transcript;
  }

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

}  // namespace cutroom::speech
