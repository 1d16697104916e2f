// 16-bit PCM WAV writer. Written to a temporary name in the destination folder and renamed into
// place, so a reader never sees a half-written file and a failed write leaves nothing behind.
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "speech/speech_synthesizer.h"

namespace cutroom::speech {
namespace {

constexpr int kMaxChannels = 2;  // beyond stereo WAV wants WAVE_FORMAT_EXTENSIBLE
constexpr int kBytesPerSample = 2;
constexpr uint32_t kHeaderBytes = 44;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// Maps the errno of a failed file operation to a status code that drives retries sensibly: a
// missing folder or a permission problem will not fix itself, a full disk might.
Status ErrnoError(int error, const std::string& what) {
  std::string message = what + ": " + std::generic_category().message(error);
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return NotFoundError(std::move(message));
    case EACCES:
    case EPERM:
    case EROFS:
      return PermissionDeniedError(std::move(message));
    case ENOSPC:
    case EDQUOT:
      return ResourceExhaustedError(std::move(message));
    default:
      return UnavailableError(std::move(message));
  }
}

void PutU16(std::vector<uint8_t>* out, uint16_t v) {
  out->push_back(static_cast<uint8_t>(v & 0xff));
  out->push_back(static_cast<uint8_t>(v >> 8));
}

void PutU32(std::vector<uint8_t>* out, uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out->push_back(static_cast<uint8_t>(v >> shift));
}

void PutTag(std::vector<uint8_t>* out, const char (&tag)[5]) {
  out->insert(out->end(), tag, tag + 4);
}

// Clips to [-1, 1] (louder samples would wrap around in 16 bits) and maps NaN to silence.
int16_t ToPcm16(float sample) {
  if (std::isnan(sample)) return 0;
  float clipped = std::fmin(1.0f, std::fmax(-1.0f, sample));
  return static_cast<int16_t>(std::lrint(clipped * 32767.0f));
}

std::vector<uint8_t> EncodeWav(const AudioBuffer& audio, uint32_t data_bytes) {
  const auto channels = static_cast<uint16_t>(audio.channel_count());
  const auto rate = static_cast<uint32_t>(audio.sample_rate);
  std::vector<uint8_t> out;
  out.reserve(kHeaderBytes + data_bytes);
  PutTag(&out, "RIFF");
  PutU32(&out, kHeaderBytes - 8 + data_bytes);
  PutTag(&out, "WAVE");
  PutTag(&out, "fmt ");
  PutU32(&out, 16);  // size of the PCM fmt chunk
  PutU16(&out, 1);   // WAVE_FORMAT_PCM
  PutU16(&out, channels);
  PutU32(&out, rate);
  PutU32(&out, rate * channels * kBytesPerSample);                  // byte rate
  PutU16(&out, static_cast<uint16_t>(channels * kBytesPerSample));  // block align
  PutU16(&out, 8 * kBytesPerSample);
  PutTag(&out, "data");
  PutU32(&out, data_bytes);
  const int64_t frames = audio.frames();
  for (int64_t i = 0; i < frames; ++i) {
    for (const std::vector<float>& channel : audio.channels) {
      PutU16(&out, static_cast<uint16_t>(ToPcm16(channel[static_cast<size_t>(i)])));
    }
  }
  return out;
}

Status ValidateForWav(const AudioBuffer& audio) {
  if (audio.sample_rate <= 0) {
    return InvalidArgumentError("sample rate must be positive, got " +
                                std::to_string(audio.sample_rate));
  }
  if (audio.channel_count() < 1 || audio.channel_count() > kMaxChannels) {
    return InvalidArgumentError("WAV writer supports 1 or 2 channels, got " +
                                std::to_string(audio.channel_count()));
  }
  for (const std::vector<float>& channel : audio.channels) {
    if (static_cast<int64_t>(channel.size()) != audio.frames()) {
      return InvalidArgumentError("channels have different lengths");
    }
  }
  return Status::Ok();
}

// Unique within the process (counter) and across processes (pid); "x" mode refuses to reuse an
// existing file, so two writers can never share a temporary.
std::string TemporaryPath(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

Status WriteFileContents(const std::string& tmp_path, const std::vector<uint8_t>& bytes) {
  FilePtr file(std::fopen(tmp_path.c_str(), "wbx"));
  if (file == nullptr) {
    const int error = errno;
    return ErrnoError(error, "cannot create " + tmp_path);
  }
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) {
    const int error = errno;
    return ErrnoError(error, "cannot write " + tmp_path);
  }
  // Flushed and synced before the rename, so that after a crash the final name holds either the
  // old file or the complete new one.
  if (std::fflush(file.get()) != 0 || ::fsync(::fileno(file.get())) != 0) {
    const int error = errno;
    return ErrnoError(error, "cannot write " + tmp_path);
  }
  if (std::fclose(file.release()) != 0) {
    const int error = errno;
    return ErrnoError(error, "cannot close " + tmp_path);
  }
  return Status::Ok();
}

}  // namespace

Status WriteWav(const std::string& path, const AudioBuffer& audio) {
  const std::string context = "write WAV " + path;
  if (path.empty()) return InvalidArgumentError("write WAV: empty path");
  CR_RETURN_IF_ERROR(ValidateForWav(audio).WithContext(context));
  const uint64_t data_bytes =
      static_cast<uint64_t>(audio.frames()) * audio.channel_count() * kBytesPerSample;
  if (data_bytes > UINT32_MAX - kHeaderBytes) {
    return OutOfRangeError(context + ": audio too long for a WAV file (4 GiB limit)");
  }
  std::vector<uint8_t> bytes = EncodeWav(audio, static_cast<uint32_t>(data_bytes));
  const std::string tmp_path = TemporaryPath(path);
  Status written = WriteFileContents(tmp_path, bytes);
  if (written.ok() && std::rename(tmp_path.c_str(), path.c_str()) != 0) {
    const int error = errno;
    written = ErrnoError(error, "cannot rename " + tmp_path + " to " + path);
  }
  if (!written.ok()) {
    std::remove(tmp_path.c_str());
    return written.WithContext(context);
  }
  return Status::Ok();
}

}  // namespace cutroom::speech
