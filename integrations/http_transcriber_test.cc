// The HTTP speech adapters against a fake OpenAI-compatible server speaking real HTTP/1.1 over a
// socket on an ephemeral port.
#include "http_transcriber.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "cutroom/cancel.h"
#include "fake_http_server.h"
#include "speech/speech_audio_stream.h"
#include "speech/speech_synthesizer.h"
#include "test_support.h"

namespace cutroom::integrations {
namespace {

using ::testing::HasSubstr;

using testing::FakeServer;

constexpr int kRate = 16000;
constexpr double kLeadingSilenceS = 7.0;

// `seconds` of tone bursts (0.4-3 s, the "words") separated by pauses (0.1-1.2 s) over faint
// noise, after kLeadingSilenceS of noise: speech with a known layout. `burst_starts` receives
// the first sample of each burst. Written as a WAV file to `path`.
void WriteBurstWav(const std::string& path, double seconds, std::vector<int64_t>* burst_starts) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> burst_s(0.4, 3.0), pause_s(0.1, 1.2);
  std::normal_distribution<float> noise(0.0f, 0.0005f);
  AudioBuffer audio;
  audio.sample_rate = kRate;
  audio.channels.emplace_back(static_cast<size_t>(seconds * kRate), 0.0f);
  std::vector<float>& samples = audio.channels[0];
  for (float& v : samples) v = noise(rng);
  int64_t at = static_cast<int64_t>(kLeadingSilenceS * kRate);
  while (true) {
    const int64_t len = static_cast<int64_t>(burst_s(rng) * kRate);
    if (at + len + kRate >= static_cast<int64_t>(samples.size())) break;
    for (int64_t i = 0; i < len; ++i) {
      samples[static_cast<size_t>(at + i)] += 0.3f * static_cast<float>(std::sin(i * 0.07));
    }
    burst_starts->push_back(at);
    at += len + static_cast<int64_t>(pause_s(rng) * kRate);
  }
  ASSERT_TRUE(speech::WriteWav(path, audio).ok());
}

// The 16-bit samples of the WAV file inside a multipart request.
std::vector<int16_t> WavSamplesOf(const std::string& request) {
  const size_t riff = request.find("RIFF");
  if (riff == std::string::npos || riff + 44 > request.size()) return {};
  uint32_t data_bytes = 0;
  for (int i = 0; i < 4; ++i) {
    data_bytes |= static_cast<uint32_t>(static_cast<uint8_t>(request[riff + 40 + i])) << (8 * i);
  }
  std::vector<int16_t> out;
  for (size_t i = riff + 44; i + 1 < request.size() && out.size() < data_bytes / 2; i += 2) {
    out.push_back(static_cast<int16_t>(static_cast<uint8_t>(request[i]) |
                                       (static_cast<uint8_t>(request[i + 1]) << 8)));
  }
  return out;
}

// Index of the first sample louder than the bursts' noise, or -1.
int64_t FirstLoudSample(const std::vector<int16_t>& samples) {
  for (size_t i = 0; i < samples.size(); ++i) {
    if (std::abs(samples[i]) > 1600) return static_cast<int64_t>(i);
  }
  return -1;
}

HttpSpeechConfig SmallChunks(const std::string& url) {
  HttpSpeechConfig config;
  config.base_url = url;
  config.chunk_target_s = 5;
  config.chunk_max_s = 10;
  return config;
}

constexpr const char* kWordAtZero =
    R"({"language":"english","text":"w","words":[{"word":" w","start":0.0,"end":0.1}]})";

AudioBuffer OneSecond() {
  AudioBuffer audio;
  audio.sample_rate = 16000;
  audio.channels.emplace_back(16000, 0.0f);
  for (size_t i = 0; i < 16000; ++i) audio.channels[0][i] = 0.3f * std::sin(static_cast<float>(i) * 0.1f);
  audio.pts = MediaTime(10, {1, 1});
  return audio;
}

TEST(HttpRecognizerTest, SendsTheOpenAiFormAndParsesWordTimes) {
  FakeServer server;
  server.Reply(200, "application/json", R"({"task":"transcribe","language":"english","duration":1.0,
    "text":"Hello world.","words":[{"word":"Hello","start":0.1,"end":0.42},
    {"word":" world.","start":0.5,"end":0.9}],"segments":[]})");
  HttpSpeechConfig config;
  config.base_url = server.url() + "/";
  config.api_key = "sekret";
  config.model = "whisper-large";
  auto recognizer = CreateHttpRecognizer(config);
  ASSERT_TRUE(recognizer.ok()) << recognizer.status().ToString();
  Result<speech::Transcript> t = (*recognizer)->Recognize(OneSecond(), nullptr);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->source, speech::TranscriptSource::kHttpAsr);
  ASSERT_EQ(t->words.size(), 2u);
  EXPECT_EQ(t->words[1].text, "world.");
  EXPECT_EQ(t->words[0].start, MediaTime(10100, {1, 1000}));  // offset by the audio's pts
  EXPECT_EQ(t->words[1].end, MediaTime(10900, {1, 1000}));
  EXPECT_EQ(t->language, "en");
  const std::string request = server.last_request();
  EXPECT_THAT(request, HasSubstr("POST /v1/audio/transcriptions HTTP/1.1"));
  EXPECT_THAT(request, HasSubstr("Authorization: Bearer sekret"));
  EXPECT_THAT(request, HasSubstr("name=\"timestamp_granularities[]\"\r\n\r\nword"));
  EXPECT_THAT(request, HasSubstr("name=\"response_format\"\r\n\r\nverbose_json"));
  EXPECT_THAT(request, HasSubstr("name=\"model\"\r\n\r\nwhisper-large"));
  EXPECT_THAT(request, HasSubstr("RIFF"));
}

