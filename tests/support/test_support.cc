#include "test_support.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cutroom::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/cutroom-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  char* made = mkdtemp(buf.data());
  path_ = made != nullptr ? made : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

CommandResult Run(const std::string& command) {
  CommandResult result;
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool Ffmpeg(const std::string& args) {
  CommandResult r = Run("ffmpeg -nostdin -hide_banner -loglevel error -y " + args);
  EXPECT_EQ(r.exit_code, 0) << "ffmpeg " << args << "\n" << r.output;
  return r.exit_code == 0;
}

std::string CliPath() { return CUTROOM_CLI_PATH; }
std::string SourceDir() { return CUTROOM_SOURCE_DIR; }
std::string SharedTestData(const std::string& relative) {
  return std::string(CUTROOM_SHARED_TESTDATA) + "/" + relative;
}

std::vector<uint8_t> GrayFrameAt(const std::string& video, double time_s, int* width, int* height) {
  CommandResult probe =
      Run("ffprobe -v error -select_streams v:0 -show_entries stream=width,height "
          "-of csv=p=0:s=x '" +
          video + "'");
  int w = 0, h = 0;
  if (probe.exit_code != 0 || std::sscanf(probe.output.c_str(), "%dx%d", &w, &h) != 2) return {};
  // Accurate seek (-ss after -i would decode everything; before -i is frame-accurate for mp4).
  char cmd[1024];
  std::snprintf(cmd, sizeof(cmd),
                "ffmpeg -nostdin -v error -ss %.6f -i '%s' -frames:v 1 -f rawvideo -pix_fmt gray -",
                time_s, video.c_str());
  FILE* pipe = popen(cmd, "r");
  if (pipe == nullptr) return {};
  std::vector<uint8_t> pixels(static_cast<size_t>(w) * h);
  size_t got = fread(pixels.data(), 1, pixels.size(), pipe);
  pclose(pipe);
  if (got != pixels.size()) return {};
  if (width) *width = w;
  if (height) *height = h;
  return pixels;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

std::string CliWithHome(const std::string& home, const std::string& args) {
  return "CUTROOM_HOME='" + home + "' '" + CliPath() + "' " + args;
}

pid_t Spawn(const std::string& home, const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    setenv("CUTROOM_HOME", home.c_str(), 1);
    FILE* out = std::fopen(log.c_str(), "w");
    if (out != nullptr) {
      dup2(fileno(out), 1);
      dup2(fileno(out), 2);
    }
    std::vector<char*> argv;
    std::string cli = CliPath();
    argv.push_back(cli.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(cli.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace cutroom::testing
