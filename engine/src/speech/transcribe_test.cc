// TranscribeFile end to end on real files made with the ffmpeg CLI: subtitles embedded in an MP4
// and sidecars beside it win over recognition; bad inputs give clear errors.
#include "speech/transcribe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "speech/forced_aligner.h"
#include "speech/speech_recognizer.h"
#include "speech/speech_synthesizer.h"
#include "test_support.h"

namespace cutroom::speech {
namespace {

using ::testing::HasSubstr;
using cutroom::testing::Ffmpeg;
using cutroom::testing::TempDir;
using cutroom::testing::WriteFile;

constexpr char kFirst[] = "The boat left the harbour at dawn.";
constexpr char kSecond[] = "Nobody on the island saw it go.";

// Two flite sentences 1 s apart in `wav`; returns the SRT that captions them.
std::string MakeSpeech(const std::string& wav) {
  auto synth = CreateFliteSynthesizer("slt");
  EXPECT_TRUE(synth.ok());
  Result<Speech> first = (*synth)->Synthesize(kFirst);
  Result<Speech> second = (*synth)->Synthesize(kSecond);
  EXPECT_TRUE(first.ok() && second.ok());
  AudioBuffer audio = first->audio;
  const size_t second_at = audio.channels[0].size() + 16000;
  audio.channels[0].resize(second_at, 0.0f);
  audio.channels[0].insert(audio.channels[0].end(), second->audio.channels[0].begin(),
                           second->audio.channels[0].end());
  EXPECT_TRUE(WriteWav(wav, audio).ok());
  const int64_t first_end_ms = first->words.back().end.Rescale({1, 1000}) + 150;
  const int64_t second_start_ms = static_cast<int64_t>(second_at) / 16;
  const int64_t total_ms = static_cast<int64_t>(audio.channels[0].size()) / 16;
  std::vector<Cue> cues = {{MediaTime(0, {1, 1000}), MediaTime(first_end_ms, {1, 1000}),
                            "The boat left\nthe harbour at dawn.", ""},
                           {MediaTime(second_start_ms - 100, {1, 1000}),
                            MediaTime(total_ms, {1, 1000}), "Nobody on the island saw it go.", ""}};
  return WriteSrt(cues);
}

void ExpectWordsInsideCues(const Transcript& t, const std::vector<Cue>& cues) {
  std::string text;
  for (const Word& w : t.words) text += (text.empty() ? "" : " ") + w.text;
  EXPECT_EQ(text, std::string(kFirst) + " " + kSecond);
  ASSERT_EQ(t.words.size(), 14u);
  for (size_t i = 0; i < t.words.size(); ++i) {
    const Cue& cue = cues[i < 7 ? 0 : 1];
    EXPECT_GE(t.words[i].start, cue.start) << t.words[i].text;
    EXPECT_LE(t.words[i].end, cue.end) << t.words[i].text;
  }
}

TEST(TranscribeFileTest, EmbeddedMovTextSubtitlesGiveTheCueText) {
  TempDir dir;
  const std::string srt = MakeSpeech(dir.File("speech.wav"));
  WriteFile(dir.File("cues.srt"), srt);
  const std::string mp4 = dir.File("talk.mp4");
  ASSERT_TRUE(Ffmpeg("-i '" + dir.File("speech.wav") + "' -i '" + dir.File("cues.srt") +
                     "' -map 0:a -map 1:s -c:a aac -c:s mov_text -metadata:s:s:0 language=eng '" +
                     mp4 + "'"));
  Result<std::vector<Cue>> cues = ParseSrt(srt);
  ASSERT_TRUE(cues.ok());
  TranscribeOptions options;  // no executor: recognition must not be needed
  Result<Transcript> t = TranscribeFile(mp4, options);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->source, TranscriptSource::kSubtitles);
  ExpectWordsInsideCues(*t, *cues);
  EXPECT_EQ(t->sentences.size(), 2u);
}

// The file is aligned through a sliding window of the audio stream (bounded memory); each cue
// must get exactly the word times the aligner gives with the whole audio in memory, even when
// the subtitle file lists its cues out of order.
TEST(TranscribeFileTest, StreamedCueAlignmentEqualsWholeAudioAlignment) {
  TempDir dir;
  const std::string srt = MakeSpeech(dir.File("talk.wav"));
  Result<std::vector<Cue>> cues = ParseSrt(srt);
  ASSERT_TRUE(cues.ok());
  std::vector<Cue> reversed(cues->rbegin(), cues->rend());
  WriteFile(dir.File("reversed.srt"), WriteSrt(reversed));
  TranscribeOptions options;
  options.subtitles_path = dir.File("reversed.srt");
  Result<Transcript> streamed = TranscribeFile(dir.File("talk.wav"), options);
  ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();

  Result<SpeechAudio> whole = LoadSpeechAudio(dir.File("talk.wav"));
  ASSERT_TRUE(whole.ok());
  Result<std::unique_ptr<ForcedAligner>> aligner = ForcedAligner::Create();
  ASSERT_TRUE(aligner.ok());
  Result<Transcript> reference = (*aligner)->AlignCues(whole->audio, *cues);
  ASSERT_TRUE(reference.ok());
  ASSERT_EQ(streamed->words.size(), reference->words.size());
  for (size_t i = 0; i < reference->words.size(); ++i) {
    EXPECT_EQ(streamed->words[i].text, reference->words[i].text);
    EXPECT_EQ(streamed->words[i].start, reference->words[i].start) << reference->words[i].text;
    EXPECT_EQ(streamed->words[i].end, reference->words[i].end) << reference->words[i].text;
  }
  ExpectWordsInsideCues(*streamed, *cues);
}

TEST(TranscribeFileTest, SidecarWithLanguageTagIsFound) {
  TempDir dir;
  const std::string srt = MakeSpeech(dir.File("talk.wav"));
  Result<std::vector<Cue>> cues = ParseSrt(srt);
  ASSERT_TRUE(cues.ok());
  WriteFile(dir.File("talk.en.vtt"), WriteWebVtt(*cues));
  WriteFile(dir.File("talk.de.srt"), "1\n00:00:00,000 --> 00:00:01,000\nHallo\n");
  WriteFile(dir.File("other.srt"), "1\n00:00:00,000 --> 00:00:01,000\nWrong file\n");
  EXPECT_EQ(FindSidecarSubtitles(dir.File("talk.wav"), "en"),
            (std::vector<std::string>{dir.File("talk.en.vtt"), dir.File("talk.de.srt")}));
  Result<Transcript> t = TranscribeFile(dir.File("talk.wav"), TranscribeOptions());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->source, TranscriptSource::kSubtitles);
  ExpectWordsInsideCues(*t, *cues);
}

