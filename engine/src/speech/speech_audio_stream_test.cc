// Streaming speech audio: the windowed chunker agrees with SplitAtSilences, streamed recognition
// keeps its accuracy across windows, and reading a long source takes no more memory than a short
// one.
#include "speech/speech_audio_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cutroom/executor.h"
#include "speech/speech_recognizer.h"
#include "speech/speech_synthesizer.h"
#include "test_support.h"

#if defined(__SANITIZE_ADDRESS__)
// The memory test below measures resident memory of a forked child. AddressSanitizer keeps freed
// blocks in a quarantine (256 MB by default), which would count as growth; without it the same
// bounded-memory property is measurable under the sanitizer too (use-after-free checks then only
// see immediate reuse in this one binary).
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=0"; }
#endif

namespace cutroom::speech {
namespace {

constexpr int kRate = 16000;

// Tone bursts (0.4-3 s, the "words") separated by pauses (0.1-1.2 s) over faint noise: a
// stand-in for speech with a known layout. `bursts` receives [begin, end) of each burst.
std::vector<float> BurstAudio(double seconds, uint32_t seed, std::vector<SampleRange>* bursts) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> burst_s(0.4, 3.0), pause_s(0.1, 1.2);
  std::normal_distribution<float> noise(0.0f, 0.0005f);
  const int64_t total = static_cast<int64_t>(seconds * kRate);
  std::vector<float> samples(static_cast<size_t>(total));
  for (float& s : samples) s = noise(rng);
  int64_t at = kRate / 2;
  while (true) {
    const int64_t len = static_cast<int64_t>(burst_s(rng) * kRate);
    if (at + len + kRate >= total) break;
    for (int64_t i = at; i < at + len; ++i) {
      samples[static_cast<size_t>(i)] += 0.3f * static_cast<float>(std::sin(i * 0.07));
    }
    bursts->push_back({at, at + len});
    at += len + static_cast<int64_t>(pause_s(rng) * kRate);
  }
  return samples;
}

std::vector<SpeechChunk> ChunkInPieces(const std::vector<float>& samples, int64_t piece,
                                       int64_t* max_buffered) {
  SpeechChunker chunker(kRate, SplitOptions{});
  std::vector<SpeechChunk> chunks;
  for (int64_t at = 0; at < static_cast<int64_t>(samples.size()); at += piece) {
    const int64_t n = std::min<int64_t>(piece, static_cast<int64_t>(samples.size()) - at);
    chunker.Append(
        std::span<const float>(samples).subspan(static_cast<size_t>(at), static_cast<size_t>(n)));
    *max_buffered = std::max(*max_buffered, chunker.buffered());
    if (!chunker.WindowFull()) continue;
    for (SpeechChunk& c : chunker.TakeChunks(SpeechChunker::Input::kMore)) {
      chunks.push_back(std::move(c));
    }
  }
  for (SpeechChunk& c : chunker.TakeChunks(SpeechChunker::Input::kEnded)) {
    chunks.push_back(std::move(c));
  }
  EXPECT_EQ(chunker.buffered(), 0);
  return chunks;
}

TEST(SpeechChunkerTest, AudioShorterThanTheWindowGivesSplitAtSilencesChunks) {
  std::vector<SampleRange> bursts;
  const std::vector<float> samples = BurstAudio(40, 1, &bursts);
  int64_t max_buffered = 0;
  const std::vector<SpeechChunk> chunks = ChunkInPieces(samples, kRate, &max_buffered);
  const std::vector<SampleRange> whole = SplitAtSilences(samples, kRate);
  ASSERT_EQ(chunks.size(), whole.size());
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].begin, whole[i].begin);
    EXPECT_EQ(static_cast<int64_t>(chunks[i].pcm.size()), whole[i].size());
  }
  EXPECT_EQ(chunks.front().pcm,
            ToPcm16(std::span<const float>(samples).subspan(static_cast<size_t>(whole[0].begin),
                                                            static_cast<size_t>(whole[0].size()))));
}

