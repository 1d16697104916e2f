// What is computed from a parsed Script (script.h): statistics, the duration limit and the
// per-tag files.
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "compose/script.h"
#include "compose/script_text.h"
#include "cutroom/file_util.h"

namespace cutroom::compose {
namespace {

Status FilesystemError(const std::error_code& ec, const std::string& what) {
  std::string message = what + ": " + ec.message();
  if (ec == std::errc::permission_denied || ec == std::errc::read_only_file_system) {
    return PermissionDeniedError(message);
  }
  if (ec == std::errc::no_space_on_device) return ResourceExhaustedError(message);
  return InvalidArgumentError(message);
}

std::string FormatSeconds(double seconds) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), seconds);
  if (ec != std::errc()) return "?";
  return std::string(buffer, end);
}

}  // namespace

ScriptStats MeasureScript(const Script& script, double words_per_minute, double pause_s) {
  ScriptStats stats;
  int last_paragraph = -1;
  for (const NarrationSentence& s : script.sentences) {
    stats.words += CountWords(s.text);
    stats.characters += CountCodePoints(s.text);
    ++stats.sentences;
    if (s.paragraph != last_paragraph) ++stats.paragraphs;
    last_paragraph = s.paragraph;
  }
  if (words_per_minute > 0) stats.estimated_duration_s = stats.words / words_per_minute * 60.0;
  if (stats.paragraphs > 1) stats.estimated_duration_s += pause_s * (stats.paragraphs - 1);
  return stats;
}

Status CheckDurationLimit(const ScriptStats& stats, double limit_s) {
  if (limit_s <= 0 || stats.estimated_duration_s <= limit_s) return Status::Ok();
  char message[200];
  std::snprintf(message, sizeof(message),
                "the narration would last about %.1f s (%d words), over the limit of %.1f s; "
                "shorten the script or raise the limit",
                stats.estimated_duration_s, stats.words, limit_s);
  return InvalidArgumentError(message);
}

Status WriteTagFiles(const Script& script, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return FilesystemError(ec, "cannot create folder " + dir);

  auto join_visuals = [&](VisualKind kind, std::string_view separator) {
    std::string out;
    for (const Visual& v : script.visuals) {
      if (v.kind != kind) continue;
      if (!out.empty()) out += separator;
      out += v.body;
      if (kind == VisualKind::kBroll && v.broll_in_s >= 0) {
        out += " " + FormatSeconds(v.broll_in_s) + "-" + FormatSeconds(v.broll_out_s);
      }
    }
    return out;
  };
  std::string narration;
  for (size_t k = 0; k < script.sentences.size(); ++k) {
    if (k > 0) {
      narration +=
          script.sentences[k].paragraph != script.sentences[k - 1].paragraph ? "\n\n" : "\n";
    }
    narration += script.sentences[k].text;
  }
  std::string tags;
  for (const std::string& tag : script.tags) tags += (tags.empty() ? "" : "\n") + tag;

  const std::pair<const char*, std::string> files[] = {
      {"narration.txt", narration},
      {"slides.txt", join_visuals(VisualKind::kSlide, "\n---\n")},
      {"images.txt", join_visuals(VisualKind::kImage, "\n")},
      {"broll.txt", join_visuals(VisualKind::kBroll, "\n")},
      {"title.txt", script.title},
      {"alt_title.txt", script.alt_title},
      {"description.txt", script.description},
      {"tags.txt", tags},
      {"thumbnail.txt", script.thumbnail_text},
      {"music.txt", script.music_path},
      {"length.txt", script.length_s > 0 ? FormatSeconds(script.length_s) : ""},
  };
  for (const auto& [name, content] : files) {
    std::string path = dir + "/" + name;
    if (content.empty()) {
      std::filesystem::remove(path, ec);
      if (ec) return FilesystemError(ec, "cannot remove stale " + path);
      continue;
    }
    CR_RETURN_IF_ERROR(WriteFileAtomically(path, content + "\n"));
  }
  return Status::Ok();
}

}  // namespace cutroom::compose
