// Connections over time: timeouts, event streams, concurrency, limits, threads, Stop.
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

#include "http/http_server.h"
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

class HttpConnectionTest : public testing::HttpServerFixture {};

TEST_F(HttpConnectionTest, SlowHeaderIsCutOffAfterTheHeaderTimeout) {
  ServerOptions options;
  options.header_timeout_ms = 300;
  ASSERT_NO_FATAL_FAILURE(StartServer(options));
  RawClient half(port_);
  RawClient silent(port_);
  auto start = Clock::now();
  ASSERT_TRUE(half.Send("GET /slowloris HTTP/1.1\r\nHost: x\r\nX-Partial: "));
  std::string received;
  ASSERT_TRUE(half.WaitForClose(&received));
  auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(5000));
  EXPECT_EQ(received.rfind("HTTP/1.1 408 ", 0), 0u) << received;
  // A connection that never sent a byte is closed too, without a response.
  std::string nothing;
  EXPECT_TRUE(silent.WaitForClose(&nothing));
  EXPECT_EQ(nothing, "");
  EXPECT_EQ(handler_.plan_calls, 0);
}

TEST_F(HttpConnectionTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options;
  options.idle_timeout_ms = 300;
  ASSERT_NO_FATAL_FAILURE(StartServer(options));
  RawClient client(port_);
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/")));
  ASSERT_TRUE(client.ReadResponse().has_value());
  auto start = Clock::now();
  std::string extra;
  EXPECT_TRUE(client.WaitForClose(&extra));
  EXPECT_EQ(extra, "");
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(250));
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(HttpConnectionTest, EventStreamDeliversSendsInOrderAndNoticesTheClientLeaving) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  std::shared_ptr<EventStream> stream;
  {
    RawClient client(port_);
    ASSERT_TRUE(client.Send(MakeRequest("GET", "/events")));
    auto head = client.ReadHead();
    ASSERT_TRUE(head.has_value());
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->Get("content-type"), "text/event-stream");
    EXPECT_FALSE(head->Has("content-length"));
    auto events = client.ReadUntil("data: event 3\n\n");
    ASSERT_TRUE(events.has_value());
    EXPECT_EQ(*events, "data: event 1\n\ndata: event 2\n\ndata: event 3\n\n");
    ASSERT_TRUE(Eventually([&] {
      std::lock_guard<std::mutex> lock(handler_.mu);
      return handler_.stream != nullptr;
    }));
    {
      std::lock_guard<std::mutex> lock(handler_.mu);
      stream = handler_.stream;
    }
    EXPECT_TRUE(stream->IsOpen());
    EXPECT_TRUE(stream->Send("data: later\n\n"));  // Send from a thread that is not the server's
    EXPECT_TRUE(client.ReadUntil("data: later\n\n").has_value());
    EXPECT_EQ(server_->requests_in_flight(), 0) << "an open stream is not a request in flight";
  }  // the client disconnects
  EXPECT_TRUE(Eventually([&] { return !stream->IsOpen(); }));
  EXPECT_FALSE(stream->Send("data: nobody listens\n\n"));
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 0; }));

  // Closing from the server side ends the response after what was queued.
  RawClient second(port_);
  ASSERT_TRUE(second.Send(MakeRequest("GET", "/events")));
  ASSERT_TRUE(second.ReadUntil("data: event 3\n\n").has_value());
  ASSERT_TRUE(Eventually([&] {
    std::lock_guard<std::mutex> lock(handler_.mu);
    return handler_.stream != stream;
  }));
  std::lock_guard<std::mutex> lock(handler_.mu);
  handler_.stream->Send("data: bye\n\n");
  handler_.stream->Close();
  std::string tail;
  EXPECT_TRUE(second.WaitForClose(&tail));
  EXPECT_EQ(tail, "data: bye\n\n");
}

TEST_F(HttpConnectionTest, EventStreamThatFallsTooFarBehindIsClosed) {
  ServerOptions options;
  options.stream_queue_limit_bytes = 64 * 1024;
  ASSERT_NO_FATAL_FAILURE(StartServer(options));
  RawClient client(port_);  // never reads after the head
  ASSERT_TRUE(client.Send(MakeRequest("GET", "/events")));
  ASSERT_TRUE(Eventually([&] {
    std::lock_guard<std::mutex> lock(handler_.mu);
    return handler_.stream != nullptr;
  }));
  std::shared_ptr<EventStream> stream;
  {
    std::lock_guard<std::mutex> lock(handler_.mu);
    stream = handler_.stream;
  }
  std::string chunk(16 * 1024, 'z');
  bool refused = false;
  for (int i = 0; i < 10'000 && !refused; ++i) refused = !stream->Send(chunk);  // ~160 MiB max
  EXPECT_TRUE(refused) << "the queue limit was never enforced";
  EXPECT_FALSE(stream->IsOpen());
}

TEST_F(HttpConnectionTest, Serves200ConcurrentConnections) {
  ServerOptions options;
  options.io_threads = 2;
  ASSERT_NO_FATAL_FAILURE(StartServer(options));
  constexpr int kConnections = 200;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < kConnections; ++i) {
    clients.push_back(std::make_unique<RawClient>(port_));
    ASSERT_TRUE(clients.back()->connected()) << i;
  }
  for (int i = 0; i < kConnections; ++i) {
    ASSERT_TRUE(clients[i]->Send(
        MakeRequest("POST", "/c/" + std::to_string(i), "", "body" + std::to_string(i))));
  }
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == kConnections; }));
  int ok = 0;
  for (int i = 0; i < kConnections; ++i) {
    auto response = clients[i]->ReadResponse();
    if (response && response->status == 200 &&
        response->body == "POST /c/" + std::to_string(i) + "|body" + std::to_string(i)) {
      ++ok;
    }
  }
  EXPECT_EQ(ok, kConnections);
}

