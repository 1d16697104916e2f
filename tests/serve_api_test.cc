// `cutroom serve` API behaviour that needs no media work: sign-in, CSRF, tokens, the
// authorisation matrix over every route, hostile requests, rate limits, health and metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include <filesystem>
#include <map>
#include <set>

#include "serve_fixture.h"

namespace cutroom::testing {
namespace {

using nlohmann::json;

class ServeApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    owner_ = server_.LogIn(kOwnerEmail, kOwnerPassword);
    ws_ = server_.FirstWorkspace(owner_.token);
    ASSERT_GT(ws_, 0);
  }
  HttpReply Owner(const std::string& method, const std::string& target, const std::string& body = "") {
    return server_.client().Send(method, target, ServeFixture::Bearer(owner_.token), body);
  }
  // Adds a member with a new account; returns its login.
  ServeFixture::Login AddMember(int64_t ws, const std::string& email, const std::string& role) {
    json body = {{"email", email}, {"role", role}, {"password", "password-" + email}};
    HttpReply r = server_.client().Send("POST", "/api/v1/workspaces/" + std::to_string(ws) + "/members",
                                        ServeFixture::Bearer(owner_.token), body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return server_.LogIn(email, "password-" + email);
  }

  ServeFixture server_;
  ServeFixture::Login owner_;
  int64_t ws_ = 0;
};

void ExpectJsonError(const HttpReply& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  json j = Json(r);
  ASSERT_TRUE(j.is_object() && j.contains("error")) << r.body;
  EXPECT_EQ(j["error"].value("code", ""), code) << r.body;
  EXPECT_FALSE(j["error"].value("message", "").empty());
  EXPECT_EQ(j["error"].value("request_id", ""), r.Header("x-request-id"));
}

TEST_F(ServeApi, LoginGivesAStrictHttpOnlyCookieAndABearerToken) {
  HttpReply bad = server_.client().Send("POST", "/api/v1/auth/login", {},
                                        json{{"email", kOwnerEmail}, {"password", "wrong password"}}.dump());
  ExpectJsonError(bad, 401, "invalid_credentials");
  HttpReply r = server_.client().Send("POST", "/api/v1/auth/login", {},
                                      json{{"email", "OWNER@example.com"}, {"password", kOwnerPassword}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.Header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_FALSE(r.Header("x-request-id").empty());
  HttpReply me = server_.client().Send("GET", "/api/v1/auth/me", ServeFixture::Bearer(Json(r)["token"]));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me)["user"]["email"], kOwnerEmail);
  EXPECT_EQ(Json(me)["workspaces"][0]["role"], "owner");
  EXPECT_FALSE(Json(me)["user"].contains("password_hash"));

  HttpReply out = server_.client().Send("POST", "/api/v1/auth/logout", ServeFixture::Bearer(Json(r)["token"]));
  EXPECT_EQ(out.status, 204);
  ExpectJsonError(server_.client().Send("GET", "/api/v1/auth/me", ServeFixture::Bearer(Json(r)["token"])), 401,
                  "unauthenticated");
}

TEST_F(ServeApi, CookieWritesNeedTheCsrfToken) {
  Headers cookie = {{"Cookie", owner_.cookie}};
  HttpReply read = server_.client().Send("GET", "/api/v1/auth/me", cookie);
  EXPECT_EQ(read.status, 200) << "reads need no CSRF token";
  std::string body = json{{"name", "Second"}}.dump();
  ExpectJsonError(server_.client().Send("POST", "/api/v1/workspaces", cookie, body), 403, "csrf_failed");
  Headers wrong = {{"Cookie", owner_.cookie}, {"X-CSRF-Token", "not-the-token"}};
  ExpectJsonError(server_.client().Send("POST", "/api/v1/workspaces", wrong, body), 403, "csrf_failed");
  Headers right = {{"Cookie", owner_.cookie}, {"X-CSRF-Token", owner_.csrf}};
  EXPECT_EQ(server_.client().Send("POST", "/api/v1/workspaces", right, body).status, 201);
  EXPECT_EQ(server_.client().Send("POST", "/api/v1/workspaces", ServeFixture::Bearer(owner_.token), body).status, 201)
      << "bearer tokens are not sent by browsers on their own: no CSRF token needed";
}

TEST_F(ServeApi, ApiTokensAreShownOnceAndStopWorkingWhenRevoked) {
  HttpReply made = Owner("POST", "/api/v1/tokens", json{{"name", "ci"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  std::string secret = Json(made)["token"];
  int64_t id = Json(made)["id"];
  HttpReply list = Owner("GET", "/api/v1/tokens");
  EXPECT_EQ(list.body.find(secret), std::string::npos) << "listings never show the secret";
  EXPECT_EQ(Json(list)["items"][0]["prefix"], secret.substr(0, 10));
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/auth/me", ServeFixture::Bearer(secret)).status, 200);
  EXPECT_EQ(Owner("DELETE", "/api/v1/tokens/" + std::to_string(id)).status, 204);
  ExpectJsonError(server_.client().Send("GET", "/api/v1/auth/me", ServeFixture::Bearer(secret)), 401,
                  "unauthenticated");
  // Another user cannot revoke the owner's token.
  HttpReply again = Owner("POST", "/api/v1/tokens", json{{"name", "two"}}.dump());
  ServeFixture::Login viewer = AddMember(ws_, "viewer@example.com", "viewer");
  HttpReply foreign = server_.client().Send("DELETE", "/api/v1/tokens/" + std::to_string(Json(again)["id"].get<int64_t>()),
                                            ServeFixture::Bearer(viewer.token));
  ExpectJsonError(foreign, 404, "not_found");
}

// Every route: anonymous -> 401; a viewer cannot write (403); a member of another workspace
// gets 404 for everything of this one.
TEST_F(ServeApi, AuthorisationMatrixOverEveryRoute) {
  ServeFixture::Login viewer = AddMember(ws_, "viewer@example.com", "viewer");
  ServeFixture::Login stranger = AddMember(ws_, "stranger@example.com", "editor");
  // The stranger leaves for a workspace of their own.
  HttpReply own = server_.client().Send("POST", "/api/v1/workspaces", ServeFixture::Bearer(stranger.token),
                                        json{{"name", "Elsewhere"}}.dump());
  ASSERT_EQ(own.status, 201);
  ASSERT_EQ(Owner("DELETE", "/api/v1/workspaces/" + std::to_string(ws_) + "/members/" +
                                std::to_string(stranger.user_id))
                .status,
            204);
  int checked = 0;
  for (const server::RouteInfo& route : server_.server().Routes()) {
    std::string path = route.pattern;
    auto fill = [&](const std::string& param, const std::string& value) {
      size_t at = path.find("{" + param + "}");
      if (at != std::string::npos) path.replace(at, param.size() + 2, value);
    };
    fill("ws", std::to_string(ws_));
    fill("id", "1");
    fill("clip", "1-1");
    fill("user", std::to_string(viewer.user_id));
    fill("format", "srt");
    SCOPED_TRACE(route.method + " " + path);
    std::string body = route.method == "GET" ? "" : "{}";
    HttpReply anon = server_.client().Send(route.method, path, {}, body);
    if (route.access == "public") {
      EXPECT_NE(anon.status, 401);
      EXPECT_LT(anon.status, 500);
      continue;
    }
    ExpectJsonError(anon, 401, "unauthenticated");
    if (route.access != "workspace") continue;
    HttpReply other = server_.client().Send(route.method, path, ServeFixture::Bearer(stranger.token), body);
    ExpectJsonError(other, 404, "not_found");
    HttpReply as_viewer = server_.client().Send(route.method, path, ServeFixture::Bearer(viewer.token), body);
    if (route.min_role != "viewer") {
      ExpectJsonError(as_viewer, 403, "forbidden");
    } else {
      EXPECT_NE(as_viewer.status, 403) << as_viewer.body;
      EXPECT_LT(as_viewer.status, 500) << as_viewer.body;
    }
    ++checked;
  }
  EXPECT_GE(checked, 25) << "every workspace route is in the matrix";
}

TEST_F(ServeApi, OnlyOwnersGrantOwnershipAndTheLastOwnerStays) {
  ServeFixture::Login admin = AddMember(ws_, "admin@example.com", "admin");
  std::string base = "/api/v1/workspaces/" + std::to_string(ws_) + "/members";
  HttpReply grant = server_.client().Send("POST", base, ServeFixture::Bearer(admin.token),
                                          json{{"email", "x@example.com"}, {"role", "owner"}, {"password", "longenough"}}.dump());
  ExpectJsonError(grant, 403, "forbidden");
  HttpReply leave = Owner("DELETE", base + "/" + std::to_string(owner_.user_id));
  ExpectJsonError(leave, 409, "conflict");
}

TEST_F(ServeApi, HostileRequestsGetJsonErrorsNeverA500) {
  std::string ws = "/api/v1/workspaces/" + std::to_string(ws_);
  ExpectJsonError(Owner("POST", ws + "/brands", "{\"name\": "), 400, "invalid_argument");
  ExpectJsonError(Owner("POST", ws + "/brands", "[1,2,3]"), 400, "invalid_argument");
  ExpectJsonError(Owner("POST", ws + "/brands", json{{"name", 42}}.dump()), 400, "invalid_argument");
  ExpectJsonError(Owner("POST", ws + "/brands", json{{"name", "a"}, {"evil", true}}.dump()), 400, "invalid_argument");
  ExpectJsonError(Owner("POST", ws + "/brands", json{{"name", std::string("a\0b", 3)}}.dump()), 400, "invalid_argument");
  ExpectJsonError(Owner("POST", ws + "/brands", json{{"name", "x"}, {"settings", {{"colors", {{"primary", "red"}}}}}}.dump()),
                  400, "invalid_argument");
  ExpectJsonError(Owner("POST", ws + "/jobs", json{{"kind", "clip"}, {"upload_id", "1"}}.dump()), 400,
                  "invalid_argument");
  ExpectJsonError(Owner("POST", ws + "/jobs", json{{"kind", "clip"}, {"upload_id", 99}, {"clips", 1000}}.dump()), 400,
                  "invalid_argument");
  ExpectJsonError(Owner("GET", ws + "/jobs?limit=abc"), 400, "invalid_argument");
  ExpectJsonError(Owner("GET", ws + "/jobs?state=bogus"), 400, "invalid_argument");
  ExpectJsonError(Owner("GET", "/api/v1/workspaces/1e3/jobs"), 400, "invalid_argument");
  ExpectJsonError(Owner("GET", "/api/v1/workspaces/-1/jobs"), 400, "invalid_argument");
  // Path traversal in every kind of name.
  for (const std::string& target :
       {ws + "/uploads/..%2F..%2Fetc%2Fpasswd", ws + "/clips/..%2F..%2Fetc%2Fpasswd/video",
        ws + "/clips/1-1/captions/..%2F..%2Fetc%2Fpasswd", ws + "/clips/1-1/exports/%2Fetc%2Fpasswd",
        ws + "/jobs/1%00/events"}) {
    HttpReply r = Owner("GET", target);
    EXPECT_GE(r.status, 400) << target;
    EXPECT_LT(r.status, 500) << target << " " << r.body;
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
  }
  for (const char* target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/.env", "/assets/..%2F..%2Fx"}) {
    HttpReply r = server_.client().Send("GET", target);
    EXPECT_EQ(r.status, 404) << target << " " << r.body;
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
  }
  // A JSON body over the 1 MiB limit is refused without being read.
  HttpReply big = Owner("POST", ws + "/brands", json{{"name", std::string(2 << 20, 'a')}}.dump());
  EXPECT_EQ(big.status, 413) << big.body.substr(0, 200);
  // An upload that announces more than the limit is refused before its body.
  std::string raw = "POST " + ws + "/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + owner_.token +
                    "\r\nContent-Length: 99999999999999\r\n\r\n";
  HttpReply huge = ParseReply(server_.client().SendRaw(raw));
  ExpectJsonError(huge, 413, "too_large");
  // Garbage instead of HTTP.
  HttpReply garbage = ParseReply(server_.client().SendRaw("\x16\x03\x01 hello\r\n\r\n"));
  EXPECT_EQ(garbage.status, 400);
  // Unknown routes and methods.
  ExpectJsonError(Owner("GET", "/api/v1/nope"), 404, "not_found");
  ExpectJsonError(Owner("PUT", "/api/v1/workspaces"), 405, "method_not_allowed");
  // The server is still healthy after all that.
  EXPECT_EQ(server_.client().Send("GET", "/healthz").status, 200);
}

TEST_F(ServeApi, UploadsAreProbedAndStoredUnderGeneratedNames) {
  std::string ws = "/api/v1/workspaces/" + std::to_string(ws_);
  WriteFile(server_.dir().File("notes.txt"), "this is not a video\n");
  HttpReply text = server_.client().SendFile("POST", ws + "/uploads?filename=notes.txt",
                                             ServeFixture::Bearer(owner_.token), server_.dir().File("notes.txt"));
  ExpectJsonError(text, 400, "invalid_argument");
  EXPECT_NE(Json(text)["error"]["message"].get<std::string>().find("not a media file"), std::string::npos);
  HttpReply empty = Owner("POST", ws + "/uploads");
  ExpectJsonError(empty, 400, "invalid_argument");

  std::string clip = server_.dir().File("tiny.mp4");
  ASSERT_TRUE(Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 2 -c:v libx264 "
                     "-preset ultrafast -c:a aac -shortest '" + clip + "'"));
  Headers h = ServeFixture::Bearer(owner_.token);
  h.emplace_back("X-Filename", "../../etc/evil\".mp4");
  HttpReply up = server_.client().SendFile("POST", ws + "/uploads", h, clip);
  ASSERT_EQ(up.status, 201) << up.body;
  json u = Json(up);
  EXPECT_EQ(u["filename"], "evil.mp4");
  EXPECT_EQ(u["state"], "ready");
  EXPECT_EQ(u["size_bytes"].get<int64_t>(), static_cast<int64_t>(ReadFile(clip).size()));
  EXPECT_FALSE(u.contains("stored_path"));
  EXPECT_EQ(u["media"]["streams"].size(), 2u) << up.body;
  // Nothing was written outside the data directory, and no partial files stay behind.
  EXPECT_FALSE(FileExists(server_.data_dir() + "/../etc/evil\".mp4"));
  int parts = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(server_.data_dir() + "/uploads")) {
    parts += e.path().extension() == ".part";
  }
  EXPECT_EQ(parts, 0);
  HttpReply got = Owner("GET", ws + "/uploads/" + std::to_string(u["id"].get<int64_t>()));
  EXPECT_EQ(got.status, 200);
}

// Job lists are served from a cache while no job changes; every change must show at once.
TEST_F(ServeApi, JobListsShowEveryChangeAtOnce) {
  std::string ws = "/api/v1/workspaces/" + std::to_string(ws_);
  std::string clip = server_.dir().File("list.mp4");
  ASSERT_TRUE(Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 2 -c:v libx264 "
                     "-preset ultrafast -c:a aac -shortest '" + clip + "'"));
  HttpReply up = server_.client().SendFile("POST", ws + "/uploads?filename=list.mp4", ServeFixture::Bearer(owner_.token), clip);
  ASSERT_EQ(up.status, 201) << up.body;
  auto states = [&] {
    std::map<int64_t, std::string> out;
    json items = Json(Owner("GET", ws + "/jobs?limit=10"))["items"];
    for (const auto& j : items) out[j["id"].get<int64_t>()] = j["state"].get<std::string>();
    return out;
  };
  EXPECT_TRUE(states().empty());
  json job = {{"kind", "clip"}, {"upload_id", Json(up)["id"]}, {"clips", 1}, {"min_s", 1}, {"max_s", 2},
              {"width", 180}, {"height", 320}};
  int64_t first = Json(Owner("POST", ws + "/jobs", job.dump()))["id"];
  EXPECT_EQ(states().count(first), 1u) << "a new job is listed at once";
  ASSERT_EQ(Owner("POST", ws + "/jobs/" + std::to_string(first) + "/cancel").status, 200);
  EXPECT_EQ(states()[first], "cancelled");
  EXPECT_EQ(states()[first], "cancelled") << "and stays so when served again";
  int64_t second = Json(Owner("POST", ws + "/jobs", job.dump()))["id"];
  ASSERT_EQ(Owner("POST", ws + "/jobs/" + std::to_string(second) + "/cancel").status, 200);
  auto now = states();
  EXPECT_EQ(now.size(), 2u);
  EXPECT_EQ(now[second], "cancelled");
}

TEST_F(ServeApi, BrandsAndTheAuditLog) {
  std::string ws = "/api/v1/workspaces/" + std::to_string(ws_);
  json brand = {{"name", "Daily Tech"},
                {"settings", {{"caption_style", "karaoke"}, {"colors", {{"primary", "#FF8800"}}}, {"clips", 3}}}};
  HttpReply made = Owner("POST", ws + "/brands", brand.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  int64_t id = Json(made)["id"];
  ExpectJsonError(Owner("POST", ws + "/brands", brand.dump()), 409, "already_exists");
  HttpReply patched = Owner("PATCH", ws + "/brands/" + std::to_string(id), json{{"name", "Daily Tech 2"}}.dump());
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched)["settings"]["caption_style"], "karaoke") << "a rename keeps the settings";
  HttpReply audit = Owner("GET", ws + "/audit?limit=10");
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::set<std::string> actions;
  json entries = Json(audit)["items"];
  for (const auto& e : entries) actions.insert(e["action"].get<std::string>());
  EXPECT_TRUE(actions.count("brand.create") && actions.count("brand.update")) << audit.body;
  EXPECT_EQ(Owner("DELETE", ws + "/brands/" + std::to_string(id)).status, 204);
  ExpectJsonError(Owner("GET", ws + "/brands/" + std::to_string(id)), 404, "not_found");
}

