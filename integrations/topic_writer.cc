#include "topic_writer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "compose/script.h"
#include "compose/script_text.h"
#include "curl_util.h"

namespace cutroom::integrations {
namespace internal {

// Defined in the .cc that CMakeLists.txt generates from assets/prompts/topic_script.v1.md.
std::string_view TopicPromptVersionText();
std::string_view TopicPromptText();

}  // namespace internal

namespace {

using Json = nlohmann::json;

constexpr int kMaxTopicCodePoints = 500;
constexpr double kWordsPerMinute = 150;  // the rate the prompt asks the model to write for
constexpr double kMinTargetS = 10;
constexpr double kMaxTargetS = 1800;

std::string ReplaceAll(std::string text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string SystemPrompt(double target_s) {
  const long words = std::lround(target_s * kWordsPerMinute / 60.0);
  // A slide every 2-4 sentences of ~13 words: about one per 40 words.
  const long slides = std::max(2L, std::lround(static_cast<double>(words) / 40.0));
  std::string prompt(internal::TopicPromptText());
  prompt =
      ReplaceAll(std::move(prompt), "{{target_seconds}}", std::to_string(std::lround(target_s)));
  prompt = ReplaceAll(std::move(prompt), "{{target_words}}", std::to_string(words));
  return ReplaceAll(std::move(prompt), "{{target_slides}}", std::to_string(slides));
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// The script inside a model's reply: a leading <think>...</think> block (reasoning models) is
// dropped, and when the reply holds a ``` fenced block, only the block's content is kept.
std::string ExtractScript(std::string_view reply) {
  std::string_view text = Trim(reply);
  if (text.substr(0, 7) == "<think>") {
    const size_t end = text.find("</think>");
    if (end != std::string_view::npos) text = Trim(text.substr(end + 8));
  }
  // A reply that starts with a tag is the script itself, even if a slide holds a code block.
  const size_t open =
      text.empty() || text.front() == '[' ? std::string_view::npos : text.find("```");
  if (open != std::string_view::npos) {
    const size_t body = text.find('\n', open);  // the fence line may name a language
    if (body != std::string_view::npos) {
      // The last fence closes the block: fences inside it belong to slides' code blocks.
      const size_t close = text.rfind("```");
      text = text.substr(body + 1, close <= body ? std::string_view::npos : close - body - 1);
    }
  }
  return std::string(Trim(text));
}

// What the job needs beyond ParseScript: a title, and slides with headings as the only visuals
// (a topic has no image, b-roll or music files). Returns the message for the model, or "".
std::string CheckTopicScript(const compose::Script& script) {
  if (script.title.empty()) return "the script has no [title]";
  if (script.visuals.empty()) return "the script has no [slide]; add one before each narration";
  if (!script.music_path.empty()) {
    return "do not use [music]: no music file exists for this video";
  }
  for (size_t i = 0; i < script.visuals.size(); ++i) {
    const compose::Visual& v = script.visuals[i];
    const std::string where =
        "line " + std::to_string(v.at.line) + ", column " + std::to_string(v.at.column) + ": ";
    if (v.kind != compose::VisualKind::kSlide) {
      return where + "do not use [" + std::string(compose::VisualKindName(v.kind)) +
             "]: no files exist for this video, so every visual must be a [slide]";
    }
    if (v.heading.empty()) {
      return where + "this [slide] has no Markdown heading; start it with a line \"# Heading\"";
    }
  }
  return "";
}

Status CheckUrl(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return InvalidArgumentError("LLM server URL must start with http:// or https://, got \"" + url +
                                "\"");
  }
  return Status::Ok();
}

}  // namespace

Result<ChatConfig> ChatConfigFromEnv() {
  const char* url = std::getenv("CUTROOM_LLM_URL");
  if (url == nullptr || Trim(url).empty()) {
    return FailedPreconditionError(
        "topic mode needs an OpenAI-compatible LLM server: set CUTROOM_LLM_URL to its base URL "
        "(for example http://127.0.0.1:8080/v1 for llama.cpp's server), and CUTROOM_LLM_MODEL and "
        "CUTROOM_LLM_API_KEY if the server needs them; or pass a script file instead of a topic");
  }
  ChatConfig config;
  config.base_url = std::string(Trim(url));
  if (const char* model = std::getenv("CUTROOM_LLM_MODEL")) config.model = std::string(Trim(model));
  if (const char* key = std::getenv("CUTROOM_LLM_API_KEY")) config.api_key = std::string(Trim(key));
  CR_RETURN_IF_ERROR(CheckUrl(config.base_url));
  return config;
}

Result<std::string> ChatComplete(const ChatConfig& config, const std::vector<ChatMessage>& messages,
                                 double temperature) {
  CR_RETURN_IF_ERROR(CheckUrl(config.base_url));
  if (messages.empty()) return InvalidArgumentError("chat completion: no messages");
  InitCurlOnce();
  const std::string url = TrimSlash(config.base_url) + "/chat/completions";
  Json request = {{"model", config.model}, {"temperature", temperature}, {"stream", false}};
  Json& list = request["messages"] = Json::array();
  for (const ChatMessage& m : messages) list.push_back({{"role", m.role}, {"content", m.content}});
  std::string body;
  try {
    // Replaces invalid UTF-8 instead of throwing: a topic pasted from elsewhere may hold some.
    body = request.dump(-1, ' ', false, Json::error_handler_t::replace);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("chat completion: cannot encode the request: ") +
                                e.what());
  }
  CurlPtr curl(curl_easy_init());
  if (curl == nullptr) return InternalError("curl_easy_init failed");
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!config.api_key.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + config.api_key).c_str());
  }
  HeaderListPtr header_list(headers);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, header_list.get());
  CR_ASSIGN_OR_RETURN(HttpReply reply, PerformRequest(curl.get(), url, config.timeout_ms,
                                                      config.connect_timeout_ms));
  try {
    const Json j = Json::parse(reply.body);
    if (j.is_object() && j.contains("choices") && j["choices"].is_array() &&
        !j["choices"].empty()) {
      const Json& choice = j["choices"][0];
      if (choice.is_object() && choice.contains("message") && choice["message"].is_object() &&
          choice["message"].contains("content") && choice["message"]["content"].is_string()) {
        return choice["message"]["content"].get<std::string>();
      }
    }
    return DataLossError(url + ": reply has no choices[0].message.content");
  } catch (const std::exception&) {
    return DataLossError(url + ": reply is not valid JSON");
  }
}

