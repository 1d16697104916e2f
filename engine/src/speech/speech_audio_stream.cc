#include "speech/speech_audio_stream.h"

#include <algorithm>
#include <cmath>

#include "media/audio_reader.h"
#include "media/probe.h"
#include "speech/speech_recognizer.h"

namespace cutroom::speech {

SpeechAudioStream::~SpeechAudioStream() = default;

Result<std::unique_ptr<SpeechAudioStream>> SpeechAudioStream::Open(const std::string& path,
                                                                   const CancelToken* cancel) {
  CR_ASSIGN_OR_RETURN(MediaInfo info, media::ProbeFile(path, cancel));
  const StreamInfo* stream = info.audio();
  if (stream == nullptr) return FailedPreconditionError(path + ": has no audio stream");
  std::unique_ptr<SpeechAudioStream> out(new SpeechAudioStream());
  out->path_ = path;
  out->source_sample_rate_ = stream->sample_rate;
  out->duration_ = info.duration;
  if (stream->sample_rate > 0 && stream->sample_rate < kDecoderSampleRate) {
    out->warnings_.push_back("audio is " + std::to_string(stream->sample_rate) +
                             " Hz (telephone quality): recognition accuracy will be poor; the "
                             "built-in model expects 16 kHz or more");
  }
  media::AudioReaderOptions reader_options;
  reader_options.sample_rate = kDecoderSampleRate;
  reader_options.channels = 1;
  reader_options.cancel = cancel;
  CR_ASSIGN_OR_RETURN(out->reader_, media::AudioReader::Open(path, reader_options));
  return out;
}

Result<AudioBuffer> SpeechAudioStream::Read(int64_t max_frames) {
  return reader_->Read(max_frames);
}

SpeechChunker::SpeechChunker(int sample_rate, const SplitOptions& split, double window_s)
    : sample_rate_(sample_rate), split_(split) {
  // A chunk can reach the buffer's end only if less than a pause plus its padding follows it.
  guard_ = std::llround((split.min_silence_s + 2 * split.padding_s + 0.5) * sample_rate);
  const double longest_chunk_s = split.max_chunk_s + 2 * split.padding_s;
  window_ = std::llround(std::max(window_s, 2 * longest_chunk_s) * sample_rate) + guard_;
}

void SpeechChunker::Append(std::span<const float> samples) {
  buffer_.insert(buffer_.end(), samples.begin(), samples.end());
}

bool SpeechChunker::WindowFull() const { return buffered() >= window_; }

std::vector<SpeechChunk> SpeechChunker::TakeChunks(Input input) {
  const std::vector<SampleRange> ranges = SplitAtSilences(buffer_, sample_rate_, split_);
  const int64_t size = buffered();
  size_t emit = ranges.size();
  int64_t keep_from = size;
  if (input != Input::kEnded) {
    emit = 0;
    while (emit < ranges.size() && ranges[emit].end <= size - guard_) ++emit;
    if (emit > 0) {
      keep_from = ranges[emit - 1].end;
    } else if (!ranges.empty()) {
      keep_from = ranges.front().begin;
    } else {
      keep_from = std::max<int64_t>(0, size - guard_);
    }
    // Unreachable with the window sized for two chunks; guards against holding more forever.
    if (keep_from == 0 && size >= 2 * window_) {
      emit = ranges.size();
      keep_from = size;
    }
  }
  std::vector<SpeechChunk> chunks;
  for (size_t i = 0; i < emit; ++i) {
    SpeechChunk chunk;
    chunk.begin = origin_ + ranges[i].begin;
    chunk.pcm = ToPcm16(std::span<const float>(buffer_).subspan(
        static_cast<size_t>(ranges[i].begin), static_cast<size_t>(ranges[i].size())));
    chunks.push_back(std::move(chunk));
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + keep_from);
  origin_ += keep_from;
  if (input == Input::kEnded) {
    buffer_.clear();
    buffer_.shrink_to_fit();
  }
  return chunks;
}

namespace {

Result<AudioBuffer> ReadWholeStream(SpeechAudioStream* stream) {
  AudioBuffer audio;
  audio.sample_rate = kDecoderSampleRate;
  audio.channels.resize(1);
  bool first = true;
  for (;;) {
    CR_ASSIGN_OR_RETURN(AudioBuffer buffer, stream->Read(kDecoderSampleRate * 10));
    if (buffer.frames() == 0) break;
    if (first) {
      audio.pts = buffer.pts;
      first = false;
    }
    audio.channels[0].insert(audio.channels[0].end(), buffer.channels[0].begin(),
                             buffer.channels[0].end());
  }
  if (first) audio.pts = MediaTime(0, {1, kDecoderSampleRate});
  return audio;
}

}  // namespace

Result<Transcript> SpeechRecognizer::RecognizeStream(SpeechAudioStream* stream,
                                                     const CancelToken* cancel) {
  CR_ASSIGN_OR_RETURN(AudioBuffer audio, ReadWholeStream(stream));
  return Recognize(audio, cancel);
}

Result<SpeechAudio> LoadSpeechAudio(const std::string& path, const CancelToken* cancel) {
  CR_ASSIGN_OR_RETURN(std::unique_ptr<SpeechAudioStream> stream,
                      SpeechAudioStream::Open(path, cancel));
  SpeechAudio out;
  out.source_sample_rate = stream->source_sample_rate();
  out.warnings = stream->warnings();
  CR_ASSIGN_OR_RETURN(out.audio, ReadWholeStream(stream.get()));
  return out;
}

}  // namespace cutroom::speech
