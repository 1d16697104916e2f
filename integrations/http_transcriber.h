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

#include <cstdint>
#include <memory>
#include <span>
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
  // RecognizeStream() sends the speech in chunks split at silences: a chunk closes at the first
  // pause after chunk_target_s and is cut at chunk_max_s. 240 s of 16 kHz 16-bit mono WAV is
  // 7.7 MB, well under the 25 MB that OpenAI-style servers accept.
  double chunk_target_s = 120;
  double chunk_max_s = 240;  // REQUIRES: >= chunk_target_s > 0
};

// POST {base}/v1/audio/transcriptions, multipart: file (16-bit WAV), model,
// response_format=verbose_json, timestamp_granularities[]=word. Word times are offset by the
// audio's pts. Words without times in the reply fall back to segment times.
//
// Recognize() sends its audio as one request. RecognizeStream() reads the stream in 10 s pieces
// through a speech::SpeechChunker (split at silences per chunk_target_s / chunk_max_s) and sends
// each chunk as its own request, one at a time, in order, so memory holds at most the chunker's
// window (about 2 * chunk_max_s of samples, and the chunks taken from it) plus one chunk's WAV,
// whatever the source's length. Each reply's word times are offset by its chunk's source time;
// the words are concatenated and sentences derived once over all of them, as for Recognize().
// The language is the first reply's. `cancel` is checked before each read and request. An error
// in any chunk fails the whole call with that chunk's error code (a transient one stays
// transient), its message naming the chunk and its time range. A stream with no speech (silence
// only) gives an empty transcript without a request.
Result<std::unique_ptr<speech::SpeechRecognizer>> CreateHttpRecognizer(HttpSpeechConfig config);

// POST {base}/v1/audio/speech {"model","input","voice","response_format":"wav"}; the WAV reply
// is decoded and word times come from forced alignment of `text` to it (pocketsphinx).
Result<std::unique_ptr<speech::SpeechSynthesizer>> CreateHttpSynthesizer(HttpSpeechConfig config,
                                                                         std::string voice);

// In-memory 16-bit PCM WAV of the first channel (exposed for tests).
std::string EncodeWavMono16(const AudioBuffer& audio);
// The same for samples already in 16-bit form (SpeechChunk::pcm).
std::string EncodeWavMono16(std::span<const int16_t> samples, int sample_rate);

}  // namespace cutroom::integrations
