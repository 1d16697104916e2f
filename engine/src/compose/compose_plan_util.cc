#include "compose/compose_plan_util.h"

#include <filesystem>
#include <sstream>
#include <string_view>
#include <utility>

#include "cutroom/file_util.h"

namespace cutroom::compose::internal {

namespace fs = std::filesystem;

std::string ResolveAgainst(const std::string& path, const std::string& base_dir) {
  fs::path p(path);
  if (p.is_relative()) p = fs::path(base_dir) / p;
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal().string();
}

std::string FolderOf(const std::string& file) {
  fs::path parent = fs::path(file).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

Status CheckCancelled(const StepEnv& env, const std::string& step) {
  if (env.cancel != nullptr && env.cancel->IsCancelled()) {
    return CancelledError(step + ": cancelled");
  }
  return Status::Ok();
}

void Report(const StepEnv& env, double progress, const std::string& message) {
  if (env.progress) env.progress(progress, message);
}

std::vector<std::string> CaptionTexts(const std::string& sentence,
                                      const std::vector<NarratedWord>& words) {
  std::vector<std::string> tokens;
  std::istringstream in(sentence);
  for (std::string token; in >> token;) tokens.push_back(token);
  if (tokens.size() == words.size()) return tokens;
  std::vector<std::string> out;
  for (const NarratedWord& w : words) out.push_back(w.text);
  if (out.empty()) return out;
  // The closing punctuation: trailing . ! ? (and closing quotes/brackets after them).
  size_t end = sentence.find_last_not_of(" \t");
  size_t start = end;
  while (start != std::string::npos && start > 0 &&
         std::string_view(".!?\"')]").find(sentence[start]) != std::string_view::npos) {
    --start;
  }
  if (end != std::string::npos && start != end) {
    std::string closing = sentence.substr(start + 1, end - start);
    if (closing.find_first_of(".!?") != std::string::npos &&
        out.back().find_first_of(".!?") == std::string::npos) {
      out.back() += closing;
    }
  }
  return out;
}

}  // namespace cutroom::compose::internal