TEST_F(ServeApi, HealthReadinessAndMetrics) {
  EXPECT_EQ(server_.client().Send("GET", "/healthz").status, 200);
  HttpReply ready = server_.client().Send("GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(Json(ready)["checks"]["database"], "ok");
  EXPECT_EQ(Json(ready)["checks"]["encoders"], "ok");
  Owner("GET", "/api/v1/workspaces");
  HttpReply metrics = server_.client().Send("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.Header("content-type").find("text/plain"), std::string::npos);
  for (const char* needle :
       {"cutroom_http_requests_total{route=\"GET /api/v1/workspaces\",status=\"200\"}",
        "cutroom_http_request_duration_seconds_bucket{route=\"GET /api/v1/workspaces\",le=\"+Inf\"}",
        "cutroom_jobs{state=\"queued\"}", "cutroom_queue_depth", "cutroom_workers_busy",
        "cutroom_http_connections"}) {
    EXPECT_NE(metrics.body.find(needle), std::string::npos) << needle;
  }
}

TEST(ServeRateLimit, BurstsBeyondTheLimitGet429WithRetryAfter) {
  server::ServeOptions options;
  options.rate_per_ip = 2;  // burst 8
  ServeFixture server(options);
  ASSERT_TRUE(server.ok());
  int limited = 0;
  std::string retry_after;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    HttpReply r = server.client().Send("GET", "/api/v1/auth/me");
    if (r.status == 429) {
      ++limited;
      retry_after = r.Header("retry-after");
      EXPECT_EQ(Json(r)["error"]["code"], "rate_limited");
    }
  }
  // The bucket lets through its burst plus 2 per second of however long the requests took (a
  // slow or loaded machine takes longer); everything beyond must be refused.
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int allowed = 8 + static_cast<int>(std::ceil(2 * seconds));
  ASSERT_LT(allowed, 20) << "the requests took " << seconds << " s: too slow to test the limit";
  EXPECT_GE(limited, 20 - allowed);
  EXPECT_GE(std::atoi(retry_after.c_str()), 1);
}

}  // namespace
}  // namespace cutroom::testing
