// Shared setup of the `cutroom serve` tests: the real server (server::Server) in this process on
// port 0 with a temporary data directory, spoken to over real sockets (support/http_client.h).
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cutroom/log.h"
#include "http_client.h"
#include "serve.h"
#include "test_support.h"

namespace cutroom::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline constexpr char kOwnerEmail[] = "owner@example.com";
inline constexpr char kOwnerPassword[] = "correct horse battery";

class ServeFixture {
 public:
  explicit ServeFixture(server::ServeOptions options = {}) : log_file_(std::tmpfile()), logger_(log_file_, LogFormat::kJson) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.data_dir = dir_.File("data");
    options.admin_email = kOwnerEmail;
    options.admin_password = kOwnerPassword;
    options.fast_password_hashing = true;
    if (options.rate_per_ip == 50) options.rate_per_ip = 100000;
    options.rate_per_user = 100000;
    options.job_threads = 1;
    auto started = server::Server::Start(options, logger_);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    if (started.ok()) server_ = std::move(*started);
  }
  ~ServeFixture() {
    if (server_) server_->Stop();
    std::fclose(log_file_);
  }

  bool ok() const { return server_ != nullptr; }
  server::Server& server() { return *server_; }
  HttpClient client() const { return HttpClient(server_->port()); }
  const TempDir& dir() const { return dir_; }
  std::string data_dir() const { return dir_.File("data"); }

  // Logs in; returns {"token", "csrf_token", cookie value} or fails the test.
  struct Login {
    std::string token;
    std::string csrf;
    std::string cookie;  // "cutroom_session=..."
    int64_t user_id = 0;
  };
  Login LogIn(const std::string& email, const std::string& password) const {
    nlohmann::json body = {{"email", email}, {"password", password}};
    HttpReply r = client().Send("POST", "/api/v1/auth/login", {{"Content-Type", "application/json"}}, body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    Login login;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object()) return login;
    login.token = j.value("token", "");
    login.csrf = j.value("csrf_token", "");
    login.user_id = j["user"].value("id", 0);
    std::string set_cookie = r.Header("set-cookie");
    login.cookie = set_cookie.substr(0, set_cookie.find(';'));
    return login;
  }
  static Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  // The first workspace of the token's user.
  int64_t FirstWorkspace(const std::string& token) const {
    HttpReply r = client().Send("GET", "/api/v1/workspaces", Bearer(token));
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object() || j["items"].empty()) return 0;
    return j["items"][0].value("id", 0);
  }

 private:
  TempDir dir_;
  std::FILE* log_file_;
  Logger logger_;
  std::unique_ptr<server::Server> server_;
};

inline nlohmann::json Json(const HttpReply& r) { return nlohmann::json::parse(r.body, nullptr, false); }

}  // namespace cutroom::testing
