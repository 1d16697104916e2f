// bench/transcribe: CPU seconds per audio second of the built-in recognizer and of forced
// alignment, and the wall-clock speed-up of chunked parallel recognition (1 vs N threads).
// pocketsphinx_continuous on the same audio is the external reference (CPU seconds of the child).
//
// usage: transcribe_bench [THREADS] [SHARED_TESTDATA_DIR]
#include <sys/resource.h>
#include <sys/time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "cutroom/executor.h"
#include "speech/forced_aligner.h"
#include "speech/speech_recognizer.h"
#include "speech/speech_synthesizer.h"

namespace {

using namespace cutroom;

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ChildrenCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  auto s = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec * 1e-6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Timing {
  double wall_s = 0;
  double cpu_s = 0;
  size_t words = 0;
};

Timing TimeRecognition(Executor* executor, speech::BuiltinRecognizerOptions::Mode mode,
                       const AudioBuffer& audio) {
  speech::BuiltinRecognizerOptions options;
  options.mode = mode;
  auto recognizer = speech::CreateBuiltinRecognizer(executor, options);
  if (!recognizer.ok()) {
    std::fprintf(stderr, "%s\n", recognizer.status().ToString().c_str());
    std::exit(1);
  }
  // A warm-up on the first 12 s gives every worker its decoder (model loading is not
  // recognition) without decoding everything twice.
  AudioBuffer warm_up = audio;
  warm_up.channels[0].resize(std::min<size_t>(warm_up.channels[0].size(), 16000 * 12));
  (void)(*recognizer)->Recognize(warm_up, nullptr);
  const double wall0 = Now(), cpu0 = ProcessCpuSeconds();
  Result<speech::Transcript> t = (*recognizer)->Recognize(audio, nullptr);
  Timing timing{Now() - wall0, ProcessCpuSeconds() - cpu0, t.ok() ? t->words.size() : 0};
  return timing;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  const std::string data = argc > 2 ? argv[2] : CUTROOM_SHARED_TESTDATA;
  // The five LibriVox clips back to back with 0.5 s pauses, repeated twice (about 55 s).
  AudioBuffer audio;
  audio.sample_rate = 16000;
  audio.channels.resize(1);
  audio.pts = MediaTime(0, {1, 16000});
  const char* clips[] = {"0870", "0880", "0890", "0920", "0930"};
  for (int repeat = 0; repeat < 2; ++repeat) {
    for (const char* clip : clips) {
      auto loaded = speech::LoadSpeechAudio(
          data + "/speech/sense_and_sensibility_01_austen_64kb-" + clip + ".wav");
      if (!loaded.ok()) {
        std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
        return 1;
      }
      auto& s = audio.channels[0];
      s.insert(s.end(), loaded->audio.channels[0].begin(), loaded->audio.channels[0].end());
      s.resize(s.size() + 8000, 0.0f);
    }
  }
  const double audio_s = static_cast<double>(audio.frames()) / 16000.0;
  std::printf("audio: %.1f s (LibriVox clips x2)\n", audio_s);

  ThreadPoolExecutor one(1), many(threads);
  const Timing single = TimeRecognition(&one, speech::BuiltinRecognizerOptions::Mode::kChunked, audio);
  const Timing parallel = TimeRecognition(&many, speech::BuiltinRecognizerOptions::Mode::kChunked, audio);
  std::printf("recognition, 1 thread : wall %.2f s, CPU %.2f s = %.3f CPU s per audio s (%zu words)\n",
              single.wall_s, single.cpu_s, single.cpu_s / audio_s, single.words);
  std::printf("recognition, %d threads: wall %.2f s, CPU %.2f s; wall speed-up %.2fx\n", threads,
              parallel.wall_s, parallel.cpu_s, single.wall_s / parallel.wall_s);

  // Reference: pocketsphinx_continuous on the same audio, CPU of the child process.
  const std::string wav = "/tmp/cutroom-bench-transcribe.wav";
  if (speech::WriteWav(wav, audio).ok()) {
    const double child0 = ChildrenCpuSeconds();
    const double wall0 = Now();
    const int rc = std::system(("pocketsphinx_continuous -infile " + wav +
                                " -logfn /dev/null > /dev/null 2>&1").c_str());
    if (rc == 0) {
      const double cpu = ChildrenCpuSeconds() - child0;
      std::printf("pocketsphinx_continuous: wall %.2f s, CPU %.2f s = %.3f CPU s per audio s; "
                  "ours/CLI CPU ratio %.2f\n",
                  Now() - wall0, cpu, cpu / audio_s, single.cpu_s / cpu);
    }
    std::remove(wav.c_str());
  }

  // Alignment: a flite paragraph against its text.
  const std::string text =
      "We need to find a better way to share what we know with the people around us. When you "
      "start a new project, the first thing you should do is talk to the people who will use "
      "it. Ask them what they want and listen to what they say. Then write down a simple plan "
      "and show it to them again.";
  auto flite = speech::CreateFliteSynthesizer("slt");
  auto aligner = speech::ForcedAligner::Create();
  if (!flite.ok() || !aligner.ok()) return 1;
  auto speech = (*flite)->Synthesize(text);
  if (!speech.ok()) return 1;
  const double speech_s = static_cast<double>(speech->audio.frames()) / speech->audio.sample_rate;
  const double cpu0 = ProcessCpuSeconds();
  auto aligned = (*aligner)->AlignText(speech->audio, text);
  const double cpu = ProcessCpuSeconds() - cpu0;
  std::printf("alignment: %.1f s of speech, %zu words, CPU %.2f s = %.3f CPU s per audio s\n",
              speech_s, aligned.ok() ? aligned->words.size() : 0, cpu, cpu / speech_s);
  return 0;
}
