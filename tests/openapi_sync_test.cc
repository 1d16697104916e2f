// api/openapi.yaml against the server: the spec lists exactly the server's routes (both ways, with
// the same access rules), it is self-consistent (path parameters declared, the Error schema on
// every error status, strict request bodies), and real responses of the in-process server conform
// to its schemas, checked by support/openapi_check.h, which is shown to fail on wrong bodies.
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <set>

#include "openapi_check.h"
#include "serve_fixture.h"

namespace cutroom::testing {
namespace {

using nlohmann::json;

const OpenApiSpec* Spec() {
  static const std::unique_ptr<OpenApiSpec> spec = [] {
    std::string error;
    auto loaded = OpenApiSpec::Load(SourceDir() + "/api/openapi.yaml", &error);
    EXPECT_NE(loaded, nullptr) << error;
    return loaded;
  }();
  return spec.get();
}

std::string Str(const std::pair<std::string, std::string>& op) { return op.first + " " + op.second; }

TEST(OpenApiSpecTest, LoadsAsJsonOpenApi303) {
  const OpenApiSpec* spec = Spec();
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->document()["openapi"], "3.0.3");
  EXPECT_NE(spec->document()["info"]["description"].get<std::string>().find("JSON syntax"), std::string::npos);
  for (const char* scheme : {"bearerAuth", "sessionCookie", "csrfHeader"}) {
    EXPECT_TRUE(spec->document()["components"]["securitySchemes"].contains(scheme)) << scheme;
  }
  EXPECT_EQ(spec->document()["components"]["securitySchemes"]["sessionCookie"]["name"], "cutroom_session");
  EXPECT_EQ(spec->document()["components"]["securitySchemes"]["csrfHeader"]["name"], "X-CSRF-Token");
  std::string error;
  EXPECT_EQ(OpenApiSpec::Load(SourceDir() + "/api/no-such-file.yaml", &error), nullptr);
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

// Lint: what every operation of this API must say, so that the spec stays precise as it grows.
TEST(OpenApiSpecTest, EveryOperationIsComplete) {
  const OpenApiSpec* spec = Spec();
  ASSERT_NE(spec, nullptr);
  std::set<std::string> operation_ids;
  for (const auto& [method, path] : spec->Operations()) {
    SCOPED_TRACE(method + " " + path);
    const json& op = *spec->Operation(method, path);
    ASSERT_TRUE(op.contains("operationId"));
    EXPECT_TRUE(operation_ids.insert(op["operationId"].get<std::string>()).second) << "duplicate operationId";
    std::string access = op.value("x-cutroom-access", "");
    EXPECT_TRUE(access == "public" || access == "user" || access == "workspace") << access;

    // Every {param} of the template is declared as a required path parameter, and nothing else is.
    std::set<std::string> in_template, declared;
    for (size_t i = path.find('{'); i != std::string::npos; i = path.find('{', i + 1)) {
      in_template.insert(path.substr(i + 1, path.find('}', i) - i - 1));
    }
    for (const json& p : op.value("parameters", json::array())) {
      const json* param = spec->Resolve(p);
      ASSERT_NE(param, nullptr);
      if ((*param)["in"] == "path") {
        declared.insert((*param)["name"].get<std::string>());
        EXPECT_EQ((*param)["required"], true);
      }
    }
    EXPECT_EQ(in_template, declared);

    // Security: none for public routes; the CSRF header with the cookie for writes.
    ASSERT_TRUE(op.contains("security"));
    bool write = method != "GET";
    if (access == "public") {
      EXPECT_TRUE(op["security"].empty());
    } else {
      EXPECT_EQ(op["security"].size(), 2u);
      for (const json& alternative : op["security"]) {
        if (alternative.contains("sessionCookie")) {
          EXPECT_EQ(alternative.contains("csrfHeader"), write);
        }
      }
    }

    // JSON request bodies reject unknown fields, as the server does.
    if (op.contains("requestBody")) {
      const json& content = op["requestBody"]["content"];
      if (content.contains("application/json")) {
        const json* schema = spec->Resolve(content["application/json"]["schema"]);
        ASSERT_NE(schema, nullptr);
        EXPECT_EQ((*schema)["type"], "object");
        EXPECT_EQ((*schema)["additionalProperties"], false);
      }
    }

    // Responses: X-Request-Id on all; the Error schema on every 4xx/5xx (but the empty 416 of file
    // downloads); 429 and 500 everywhere; 401 on signed-in routes; 404 on workspace routes.
    const json& responses = op["responses"];
    for (const auto& [status, r] : responses.items()) {
      SCOPED_TRACE(status);
      const json* response = spec->Resolve(r);
      ASSERT_NE(response, nullptr);
      EXPECT_TRUE((*response)["headers"].contains("X-Request-Id"));
      if (status[0] != '4' && status[0] != '5') continue;
      if (status == "416") {
        EXPECT_FALSE(response->contains("content"));
        continue;
      }
      const json& schema = (*response)["content"]["application/json"]["schema"];
      bool error_schema = schema.value("$ref", "") == "#/components/schemas/Error";
      for (const json& alternative : schema.value("oneOf", json::array())) {
        error_schema = error_schema || alternative.value("$ref", "") == "#/components/schemas/Error";
      }
      EXPECT_TRUE(error_schema) << schema.dump();
    }
    for (const char* status : {"429", "500"}) EXPECT_TRUE(responses.contains(status)) << status;
    if (access != "public") {
      EXPECT_TRUE(responses.contains("401"));
    }
    if (access == "workspace") {
      EXPECT_TRUE(responses.contains("404") && responses.contains("400"));
    }
    if (write && access != "public") {
      EXPECT_TRUE(responses.contains("403"));
    }
  }
}

// The checker itself: it must fail where a response breaks the contract.
TEST(OpenApiCheckTest, ReportsWrongBodiesStatusesAndOperations) {
  const OpenApiSpec* spec = Spec();
  ASSERT_NE(spec, nullptr);
  const std::string ws = "/api/v1/workspaces/7";
  json good = {{"id", 7}, {"name", "Default"}, {"role", "owner"}, {"created_at_ms", 1700000000000}};
  EXPECT_EQ(spec->CheckResponse("GET", ws, 200, "application/json", good.dump()), "");
  EXPECT_EQ(spec->CheckResponse("GET", ws + "?x=1", 200, "application/json; charset=utf-8", good.dump()), "");
  EXPECT_EQ(spec->CheckResponse("HEAD", ws, 200, "application/json", ""), "") << "HEAD is answered like GET";

  auto expect_problem = [&](const std::string& method, const std::string& target, int status, const std::string& body,
                            const std::string& wanted) {
    std::string problem = spec->CheckResponse(method, target, status, "application/json", body);
    EXPECT_NE(problem.find(wanted), std::string::npos) << "wanted \"" << wanted << "\" in \"" << problem << "\"";
  };
  json wrong = good;
  wrong["id"] = "7";
  expect_problem("GET", ws, 200, wrong.dump(), "$.id: expected integer, got string");
  wrong = good;
  wrong["id"] = 7.5;
  expect_problem("GET", ws, 200, wrong.dump(), "$.id: expected integer");
  wrong = good;
  wrong.erase("created_at_ms");
  expect_problem("GET", ws, 200, wrong.dump(), "$.created_at_ms: required");
  wrong = good;
  wrong["secret"] = "x";
  expect_problem("GET", ws, 200, wrong.dump(), "$.secret: not allowed");
  wrong = good;
  wrong["role"] = "superuser";
  expect_problem("GET", ws, 200, wrong.dump(), "$.role: \"superuser\" is not one of");
  wrong = good;
  wrong["name"] = nullptr;
  expect_problem("GET", ws, 200, wrong.dump(), "$.name: expected string, got null");
  wrong = good;
  wrong["id"] = 0;
  expect_problem("GET", ws, 200, wrong.dump(), "$.id: 0 is below the minimum 1");
  json list = {{"items", {good, good}}};
  list["items"][1]["role"] = 3;
  expect_problem("GET", "/api/v1/workspaces", 200, list.dump(), "$.items[1].role: expected string, got integer");
  expect_problem("GET", ws, 200, "{not json", "not valid JSON");
  expect_problem("GET", ws, 201, good.dump(), "status 201 is not documented");
  expect_problem("PUT", ws, 200, good.dump(), "no such operation");
  expect_problem("GET", "/api/v1/nothing/here", 200, "{}", "no such operation");
  expect_problem("DELETE", ws + "/brands/3", 204, "{}", "documents no body");
  // Errors: the Error schema everywhere.
  json error = {{"error", {{"code", "not_found"}, {"message", "gone"}, {"request_id", "req_1"}}}};
  EXPECT_EQ(spec->CheckResponse("GET", ws + "/brands/3", 404, "application/json", error.dump()), "");
  error["error"]["code"] = "NotFound";
  expect_problem("GET", ws + "/brands/3", 404, error.dump(), "$.error.code:");
  // Non-JSON content: only the status is checked.
  EXPECT_EQ(spec->CheckResponse("GET", "/metrics", 200, "text/plain; version=0.0.4", "# HELP x\n"), "");
  EXPECT_EQ(spec->CheckResponse("GET", ws + "/clips/3-1/video", 206, "video/mp4", "bytes"), "");
  expect_problem("GET", ws + "/clips/3-1/video", 302, "", "status 302 is not documented");
  // A literal segment wins over a parameter: POST .../uploads/url is not .../uploads/{id}.
  json upload = {{"id", 1},           {"workspace_id", 7},   {"filename", "download"}, {"size_bytes", 0},
                 {"state", "downloading"}, {"created_at_ms", 1}, {"source_url", "https://example.com/a.mp4"}};
  EXPECT_EQ(spec->CheckResponse("POST", ws + "/uploads/url", 202, "application/json", upload.dump()), "");
  // Nullable fields take null, and only those.
  EXPECT_EQ(spec->CheckResponse("GET", ws + "/jobs", 200, "application/json", R"({"items":[],"next_after":null})"), "");
  expect_problem("GET", ws + "/jobs", 200, R"({"items":[],"next_after":"2"})", "$.next_after: expected integer");
  expect_problem("GET", ws + "/uploads", 200, R"({"items":[],"next_after":null})", "$.next_after: expected integer, got null");
  // Nested $refs and allOf + nullable: a job's step error.
  json job = {{"id", 3},           {"kind", "clip"},  {"state", "failed"},      {"options", {{"clips", "5"}}},
              {"workspace_id", "7"}, {"brand_id", ""}, {"created_at_ms", 1},     {"updated_at_ms", 2},
              {"started_at_ms", 1},  {"finished_at_ms", 2}, {"cpu_seconds", 0.5}, {"error", nullptr}};
  EXPECT_EQ(spec->CheckResponse("GET", ws + "/jobs/3", 200, "application/json", job.dump()), "");
  job["options"]["clips"] = 5;
  expect_problem("GET", ws + "/jobs/3", 200, job.dump(), "$.options.clips: expected string, got integer");
  job["options"]["clips"] = "5";
  job["error"] = {{"code", "Internal"}};
  expect_problem("GET", ws + "/jobs/3", 200, job.dump(), "$.error.message: required but missing");
  // The schemas by name.
  EXPECT_EQ(spec->CheckSchema("ProgressEvent", {{"job_id", 1}, {"step", "render[1]"}, {"fraction", 0.5}, {"message", ""}}),
            "");
  EXPECT_NE(spec->CheckSchema("ProgressEvent", {{"job_id", 1}, {"step", "x"}, {"fraction", 2}, {"message", ""}}), "");
  EXPECT_NE(spec->CheckSchema("NoSuchSchema", json::object()), "");
}

class OpenApiServe : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(Spec(), nullptr);
    ASSERT_TRUE(server_.ok());
  }

