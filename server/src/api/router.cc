#include "api/router.h"

#include <charconv>

namespace cutroom::server::api {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string, std::less<>>& params) {
  std::vector<std::string_view> p = Segments(pattern), s = Segments(path);
  if (p.size() != s.size()) return false;
  std::map<std::string, std::string, std::less<>> found;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}') {
      found.emplace(std::string(p[i].substr(1, p[i].size() - 2)), std::string(s[i]));
    } else if (p[i] != s[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

Result<int64_t> Call::IdParam(std::string_view name) const {
  const std::string& text = Param(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return InvalidArgumentError(std::string(name) + " must be a positive integer id, not \"" +
                                text.substr(0, 40) + "\"");
  }
  return value;
}

Result<int64_t> Call::QueryInt(std::string_view name, int64_t fallback, int64_t min, int64_t max) const {
  if (!request.HasQuery(name)) return fallback;
  std::string_view text = request.Query(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return InvalidArgumentError(std::string(name) + " must be an integer between " + std::to_string(min) + " and " +
                                std::to_string(max));
  }
  return value;
}

const std::string& Call::Param(std::string_view name) const {
  static const std::string kEmpty;  // a constant, not shared state
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

void Router::Add(Route route) {
  if (route.name.empty()) route.name = route.method + " " + route.pattern;
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  for (const Route& route : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (!MatchPattern(route.pattern, path, params)) continue;
    match.path_known = true;
    bool same = route.method == method || (method == "HEAD" && route.method == "GET");
    if (same) {
      match.route = &route;
      match.params = std::move(params);
      return match;
    }
  }
  return match;
}

}  // namespace cutroom::server::api