std::string TopicPromptVersion() { return std::string(internal::TopicPromptVersionText()); }

Result<std::string> WriteScriptForTopic(const ChatConfig& config, const std::string& topic,
                                        const TopicOptions& options) {
  for (size_t i = 0; i < topic.size();) {
    const compose::DecodedCodePoint d = compose::DecodeUtf8(topic, i);
    if (d.length == 0) return InvalidArgumentError("topic: invalid UTF-8");
    if (d.code_point < 0x20 && d.code_point != '\n' && d.code_point != '\t' &&
        d.code_point != '\r') {
      return InvalidArgumentError("topic: control characters are not allowed");
    }
    i += static_cast<size_t>(d.length);
  }
  const std::string clean = compose::CollapseWhitespace(topic);
  if (clean.empty()) return InvalidArgumentError("topic is empty");
  if (compose::CountCodePoints(clean) > kMaxTopicCodePoints) {
    return InvalidArgumentError(
        "topic is too long: " + std::to_string(compose::CountCodePoints(clean)) +
        " characters, at most " + std::to_string(kMaxTopicCodePoints));
  }
  if (!(options.target_s >= kMinTargetS && options.target_s <= kMaxTargetS)) {
    return InvalidArgumentError("target length must be between 10 s and 30 min");
  }
  if (options.attempts < 1) return InvalidArgumentError("attempts must be at least 1");

  std::vector<ChatMessage> messages = {{"system", SystemPrompt(options.target_s)},
                                       {"user", "Topic: " + clean}};
  std::string last_error;
  for (int attempt = 1; attempt <= options.attempts; ++attempt) {
    CR_ASSIGN_OR_RETURN(std::string reply, ChatComplete(config, messages));
    std::string script = ExtractScript(reply);
    Result<compose::Script> parsed = compose::ParseScript(script);
    last_error = parsed.ok() ? CheckTopicScript(*parsed) : parsed.status().message();
    if (last_error.empty()) return script;
    // The model sees its own reply and the parser's complaint, then writes the script again.
    messages.push_back({"assistant", reply});
    messages.push_back({"user", "That script is not valid: " + last_error +
                                    ". Send the whole corrected script again, in the tagged "
                                    "format only, starting with [title]."});
  }
  return DataLossError("the LLM wrote no valid script in " + std::to_string(options.attempts) +
                       (options.attempts == 1 ? " attempt" : " attempts") + " (prompt " +
                       TopicPromptVersion() + "); the last error: " + last_error);
}

}  // namespace cutroom::integrations