  // Sends the request and checks the reply against the spec (and that it carries X-Request-Id).
  HttpReply Call(const std::string& method, const std::string& target, const Headers& headers,
                 const std::string& body = "") {
    HttpReply r = server_.client().Send(method, target, headers, body);
    Check(method, target, r);
    return r;
  }
  void Check(const std::string& method, const std::string& target, const HttpReply& r) {
    ++checked_;
    EXPECT_FALSE(r.Header("x-request-id").empty()) << method << " " << target;
    EXPECT_EQ(Spec()->CheckResponse(method, target, r.status, r.Header("content-type"), r.body), "")
        << method << " " << target << " -> " << r.status << "\n" << r.body.substr(0, 2000);
  }
  HttpReply Owner(const std::string& method, const std::string& target, const std::string& body = "",
                  Headers extra = {}) {
    Headers h = ServeFixture::Bearer(owner_.token);
    h.insert(h.end(), extra.begin(), extra.end());
    return Call(method, target, h, body);
  }

  ServeFixture server_;
  ServeFixture::Login owner_;
  int checked_ = 0;
};

TEST_F(OpenApiServe, EveryRouteIsInTheSpecAndEveryOperationIsARoute) {
  std::map<std::pair<std::string, std::string>, server::RouteInfo> routes;
  for (const server::RouteInfo& r : server_.server().Routes()) {
    EXPECT_TRUE(routes.emplace(std::make_pair(r.method, r.pattern), r).second) << "route twice: " << r.method << " "
                                                                               << r.pattern;
  }
  std::set<std::pair<std::string, std::string>> operations;
  for (const auto& op : Spec()->Operations()) operations.insert(op);
  ASSERT_GT(routes.size(), 40u);

  for (const auto& [key, route] : routes) {
    EXPECT_TRUE(operations.count(key)) << "route missing from api/openapi.yaml: " << Str(key);
    const json* op = Spec()->Operation(key.first, key.second);
    if (op == nullptr) continue;
    EXPECT_EQ(op->value("x-cutroom-access", ""), route.access) << Str(key);
    EXPECT_EQ(op->value("x-cutroom-min-role", ""), route.min_role) << Str(key);
  }
  for (const auto& key : operations) {
    EXPECT_TRUE(routes.count(key)) << "api/openapi.yaml documents an operation the server does not have: " << Str(key);
  }
}

