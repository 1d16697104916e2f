// Shared pieces of the `cutroom` subcommands: exit codes, a small argument parser, the logger
// chosen by --log-format, and a progress bar for terminals.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cutroom/log.h"
#include "cutroom/status.h"

namespace cutroom::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Parses "--name value", "--name=value", flags and positionals. Options named in `flags` take
// no value; every other "--x" takes one. Unknown options are usage errors.
struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // "--name" -> value ("" for flags); the last one
  std::map<std::string, std::vector<std::string>> all;  // "--name" -> every value, in order
  bool Has(const std::string& name) const { return values.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  std::vector<std::string> GetAll(const std::string& name) const {
    auto it = all.find(name);
    return it == all.end() ? std::vector<std::string>{} : it->second;
  }
};

Result<ParsedArgs> ParseArgs(int argc, char** argv, const std::vector<std::string>& flags,
                             const std::vector<std::string>& options);

// "cutroom CMD: message" on stderr; returns `code`.
int Fail(const std::string& command, const std::string& message, int code = kExitFailure);

// Logger for --log-format text|json (stderr).
Result<LogFormat> ParseLogFormat(const std::string& text);

// Draws "[#####.....]  45% message" on stderr when it is a terminal; silent otherwise.
class ProgressBar {
 public:
  ProgressBar();
  ~ProgressBar();
  void Update(double fraction, const std::string& message);
  void Done();

 private:
  bool enabled_;
  int last_percent_ = -1;
};

// Quiets FFmpeg's own console logging unless verbose.
void ConfigureLibraryLogging(bool verbose);

}  // namespace cutroom::cli
