// OpenAI-compatible transcription and speech servers (whisper.cpp server, faster-whisper-server,
// LocalAI, vLLM, OpenAI itself) behind the engine's SpeechRecognizer and SpeechSynthesizer
// interfaces. The only code that links libcurl for speech.
//
// Errors follow the engine's retry policy: connection refused, timeouts, HTTP 429 and 5xx are
// transient (kUnavailable, kResourceExhausted for 429); bad credentials (401/403) are
// kPermissionDenied; other 4xx are kInvalidArgument; a reply that is not the documented JSON is
// kDataLoss. Messages name the URL and, for HTTP errors, the server's own message.
//
// Thread safety: one call at a time per instance; instances are independent.
#pragma once

#include <memory>
#include <string>

#include "cutroom/status.h"
#include "speech/speech_recognizer.h"
#include "speech/speech_synthesizer.h"

namespace cutroom::integrations {

struct HttpSpeechConfig {
  std::string base_url;  // "http://127.0.0.1:8080" (the "/v1/..." paths are appended)
  std::string api_key;   // sent as "Authorization: Bearer KEY" when not empty
  std::string model = "whisper-1";
  std::string language;  // ISO 639-1 hint; empty lets the server detect it
  long timeout_ms = 600000;         // whole request
  long connect_timeout_ms = 10000;
};

// POST {base}/v1/audio/transcriptions, multipart: file (16-bit WAV), model,
// response_format=verbose_json, timestamp_granularities[]=word. Word times are offset by the
// audio's pts. Words without times in the reply fall back to segment times.
Result<std::unique_ptr<speech::SpeechRecognizer>> CreateHttpRecognizer(HttpSpeechConfig config);

// POST {base}/v1/audio/speech {"model","input","voice","response_format":"wav"}; the WAV reply
// is decoded and word times come from forced alignment of `text` to it (pocketsphinx).
Result<std::unique_ptr<speech::SpeechSynthesizer>> CreateHttpSynthesizer(HttpSpeechConfig config,
                                                                         std::string voice);

// In-memory 16-bit PCM WAV of the first channel (exposed for tests).
std::string EncodeWavMono16(const AudioBuffer& audio);

}  // namespace cutroom::integrations
