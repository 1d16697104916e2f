// Topic mode of `cutroom compose --topic "..."`: an OpenAI-compatible chat-completions server
// (llama.cpp server, vLLM, Ollama, LocalAI, OpenAI) writes the tagged script. The prompt is
// versioned in the repository (assets/prompts/topic_script.v1.md, compiled in); the reply is
// validated by compose::ParseScript and, when invalid, the model is asked again with the parse
// error (up to `attempts` times).
//
// Configuration comes from the environment (ChatConfigFromEnv): CUTROOM_LLM_URL (base URL, e.g.
// "http://127.0.0.1:8080/v1"), CUTROOM_LLM_MODEL, CUTROOM_LLM_API_KEY (optional). Without
// CUTROOM_LLM_URL, topic mode fails with a message saying how to configure it or to pass a
// script instead.
//
// Errors follow the engine's retry policy like http_transcriber.h: refused/timeouts/429/5xx are
// transient, 401/403 kPermissionDenied, other 4xx kInvalidArgument, malformed replies kDataLoss.
//
// Thread safety: pure functions; each call uses its own connection.
#pragma once

#include <string>
#include <vector>

#include "cutroom/status.h"

namespace cutroom::integrations {

struct ChatConfig {
  std::string base_url;  // ".../v1"; "/chat/completions" is appended
  std::string model;
  std::string api_key;
  long timeout_ms = 120000;
  long connect_timeout_ms = 10000;
};

// From CUTROOM_LLM_URL / CUTROOM_LLM_MODEL / CUTROOM_LLM_API_KEY. Errors: FailedPrecondition
// when CUTROOM_LLM_URL is unset, explaining how to configure it or to pass a script file.
Result<ChatConfig> ChatConfigFromEnv();

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

// POST {base_url}/chat/completions {"model", "messages", "temperature"}; returns
// choices[0].message.content.
Result<std::string> ChatComplete(const ChatConfig& config, const std::vector<ChatMessage>& messages,
                                 double temperature = 0.7);

struct TopicOptions {
  double target_s = 60;  // the length asked for
  int attempts = 3;      // model calls at most
};

// The prompt's version tag ("topic_script.v1").
std::string TopicPromptVersion();

// A tagged script about `topic` that ParseScript accepts (code fences around the reply are
// removed). Errors: empty or over-long topic (InvalidArgument), the server's errors, and after
// `attempts` invalid replies a DataLoss error quoting the last parse error.
Result<std::string> WriteScriptForTopic(const ChatConfig& config, const std::string& topic,
                                        const TopicOptions& options);

}  // namespace cutroom::integrations
