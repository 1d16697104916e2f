// Requests and responses: parsing, bodies, uploads, files, errors.
#include "http/http_server.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "http/http_test_support.h"
#include "test_support.h"

namespace cutroom::server::http {
namespace {

using testing::CurrentRssBytes;
using testing::Eventually;
using testing::FileSize;
using testing::kMemoryLimitBytes;
using testing::MakeRequest;
using testing::RawClient;
using testing::RawResponse;
using testing::TestHandler;
using Clock = std::chrono::steady_clock;

class HttpRequestTest : public testing::HttpServerFixture {};

TEST(PercentDecodeTest, DecodesAndRejectsBadEscapes) {
  EXPECT_EQ(*PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(*PercentDecode("J%C3%B6rg+S", true), "J\xC3\xB6rg S");
  EXPECT_EQ(*PercentDecode("a+b", false), "a+b");
  EXPECT_FALSE(PercentDecode("%4", false).ok());
  EXPECT_FALSE(PercentDecode("%zz", false).ok());
  EXPECT_FALSE(PercentDecode("abc%", false).ok());
  EXPECT_EQ(PercentDecode("%00", false).status().code(), StatusCode::kInvalidArgument);
}

TEST(HttpServerStartTest, BadHostIsInvalidArgumentAndTakenPortIsUnavailable) {
  TestHandler handler;
  ServerOptions options;
  options.host = "no such host.invalid";
  options.port = 0;
  auto bad = HttpServer::Start(options, handler);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);

  options.host = "127.0.0.1";
  auto first = HttpServer::Start(options, handler);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  options.port = (*first)->port();
  auto second = HttpServer::Start(options, handler);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

TEST_F(HttpRequestTest, KeepAliveServesTwoRequestsOnOneConnection) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RawClient client(port_);
  ASSERT_TRUE(client.connected());
  for (const char* path : {"/first", "/second"}) {
    ASSERT_TRUE(client.Send(MakeRequest("GET", path)));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, std::string("GET ") + path + "|");
    EXPECT_EQ(response->Get("server"), "cutroom");
    EXPECT_EQ(response->Get("content-length"), std::to_string(response->body.size()));
    EXPECT_TRUE(response->Has("date"));
    EXPECT_FALSE(response->Has("connection")) << "keep-alive is the HTTP/1.1 default";
  }
  EXPECT_EQ(server_->open_connections(), 1);
  EXPECT_EQ(handler_.handle_calls, 2);
  // Pipelined: two requests in one write, answered in order.
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/p1") + MakeRequest("GET", "/p2")));
  for (const char* path : {"/p1", "/p2"}) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_EQ(response->body, std::string("GET ") + path + "|");
  }
  // "Connection: close" from the client is honoured.
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/third", "Connection: close\r\n")));
  auto last = client.ReadResponse();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->Get("connection"), "close");
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(HttpRequestTest, Http10KeepsAliveOnlyWhenAsked) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RawClient client(port_);
  ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto kept = client.ReadResponse();
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->Get("connection"), "keep-alive");
  ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\n\r\n"));
  auto closed = client.ReadResponse();
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(closed->Get("connection"), "close");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpRequestTest, DecodesPathQueryAndHeaders) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RawClient client(port_);
  ASSERT_TRUE(
      client.Send(MakeRequest("GET", "/a%20b/c%2Fd?x=1&name=J%C3%B6rg+Smith&flag&x=2&&sp%20ace=%26",
                              "X-Custom-Header: Value\r\n")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  Request seen = LastRequest();
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.target, "/a%20b/c%2Fd?x=1&name=J%C3%B6rg+Smith&flag&x=2&&sp%20ace=%26");
  EXPECT_EQ(seen.path, "/a b/c/d");
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(
      seen.query,
      (Pairs{
          {"x", "1"}, {"name", "J\xC3\xB6rg Smith"}, {"flag", ""}, {"x", "2"}, {"sp ace", "&"}}));
  EXPECT_EQ(seen.Query("x"), "1");
  EXPECT_TRUE(seen.HasQuery("flag"));
  EXPECT_FALSE(seen.HasQuery("nope"));
  EXPECT_EQ(seen.Header("x-custom-header"), "Value");
  EXPECT_EQ(seen.Header("host"), "localhost");
  EXPECT_EQ(seen.remote_ip, "127.0.0.1");

  // A bad escape is the client's error: 400, and the handler never sees it.
  int calls = handler_.handle_calls;
  RawClient bad(port_);
  ASSERT_TRUE(bad.Send(MakeRequest("GET", "/files/%zz")));
  auto rejected = bad.ReadResponse();
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->status, 400);
  EXPECT_EQ(rejected->Get("x-test-error"), "with-request");
  EXPECT_EQ(handler_.handle_calls, calls);
}

