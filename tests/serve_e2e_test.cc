// `cutroom serve` end to end: log in, upload a generated talk, create a clip job, follow its
// server-sent events to completion, download a clip with a Range request and probe it; review and
// re-style it; Idempotency-Key replays; SSE resume with Last-Event-ID; URL ingest refusing
// private addresses; SIGTERM stops the `cutroom serve` process cleanly.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "serve_fixture.h"

namespace cutroom::testing {
namespace {

using nlohmann::json;

class ServeE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServeFixture();
    ASSERT_TRUE(server_->ok());
    auto gen = testing::Run("'" + CliPath() + "' sample --conversation -o '" + server_->dir().File("talk") + "'");
    ASSERT_EQ(gen.exit_code, 0) << gen.output;
  }
  static void TearDownTestSuite() { delete server_; }
  void SetUp() override {
    login_ = server_->LogIn(kOwnerEmail, kOwnerPassword);
    ws_ = "/api/v1/workspaces/" + std::to_string(server_->FirstWorkspace(login_.token));
  }
  HttpReply Api(const std::string& method, const std::string& target, const std::string& body = "",
                Headers extra = {}) {
    Headers h = ServeFixture::Bearer(login_.token);
    h.insert(h.end(), extra.begin(), extra.end());
    return server_->client().Send(method, target, h, body);
  }
  int64_t UploadTalk() {
    HttpReply up = server_->client().SendFile("POST", ws_ + "/uploads?filename=talk.mp4",
                                              ServeFixture::Bearer(login_.token),
                                              server_->dir().File("talk/conversation.mp4"));
    EXPECT_EQ(up.status, 201) << up.body;
    return Json(up).value("id", 0);
  }
  static json ClipJob(int64_t upload) {
    return {{"kind", "clip"}, {"upload_id", upload}, {"clips", 1},     {"min_s", 8},
            {"max_s", 30},    {"width", 180},        {"height", 320}};
  }
  // Follows the job's events until it ends; returns them.
  std::vector<SseEvent> Follow(int64_t job, const std::string& last_event_id = "") {
    Headers h = ServeFixture::Bearer(login_.token);
    if (!last_event_id.empty()) h.emplace_back("Last-Event-ID", last_event_id);
    int status = 0;
    int fd = server_->client().OpenStream(ws_ + "/jobs/" + std::to_string(job) + "/events", h, &status);
    EXPECT_EQ(status, 200);
    // Until the server ends the stream (it does after the job's last event); 20 minutes at most.
    std::vector<SseEvent> all = ReadEventsFor(fd, 1'200'000, "");
    ::close(fd);
    return all;
  }

  static ServeFixture* server_;
  ServeFixture::Login login_;
  std::string ws_;
};

ServeFixture* ServeE2E::server_ = nullptr;

std::vector<SseEvent> Stored(const std::vector<SseEvent>& events) {
  std::vector<SseEvent> out;
  for (const auto& e : events) {
    if (!e.id.empty()) out.push_back(e);
  }
  return out;
}