TEST(TranscribeFileTest, MalformedSubtitleFileNamesTheLine) {
  TempDir dir;
  MakeSpeech(dir.File("talk.wav"));
  WriteFile(dir.File("bad.srt"),
            "1\n00:00:00,000 --> 00:00:01,000\nFine\n\n2\n00:00:02,000 -> 00:00:03,000\nBroken\n");
  TranscribeOptions options;
  options.subtitles_path = dir.File("bad.srt");
  Result<Transcript> t = TranscribeFile(dir.File("talk.wav"), options);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("line 6"));
  EXPECT_THAT(t.status().message(), HasSubstr("bad.srt"));
}

TEST(TranscribeFileTest, NoAudioStreamIsAClearError) {
  TempDir dir;
  const std::string path = dir.File("video_only.mp4");
  ASSERT_TRUE(Ffmpeg("-f lavfi -i testsrc=size=64x64:rate=10:duration=1 -c:v libx264 "
                     "-pix_fmt yuv420p '" + path + "'"));
  ThreadPoolExecutor pool(1);
  TranscribeOptions options;
  options.executor = &pool;
  Result<Transcript> t = TranscribeFile(path, options);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(t.status().message(), HasSubstr("no audio stream"));
}

TEST(TranscribeFileTest, SilenceGivesAnEmptyTranscript) {
  TempDir dir;
  const std::string path = dir.File("silence.wav");
  ASSERT_TRUE(Ffmpeg("-f lavfi -i anullsrc=r=16000:cl=mono -t 2 '" + path + "'"));
  ThreadPoolExecutor pool(2);
  TranscribeOptions options;
  options.executor = &pool;
  Result<Transcript> t = TranscribeFile(path, options);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->source, TranscriptSource::kBuiltinAsr);
  EXPECT_TRUE(t->words.empty());
}

}  // namespace
}  // namespace cutroom::speech
