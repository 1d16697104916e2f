// Logging: text lines for people or JSON lines for machines. A Logger is passed in; there is no
// global logger. Errors are logged once, at a boundary (CLI, job runner, HTTP handler).
//
// Thread safety: Log() is safe from any thread (lines are written whole).
#pragma once

#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace cutroom {

enum class LogLevel { kInvalid = 0, kDebug, kInfo, kWarning, kError };
enum class LogFormat { kInvalid = 0, kText, kJson };

using LogField = std::pair<std::string_view, std::string>;

class Logger {
 public:
  // Writes to `out` (not owned; must outlive the logger), lines at `min_level` and above.
  Logger(std::FILE* out, LogFormat format, LogLevel min_level = LogLevel::kInfo)
      : out_(out), format_(format), min_level_(min_level) {}

  void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});
  void Debug(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kDebug, m, f);
  }
  void Info(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kInfo, m, f);
  }
  void Warn(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kWarning, m, f);
  }
  void Error(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kError, m, f);
  }

  LogFormat format() const { return format_; }

 private:
  std::FILE* out_;
  LogFormat format_;
  LogLevel min_level_;
  std::mutex mu_;
};

// Escapes a string for inclusion in a JSON string literal (without the quotes).
std::string JsonEscape(std::string_view text);

}  // namespace cutroom