TEST_F(HttpRequestTest, ReadsJsonBodyIntoMemoryPlainAndChunked) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RawClient client(port_);
  const std::string json = R"({"title":"My clip","tags":["a","b"]})";
  ASSERT_TRUE(
      client.Send(MakeRequest("POST", "/api/jobs", "Content-Type: application/json\r\n", json)));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "POST /api/jobs|" + json);
  EXPECT_EQ(LastRequest().body_bytes, static_cast<int64_t>(json.size()));

  ASSERT_TRUE(
      client.Send("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  auto chunked = client.ReadResponse();
  ASSERT_TRUE(chunked.has_value());
  EXPECT_EQ(chunked->body, "POST /chunked|hello world");

  // "Expect: 100-continue": the body is sent only after the server's interim response.
  ASSERT_TRUE(
      client.Send("POST /expect HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                  "Expect: 100-continue\r\n\r\n"));
  auto interim = client.ReadUntil("\r\n\r\n");
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(*interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(client.Send("ping"));
  auto final_response = client.ReadResponse();
  ASSERT_TRUE(final_response.has_value());
  EXPECT_EQ(final_response->body, "POST /expect|ping");
}

TEST_F(HttpRequestTest, BodyOverTheLimitIs413AndNeverReachesTheHandler) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  {
    RawClient client(port_);
    // Declared too large: answered from the header alone, before any body byte.
    ASSERT_TRUE(client.Send("POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                            std::to_string(kMemoryLimitBytes + 1) + "\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 413);
    EXPECT_EQ(response->Get("connection"), "close");
    EXPECT_TRUE(client.WaitForClose());
  }
  {
    RawClient client(port_);
    // Chunked: found out while reading.
    std::string chunk(16 * 1024, 'x');
    std::string request =
        "POST /api/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 5; ++i) request += "4000\r\n" + chunk + "\r\n";
    request += "0\r\n\r\n";
    ASSERT_TRUE(client.Send(request));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 413);
  }
  EXPECT_EQ(handler_.handle_calls, 0);
  EXPECT_TRUE(Eventually([&] { return server_->requests_in_flight() == 0; }));
}

TEST_F(HttpRequestTest, StreamsA50MegabyteUploadToAFileInConstantMemory) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const std::string source = dir_.File("source.bin");
  constexpr int kMegabytes = 50;
  {
    std::ofstream out(source, std::ios::binary);
    std::string block(1 << 20, '\0');
    std::mt19937 random(42);
    for (int m = 0; m < kMegabytes; ++m) {
      for (char& c : block) c = static_cast<char>(random());
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
    }
  }
  long rss_before = CurrentRssBytes();
  std::atomic<long> rss_peak{rss_before};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      rss_peak = std::max(rss_peak.load(), CurrentRssBytes());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  // curl is a real client; "Expect: 100-continue" makes it wait for the server's go-ahead.
  auto result = cutroom::testing::Run(
      "curl -sS -v --max-time 120 -H 'Expect: 100-continue' -H 'Content-Type: "
      "application/octet-stream' --data-binary @" +
      source + " http://127.0.0.1:" + std::to_string(port_) + "/upload");
  done = true;
  sampler.join();
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("HTTP/1.1 100 Continue"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("POST /upload|"), std::string::npos) << result.output;

  Request seen = LastRequest();
  EXPECT_EQ(seen.body_file, handler_.upload_path);
  EXPECT_TRUE(seen.body.empty());
  EXPECT_EQ(seen.body_bytes, int64_t{kMegabytes} << 20);
  ASSERT_EQ(FileSize(handler_.upload_path), int64_t{kMegabytes} << 20);
  EXPECT_EQ(cutroom::testing::Run("cmp " + source + " " + handler_.upload_path).exit_code, 0);
  long grown = rss_peak - rss_before;
  EXPECT_LT(grown, 20L << 20) << "RSS grew by " << (grown >> 20) << " MiB during a 50 MiB upload";
}

TEST_F(HttpRequestTest, AbortedUploadDeletesThePartialFile) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  {
    RawClient client(port_);
    ASSERT_TRUE(
        client.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"));
    ASSERT_TRUE(client.Send(std::string(1 << 20, 'u')));
    ASSERT_TRUE(Eventually([&] { return FileSize(handler_.upload_path) > 0; }));
  }  // the client goes away mid-body
  EXPECT_TRUE(Eventually([&] { return FileSize(handler_.upload_path) < 0; }))
      << "the partial upload was left on disk";
  EXPECT_EQ(handler_.handle_calls, 0);
}

TEST_F(HttpRequestTest, RejectPlanAnswersAtOnceAndCloses) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RawClient client(port_);
  ASSERT_TRUE(
      client.Send("PUT /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n"
                  "Expect: 100-continue\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 403) << "no 100 Continue for a rejected body";
  EXPECT_EQ(response->body, "uploads are not allowed here");
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_EQ(handler_.handle_calls, 0);
}

TEST_F(HttpRequestTest, MalformedRequestsGet400AndAreClosed) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  for (const char* bytes : {"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
                            "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"}) {
    RawClient client(port_);
    ASSERT_TRUE(client.Send(bytes));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << bytes;
    EXPECT_EQ(response->status, 400) << bytes;
    EXPECT_EQ(response->Get("connection"), "close");
    EXPECT_TRUE(client.WaitForClose()) << bytes;
  }
  EXPECT_EQ(handler_.handle_calls, 0);
}

TEST_F(HttpRequestTest, OversizedHeaderGets431) {
  ServerOptions options;
  options.max_header_bytes = 8 * 1024;
  ASSERT_NO_FATAL_FAILURE(StartServer(options));
  RawClient client(port_);
  ASSERT_TRUE(
      client.Send(MakeRequest("GET", "/", "X-Big: " + std::string(20 * 1024, 'b') + "\r\n")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->Get("x-test-error"), "no-request");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpRequestTest, SendsAFileRangeAndHead) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  std::string content(1'500'000, '\0');
  std::mt19937 random(7);
  for (char& c : content) c = static_cast<char>(random());
  cutroom::testing::WriteFile(handler_.file_path, content);

  RawClient client(port_);
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/file?offset=1000&length=1200000")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  ASSERT_EQ(response->body.size(), 1'200'000u);
  EXPECT_TRUE(response->body == content.substr(1000, 1'200'000)) << "bytes differ";

  // HEAD: the same headers, no body; the next request on the connection proves none was sent.
  ASSERT_TRUE(client.Send(MakeRequest("HEAD", "/file?offset=0&length=1500000")));
  auto head = client.ReadResponse(/*head_request=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Get("content-length"), "1500000");
  ASSERT_TRUE(client.Send(MakeRequest("HEAD", "/hello")));
  auto head_echo = client.ReadResponse(true);
  ASSERT_TRUE(head_echo.has_value());
  EXPECT_EQ(head_echo->Get("content-length"), std::to_string(std::string("HEAD /hello|").size()));
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/after-head")));
  auto after = client.ReadResponse();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->body, "GET /after-head|");

  ASSERT_TRUE(client.Send(MakeRequest("GET", "/file?offset=0&length=10&missing")));
  auto missing = client.ReadResponse();
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, "error 404: file not found");
}

TEST_F(HttpRequestTest, NonsenseResponsesBecome500And204HasNoBody) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RawClient client(port_);
  for (const char* path : {"/bad-status", "/bad-header"}) {
    ASSERT_TRUE(client.Send(MakeRequest("GET", path)));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_EQ(response->status, 500) << path;
    EXPECT_FALSE(response->Has("set-cookie")) << path;
  }
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/no-content")));
  auto empty = client.ReadResponse();
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->status, 204);
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/still-in-sync")));
  auto next = client.ReadResponse();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "GET /still-in-sync|");
}

}  // namespace
}  // namespace cutroom::server::http
