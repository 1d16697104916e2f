#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <string>
#include <vector>

#include "speech/speech_synthesizer.h"

namespace cutroom::speech {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::vector<uint8_t> ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

uint32_t U32At(const std::vector<uint8_t>& b, size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
}
uint16_t U16At(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint16_t>(b[at] | (b[at + 1] << 8));
}
int16_t SampleAt(const std::vector<uint8_t>& b, size_t index) {
  return static_cast<int16_t>(U16At(b, 44 + 2 * index));
}
std::string TagAt(const std::vector<uint8_t>& b, size_t at) {
  return std::string(b.begin() + at, b.begin() + at + 4);
}

AudioBuffer Sine(int sample_rate, int channels, int64_t frames, float amplitude) {
  AudioBuffer audio;
  audio.sample_rate = sample_rate;
  audio.channels.assign(channels, std::vector<float>(frames));
  for (int c = 0; c < channels; ++c) {
    for (int64_t i = 0; i < frames; ++i) {
      audio.channels[c][i] =
          amplitude * static_cast<float>(std::sin(2 * std::numbers::pi * 440.0 * i / sample_rate));
    }
  }
  return audio;
}

class WavWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cutroom_wav_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  size_t FilesInDir() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }

  fs::path dir_;
};

TEST_F(WavWriterTest, MonoHeaderDescribesRateChannelsAndLength) {
  const AudioBuffer audio = Sine(16000, 1, 8000, 0.5f);
  const fs::path path = dir_ / "speech.wav";
  ASSERT_TRUE(WriteWav(path.string(), audio).ok());

  const std::vector<uint8_t> b = ReadBytes(path);
  ASSERT_EQ(b.size(), 44u + 8000 * 2);
  EXPECT_EQ(TagAt(b, 0), "RIFF");
  EXPECT_EQ(U32At(b, 4), b.size() - 8);
  EXPECT_EQ(TagAt(b, 8), "WAVE");
  EXPECT_EQ(TagAt(b, 12), "fmt ");
  EXPECT_EQ(U32At(b, 16), 16u);
  EXPECT_EQ(U16At(b, 20), 1);  // PCM
  EXPECT_EQ(U16At(b, 22), 1);  // channels
  EXPECT_EQ(U32At(b, 24), 16000u);
  EXPECT_EQ(U32At(b, 28), 16000u * 2);  // byte rate
  EXPECT_EQ(U16At(b, 32), 2);           // block align
  EXPECT_EQ(U16At(b, 34), 16);          // bits per sample
  EXPECT_EQ(TagAt(b, 36), "data");
  EXPECT_EQ(U32At(b, 40), 8000u * 2);
  for (size_t i : {0u, 9u, 18u, 1234u, 7999u}) {
    EXPECT_NEAR(SampleAt(b, i), audio.channels[0][i] * 32767.0f, 1.0) << "sample " << i;
  }
  EXPECT_EQ(FilesInDir(), 1u) << "temporary file left behind";
}

TEST_F(WavWriterTest, StereoIsInterleaved) {
  AudioBuffer audio;
  audio.sample_rate = 48000;
  audio.channels = {{0.25f, 0.5f}, {-0.25f, -0.5f}};
  const fs::path path = dir_ / "stereo.wav";
  ASSERT_TRUE(WriteWav(path.string(), audio).ok());
  const std::vector<uint8_t> b = ReadBytes(path);
  ASSERT_EQ(b.size(), 44u + 2 * 2 * 2);
  EXPECT_EQ(U16At(b, 22), 2);
  EXPECT_EQ(U32At(b, 24), 48000u);
  EXPECT_EQ(U32At(b, 28), 48000u * 4);
  EXPECT_EQ(U16At(b, 32), 4);
  EXPECT_EQ(U32At(b, 40), 8u);
  EXPECT_EQ(SampleAt(b, 0), 8192);   // left, frame 0
  EXPECT_EQ(SampleAt(b, 1), -8192);  // right, frame 0
  EXPECT_EQ(SampleAt(b, 2), 16384);
  EXPECT_EQ(SampleAt(b, 3), -16384);
}

TEST_F(WavWriterTest, LoudSamplesClipInsteadOfWrapping) {
  AudioBuffer audio;
  audio.sample_rate = 8000;
  audio.channels = {{2.0f, -3.0f, 1.0f, -1.0f, NAN}};
  const fs::path path = dir_ / "loud.wav";
  ASSERT_TRUE(WriteWav(path.string(), audio).ok());
  const std::vector<uint8_t> b = ReadBytes(path);
  ASSERT_EQ(b.size(), 44u + 5 * 2);
  EXPECT_EQ(SampleAt(b, 0), 32767);
  EXPECT_EQ(SampleAt(b, 1), -32767);
  EXPECT_EQ(SampleAt(b, 2), 32767);
  EXPECT_EQ(SampleAt(b, 3), -32767);
  EXPECT_EQ(SampleAt(b, 4), 0);
}

TEST_F(WavWriterTest, ReplacesAnExistingFile) {
  const fs::path path = dir_ / "again.wav";
  ASSERT_TRUE(WriteWav(path.string(), Sine(16000, 1, 1000, 0.5f)).ok());
  ASSERT_TRUE(WriteWav(path.string(), Sine(16000, 1, 10, 0.5f)).ok());
  EXPECT_EQ(fs::file_size(path), 44u + 10 * 2);
  EXPECT_EQ(FilesInDir(), 1u);
}

TEST_F(WavWriterTest, MissingDirectoryIsAnErrorNamingThePath) {
  const fs::path path = dir_ / "no_such_dir" / "out.wav";
  Status s = WriteWav(path.string(), Sine(16000, 1, 100, 0.5f));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr(path.string()));
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(FilesInDir(), 0u);
}

TEST_F(WavWriterTest, FailedRenameLeavesNoTemporaryFile) {
  const fs::path path = dir_ / "a_directory";
  fs::create_directories(path / "not_empty");
  Status s = WriteWav(path.string(), Sine(16000, 1, 100, 0.5f));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(path.string()));
  EXPECT_EQ(FilesInDir(), 1u) << "only the directory should remain";
}

TEST_F(WavWriterTest, RejectsAudioAWavCannotHold) {
  const std::string path = (dir_ / "bad.wav").string();
  AudioBuffer no_channels;
  no_channels.sample_rate = 16000;
  EXPECT_EQ(WriteWav(path, no_channels).code(), StatusCode::kInvalidArgument);

  AudioBuffer no_rate = Sine(16000, 1, 10, 0.5f);
  no_rate.sample_rate = 0;
  EXPECT_EQ(WriteWav(path, no_rate).code(), StatusCode::kInvalidArgument);

  AudioBuffer ragged = Sine(16000, 2, 10, 0.5f);
  ragged.channels[1].pop_back();
  EXPECT_EQ(WriteWav(path, ragged).code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(FilesInDir(), 0u);
}

}  // namespace
}  // namespace cutroom::speech