TEST_F(OpenApiServe, AuthWorkspaceAndBrandResponsesConform) {
  const Headers none;
  Headers json_type = {{"Content-Type", "application/json"}};
  // Sign-in: failed and successful; the caller as seen with a token and with the cookie.
  Call("POST", "/api/v1/auth/login", json_type, json{{"email", kOwnerEmail}, {"password", "wrong"}}.dump());
  Call("POST", "/api/v1/auth/login", json_type, json{{"email", kOwnerEmail}, {"extra", 1}}.dump());
  HttpReply login = Call("POST", "/api/v1/auth/login", json_type,
                         json{{"email", kOwnerEmail}, {"password", kOwnerPassword}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  owner_.token = Json(login)["token"];
  owner_.csrf = Json(login)["csrf_token"];
  owner_.cookie = login.Header("set-cookie").substr(0, login.Header("set-cookie").find(';'));
  Call("GET", "/api/v1/auth/me", none);  // 401
  HttpReply me = Owner("GET", "/api/v1/auth/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_FALSE(Json(me).contains("csrf_token"));
  HttpReply me_cookie = Call("GET", "/api/v1/auth/me", {{"Cookie", owner_.cookie}});
  ASSERT_EQ(me_cookie.status, 200);
  EXPECT_EQ(Json(me_cookie)["csrf_token"], owner_.csrf);
  Call("POST", "/api/v1/auth/setup", json_type,
       json{{"setup_token", "x"}, {"email", "a@b.c"}, {"password", "pw"}}.dump());  // 409: users exist

  // Workspaces.
  HttpReply list = Owner("GET", "/api/v1/workspaces");
  ASSERT_EQ(list.status, 200);
  Call("POST", "/api/v1/workspaces", {{"Cookie", owner_.cookie}}, json{{"name", "No CSRF"}}.dump());  // 403
  HttpReply created = Call("POST", "/api/v1/workspaces", {{"Cookie", owner_.cookie}, {"X-CSRF-Token", owner_.csrf}},
                           json{{"name", "Second"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  Owner("POST", "/api/v1/workspaces", json{{"name", "x"}, {"colour", "red"}}.dump());  // 400
  const std::string ws = "/api/v1/workspaces/" + std::to_string(Json(created)["id"].get<int64_t>());
  EXPECT_EQ(Owner("GET", ws).status, 200);
  EXPECT_EQ(Owner("GET", "/api/v1/workspaces/999999").status, 404);
  EXPECT_EQ(Owner("GET", "/api/v1/workspaces/abc").status, 400);

  // Members and the audit log.
  HttpReply member = Owner("POST", ws + "/members",
                           json{{"email", "ed@example.com"}, {"role", "editor"}, {"password", "pw-ed-1234"}}.dump());
  ASSERT_EQ(member.status, 201) << member.body;
  int64_t ed = Json(member)["user_id"];
  EXPECT_EQ(Owner("GET", ws + "/members").status, 200);
  EXPECT_EQ(Owner("PATCH", ws + "/members/" + std::to_string(ed), json{{"role", "viewer"}}.dump()).status, 204);
  ServeFixture::Login viewer = server_.LogIn("ed@example.com", "pw-ed-1234");
  EXPECT_EQ(Call("POST", ws + "/brands", ServeFixture::Bearer(viewer.token), json{{"name", "V"}}.dump()).status, 403);
  EXPECT_EQ(Call("GET", ws + "/brands", ServeFixture::Bearer(viewer.token)).status, 200);
  EXPECT_EQ(Owner("DELETE", ws + "/members/" + std::to_string(ed)).status, 204);
  EXPECT_EQ(Owner("GET", ws + "/audit?limit=2").status, 200);
  EXPECT_EQ(Owner("GET", ws + "/audit?limit=0").status, 400);

  // API tokens.
  HttpReply token = Owner("POST", "/api/v1/tokens", json{{"name", "ci"}}.dump());
  ASSERT_EQ(token.status, 201) << token.body;
  EXPECT_EQ(Call("GET", "/api/v1/tokens", ServeFixture::Bearer(Json(token)["token"])).status, 200);
  EXPECT_EQ(Owner("DELETE", "/api/v1/tokens/" + std::to_string(Json(token)["id"].get<int64_t>())).status, 204);
  EXPECT_EQ(Owner("GET", "/api/v1/tokens").status, 200);
  EXPECT_EQ(Owner("DELETE", "/api/v1/tokens/999999").status, 404);

  // Brands: create, list, get, update, delete, then a 404.
  json brand = {{"name", "Daily Tech"},
                {"settings", {{"caption_style", "karaoke"}, {"colors", {{"primary", "#FF8800"}}}, {"clips", 3},
                              {"min_s", 10.5}, {"auto_approve", false}, {"aspect", "1:1"}}}};
  HttpReply made = Owner("POST", ws + "/brands", brand.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  std::string brand_url = ws + "/brands/" + std::to_string(Json(made)["id"].get<int64_t>());
  EXPECT_EQ(Owner("POST", ws + "/brands", brand.dump()).status, 409);
  EXPECT_EQ(Owner("POST", ws + "/brands", json{{"name", "B"}, {"settings", {{"colour", 1}}}}.dump()).status, 400);
  EXPECT_EQ(Owner("GET", ws + "/brands").status, 200);
  EXPECT_EQ(Owner("GET", brand_url).status, 200);
  EXPECT_EQ(Owner("PATCH", brand_url, json{{"name", "Daily Tech 2"}}.dump()).status, 200);
  EXPECT_EQ(Owner("DELETE", brand_url).status, 204);
  HttpReply gone = Owner("GET", brand_url);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(Json(gone)["error"]["code"], "not_found");

  // Lists that are empty in a new workspace.
  EXPECT_EQ(Owner("GET", ws + "/uploads").status, 200);
  EXPECT_EQ(Owner("GET", ws + "/jobs").status, 200);
  EXPECT_EQ(Owner("GET", ws + "/jobs?state=bogus").status, 400);
  EXPECT_EQ(Owner("GET", ws + "/clips").status, 200);
  EXPECT_EQ(Owner("GET", ws + "/clips/1-1").status, 404);
  EXPECT_EQ(Owner("GET", ws + "/clips/nope").status, 400);
  EXPECT_EQ(Owner("GET", ws + "/jobs/1").status, 404);

  // System.
  EXPECT_EQ(Call("GET", "/healthz", none).status, 200);
  HttpReply ready = Call("GET", "/readyz", none);
  EXPECT_TRUE(ready.status == 200 || ready.status == 503) << ready.body;
  EXPECT_EQ(Call("GET", "/metrics", none).status, 200);

  // Logout last: the token stops working.
  EXPECT_EQ(Owner("POST", "/api/v1/auth/logout").status, 204);
  EXPECT_EQ(Owner("GET", "/api/v1/auth/me").status, 401);
  EXPECT_GT(checked_, 40);
}

TEST_F(OpenApiServe, UploadJobAndEventResponsesConform) {
  owner_ = server_.LogIn(kOwnerEmail, kOwnerPassword);
  const std::string ws = "/api/v1/workspaces/" + std::to_string(server_.FirstWorkspace(owner_.token));
  std::string media = server_.dir().File("tiny.mp4");
  ASSERT_TRUE(Ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 2 -c:v libx264 "
                     "-preset ultrafast -c:a aac -shortest '" + media + "'"));
  std::string target = ws + "/uploads?filename=tiny.mp4";
  HttpReply up = server_.client().SendFile("POST", target, ServeFixture::Bearer(owner_.token), media);
  Check("POST", target, up);
  ASSERT_EQ(up.status, 201) << up.body;
  int64_t upload = Json(up)["id"];
  ASSERT_TRUE(Json(up).contains("media"));
  EXPECT_EQ(Owner("GET", ws + "/uploads/" + std::to_string(upload)).status, 200);
  EXPECT_EQ(Owner("GET", ws + "/uploads?limit=1").status, 200);  // a full page: next_after
  EXPECT_EQ(Owner("POST", ws + "/uploads/url", json{{"url", "http://127.0.0.1:1/x.mp4"}}.dump()).status / 100, 4);

  // A clip job, replayed by its Idempotency-Key.
  json request = {{"kind", "clip"}, {"upload_id", upload}, {"clips", 1}, {"min_s", 1}, {"max_s", 2},
                  {"width", 180},   {"height", 320}};
  HttpReply job = Owner("POST", ws + "/jobs", request.dump(), {{"Idempotency-Key", "openapi-1"}});
  ASSERT_EQ(job.status, 201) << job.body;
  EXPECT_FALSE(job.Header("location").empty());
  int64_t id = Json(job)["id"];
  HttpReply replay = Owner("POST", ws + "/jobs", request.dump(), {{"Idempotency-Key", "openapi-1"}});
  EXPECT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(replay.Header("idempotent-replayed"), "true");
  EXPECT_EQ(Owner("POST", ws + "/jobs", json{{"kind", "clip"}, {"upload_id", 999999}}.dump()).status, 404);
  EXPECT_EQ(Owner("POST", ws + "/jobs", json{{"kind", "clip"}, {"upload_id", upload}, {"clips", 51}}.dump()).status,
            400);
  const std::string job_url = ws + "/jobs/" + std::to_string(id);
  HttpReply got = Owner("GET", job_url);
  ASSERT_EQ(got.status, 200);
  EXPECT_TRUE(Json(got).contains("steps"));
  EXPECT_EQ(Owner("GET", ws + "/jobs?limit=1").status, 200);
  EXPECT_EQ(Owner("GET", ws + "/jobs?state=queued&kind=clip").status, 200);

  // The event stream: documented, and every event's data is a JobEvent or a ProgressEvent.
  int status = 0;
  int fd = server_.client().OpenStream(job_url + "/events", ServeFixture::Bearer(owner_.token), &status);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Spec()->CheckResponse("GET", job_url + "/events", status, "text/event-stream", ""), "");
  std::vector<SseEvent> events = ReadEventsFor(fd, 1500, "");
  ::close(fd);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().type, "job_created");
  for (const SseEvent& e : events) {
    json data = json::parse(e.data, nullptr, false);
    EXPECT_EQ(Spec()->CheckSchema(e.type == "progress" ? "ProgressEvent" : "JobEvent", data), "")
        << e.type << ": " << e.data;
    if (e.type != "progress") {
      EXPECT_EQ(e.id, std::to_string(data.value("id", 0)));
    }
  }

  // Control: whatever state the job reached, the answers conform (200 with the job, or 409).
  Owner("POST", job_url + "/pause");
  Owner("POST", job_url + "/resume");
  Owner("POST", job_url + "/cancel");
  Owner("POST", job_url + "/retry", json{{"step", "no-such-step"}}.dump());
  Owner("POST", job_url + "/cancel");
  HttpReply final_job = Owner("GET", job_url);
  ASSERT_EQ(final_job.status, 200);
  EXPECT_EQ(Owner("GET", ws + "/clips?job=" + std::to_string(id)).status, 200);
  // On a fast machine the job may have finished before the cancel reached it: then its first
  // clip exists; otherwise there is none.
  const bool finished = json::parse(final_job.body, nullptr, false).value("state", "") == "completed";
  EXPECT_EQ(Owner("GET", ws + "/clips/" + std::to_string(id) + "-1/video").status,
            finished ? 200 : 404)
      << final_job.body;
  EXPECT_EQ(Owner("DELETE", ws + "/uploads/" + std::to_string(upload)).status, 204);
}


// A real clip job to the end: its events, the clip, its files (whole, ranges, past the end), the
// Timeline, reviews and edits, all as the spec says.
TEST_F(OpenApiServe, ClipResponsesConform) {
  auto sample = testing::Run("'" + CliPath() + "' sample --conversation -o '" + server_.dir().File("talk") + "'");
  ASSERT_EQ(sample.exit_code, 0) << sample.output;
  owner_ = server_.LogIn(kOwnerEmail, kOwnerPassword);
  const std::string ws = "/api/v1/workspaces/" + std::to_string(server_.FirstWorkspace(owner_.token));
  std::string target = ws + "/uploads?filename=talk.mp4";
  HttpReply up = server_.client().SendFile("POST", target, ServeFixture::Bearer(owner_.token),
                                           server_.dir().File("talk/conversation.mp4"));
  Check("POST", target, up);
  ASSERT_EQ(up.status, 201) << up.body;
  json request = {{"kind", "clip"}, {"upload_id", Json(up)["id"]}, {"clips", 1}, {"min_s", 8}, {"max_s", 30},
                  {"width", 180},   {"height", 320},                {"topic", {"speech"}}};
  HttpReply created = Owner("POST", ws + "/jobs", request.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t job = Json(created)["id"];
  const std::string job_url = ws + "/jobs/" + std::to_string(job);

  // Every event until the stream ends with the job.
  int status = 0;
  int fd = server_.client().OpenStream(job_url + "/events", ServeFixture::Bearer(owner_.token), &status);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Spec()->CheckResponse("GET", job_url + "/events", status, "text/event-stream", ""), "");
  std::vector<SseEvent> events = ReadEventsFor(fd, 1'500'000, "");
  ::close(fd);
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.back().type, "job_completed") << events.back().data;
  std::set<std::string> types;
  for (const SseEvent& e : events) {
    types.insert(e.type);
    EXPECT_EQ(Spec()->CheckSchema(e.type == "progress" ? "ProgressEvent" : "JobEvent", json::parse(e.data, nullptr, false)),
              "")
        << e.type << ": " << e.data;
  }
  EXPECT_TRUE(types.count("progress") && types.count("step_succeeded"));
  EXPECT_EQ(Owner("GET", job_url).status, 200);  // completed, with its steps and their outputs

  // The clip and its files.
  HttpReply clips = Owner("GET", ws + "/clips?job=" + std::to_string(job));
  ASSERT_EQ(clips.status, 200) << clips.body;
  ASSERT_EQ(Json(clips)["items"].size(), 1u) << clips.body;
  json clip = Json(clips)["items"][0];
  const std::string clip_url = ws + "/clips/" + clip["id"].get<std::string>();
  EXPECT_EQ(Owner("GET", ws + "/clips").status, 200);
  EXPECT_EQ(Owner("GET", clip_url).status, 200);
  EXPECT_EQ(Owner("GET", clip_url + "/timeline").status, 200);
  for (const char* file : {"video", "thumbnail", "srt", "vtt", "ass", "fcpxml", "edl", "otio"}) {
    HttpReply r = Owner("GET", clip["urls"][file].get<std::string>());
    EXPECT_EQ(r.status, 200) << file;
    EXPECT_FALSE(r.body.empty()) << file;
  }
  const std::string video = clip["urls"]["video"];
  EXPECT_EQ(Owner("GET", video, "", {{"Range", "bytes=0-99"}}).status, 206);
  EXPECT_EQ(Owner("GET", clip["urls"]["otio"].get<std::string>(), "", {{"Range", "bytes=0-9"}}).status, 206);
  EXPECT_EQ(Owner("GET", video, "", {{"Range", "bytes=999999999-"}}).status, 416);
  EXPECT_EQ(Owner("GET", video + "?download=1").status, 200);
  EXPECT_EQ(Owner("GET", clip_url + "/captions/doc").status, 404);

  // Reviews and edits.
  EXPECT_EQ(Owner("POST", clip_url + "/reviews", json{{"decision", "reject"}}.dump()).status, 400);
  EXPECT_EQ(Owner("POST", clip_url + "/reviews", json{{"decision", "reject"}, {"reason", "bad_hook"}}.dump()).status,
            201);
  EXPECT_EQ(Owner("POST", clip_url + "/reviews", json{{"decision", "approve"}, {"comment", "fine"}}.dump()).status, 201);
  EXPECT_EQ(Owner("GET", clip_url + "/reviews").status, 200);
  EXPECT_EQ(Owner("PATCH", clip_url, json{{"title", "A better title"}, {"description", "Why."}}.dump()).status, 200);
  HttpReply restyled = Owner("PATCH", clip_url, json{{"layout", "fill"}}.dump());
  EXPECT_EQ(restyled.status, 200) << restyled.body;
  EXPECT_TRUE(Json(restyled).contains("render_job")) << restyled.body;
  EXPECT_EQ(Owner("GET", clip_url).status, 200);  // with review and render_job
  EXPECT_EQ(Owner("GET", ws + "/jobs").status, 200);  // the clip job and the render job
  EXPECT_EQ(Owner("GET", ws + "/audit").status, 200);
}

}  // namespace
}  // namespace cutroom::testing