TEST(SpeechChunkerTest, LongAudioIsChunkedInABoundedWindowWithoutCuttingBursts) {
  std::vector<SampleRange> bursts;
  const std::vector<float> samples = BurstAudio(15 * 60, 2, &bursts);
  int64_t max_buffered = 0;
  const std::vector<SpeechChunk> chunks = ChunkInPieces(samples, 10 * kRate, &max_buffered);
  // The window (60 s plus a guard) plus one piece, never the whole 15 minutes.
  EXPECT_LE(max_buffered, 72 * kRate);
  ASSERT_GT(chunks.size(), 15u);
  int64_t previous_end = 0;
  size_t next_burst = 0;
  for (const SpeechChunk& c : chunks) {
    const int64_t end = c.begin + static_cast<int64_t>(c.pcm.size());
    EXPECT_GE(c.begin, previous_end) << "chunks overlap";
    EXPECT_LE(end - c.begin, 31 * kRate);
    // Every burst that starts in this chunk also ends in it (bursts are shorter than a chunk,
    // and pauses separate them, so no cut should fall inside one).
    while (next_burst < bursts.size() && bursts[next_burst].begin < end) {
      EXPECT_GE(bursts[next_burst].begin, c.begin) << "burst " << next_burst << " missed";
      EXPECT_LE(bursts[next_burst].end, end) << "burst " << next_burst << " cut";
      ++next_burst;
    }
    previous_end = end;
  }
  EXPECT_EQ(next_burst, bursts.size()) << "bursts after the last chunk were dropped";
}

constexpr char kParagraph[] =
    "We need to find a better way to share what we know with the people around us. When you "
    "start a new project, the first thing you should do is talk to the people who will use it. "
    "Ask them what they want and listen to what they say. Then write down a simple plan and show "
    "it to them again.";

// A flite paragraph (about 14 s) written as WAV, then looped by the ffmpeg CLI to `seconds`,
// mono 16 kHz FLAC.
std::string LoopedParagraph(const cutroom::testing::TempDir& dir, int seconds) {
  const std::string wav = dir.File("paragraph.wav");
  if (!cutroom::testing::FileExists(wav)) {
    auto synth = CreateFliteSynthesizer("awb");
    EXPECT_TRUE(synth.ok());
    Result<Speech> speech = (*synth)->Synthesize(kParagraph);
    EXPECT_TRUE(speech.ok());
    EXPECT_TRUE(WriteWav(wav, speech->audio).ok());
  }
  const std::string out = dir.File("looped" + std::to_string(seconds) + ".flac");
  EXPECT_TRUE(cutroom::testing::Ffmpeg("-stream_loop -1 -i " + wav + " -t " +
                                       std::to_string(seconds) + " -ac 1 -ar 16000 -c:a flac " +
                                       out));
  return out;
}

TEST(StreamedRecognitionTest, SeveralWindowsKeepTheAccuracyOfOnePiece) {
  cutroom::testing::TempDir dir;
  constexpr int kLoops = 5;  // 70 s: two windows
  const std::string path = LoopedParagraph(dir, 14 * kLoops);
  ThreadPoolExecutor pool(2);
  auto recognizer = CreateBuiltinRecognizer(&pool);
  ASSERT_TRUE(recognizer.ok()) << recognizer.status().ToString();
  auto stream = SpeechAudioStream::Open(path);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  Result<Transcript> streamed = (*recognizer)->RecognizeStream(stream->get(), nullptr);
  ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();
  Result<SpeechAudio> whole_audio = LoadSpeechAudio(path);
  ASSERT_TRUE(whole_audio.ok());
  Result<Transcript> whole = (*recognizer)->Recognize(whole_audio->audio, nullptr);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();

  std::vector<std::string> reference;
  for (int i = 0; i < kLoops; ++i) {
    for (const std::string& w : SplitWords(kParagraph)) reference.push_back(w);
  }
  const auto texts = [](const Transcript& t) {
    std::vector<std::string> out;
    for (const Word& w : t.words) out.push_back(w.text);
    return out;
  };
  const double streamed_wer = WordErrorRate(reference, texts(*streamed));
  const double whole_wer = WordErrorRate(reference, texts(*whole));
  std::printf(
      "[ measured ] %d s looped paragraph: streamed WER %.3f (%zu words), in memory WER "
      "%.3f (%zu words)\n",
      14 * kLoops, streamed_wer, streamed->words.size(), whole_wer, whole->words.size());
  // Same file, same decoder: windowing may only move a chunk boundary or two.
  EXPECT_LE(streamed_wer, whole_wer + 0.02);
  EXPECT_LE(streamed_wer, 0.15);
  for (size_t i = 1; i < streamed->words.size(); ++i) {
    EXPECT_LE(streamed->words[i - 1].end, streamed->words[i].start) << "out of order at " << i;
  }
  EXPECT_GT(streamed->words.back().end.ToSeconds(), 14 * kLoops - 5.0);
}

