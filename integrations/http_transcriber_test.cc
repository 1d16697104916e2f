// The HTTP speech adapters against a fake OpenAI-compatible server speaking real HTTP/1.1 over a
// socket on an ephemeral port.
#include "http_transcriber.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "fake_http_server.h"
#include "speech/speech_synthesizer.h"

namespace cutroom::integrations {
namespace {

using ::testing::HasSubstr;

using testing::FakeServer;

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
