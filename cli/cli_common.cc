#include "cli_common.h"

#include <unistd.h>

#include <algorithm>

#include "media/library_logging.h"

namespace cutroom::cli {

Result<ParsedArgs> ParseArgs(int argc, char** argv, const std::vector<std::string>& flags,
                             const std::vector<std::string>& options) {
  ParsedArgs out;
  auto known = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  bool only_positional = false;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_positional || arg == "-" || arg.size() < 2 || arg[0] != '-') {
      out.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    std::string name = arg, value;
    bool has_inline = false;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_inline = true;
    }
    if (known(flags, name)) {
      if (has_inline) return InvalidArgumentError(name + " takes no value");
      out.values[name] = "";
      continue;
    }
    if (!known(options, name)) return InvalidArgumentError("unknown option " + name);
    if (!has_inline) {
      if (i + 1 >= argc) return InvalidArgumentError(name + " needs a value");
      value = argv[++i];
    }
    out.values[name] = value;
    out.all[name].push_back(value);
  }
  return out;
}

int Fail(const std::string& command, const std::string& message, int code) {
  std::fprintf(stderr, "cutroom %s: %s\n", command.c_str(), message.c_str());
  if (code == kExitUsage) std::fprintf(stderr, "Try 'cutroom %s --help'.\n", command.c_str());
  return code;
}

Result<LogFormat> ParseLogFormat(const std::string& text) {
  if (text.empty() || text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return InvalidArgumentError("--log-format must be text or json, not '" + text + "'");
}

ProgressBar::ProgressBar() : enabled_(isatty(STDERR_FILENO) == 1) {}
ProgressBar::~ProgressBar() { Done(); }

void ProgressBar::Update(double fraction, const std::string& message) {
  if (!enabled_) return;
  int percent = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  constexpr int kWidth = 30;
  int filled = percent * kWidth / 100;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r[%s] %3d%% %-40s", bar.c_str(), percent, message.substr(0, 40).c_str());
  std::fflush(stderr);
}

void ProgressBar::Done() {
  if (enabled_ && last_percent_ >= 0) std::fprintf(stderr, "\n");
  last_percent_ = -1;
}

void ConfigureLibraryLogging(bool verbose) { media::SetLibraryLogging(verbose); }

}  // namespace cutroom::cli
