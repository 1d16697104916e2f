#include "http_transcriber.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <span>
#include <utility>
#include <vector>

#include "cutroom/file_util.h"
#include "curl_util.h"

#include "speech/forced_aligner.h"
#include "speech/speech_audio_stream.h"
#include "speech/subtitle_io.h"

namespace cutroom::integrations {
namespace {

using Json = nlohmann::json;

struct MimeDeleter {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
using MimePtr = std::unique_ptr<curl_mime, MimeDeleter>;

Result<HttpReply> Perform(CURL* curl, const std::string& url, const HttpSpeechConfig& config) {
  return PerformRequest(curl, url, config.timeout_ms, config.connect_timeout_ms);
}

MediaTime Seconds(double s) { return MediaTime(std::llround(s * 1000.0), {1, 1000}); }

// The reply's words in source time, not yet normalized (FinishTranscript does that once, over
// every chunk's words).
Result<speech::Transcript> ParseVerboseJson(const std::string& body, const MediaTime& origin,
                                            const std::string& url) {
  speech::Transcript t;
  t.source = speech::TranscriptSource::kHttpAsr;
  try {
    Json j = Json::parse(body);
    if (!j.is_object()) return DataLossError(url + ": reply is not a JSON object");
    if (j.contains("language") && j["language"].is_string()) {
      t.language = j["language"].get<std::string>();
      // verbose_json reports a language name ("english"); keep the common one as a code.
      if (t.language == "english") t.language = "en";
    }
    auto add = [&](const Json& w, const char* text_key) -> Status {
      if (!w.is_object() || !w.contains(text_key) || !w[text_key].is_string() ||
          !w.contains("start") || !w["start"].is_number() || !w.contains("end") ||
          !w["end"].is_number()) {
        return DataLossError(url + ": a word lacks text, start or end");
      }
      speech::Word word;
      std::string text = w[text_key].get<std::string>();
      while (!text.empty() && text.front() == ' ') text.erase(text.begin());
      if (text.empty()) return Status::Ok();
      word.text = std::move(text);
      word.start = origin + Seconds(w["start"].get<double>());
      word.end = origin + Seconds(w["end"].get<double>());
      if (w.contains("probability") && w["probability"].is_number()) {
        word.confidence = static_cast<float>(w["probability"].get<double>());
      }
      t.words.push_back(std::move(word));
      return Status::Ok();
    };
    if (j.contains("words") && j["words"].is_array()) {
      for (const Json& w : j["words"]) CR_RETURN_IF_ERROR(add(w, "word"));
    } else if (j.contains("segments") && j["segments"].is_array()) {
      // Servers without word timestamps: each segment's words spread over the segment.
      std::vector<speech::Cue> cues;
      for (const Json& s : j["segments"]) {
        if (!s.is_object() || !s.contains("text") || !s["text"].is_string() ||
            !s.contains("start") || !s["start"].is_number() || !s.contains("end") ||
            !s["end"].is_number()) {
          return DataLossError(url + ": a segment lacks text, start or end");
        }
        cues.push_back({origin + Seconds(s["start"].get<double>()),
                        origin + Seconds(s["end"].get<double>()), s["text"].get<std::string>(), ""});
      }
      speech::Transcript spread = speech::TranscriptFromCues(cues, t.language);
      t.words = std::move(spread.words);
      t.warnings.push_back("the server gave no word timestamps: word times are estimates");
    } else if (!j.contains("text")) {
      return DataLossError(url + ": reply has no words, segments or text");
    }
  } catch (const std::exception&) {
    return DataLossError(url + ": reply is not valid JSON");
  }
  return t;
}

// Orders the words and derives sentences: the last step of both Recognize() and
// RecognizeStream().
speech::Transcript FinishTranscript(speech::Transcript t) {
  speech::NormalizeTranscript(&t);
  return t;
}

std::string FormatSeconds(const MediaTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", t.ToSeconds());
  return buf;
}

class HttpRecognizer final : public speech::SpeechRecognizer {
 public:
  explicit HttpRecognizer(HttpSpeechConfig config) : config_(std::move(config)) {}

  Result<speech::Transcript> Recognize(const AudioBuffer& audio, const CancelToken* cancel) override {
    if (cancel != nullptr && cancel->IsCancelled()) return CancelledError("cancelled");
    if (audio.channels.empty() || audio.sample_rate <= 0) {
      return InvalidArgumentError("http transcription: no audio");
    }
    CR_ASSIGN_OR_RETURN(speech::Transcript t, Transcribe(EncodeWavMono16(audio), audio.pts));
    return FinishTranscript(std::move(t));
  }