TEST_F(ServeE2E, UploadClipFollowEventsDownloadWithRangeAndProbe) {
  int64_t upload = UploadTalk();
  ASSERT_GT(upload, 0);
  HttpReply created = Api("POST", ws_ + "/jobs", ClipJob(upload).dump(), {{"Idempotency-Key", "e2e-1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t job = Json(created)["id"];
  EXPECT_EQ(created.body.find(server_->data_dir()), std::string::npos) << "no server paths in responses";

  std::vector<SseEvent> events = Follow(job);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "job_completed") << events.back().data;
  std::set<std::string> types;
  for (const auto& e : events) types.insert(e.type);
  EXPECT_TRUE(types.count("job_created") && types.count("step_started") && types.count("step_succeeded"));
  EXPECT_TRUE(types.count("progress")) << "live progress from the in-process worker";
  // Event ids increase strictly: a client can resume from any of them.
  int64_t last = 0;
  for (const auto& e : Stored(events)) {
    EXPECT_GT(std::stoll(e.id), last);
    last = std::stoll(e.id);
  }

  // Replaying the same key after the fact returns the first job, not a new one.
  HttpReply replay = Api("POST", ws_ + "/jobs", ClipJob(upload).dump(), {{"Idempotency-Key", "e2e-1"}});
  EXPECT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(Json(replay)["id"], job);

  HttpReply clips = Api("GET", ws_ + "/clips?job=" + std::to_string(job));
  ASSERT_EQ(clips.status, 200) << clips.body;
  ASSERT_EQ(Json(clips)["items"].size(), 1u) << clips.body;
  json clip = Json(clips)["items"][0];
  std::string clip_id = clip["id"];
  EXPECT_GT(clip["score"].get<double>(), 0);
  EXPECT_FALSE(clip["title"].get<std::string>().empty());

  HttpReply head = Api("GET", clip["urls"]["video"].get<std::string>(), "", {{"Range", "bytes=0-99"}});
  EXPECT_EQ(head.status, 206);
  EXPECT_EQ(head.body.size(), 100u);
  EXPECT_EQ(head.Header("content-type"), "video/mp4");
  EXPECT_EQ(head.Header("content-range").rfind("bytes 0-99/", 0), 0u) << head.Header("content-range");
  HttpReply whole = Api("GET", clip["urls"]["video"].get<std::string>());
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body.substr(0, 100), head.body);
  HttpReply tail = Api("GET", clip["urls"]["video"].get<std::string>(), "", {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.body, whole.body.substr(whole.body.size() - 10));
  HttpReply beyond = Api("GET", clip["urls"]["video"].get<std::string>(), "",
                         {{"Range", "bytes=" + std::to_string(whole.body.size()) + "-"}});
  EXPECT_EQ(beyond.status, 416);
  WriteFile(server_->dir().File("downloaded.mp4"), whole.body);
  auto probe = testing::Run("ffprobe -v error -show_entries stream=codec_name,width,height -of csv=p=0 '" +
                   server_->dir().File("downloaded.mp4") + "'");
  EXPECT_EQ(probe.exit_code, 0);
  EXPECT_NE(probe.output.find("h264,180,320"), std::string::npos) << probe.output;
  EXPECT_NE(probe.output.find("aac"), std::string::npos) << probe.output;
  EXPECT_EQ(Api("GET", clip["urls"]["thumbnail"].get<std::string>()).Header("content-type"), "image/jpeg");
  HttpReply vtt = Api("GET", clip["urls"]["vtt"].get<std::string>());
  EXPECT_EQ(vtt.body.rfind("WEBVTT", 0), 0u);
  HttpReply fcpxml = Api("GET", clip["urls"]["fcpxml"].get<std::string>());
  EXPECT_NE(fcpxml.body.find("<fcpxml"), std::string::npos);

  // Review: a rejection needs a reason from the vocabulary.
  std::string reviews = ws_ + "/clips/" + clip_id + "/reviews";
  EXPECT_EQ(Api("POST", reviews, json{{"decision", "reject"}}.dump()).status, 400);
  EXPECT_EQ(Api("POST", reviews, json{{"decision", "reject"}, {"reason", "meh"}}.dump()).status, 400);
  EXPECT_EQ(Api("POST", reviews, json{{"decision", "reject"}, {"reason", "bad_hook"}, {"comment", "slow start"}}.dump()).status,
            201);
  EXPECT_EQ(Json(Api("GET", ws_ + "/clips/" + clip_id))["review"]["reason"], "bad_hook");

  // Edit: a new title is stored; a caption style change renders again without re-analysing.
  HttpReply patched = Api("PATCH", ws_ + "/clips/" + clip_id,
                          json{{"title", "A better title"}, {"caption_style", "karaoke"}}.dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched)["title"], "A better title");
  int64_t render_job = Json(patched)["render_job"]["id"];
  std::vector<SseEvent> render_events = Follow(render_job);
  ASSERT_FALSE(render_events.empty());
  EXPECT_EQ(render_events.back().type, "job_completed") << render_events.back().data;
  HttpReply restyled = Api("GET", clip["urls"]["video"].get<std::string>());
  EXPECT_EQ(restyled.status, 200);
  EXPECT_NE(restyled.body, whole.body) << "the video is now the re-styled render";

  // Trim: a second off the start, on top of the new caption style.
  HttpReply trimmed = Api("PATCH", ws_ + "/clips/" + clip_id, json{{"trim_start_s", 1.0}}.dump());
  ASSERT_EQ(trimmed.status, 200) << trimmed.body;
  std::vector<SseEvent> trim_events = Follow(Json(trimmed)["render_job"]["id"].get<int64_t>());
  ASSERT_FALSE(trim_events.empty());
  EXPECT_EQ(trim_events.back().type, "job_completed") << trim_events.back().data;
  WriteFile(server_->dir().File("trimmed.mp4"), Api("GET", clip["urls"]["video"].get<std::string>()).body);
  auto duration = [](const std::string& file) {
    auto r = testing::Run("ffprobe -v error -show_entries format=duration -of csv=p=0 '" + file + "'");
    return std::atof(r.output.c_str());
  };
  EXPECT_NEAR(duration(server_->dir().File("downloaded.mp4")) - duration(server_->dir().File("trimmed.mp4")), 1.0, 0.1);
  EXPECT_EQ(Api("PATCH", ws_ + "/clips/" + clip_id, json{{"trim_end_s", 500}}.dump()).status, 400)
      << "a trim that leaves nothing is refused";

  // The job's events, resumed from the middle, continue exactly where the client left off.
  std::vector<SseEvent> stored = Stored(events);
  ASSERT_GE(stored.size(), 4u);
  size_t half = stored.size() / 2;
  std::vector<SseEvent> rest = Stored(Follow(job, stored[half - 1].id));
  ASSERT_EQ(rest.size(), stored.size() - half);
  for (size_t i = 0; i < rest.size(); ++i) EXPECT_EQ(rest[i].id, stored[half + i].id);

  HttpReply metrics = server_->client().Send("GET", "/metrics");
  EXPECT_NE(metrics.body.find("cutroom_step_duration_seconds_count{step=\"render\"}"), std::string::npos);
  EXPECT_EQ(metrics.body.find("cutroom_bytes_rendered_total 0\n"), std::string::npos);
}

// A one-shot HTTP server that answers every request with a redirect to `location`.
class Redirector {
 public:
  explicit Redirector(std::string location) : location_(std::move(location)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(fd_, 4);
    thread_ = std::thread([this] {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      (void)::recv(c, buf, sizeof(buf), 0);
      std::string reply = "HTTP/1.1 302 Found\r\nLocation: " + location_ + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(c);
    });
  }
  ~Redirector() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::string location_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(ServeE2E, UrlIngestRefusesPrivateAddressesAndRedirectsToThem) {
  for (const char* url : {"http://127.0.0.1:9/x.mp4", "http://10.0.0.1/x.mp4", "http://[::1]/x.mp4",
                          "http://169.254.169.254/latest/meta-data", "http://localhost/x.mp4", "http://0.0.0.0/"}) {
    HttpReply r = Api("POST", ws_ + "/uploads/url", json{{"url", url}}.dump());
    EXPECT_EQ(r.status, 403) << url << " " << r.body;
    EXPECT_EQ(Json(r)["error"]["code"], "forbidden") << url;
  }
  EXPECT_EQ(Api("POST", ws_ + "/uploads/url", json{{"url", "file:///etc/passwd"}}.dump()).status, 400);
  EXPECT_EQ(Api("POST", ws_ + "/uploads/url", json{{"url", "ftp://example.com/x"}}.dump()).status, 400);
}

TEST(ServeProcess, UrlIngestRechecksRedirectsAndSigtermStopsCleanly) {
  TempDir dir;
  Redirector redirect("http://169.254.169.254/latest/meta-data");
  std::string log = dir.File("serve.log");
  int out_pipe[2];
  ASSERT_EQ(pipe(out_pipe), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(err, 2);
    std::string allow = "127.0.0.1:" + std::to_string(redirect.port());
    execl(CliPath().c_str(), "cutroom", "serve", "--listen", "127.0.0.1:0", "--data", dir.File("data").c_str(),
          "--admin-email", kOwnerEmail, "--admin-password", kOwnerPassword, "--insecure-fast-password-hashing",
          "--allow-fetch", allow.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out_pipe[1]);
  std::string line;
  char c;
  while (line.find('\n') == std::string::npos && read(out_pipe[0], &c, 1) == 1) line += c;
  ASSERT_NE(line.find("listening on http://127.0.0.1:"), std::string::npos) << line << ReadFile(log);
  int port = std::atoi(line.substr(line.rfind(':') + 1).c_str());
  HttpClient client(port);
  HttpReply login = client.Send("POST", "/api/v1/auth/login", {},
                                json{{"email", kOwnerEmail}, {"password", kOwnerPassword}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  Headers auth = ServeFixture::Bearer(Json(login)["token"]);
  std::string ws = "/api/v1/workspaces/" + std::to_string(Json(client.Send("GET", "/api/v1/workspaces", auth))["items"][0]["id"].get<int64_t>());
  std::string url = "http://127.0.0.1:" + std::to_string(redirect.port()) + "/talk.mp4";
  HttpReply accepted = client.Send("POST", ws + "/uploads/url", auth, json{{"url", url}}.dump());
  ASSERT_EQ(accepted.status, 202) << accepted.body << " (the first hop is an allowed address)";
  std::string upload = ws + "/uploads/" + std::to_string(Json(accepted)["id"].get<int64_t>());
  json state;
  for (int i = 0; i < 200; ++i) {
    state = Json(client.Send("GET", upload, auth));
    if (state.value("state", "") != "downloading") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(state.value("state", ""), "failed") << state.dump();
  EXPECT_NE(state.value("error", "").find("169.254.169.254"), std::string::npos) << state.dump();

  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  for (int i = 0; i < 300 && waitpid(pid, &status, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(WIFEXITED(status)) << "cutroom serve did not stop within 15 s of SIGTERM\n" << ReadFile(log);
  EXPECT_EQ(WEXITSTATUS(status), 0) << ReadFile(log);
  EXPECT_NE(ReadFile(log).find("\"stopped\""), std::string::npos) << ReadFile(log);
  EXPECT_EQ(client.Send("GET", "/healthz").status, 0) << "nothing listens after the stop";
  close(out_pipe[0]);
}

}  // namespace
}  // namespace cutroom::testing
