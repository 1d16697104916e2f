// IngestPlatformUrl: yt-dlp as a child process (see url_ingest.h).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "url_ingest.h"

extern char** environ;

namespace cutroom::integrations {
namespace {

using Clock = std::chrono::steady_clock;

Status ErrnoStatus(int err, const std::string& what) {
  const std::string message = what + ": " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) return NotFoundError(message);
  if (err == EACCES || err == EPERM || err == EROFS) return PermissionDeniedError(message);
  if (err == ENOSPC || err == EDQUOT || err == EFBIG) return ResourceExhaustedError(message);
  return UnavailableError(message);
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool IsExecutable(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

Result<std::string> FindYtDlp(const UrlIngestOptions& options) {
  const std::string kHint =
      "yt-dlp is not installed; install it (for example `pipx install yt-dlp`) to ingest "
      "platform URLs";
  if (!options.yt_dlp_path.empty()) {
    if (IsExecutable(options.yt_dlp_path)) return options.yt_dlp_path;
    return FailedPreconditionError(kHint + " (" + options.yt_dlp_path + " is not executable)");
  }
  const char* path_env = std::getenv("PATH");
  std::string_view dirs = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    const size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty()) continue;  // an empty entry would mean the working folder: never
    const std::string candidate = dir + "/yt-dlp";
    if (IsExecutable(candidate)) return candidate;
  }
  return FailedPreconditionError(kHint);
}

struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

struct ChildOutcome {
  int exit_code = -1;  // -1: killed
  std::string output_tail;
  Status stopped;  // not OK when we killed it (cancel, time limit)
};

// Runs argv[0] with `argv` (no shell) in its own process group, stdout and stderr captured (the
// last 8 KiB kept), until it exits, `cancel` fires or `deadline` passes.
Result<ChildOutcome> RunChild(const std::vector<std::string>& argv, const CancelToken* cancel,
                              Clock::time_point deadline) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return ErrnoStatus(errno, "cannot create a pipe");
  FdCloser read_end{pipe_fds[0]};
  FdCloser write_end{pipe_fds[1]};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return ErrnoStatus(rc, "cannot start " + argv[0]);
  close(write_end.fd);
  write_end.fd = -1;

  ChildOutcome outcome;
  auto keep_tail = [&](const char* data, size_t n) {
    outcome.output_tail.append(data, n);
    if (outcome.output_tail.size() > 8192) {
      outcome.output_tail.erase(0, outcome.output_tail.size() - 8192);
    }
  };
  bool pipe_open = true;
  int wait_status = 0;
  Clock::time_point kill_at{};
  bool killed_hard = false;
  while (true) {
    if (pipe_open) {
      pollfd pfd{read_end.fd, POLLIN, 0};
      if (poll(&pfd, 1, 100) > 0) {
        char buf[4096];
        const ssize_t n = read(read_end.fd, buf, sizeof(buf));
        if (n > 0) {
          keep_tail(buf, static_cast<size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          pipe_open = false;
        }
      }
    } else {
      usleep(100'000);
    }
    const pid_t done = waitpid(pid, &wait_status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return ErrnoStatus(errno, "waitpid");
    if (outcome.stopped.ok()) {
      if (cancel != nullptr && cancel->IsCancelled()) {
        outcome.stopped = CancelledError("cancelled");
      } else if (Clock::now() >= deadline) {
        outcome.stopped = DeadlineExceededError("not finished within the time limit");
      }
      if (!outcome.stopped.ok()) {
        kill(-pid, SIGTERM);
        kill_at = Clock::now() + std::chrono::seconds(5);
      }
    } else if (!killed_hard && Clock::now() >= kill_at) {
      kill(-pid, SIGKILL);
      killed_hard = true;
    }
  }
  if (WIFEXITED(wait_status)) outcome.exit_code = WEXITSTATUS(wait_status);
  // yt-dlp's own children (ffmpeg) share its process group; none may outlive a stopped ingest.
  if (!outcome.stopped.ok()) kill(-pid, SIGKILL);
  // Children of the child (ffmpeg) may still hold the pipe; read what is there without waiting.
  if (pipe_open && fcntl(read_end.fd, F_SETFL, O_NONBLOCK) == 0) {
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(read_end.fd, buf, sizeof(buf))) > 0) keep_tail(buf, static_cast<size_t>(n));
  }
  return outcome;
}

// yt-dlp's last "ERROR:" line, or the last non-empty line of its output.
std::string LastErrorLine(const std::string& output) {
  std::string last;
  std::string last_error;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) last = line;
    if (line.rfind("ERROR:", 0) == 0) last_error = line;
    start = end + 1;
  }
  return last_error.empty() ? last : last_error;
}