enum class Reading { kInvalid = 0, kStreamed, kWholeInMemory };

// A line "Name:   1234 kB" of /proc/self/status, in KiB; -1 when missing.
long StatusKib(const char* name) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  long value = -1;
  const size_t n = std::strlen(name);
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::strncmp(line, name, n) == 0 && line[n] == ':') value = std::atol(line + n + 1);
  }
  std::fclose(f);
  return value;
}

struct Memory {
  long peak_kib = -1;    // VmHWM at the end of the reading
  long growth_kib = -1;  // peak minus the RSS before reading
};

// Memory of a child process that reads `path` as the recognizer does, without decoding speech:
// streamed through SpeechChunker (chunks discarded, as decoders would consume them), or whole
// with LoadSpeechAudio plus the 16-bit copy the old recognizer made. The child resets its peak
// RSS before reading (clear_refs 5), so what the parent had allocated earlier does not count.
Memory ReadingMemory(const std::string& path, Reading reading) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
      std::fputs("5", f);
      std::fclose(f);
    }
    const long before = StatusKib("VmRSS");
    bool ok = false;
    if (reading == Reading::kStreamed) {
      auto stream = SpeechAudioStream::Open(path);
      if (stream.ok()) {
        SpeechChunker chunker(kDecoderSampleRate, SplitOptions{});
        size_t chunks = 0;
        ok = true;
        for (;;) {
          Result<AudioBuffer> b = (*stream)->Read(kDecoderSampleRate * 10);
          if (!b.ok()) ok = false;
          if (!b.ok() || b->frames() == 0) break;
          chunker.Append(b->channels[0]);
          if (chunker.WindowFull()) {
            chunks += chunker.TakeChunks(SpeechChunker::Input::kMore).size();
          }
        }
        chunks += chunker.TakeChunks(SpeechChunker::Input::kEnded).size();
        ok = ok && chunks > 0;
      }
    } else {
      Result<SpeechAudio> audio = LoadSpeechAudio(path);
      ok = audio.ok() && !ToPcm16(audio->audio.channels[0]).empty();
    }
    const long result[2] = {before, StatusKib("VmHWM")};
    const bool written = write(fds[1], result, sizeof(result)) == sizeof(result);
    _exit(ok && written ? 0 : 1);
  }
  close(fds[1]);
  long result[2] = {-1, -1};
  const bool got = pid > 0 && read(fds[0], result, sizeof(result)) == sizeof(result);
  close(fds[0]);
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !got) return {};
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  return {result[1], result[1] - result[0]};
}

// The house rule: a 10-hour source must fit in the memory of a 10-minute one. Recognising 20
// minutes would take minutes of CPU here, so this measures the part whose memory grew with the
// source (reading and chunking); decoding holds at most two chunks per worker by construction.
TEST(StreamedRecognitionTest, ReadingTwentyMinutesTakesNoMoreMemoryThanTwo) {
  cutroom::testing::TempDir dir;
  const std::string two_minutes = LoopedParagraph(dir, 120);
  const std::string twenty_minutes = LoopedParagraph(dir, 1200);
  const Memory short_source = ReadingMemory(two_minutes, Reading::kStreamed);
  const Memory long_source = ReadingMemory(twenty_minutes, Reading::kStreamed);
  const Memory whole = ReadingMemory(twenty_minutes, Reading::kWholeInMemory);
  std::printf(
      "[ measured ] peak RSS (growth while reading): streamed 2 min %ld KiB (%ld), "
      "streamed 20 min %ld KiB (%ld), 20 min held whole %ld KiB (%ld)\n",
      short_source.peak_kib, short_source.growth_kib, long_source.peak_kib, long_source.growth_kib,
      whole.peak_kib, whole.growth_kib);
  ASSERT_GT(short_source.peak_kib, 0);
  ASSERT_GT(long_source.peak_kib, 0);
  ASSERT_GT(whole.peak_kib, 0);
  EXPECT_LE(long_source.peak_kib, short_source.peak_kib * 3 / 2);
  // Stricter than the peak (which includes the test process's own pages): what reading adds
  // does not grow with the length (8 MiB of slack for allocator noise).
  EXPECT_LE(long_source.growth_kib, short_source.growth_kib * 3 / 2 + 8 * 1024);
  // The checks can fail: holding the whole source (the old way) breaks them.
  EXPECT_GT(whole.growth_kib, long_source.growth_kib * 3 / 2 + 8 * 1024);
}

}  // namespace
}  // namespace cutroom::speech