  Result<speech::Transcript> RecognizeStream(speech::SpeechAudioStream* stream,
                                             const CancelToken* cancel) override {
    constexpr int kRate = speech::kDecoderSampleRate;
    speech::SplitOptions split;
    split.target_chunk_s = config_.chunk_target_s;
    split.max_chunk_s = config_.chunk_max_s;
    // The chunker raises the window to fit two of the longest chunks; ask for that much.
    speech::SpeechChunker chunker(kRate, split, 2 * config_.chunk_max_s);
    speech::Transcript all;
    all.source = speech::TranscriptSource::kHttpAsr;
    if (!config_.language.empty()) all.language = config_.language;
    MediaTime origin(0, {1, kRate});
    bool first_read = true;
    int sent = 0;
    // Sends each chunk and frees its samples before the next, so only one chunk's WAV is built
    // at a time.
    auto send = [&](std::vector<speech::SpeechChunk> chunks) -> Status {
      for (speech::SpeechChunk& chunk : chunks) {
        if (cancel != nullptr && cancel->IsCancelled()) {
          return CancelledError("http transcription cancelled");
        }
        const MediaTime begin = origin + MediaTime(chunk.begin, {1, kRate});
        const MediaTime end = begin + MediaTime(static_cast<int64_t>(chunk.pcm.size()), {1, kRate});
        std::string wav = EncodeWavMono16(chunk.pcm, kRate);
        std::vector<int16_t>().swap(chunk.pcm);
        Result<speech::Transcript> part = Transcribe(wav, begin);
        ++sent;
        if (!part.ok()) {
          return part.status().WithContext("http transcription, chunk " + std::to_string(sent) +
                                           " (" + FormatSeconds(begin) + "-" + FormatSeconds(end) +
                                           " s)");
        }
        if (sent == 1) all.language = part->language;
        for (speech::Word& w : part->words) all.words.push_back(std::move(w));
        for (std::string& warning : part->warnings) {
          if (std::find(all.warnings.begin(), all.warnings.end(), warning) == all.warnings.end()) {
            all.warnings.push_back(std::move(warning));
          }
        }
      }
      return Status::Ok();
    };
    for (;;) {
      if (cancel != nullptr && cancel->IsCancelled()) {
        return CancelledError("http transcription cancelled");
      }
      CR_ASSIGN_OR_RETURN(AudioBuffer buffer, stream->Read(kRate * 10));
      if (buffer.frames() == 0) break;
      if (first_read) {
        origin = buffer.pts;
        first_read = false;
      }
      chunker.Append(buffer.channels[0]);
      if (!chunker.WindowFull()) continue;
      CR_RETURN_IF_ERROR(send(chunker.TakeChunks(speech::SpeechChunker::Input::kMore)));
    }
    CR_RETURN_IF_ERROR(send(chunker.TakeChunks(speech::SpeechChunker::Input::kEnded)));
    return FinishTranscript(std::move(all));
  }

 private:
  // One request: `wav` posted as the file; word times offset by `origin`, not normalized.
  Result<speech::Transcript> Transcribe(const std::string& wav, const MediaTime& origin) {
    const std::string url = TrimSlash(config_.base_url) + "/v1/audio/transcriptions";
    CurlPtr curl(curl_easy_init());
    if (curl == nullptr) return InternalError("curl_easy_init failed");
    MimePtr mime(curl_mime_init(curl.get()));
    auto add_field = [&](const char* name, const std::string& value) {
      curl_mimepart* part = curl_mime_addpart(mime.get());
      curl_mime_name(part, name);
      curl_mime_data(part, value.c_str(), CURL_ZERO_TERMINATED);
    };
    curl_mimepart* file = curl_mime_addpart(mime.get());
    curl_mime_name(file, "file");
    curl_mime_filename(file, "audio.wav");
    curl_mime_type(file, "audio/wav");
    curl_mime_data(file, wav.data(), wav.size());
    add_field("model", config_.model);
    add_field("response_format", "verbose_json");
    add_field("timestamp_granularities[]", "word");
    if (!config_.language.empty()) add_field("language", config_.language);
    curl_easy_setopt(curl.get(), CURLOPT_MIMEPOST, mime.get());
    HeaderListPtr headers;
    if (!config_.api_key.empty()) {
      headers.reset(curl_slist_append(nullptr, ("Authorization: Bearer " + config_.api_key).c_str()));
      curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    }
    CR_ASSIGN_OR_RETURN(HttpReply reply, Perform(curl.get(), url, config_));
    return ParseVerboseJson(reply.body, origin, url);
  }

  const HttpSpeechConfig config_;
};

class HttpSynthesizer final : public speech::SpeechSynthesizer {
 public:
  HttpSynthesizer(HttpSpeechConfig config, std::string voice, std::unique_ptr<speech::ForcedAligner> aligner)
      : config_(std::move(config)), voice_(std::move(voice)), aligner_(std::move(aligner)) {}