// Removes a folder and its contents on destruction.
struct TempFolder {
  std::string path;
  ~TempFolder() {
    if (path.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::string ContentTypeForExtension(const std::string& filename) {
  const size_t dot = filename.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : Lower(filename.substr(dot + 1));
  if (ext == "mp4" || ext == "m4v") return "video/mp4";
  if (ext == "webm") return "video/webm";
  if (ext == "mkv") return "video/x-matroska";
  if (ext == "mov") return "video/quicktime";
  if (ext == "m4a") return "audio/mp4";
  if (ext == "mp3") return "audio/mpeg";
  if (ext == "opus" || ext == "ogg") return "audio/ogg";
  return "application/octet-stream";
}

}  // namespace

Result<UrlIngestResult> IngestPlatformUrl(const std::string& url, const std::string& dest_path,
                                          const UrlIngestOptions& options,
                                          const CancelToken* cancel) {
  if (options.max_bytes <= 0 || options.timeout_ms <= 0 || options.connect_timeout_ms <= 0) {
    return InvalidArgumentError("platform ingest: limits must be positive");
  }
  // IsPlatformUrl also refuses other schemes and credentials in the URL.
  if (!IsPlatformUrl(url)) {
    return InvalidArgumentError(url + " is not a video platform URL; use a direct http(s) link");
  }
  CR_ASSIGN_OR_RETURN(std::string yt_dlp, FindYtDlp(options));
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  TempFolder folder;
  {
    std::string pattern = dest_path + ".ytdlp-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      return ErrnoStatus(errno, "cannot create a folder beside " + dest_path);
    }
    folder.path = pattern;
  }
  const std::vector<std::string> argv = {
      yt_dlp,
      "-f",
      "bv*[height<=1080]+ba/b[height<=1080]",
      "--no-playlist",
      "--no-progress",
      "--max-filesize",
      std::to_string(options.max_bytes),
      "--socket-timeout",
      std::to_string(std::max<int64_t>(1, options.connect_timeout_ms / 1000)),
      "-o",
      folder.path + "/%(title).100B.%(ext)s",
      "--",  // the URL is never read as an option
      url,
  };
  CR_ASSIGN_OR_RETURN(ChildOutcome child, RunChild(argv, cancel, deadline));
  if (!child.stopped.ok()) return child.stopped.WithContext("yt-dlp " + url);
  const std::string last_line = LastErrorLine(child.output_tail);
  if (child.exit_code != 0) {
    const std::string message =
        "yt-dlp " + url + " failed (exit " + std::to_string(child.exit_code) + "): " + last_line;
    // Messages of yt-dlp's extractors that no retry will change; everything else (network,
    // throttling, extractor breakage fixed by an update) may pass.
    for (const char* permanent : {"Unsupported URL", "Video unavailable", "Private video"}) {
      if (last_line.find(permanent) != std::string::npos) return InvalidArgumentError(message);
    }
    return UnavailableError(message);
  }
  // The finished file: the largest one, skipping fragments (yt-dlp removes the separate video and
  // audio downloads after merging them, and leaves no .part files on success).
  std::string produced;
  uintmax_t produced_size = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder.path, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code entry_error;
    if (!it->is_regular_file(entry_error) || name.ends_with(".part") || name.ends_with(".ytdl")) {
      continue;
    }
    const uintmax_t entry_size = it->file_size(entry_error);
    if (!entry_error && (produced.empty() || entry_size > produced_size)) {
      produced = it->path().string();
      produced_size = entry_size;
    }
  }
  if (produced.empty()) {
    if (child.output_tail.find("max-filesize") != std::string::npos) {
      return ResourceExhaustedError("yt-dlp " + url + ": larger than the limit of " +
                                    std::to_string(options.max_bytes) + " bytes");
    }
    return DataLossError("yt-dlp " + url + " finished without writing a file: " + last_line);
  }
  const uintmax_t size = produced_size;
  if (size > static_cast<uintmax_t>(options.max_bytes)) {
    return ResourceExhaustedError("yt-dlp " + url + ": larger than the limit of " +
                                  std::to_string(options.max_bytes) + " bytes");
  }
  if (rename(produced.c_str(), dest_path.c_str()) != 0) {
    return ErrnoStatus(errno, "cannot rename to " + dest_path);
  }
  UrlIngestResult result;
  result.final_url = url;
  result.size_bytes = static_cast<int64_t>(size);
  result.filename = SanitizeFilename(std::filesystem::path(produced).filename().string());
  result.content_type = ContentTypeForExtension(result.filename);
  return result;
}

}  // namespace cutroom::integrations