TEST(HttpRecognizerTest, MalformedJsonIsAPermanentDataLossError) {
  FakeServer server;
  server.Reply(200, "application/json", "{\"words\": [");
  auto recognizer = CreateHttpRecognizer({server.url()});
  ASSERT_TRUE(recognizer.ok());
  Result<speech::Transcript> t = (*recognizer)->Recognize(OneSecond(), nullptr);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(t.status().message(), HasSubstr("not valid JSON"));
}

TEST(HttpRecognizerTest, ServerErrorsMapToRetryPolicy) {
  FakeServer server;
  auto recognizer = CreateHttpRecognizer({server.url()});
  ASSERT_TRUE(recognizer.ok());
  server.Reply(503, "application/json", R"({"error":{"message":"model is loading"}})");
  Result<speech::Transcript> t = (*recognizer)->Recognize(OneSecond(), nullptr);
  EXPECT_EQ(t.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(t.status().message(), HasSubstr("model is loading"));
  server.Reply(401, "application/json", R"({"error":{"message":"bad key"}})");
  EXPECT_EQ((*recognizer)->Recognize(OneSecond(), nullptr).status().code(),
            StatusCode::kPermissionDenied);
  server.Reply(429, "application/json", R"({"error":"slow down"})");
  EXPECT_EQ((*recognizer)->Recognize(OneSecond(), nullptr).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(HttpRecognizerTest, ConnectionRefusedIsRetryable) {
  int port = 0;
  {
    FakeServer closed;  // bound then closed: nothing listens on its port afterwards
    port = std::stoi(closed.url().substr(closed.url().rfind(':') + 1));
  }
  auto recognizer = CreateHttpRecognizer({"http://127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(recognizer.ok());
  Result<speech::Transcript> t = (*recognizer)->Recognize(OneSecond(), nullptr);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnavailable);
}

TEST(HttpRecognizerTest, TimeoutIsRetryable) {
  FakeServer server;
  server.Hang();
  HttpSpeechConfig config;
  config.base_url = server.url();
  config.timeout_ms = 300;
  auto recognizer = CreateHttpRecognizer(config);
  ASSERT_TRUE(recognizer.ok());
  Result<speech::Transcript> t = (*recognizer)->Recognize(OneSecond(), nullptr);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(t.status().message(), HasSubstr("timed out"));
}

TEST(HttpRecognizerTest, BadUrlIsRejectedUpFront) {
  auto recognizer = CreateHttpRecognizer({"ftp://example"});
  ASSERT_FALSE(recognizer.ok());
  EXPECT_EQ(recognizer.status().code(), StatusCode::kInvalidArgument);
}

// A long stream goes out in chunks, one request each; a word the server places at 0.0 lands where
// its chunk's audio begins in the source.
TEST(HttpRecognizerStreamTest, SendsChunksAndOffsetsEachReplyByItsChunkStart) {
  testing::TempDir dir;
  const std::string path = dir.File("speech.wav");
  std::vector<int64_t> bursts;
  WriteBurstWav(path, 150, &bursts);
  FakeServer server;
  server.Reply(200, "application/json", kWordAtZero);
  auto recognizer = CreateHttpRecognizer(SmallChunks(server.url()));
  ASSERT_TRUE(recognizer.ok()) << recognizer.status().ToString();
  auto stream = speech::SpeechAudioStream::Open(path);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  Result<speech::Transcript> t = (*recognizer)->RecognizeStream(stream->get(), nullptr);
  ASSERT_TRUE(t.ok()) << t.status().ToString();

  const std::vector<std::string> requests = server.requests();
  ASSERT_GT(requests.size(), 5u);  // ~140 s of speech in chunks of 5-10 s
  ASSERT_EQ(t->words.size(), requests.size());
  EXPECT_EQ(t->language, "en");
  EXPECT_EQ(t->source, speech::TranscriptSource::kHttpAsr);
  EXPECT_EQ(t->sentences.size(), t->words.size());  // words far apart: one sentence each
  const size_t max_chunk_bytes = static_cast<size_t>((10 + 2 * 0.2) * kRate * 2);
  int64_t previous_burst = -1;
  for (size_t i = 0; i < requests.size(); ++i) {
    SCOPED_TRACE("request " + std::to_string(i));
    const std::string& request = requests[i];
    EXPECT_THAT(request, HasSubstr("POST /v1/audio/transcriptions HTTP/1.1"));
    EXPECT_THAT(request, HasSubstr("name=\"model\"\r\n\r\nwhisper-1"));
    EXPECT_THAT(request, HasSubstr("name=\"response_format\"\r\n\r\nverbose_json"));
    EXPECT_THAT(request, HasSubstr("name=\"timestamp_granularities[]\"\r\n\r\nword"));
    EXPECT_LE(FakeServer::BodyOf(request).size(), max_chunk_bytes + 2048);
    const std::vector<int16_t> wav = WavSamplesOf(request);
    ASSERT_FALSE(wav.empty());
    EXPECT_LE(wav.size() * 2, max_chunk_bytes);
    const int64_t loud = FirstLoudSample(wav);
    ASSERT_GE(loud, 0);
    // Where this chunk's first burst sits in the source, by the returned word's time.
    const double burst_s = t->words[i].start.ToSeconds() + static_cast<double>(loud) / kRate;
    int64_t nearest = bursts.front();
    for (int64_t b : bursts) {
      if (std::abs(b - burst_s * kRate) < std::abs(nearest - burst_s * kRate)) nearest = b;
    }
    EXPECT_NEAR(burst_s, static_cast<double>(nearest) / kRate, 0.02);
    EXPECT_GT(nearest, previous_burst);  // in order, each chunk on its own speech
    previous_burst = nearest;
  }
  EXPECT_NEAR(t->words.front().start.ToSeconds() +
                  static_cast<double>(FirstLoudSample(WavSamplesOf(requests.front()))) / kRate,
              kLeadingSilenceS, 0.02);
}

TEST(HttpRecognizerStreamTest, SilenceSendsNoRequest) {
  testing::TempDir dir;
  const std::string path = dir.File("silence.wav");
  AudioBuffer silence;
  silence.sample_rate = kRate;
  silence.channels.emplace_back(30 * kRate, 0.0f);
  ASSERT_TRUE(speech::WriteWav(path, silence).ok());
  FakeServer server;
  server.Reply(200, "application/json", kWordAtZero);
  auto recognizer = CreateHttpRecognizer(SmallChunks(server.url()));
  ASSERT_TRUE(recognizer.ok());
  auto stream = speech::SpeechAudioStream::Open(path);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  Result<speech::Transcript> t = (*recognizer)->RecognizeStream(stream->get(), nullptr);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->words.empty());
  EXPECT_TRUE(t->sentences.empty());
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpRecognizerStreamTest, AChunkErrorFailsTheCallRetryablyAndNamesItsTimeRange) {
  testing::TempDir dir;
  const std::string path = dir.File("speech.wav");
  std::vector<int64_t> bursts;
  WriteBurstWav(path, 60, &bursts);
  FakeServer server;
  server.QueueReply(200, "application/json", kWordAtZero);
  server.QueueReply(503, "application/json", R"({"error":{"message":"model is loading"}})");
  server.Reply(200, "application/json", kWordAtZero);
  auto recognizer = CreateHttpRecognizer(SmallChunks(server.url()));
  ASSERT_TRUE(recognizer.ok());
  auto stream = speech::SpeechAudioStream::Open(path);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  Result<speech::Transcript> t = (*recognizer)->RecognizeStream(stream->get(), nullptr);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(t.status().message(), HasSubstr("model is loading"));
  const std::vector<std::string> requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);  // nothing sent after the failing chunk
  const std::string& message = t.status().message();
  const size_t at = message.find("chunk 2 (");
  ASSERT_NE(at, std::string::npos) << message;
  double begin_s = 0, end_s = 0;
  ASSERT_EQ(std::sscanf(message.c_str() + at, "chunk 2 (%lf-%lf s)", &begin_s, &end_s), 2)
      << message;
  // The range is the second request's audio: its length, and its first burst inside it.
  const std::vector<int16_t> wav = WavSamplesOf(requests[1]);
  EXPECT_NEAR(end_s - begin_s, static_cast<double>(wav.size()) / kRate, 0.002);
  const double burst_s = begin_s + static_cast<double>(FirstLoudSample(wav)) / kRate;
  bool found = false;
  for (int64_t b : bursts) {
    found = found || std::abs(static_cast<double>(b) / kRate - burst_s) < 0.02;
  }
  EXPECT_TRUE(found) << message;
  EXPECT_GT(begin_s, kLeadingSilenceS);
}

TEST(HttpRecognizerStreamTest, CancelledBeforeStartSendsNothing) {
  testing::TempDir dir;
  const std::string path = dir.File("speech.wav");
  std::vector<int64_t> bursts;
  WriteBurstWav(path, 30, &bursts);
  FakeServer server;
  server.Reply(200, "application/json", kWordAtZero);
  auto recognizer = CreateHttpRecognizer(SmallChunks(server.url()));
  ASSERT_TRUE(recognizer.ok());
  auto stream = speech::SpeechAudioStream::Open(path);
  ASSERT_TRUE(stream.ok());
  CancelToken cancel;
  cancel.Cancel();
  EXPECT_EQ((*recognizer)->RecognizeStream(stream->get(), &cancel).status().code(),
            StatusCode::kCancelled);
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpRecognizerTest, ChunkLimitsAreChecked) {
  HttpSpeechConfig config = SmallChunks("http://127.0.0.1:1");
  config.chunk_max_s = 2;
  EXPECT_EQ(CreateHttpRecognizer(config).status().code(), StatusCode::kInvalidArgument);
}

// The speech adapter: the server returns WAV audio (flite speech here); word times come from
// forced alignment of the text to it.
TEST(HttpSynthesizerTest, WordTimesComeFromAlignment) {
  const std::string text = "Welcome back to the show.";
  auto flite = speech::CreateFliteSynthesizer("slt");
  ASSERT_TRUE(flite.ok());
  Result<speech::Speech> truth = (*flite)->Synthesize(text);
  ASSERT_TRUE(truth.ok());
  FakeServer server;
  server.Reply(200, "audio/wav", EncodeWavMono16(truth->audio));
  auto synth = CreateHttpSynthesizer({server.url()}, "alloy");
  ASSERT_TRUE(synth.ok()) << synth.status().ToString();
  Result<speech::Speech> speech = (*synth)->Synthesize(text);
  ASSERT_TRUE(speech.ok()) << speech.status().ToString();
  EXPECT_THAT(server.last_request(), HasSubstr("POST /v1/audio/speech"));
  EXPECT_THAT(server.last_request(), HasSubstr("\"voice\":\"alloy\""));
  ASSERT_EQ(speech->words.size(), truth->words.size());
  for (size_t i = 0; i < speech->words.size(); ++i) {
    EXPECT_NEAR(speech->words[i].start.ToSeconds(), truth->words[i].start.ToSeconds(), 0.1);
  }
  server.Reply(200, "audio/wav", "this is not audio");
  EXPECT_EQ((*synth)->Synthesize(text).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace cutroom::integrations
