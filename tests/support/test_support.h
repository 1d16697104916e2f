// Test helpers shared by unit and end-to-end tests: temporary folders, running commands (the
// ffmpeg CLI makes fixtures, the cutroom CLI is tested as a user runs it).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace cutroom::testing {

// A fresh folder under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally (signal)
  std::string output;  // stdout and stderr together
};

// Runs `command` through /bin/sh, capturing stdout+stderr.
CommandResult Run(const std::string& command);

// Runs ffmpeg with `args` (quiet, overwriting); returns true on success. Fails the test otherwise.
bool Ffmpeg(const std::string& args);

// Path of the cutroom binary under test, and of shared test media.
std::string CliPath();
// A shell command running `cutroom ARGS` with CUTROOM_HOME=home.
std::string CliWithHome(const std::string& home, const std::string& args);
// Starts `cutroom ARGS` in the background with CUTROOM_HOME=home, stdout and stderr to `log`.
pid_t Spawn(const std::string& home, const std::vector<std::string>& args, const std::string& log);
// Waits for `pid`: its exit code, or minus the signal that killed it.
int WaitExit(pid_t pid);
std::string SharedTestData(const std::string& relative);
std::string SourceDir();

// Decodes the frame of `video` at `time_s` to 8-bit grey (luma) with the ffmpeg CLI.
// Returns width*height bytes, or an empty vector on failure.
std::vector<uint8_t> GrayFrameAt(const std::string& video, double time_s, int* width, int* height);

// Writes `content` to a file.
void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);
bool FileExists(const std::string& path);

}  // namespace cutroom::testing