TEST_F(HttpConnectionTest, ConnectionsBeyondTheLimitGet503) {
  ServerOptions options;
  options.max_connections = 2;
  ASSERT_NO_FATAL_FAILURE(StartServer(options));
  RawClient a(port_), b(port_);
  for (RawClient* client : {&a, &b}) {
    ASSERT_TRUE(client->Send(MakeRequest("GET", "/")));
    ASSERT_TRUE(client->ReadResponse().has_value());
  }
  RawClient c(port_);
  ASSERT_TRUE(c.connected());
  auto response = c.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 503);
  EXPECT_TRUE(c.WaitForClose());
}

TEST_F(HttpConnectionTest, HandlersRunOffTheIoThreads) {
  ServerOptions options;
  options.io_threads = 2;
  options.handler_threads = 4;
  ASSERT_NO_FATAL_FAILURE(StartServer(options));
  // As many slow handlers as there are I/O threads: if handlers ran on I/O threads, no thread
  // would be left to serve the fast request until a slow one returned.
  RawClient slow_a(port_), slow_b(port_), fast(port_);
  ASSERT_TRUE(slow_a.Send(MakeRequest("GET", "/slow?ms=1500")));
  ASSERT_TRUE(slow_b.Send(MakeRequest("GET", "/slow?ms=1500")));
  ASSERT_TRUE(Eventually([&] { return handler_.handle_calls == 2; }));
  ASSERT_TRUE(fast.Send(MakeRequest("GET", "/fast")));
  auto fast_response = fast.ReadResponse();
  ASSERT_TRUE(fast_response.has_value());
  EXPECT_EQ(fast_response->body, "GET /fast|");
  EXPECT_FALSE(slow_a.Readable() || slow_b.Readable())
      << "the fast request should finish while the slow ones run";
  for (RawClient* slow : {&slow_a, &slow_b}) {
    auto slow_response = slow->ReadResponse();
    ASSERT_TRUE(slow_response.has_value());
    EXPECT_EQ(slow_response->body, "slow done");
  }
}

TEST_F(HttpConnectionTest, StopLetsTheRequestInFlightFinishAndRefusesNewConnections) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RawClient idle(port_);
  ASSERT_TRUE(idle.Send(MakeRequest("GET", "/")));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  RawClient busy(port_);
  ASSERT_TRUE(busy.Send(MakeRequest("GET", "/slow?ms=800")));
  // The slow handler has started (requests_in_flight alone could still count the first request,
  // whose response the client already has but whose write completion may not have run yet).
  ASSERT_TRUE(Eventually([&] { return handler_.handle_calls == 2; }));
  EXPECT_TRUE(Eventually([&] { return server_->requests_in_flight() == 1; }));

  auto stop_start = Clock::now();
  std::thread stopper([&] { server_->Stop(10'000); });
  struct Joiner {
    std::thread& thread;
    ~Joiner() {
      if (thread.joinable()) thread.join();
    }
  } joiner{stopper};
  EXPECT_TRUE(Eventually([&] { return !RawClient(port_).connected(); }, 2000))
      << "new connections are still accepted during Stop";
  EXPECT_TRUE(idle.WaitForClose()) << "an idle keep-alive connection stays open during Stop";
  auto response = busy.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "slow done");
  EXPECT_EQ(response->Get("connection"), "close");
  stopper.join();
  EXPECT_LT(Clock::now() - stop_start, std::chrono::milliseconds(8000));
  EXPECT_EQ(server_->open_connections(), 0);
  EXPECT_EQ(server_->requests_in_flight(), 0);
  server_->Stop(0);  // idempotent
}

TEST_F(HttpConnectionTest, StopWithoutGraceDoesNotWaitForSlowClientsOrStreams) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  RawClient stream_client(port_);
  ASSERT_TRUE(stream_client.Send(MakeRequest("GET", "/events")));
  ASSERT_TRUE(stream_client.ReadUntil("data: event 3\n\n").has_value());
  RawClient half(port_);
  ASSERT_TRUE(half.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc"));
  ASSERT_TRUE(Eventually([&] { return FileSize(handler_.upload_path) >= 0; }));
  auto start = Clock::now();
  server_.reset();  // the destructor is Stop(0)
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(3000));
  EXPECT_TRUE(stream_client.WaitForClose());
  EXPECT_TRUE(Eventually([&] { return FileSize(handler_.upload_path) < 0; }));
  std::lock_guard<std::mutex> lock(handler_.mu);
  ASSERT_NE(handler_.stream, nullptr);
  EXPECT_FALSE(handler_.stream->IsOpen());
  EXPECT_FALSE(handler_.stream->Send("data: after the server is gone\n\n"));
}

}  // namespace
}  // namespace cutroom::server::http
