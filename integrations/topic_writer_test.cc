// Topic mode against a fake OpenAI-compatible chat server speaking real HTTP/1.1 over a loopback
// socket on an ephemeral port.
#include "topic_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "compose/script.h"
#include "fake_http_server.h"

namespace cutroom::integrations {
namespace {

using testing::FakeServer;
using ::testing::HasSubstr;
using Json = nlohmann::json;

const char* kValidScript =
    "[title]How tides work[/title]\n"
    "[slide]\n# The Moon pulls\n[/slide]\n"
    "[narration]The Moon pulls on the oceans. That pull makes the tides.[/narration]\n"
    "[slide]\n# Twice a day\n[/slide]\n"
    "[narration]Twice a day, the water rises and falls.[/narration]\n";

// An OpenAI chat completion whose message is `content`.
std::string Completion(const std::string& content) {
  return Json{{"id", "chatcmpl-1"},
              {"object", "chat.completion"},
              {"choices", Json::array({{{"index", 0},
                                        {"message", {{"role", "assistant"}, {"content", content}}},
                                        {"finish_reason", "stop"}}})}}
      .dump();
}

ChatConfig ConfigFor(const FakeServer& server) {
  ChatConfig config;
  config.base_url = server.url() + "/v1/";
  config.model = "llama-3-8b";
  config.api_key = "sekret";
  config.timeout_ms = 5000;
  return config;
}

Json RequestJson(const std::string& request) { return Json::parse(FakeServer::BodyOf(request)); }

TEST(TopicWriterTest, SendsAChatCompletionAndReturnsAValidScript) {
  FakeServer server;
  server.Reply(200, "application/json", Completion(kValidScript));
  TopicOptions options;
  options.target_s = 90;
  Result<std::string> script = WriteScriptForTopic(ConfigFor(server), "  How tides work ", options);
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  EXPECT_TRUE(compose::ParseScript(*script).ok());
  EXPECT_THAT(*script, HasSubstr("[title]How tides work[/title]"));

  ASSERT_EQ(server.requests().size(), 1u);
  const std::string request = server.last_request();
  EXPECT_THAT(request, HasSubstr("POST /v1/chat/completions HTTP/1.1"));
  EXPECT_THAT(request, HasSubstr("Authorization: Bearer sekret"));
  EXPECT_THAT(request, HasSubstr("Content-Type: application/json"));
  const Json body = RequestJson(request);
  EXPECT_EQ(body["model"], "llama-3-8b");
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  const std::string prompt = body["messages"][0]["content"];
  EXPECT_THAT(prompt, HasSubstr("[narration]"));
  EXPECT_THAT(prompt, HasSubstr("about 225"));  // 90 s at 150 words per minute
  EXPECT_THAT(prompt, ::testing::Not(HasSubstr("{{")));
  EXPECT_EQ(body["messages"][1]["role"], "user");
  EXPECT_EQ(body["messages"][1]["content"], "Topic: How tides work");
}

TEST(TopicWriterTest, CodeFencesAroundTheReplyAreRemoved) {
  FakeServer server;
  server.Reply(200, "application/json",
               Completion("Here is your script:\n```text\n" + std::string(kValidScript) + "```\n"));
  ChatConfig config = ConfigFor(server);
  config.api_key.clear();
  Result<std::string> script = WriteScriptForTopic(config, "tides", {});
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  EXPECT_EQ(script->rfind("[title]", 0), 0u);
  EXPECT_THAT(server.last_request(), ::testing::Not(HasSubstr("Authorization")));
}

TEST(TopicWriterTest, AnInvalidReplyIsSentBackWithTheParseError) {
  FakeServer server;
  server.QueueReply(200, "application/json",
                    Completion("[title]Tides[/title]\n[slide]# Moon[/slide]\nThe Moon pulls."));
  server.Reply(200, "application/json", Completion(kValidScript));
  Result<std::string> script = WriteScriptForTopic(ConfigFor(server), "tides", {});
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  const std::vector<std::string> requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  const Json second = RequestJson(requests[1]);
  ASSERT_EQ(second["messages"].size(), 4u);
  EXPECT_EQ(second["messages"][2]["role"], "assistant");
  EXPECT_THAT(second["messages"][2]["content"].get<std::string>(), HasSubstr("The Moon pulls."));
  EXPECT_EQ(second["messages"][3]["role"], "user");
  // The parser's own message, with its position: text outside tags at line 3, column 1.
  EXPECT_THAT(second["messages"][3]["content"].get<std::string>(), HasSubstr("line 3, column 1"));
}

TEST(TopicWriterTest, ThreeInvalidRepliesAreDataLossQuotingTheError) {
  FakeServer server;
  // Parses, but shows an image the job has no file for.
  server.Reply(200, "application/json",
               Completion("[title]Tides[/title][image]a photo of the sea[/image]"
                          "[narration]The sea rises.[/narration]"));
  Result<std::string> script = WriteScriptForTopic(ConfigFor(server), "tides", {});
  ASSERT_FALSE(script.ok());
  EXPECT_EQ(script.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(script.status().message(), HasSubstr("3 attempts"));
  EXPECT_THAT(script.status().message(), HasSubstr("do not use [image]"));
  EXPECT_EQ(server.requests().size(), 3u);

  server.Reply(200, "application/json", Completion("[title]Tides[/title][slide]# Sea"));
  TopicOptions once;
  once.attempts = 1;
  script = WriteScriptForTopic(ConfigFor(server), "tides", once);
  ASSERT_FALSE(script.ok());
  EXPECT_EQ(script.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(script.status().message(), HasSubstr("never closed"));
}

TEST(TopicWriterTest, AScriptWithoutASlideIsRejected) {
  FakeServer server;
  server.Reply(200, "application/json",
               Completion("[title]Tides[/title][narration]The sea rises.[/narration]"));
  TopicOptions once;
  once.attempts = 1;
  Result<std::string> script = WriteScriptForTopic(ConfigFor(server), "tides", once);
  ASSERT_FALSE(script.ok());
  EXPECT_THAT(script.status().message(), HasSubstr("no [slide]"));
}

TEST(TopicWriterTest, ServerErrorsMapToTheRetryPolicy) {
  FakeServer server;
  server.Reply(500, "application/json", R"({"error":{"message":"out of memory"}})");
  Result<std::string> script = WriteScriptForTopic(ConfigFor(server), "tides", {});
  EXPECT_EQ(script.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(script.status().message(), HasSubstr("out of memory"));
  EXPECT_EQ(server.requests().size(), 1u);  // a server error is not a bad script: no re-ask

  server.Reply(401, "application/json", R"({"error":{"message":"invalid api key"}})");
  script = WriteScriptForTopic(ConfigFor(server), "tides", {});
  EXPECT_EQ(script.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(script.status().message(), HasSubstr("invalid api key"));

  server.Reply(400, "application/json", R"({"error":{"message":"model not found"}})");
  EXPECT_EQ(WriteScriptForTopic(ConfigFor(server), "tides", {}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(TopicWriterTest, MalformedRepliesAreDataLoss) {
  FakeServer server;
  server.Reply(200, "application/json", "{\"choices\": [");
  Result<std::string> script = WriteScriptForTopic(ConfigFor(server), "tides", {});
  ASSERT_FALSE(script.ok());
  EXPECT_EQ(script.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(script.status().message(), HasSubstr("not valid JSON"));

  server.Reply(200, "application/json", R"({"choices": []})");
  script = WriteScriptForTopic(ConfigFor(server), "tides", {});
  EXPECT_EQ(script.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(script.status().message(), HasSubstr("choices[0].message.content"));
}

TEST(TopicWriterTest, ConnectionRefusedIsRetryable) {
  std::string url;
  {
    FakeServer closed;  // bound then closed: nothing listens on its port afterwards
    url = closed.url();
  }
  ChatConfig config;
  config.base_url = url + "/v1";
  EXPECT_EQ(WriteScriptForTopic(config, "tides", {}).status().code(), StatusCode::kUnavailable);
}

TEST(TopicWriterTest, BadTopicsAndUrlsAreRejectedBeforeAnyCall) {
  FakeServer server;
  server.Reply(200, "application/json", Completion(kValidScript));
  EXPECT_EQ(WriteScriptForTopic(ConfigFor(server), " \n ", {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteScriptForTopic(ConfigFor(server), std::string(501, 'a'), {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(server.requests().empty());
  ChatConfig config;
  config.base_url = "ftp://example/v1";
  EXPECT_EQ(WriteScriptForTopic(config, "tides", {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(TopicWriterTest, ConfigComesFromTheEnvironment) {
  unsetenv("CUTROOM_LLM_URL");
  Result<ChatConfig> config = ChatConfigFromEnv();
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(config.status().message(), HasSubstr("CUTROOM_LLM_URL"));
  EXPECT_THAT(config.status().message(), HasSubstr("pass a script file"));

  setenv("CUTROOM_LLM_URL", "http://127.0.0.1:8080/v1", 1);
  setenv("CUTROOM_LLM_MODEL", "qwen2.5-7b", 1);
  setenv("CUTROOM_LLM_API_KEY", "k", 1);
  config = ChatConfigFromEnv();
  unsetenv("CUTROOM_LLM_URL");
  unsetenv("CUTROOM_LLM_MODEL");
  unsetenv("CUTROOM_LLM_API_KEY");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->base_url, "http://127.0.0.1:8080/v1");
  EXPECT_EQ(config->model, "qwen2.5-7b");
  EXPECT_EQ(config->api_key, "k");
}

TEST(TopicWriterTest, ThePromptVersionIsTheFileName) {
  EXPECT_EQ(TopicPromptVersion(), "topic_script.v1");
}

}  // namespace
}  // namespace cutroom::integrations