  Result<speech::Speech> Synthesize(const std::string& text) override {
    if (speech::SplitWords(text).empty()) return InvalidArgumentError("http speech: text is empty");
    const std::string url = TrimSlash(config_.base_url) + "/v1/audio/speech";
    CurlPtr curl(curl_easy_init());
    if (curl == nullptr) return InternalError("curl_easy_init failed");
    const std::string body = Json{{"model", config_.model}, {"input", text}, {"voice", voice_},
                                  {"response_format", "wav"}}
                                 .dump();
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!config_.api_key.empty()) {
      list = curl_slist_append(list, ("Authorization: Bearer " + config_.api_key).c_str());
    }
    HeaderListPtr headers(list);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    CR_ASSIGN_OR_RETURN(HttpReply reply, Perform(curl.get(), url, config_));
    // The reply's rate and layout vary by server; the media layer decodes and resamples a file.
    char path[] = "/tmp/cutroom-speech-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return UnavailableError("http speech: cannot create a temporary file");
    close(fd);
    Status written = WriteFileAtomically(path, reply.body);
    Result<speech::SpeechAudio> audio =
        written.ok() ? speech::LoadSpeechAudio(path) : Result<speech::SpeechAudio>(written);
    std::remove(path);
    if (!audio.ok()) return DataLossError(url + ": reply is not audio: " + audio.status().message());
    CR_ASSIGN_OR_RETURN(speech::Transcript aligned, aligner_->AlignText(audio->audio, text));
    speech::Speech out;
    out.audio = std::move(audio->audio);
    out.audio.pts = MediaTime(0, {1, out.audio.sample_rate});
    for (speech::Word& w : aligned.words) {
      out.words.push_back({std::move(w.text), w.start, w.end});
    }
    return out;
  }

 private:
  const HttpSpeechConfig config_;
  const std::string voice_;
  std::unique_ptr<speech::ForcedAligner> aligner_;
};

Status CheckConfig(const HttpSpeechConfig& config) {
  if (config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0) {
    return InvalidArgumentError("speech server URL must start with http:// or https://, got \"" +
                                config.base_url + "\"");
  }
  return Status::Ok();
}

void PutLe(std::string* out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A 44-byte RIFF header for 16-bit mono PCM, `frames` samples at `sample_rate`, with room
// reserved for the samples.
std::string WavHeaderMono16(size_t frames, int sample_rate) {
  const uint32_t data_bytes = static_cast<uint32_t>(frames * 2);
  const uint32_t rate = static_cast<uint32_t>(sample_rate);
  std::string out;
  out.reserve(44 + frames * 2);
  out += "RIFF";
  PutLe(&out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  PutLe(&out, 16, 4);
  PutLe(&out, 1, 2);  // PCM
  PutLe(&out, 1, 2);  // mono
  PutLe(&out, rate, 4);
  PutLe(&out, rate * 2, 4);
  PutLe(&out, 2, 2);
  PutLe(&out, 16, 2);
  out += "data";
  PutLe(&out, data_bytes, 4);
  return out;
}

void PutSample(std::string* out, int16_t v) {
  PutLe(out, static_cast<uint32_t>(static_cast<uint16_t>(v)), 2);
}

}  // namespace

std::string EncodeWavMono16(const AudioBuffer& audio) {
  std::span<const float> s;  // no copy of the samples
  if (!audio.channels.empty()) s = audio.channels[0];
  std::string out = WavHeaderMono16(s.size(), audio.sample_rate);
  for (float v : s) {
    const float clamped = std::fmax(-1.0f, std::fmin(1.0f, v));
    PutSample(&out, static_cast<int16_t>(std::lrint(clamped * 32767.0f)));
  }
  return out;
}

std::string EncodeWavMono16(std::span<const int16_t> samples, int sample_rate) {
  std::string out = WavHeaderMono16(samples.size(), sample_rate);
  for (int16_t v : samples) PutSample(&out, v);
  return out;
}

Result<std::unique_ptr<speech::SpeechRecognizer>> CreateHttpRecognizer(HttpSpeechConfig config) {
  CR_RETURN_IF_ERROR(CheckConfig(config));
  if (!(config.chunk_target_s > 0) || !(config.chunk_max_s >= config.chunk_target_s)) {
    return InvalidArgumentError(
        "http transcription: chunk_max_s must be at least chunk_target_s, and both positive");
  }
  InitCurlOnce();
  return std::unique_ptr<speech::SpeechRecognizer>(std::make_unique<HttpRecognizer>(std::move(config)));
}

Result<std::unique_ptr<speech::SpeechSynthesizer>> CreateHttpSynthesizer(HttpSpeechConfig config,
                                                                         std::string voice) {
  CR_RETURN_IF_ERROR(CheckConfig(config));
  InitCurlOnce();
  CR_ASSIGN_OR_RETURN(std::unique_ptr<speech::ForcedAligner> aligner, speech::ForcedAligner::Create());
  return std::unique_ptr<speech::SpeechSynthesizer>(
      std::make_unique<HttpSynthesizer>(std::move(config), std::move(voice), std::move(aligner)));
}

}  // namespace cutroom::integrations
