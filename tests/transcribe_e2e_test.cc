// Acceptance tests of `cutroom transcribe` and `cutroom speak` as a user runs them: flite speech
// with a known text is transcribed by the built-in recognizer, aligned to a subtitle sidecar, and
// sent in chunks to a fake OpenAI-compatible server on a real socket; bad input gets a clear error
// and leaves no output behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "fake_http_server.h"
#include "test_support.h"

namespace cutroom {
namespace {

using Json = nlohmann::json;

// Three sentences flite speaks word for word (no numbers or abbreviations), ~9 s.
constexpr char kSentence1[] = "The quick brown fox jumps over the lazy dog.";
constexpr char kSentence2[] = "A small boat sailed across the quiet lake at dawn.";
constexpr char kSentence3[] =
    "Children played in the park while their parents watched from the benches.";

testing::CommandResult Sh(const std::string& command) { return testing::Run(command); }

std::string Cli(const std::string& args) { return "'" + testing::CliPath() + "' " + args; }

std::string Quote(const std::string& path) { return "'" + path + "'"; }

double ProbeDuration(const std::string& file) {
  auto r = Sh("ffprobe -v error -show_entries format=duration -of csv=p=0 '" + file + "'");
  return r.exit_code == 0 ? std::atof(r.output.c_str()) : -1;
}

// Lower-case words with punctuation stripped: "Dawn." and "dawn" are the same word.
std::vector<std::string> NormalizedWords(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    std::string word;
    for (char c : token) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    if (!word.empty()) words.push_back(word);
  }
  return words;
}

std::vector<std::string> NormalizedWords(const Json& words) {
  std::string text;
  for (const Json& w : words) text += w["text"].get<std::string>() + " ";
  return NormalizedWords(text);
}

// Word error rate: word-level edit distance over the reference length.
double WordErrorRate(const std::vector<std::string>& ref, const std::vector<std::string>& hyp) {
  std::vector<size_t> row(hyp.size() + 1);
  for (size_t j = 0; j <= hyp.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= ref.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= hyp.size(); ++j) {
      const size_t substitute = diagonal + (ref[i - 1] == hyp[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({substitute, row[j] + 1, row[j - 1] + 1});
    }
  }
  return ref.empty() ? 0.0 : static_cast<double>(row[hyp.size()]) / ref.size();
}

// Seconds of an SRT ("00:00:01,250") or WebVTT ("00:00:01.250") cue time.
double CueSeconds(const std::string& t) {
  int h = 0, m = 0, s = 0, ms = 0;
  if (std::sscanf(t.c_str(), "%d:%d:%d%*[,.]%d", &h, &m, &s, &ms) != 4) return -1;
  return h * 3600 + m * 60 + s + ms / 1000.0;
}

struct Cue {
  double start_s = 0;
  double end_s = 0;
  std::string text;
};

// The cues of an SRT or WebVTT file: each "A --> B" line and the text lines up to a blank line.
std::vector<Cue> ReadCues(const std::string& captions) {
  std::vector<Cue> cues;
  std::istringstream in(captions);
  std::string line;
  bool in_cue = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (const size_t arrow = line.find(" --> "); arrow != std::string::npos) {
      cues.push_back({CueSeconds(line.substr(0, arrow)), CueSeconds(line.substr(arrow + 5)), ""});
      in_cue = true;
    } else if (line.empty()) {
      in_cue = false;
    } else if (in_cue) {
      cues.back().text += line + " ";
    }
  }
  return cues;
}

std::string SrtTime(double s) {
  const int ms = static_cast<int>(s * 1000 + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d,%03d", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60, ms % 1000);
  return buf;
}

// `cutroom speak` of the three sentences once for the suite: speech.wav and its word times.
class TranscribeE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    speak_ = new testing::CommandResult(Sh(Cli("speak '" + KnownText() + "' -o " + Quote(Speech()) +
                                               " --words " + Quote(dir_->File("words.json")))));
  }
  static void TearDownTestSuite() {
    delete speak_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_EQ(speak_->exit_code, 0) << speak_->output;
    spoken_ = Json::parse(testing::ReadFile(dir_->File("words.json")));
  }
  static std::string Speech() { return dir_->File("speech.wav"); }
  static std::string KnownText() {
    return std::string(kSentence1) + " " + kSentence2 + " " + kSentence3;
  }

  static testing::TempDir* dir_;
  static testing::CommandResult* speak_;
  Json spoken_;  // speak --words: {"voice", "sample_rate", "duration_s", "words"}
};

testing::TempDir* TranscribeE2E::dir_ = nullptr;
testing::CommandResult* TranscribeE2E::speak_ = nullptr;

TEST_F(TranscribeE2E, SpeakReportsTheWordsItSpokeInsideTheAudio) {
  EXPECT_EQ(NormalizedWords(spoken_["words"]), NormalizedWords(KnownText()));
  const double duration_s = ProbeDuration(Speech());
  EXPECT_NEAR(spoken_["duration_s"].get<double>(), duration_s, 0.01);
  EXPECT_EQ(spoken_["sample_rate"], 16000);
  double previous_end = 0;
  for (const Json& w : spoken_["words"]) {
    EXPECT_GE(w["start_s"].get<double>(), previous_end) << w;
    EXPECT_LT(w["start_s"].get<double>(), w["end_s"].get<double>()) << w;
    previous_end = w["end_s"].get<double>();
  }
  EXPECT_LE(previous_end, duration_s + 0.001);
}

TEST_F(TranscribeE2E, BuiltinRecognizerWritesTranscriptAndCaptions) {
  const std::string json = dir_->File("t.json"), srt = dir_->File("t.srt"),
                    vtt = dir_->File("t.vtt");
  auto r = Sh(Cli("transcribe " + Quote(Speech()) + " -o " + Quote(json) + " --srt " + Quote(srt) +
                  " --vtt " + Quote(vtt) + " --threads 2"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Json t = Json::parse(testing::ReadFile(json));
  EXPECT_EQ(t["source"], "builtin_asr");
  EXPECT_EQ(t["language"], "en");
  ASSERT_TRUE(t["words"].is_array());
  ASSERT_FALSE(t["words"].empty());
  const double duration_s = ProbeDuration(Speech());
  double previous_end = 0;
  for (const Json& w : t["words"]) {
    const double start_s = w["start_s"].get<double>(), end_s = w["end_s"].get<double>();
    EXPECT_GE(start_s, previous_end) << w;  // in order, never overlapping
    EXPECT_LT(start_s, end_s) << w;
    EXPECT_LE(end_s, duration_s + 0.001) << w;
    previous_end = end_s;
  }
  const double wer = WordErrorRate(NormalizedWords(KnownText()), NormalizedWords(t["words"]));
  EXPECT_LE(wer, 0.25) << t["words"].dump();

  // Sentences cover the words in order.
  ASSERT_TRUE(t["sentences"].is_array());
  ASSERT_FALSE(t["sentences"].empty());
  size_t next_word = 0;
  for (const Json& s : t["sentences"]) {
    EXPECT_EQ(s["first_word"].get<size_t>(), next_word) << s;
    next_word += s["word_count"].get<size_t>();
  }
  EXPECT_EQ(next_word, t["words"].size());

  // Captions carry the transcript's words with ordered cue times inside the audio.
  const std::string vtt_text = testing::ReadFile(vtt);
  EXPECT_EQ(vtt_text.rfind("WEBVTT", 0), 0u) << vtt_text;
  for (const std::string& file : {srt, vtt}) {
    SCOPED_TRACE(file);
    const std::vector<Cue> cues = ReadCues(testing::ReadFile(file));
    ASSERT_FALSE(cues.empty());
    std::string text;
    double previous = 0;
    for (const Cue& c : cues) {
      EXPECT_GE(c.start_s, previous - 0.001);
      EXPECT_LT(c.start_s, c.end_s);
      EXPECT_LE(c.end_s, duration_s + 0.001);
      previous = c.end_s;
      text += c.text;
    }
    EXPECT_EQ(NormalizedWords(text), NormalizedWords(t["words"]));
  }
}

TEST_F(TranscribeE2E, SubtitleWordsAreAlignedInsideTheirCues) {
  // One cue per sentence, timed from flite's word times with a little slack.
  const Json& words = spoken_["words"];
  const std::vector<std::string> sentences = {kSentence1, kSentence2, kSentence3};
  std::vector<Cue> cues;
  std::string srt;
  size_t first = 0;
  for (size_t i = 0; i < sentences.size(); ++i) {
    const size_t count = NormalizedWords(sentences[i]).size();
    ASSERT_LE(first + count, words.size());
    Cue cue{words[first]["start_s"].get<double>() - 0.05,
            words[first + count - 1]["end_s"].get<double>() + 0.05, sentences[i]};
    srt += std::to_string(i + 1) + "\n" + SrtTime(cue.start_s) + " --> " + SrtTime(cue.end_s) +
           "\n" + cue.text + "\n\n";
    cues.push_back(cue);
    first += count;
  }
  const std::string subs = dir_->File("cues.srt"), json = dir_->File("aligned.json");
  testing::WriteFile(subs, srt);
  auto r = Sh(
      Cli("transcribe " + Quote(Speech()) + " --subtitles " + Quote(subs) + " -o " + Quote(json)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Json t = Json::parse(testing::ReadFile(json));
  EXPECT_EQ(t["source"], "subtitles");
  ASSERT_EQ(NormalizedWords(t["words"]), NormalizedWords(KnownText()));
  size_t index = 0;
  for (const Cue& cue : cues) {
    for (size_t n = NormalizedWords(cue.text).size(); n > 0; --n, ++index) {
      const Json& w = t["words"][index];
      EXPECT_GE(w["start_s"].get<double>(), cue.start_s - 0.001) << w;
      EXPECT_LE(w["end_s"].get<double>(), cue.end_s + 0.001) << w;
      // Aligned to the audio, not spread over the cue: near the time flite spoke the word.
      EXPECT_NEAR(w["start_s"].get<double>(), words[index]["start_s"].get<double>(), 0.15) << w;
    }
  }
}

// A verbose_json reply with one word at the start of the chunk it answers.
std::string OneWordReply(const std::string& word) {
  return Json{{"task", "transcribe"},
              {"language", "english"},
              {"duration", 1.0},
              {"text", word},
              {"words", Json::array({{{"word", word}, {"start", 0.0}, {"end", 0.2}}})}}
      .dump();
}

// Seconds of audio in the WAV file a transcription request uploads; -1 if none is found.
double UploadedSeconds(const std::string& request) {
  const size_t riff = request.find("RIFF");
  if (riff == std::string::npos || riff + 44 > request.size()) return -1;
  auto u32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(request[at + i]);
    return v;
  };
  const uint32_t byte_rate = u32(riff + 28);
  const size_t data = request.find("data", riff + 36);
  if (data == std::string::npos || byte_rate == 0) return -1;
  return static_cast<double>(u32(data + 4)) / byte_rate;
}

TEST_F(TranscribeE2E, HttpRecognizerSendsChunksAndOffsetsTheirWords) {
  // ~300 s: the sentences 16 times with 10 s of silence after each, beyond one 120 s chunk.
  const std::string padded = dir_->File("padded.wav"), longer = dir_->File("long.wav");
  ASSERT_TRUE(testing::Ffmpeg("-i " + Quote(Speech()) + " -af apad=pad_dur=10 " + Quote(padded)));
  ASSERT_TRUE(testing::Ffmpeg("-stream_loop 15 -i " + Quote(padded) + " " + Quote(longer)));
  const double duration_s = ProbeDuration(longer), copy_s = ProbeDuration(padded);
  ASSERT_GT(duration_s, 290);

  testing::FakeServer server;
  const std::vector<std::string> replies = {"alpha", "bravo", "charlie", "delta", "echo"};
  for (const std::string& word : replies) {
    server.QueueReply(200, "application/json", OneWordReply(word));
  }
  server.Reply(200, "application/json", OneWordReply("zulu"));
  const std::string json = dir_->File("http.json");
  auto r = Sh("CUTROOM_ASR_URL=" + server.url() + " CUTROOM_ASR_API_KEY=sk-test-123 " +
              "CUTROOM_ASR_MODEL=tiny-model " +
              Cli("transcribe " + Quote(longer) + " --asr http -o " + Quote(json)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<std::string> requests = server.requests();
  ASSERT_GE(requests.size(), 2u);
  ASSERT_LE(requests.size(), replies.size());
  for (const std::string& request : requests) {
    EXPECT_EQ(request.rfind("POST /v1/audio/transcriptions ", 0), 0u) << request.substr(0, 200);
    EXPECT_NE(request.find("Authorization: Bearer sk-test-123"), std::string::npos);
    EXPECT_NE(request.find("name=\"model\"\r\n\r\ntiny-model"), std::string::npos);
    EXPECT_LE(UploadedSeconds(request), 240.0 + 0.01);
  }

  const Json t = Json::parse(testing::ReadFile(json));
  EXPECT_EQ(t["source"], "http_asr");
  EXPECT_EQ(t["language"], "en");
  const Json& words = t["words"];
  ASSERT_EQ(words.size(), requests.size());
  double covered_s = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(words[i]["text"], replies[i]);
    // Word i sits at the start of chunk i: chunks follow each other and lie inside the source.
    const double start_s = words[i]["start_s"].get<double>();
    const double chunk_s = UploadedSeconds(requests[i]);
    ASSERT_GT(chunk_s, 0);
    EXPECT_NEAR(words[i]["end_s"].get<double>() - start_s, 0.2, 0.002);
    EXPECT_LE(start_s + chunk_s, duration_s + 0.05);
    // The splitter cuts at the 10 s silences (flite pauses ~0.1 s between sentences), so each
    // chunk, and its word, starts where a copy of the sentences starts.
    const double copy_start_s = std::round(start_s / copy_s) * copy_s;
    EXPECT_NEAR(start_s, copy_start_s, 0.3) << "copies every " << copy_s << " s";
    if (i + 1 < words.size()) {
      EXPECT_GE(words[i + 1]["start_s"].get<double>(), start_s + chunk_s - 0.05);
    }
    covered_s += chunk_s;
  }
  EXPECT_GE(words[1]["start_s"].get<double>() - words[0]["start_s"].get<double>(), 60.0);
  // The chunks carry all of the speech (16 copies of ~8.9 s), silence between them may be left out.
  EXPECT_GE(covered_s, 16 * 8.5);
}

TEST_F(TranscribeE2E, HttpRecognizerErrorsAreClearAndLeaveNoTranscript) {
  testing::TempDir out;
  const std::string json = out.File("t.json");
  auto unconfigured = Sh("env -u CUTROOM_ASR_URL " +
                         Cli("transcribe " + Quote(Speech()) + " --asr http -o " + Quote(json)));
  EXPECT_NE(unconfigured.exit_code, 0);
  EXPECT_NE(unconfigured.output.find("CUTROOM_ASR_URL"), std::string::npos) << unconfigured.output;
  EXPECT_FALSE(testing::FileExists(json));

  testing::FakeServer server;
  server.Reply(503, "application/json", R"({"error":{"message":"model is loading"}})");
  auto failed = Sh("CUTROOM_ASR_URL=" + server.url() + " " +
                   Cli("transcribe " + Quote(Speech()) + " --asr http -o " + Quote(json) +
                       " --srt " + Quote(out.File("t.srt"))));
  EXPECT_EQ(failed.exit_code, 1) << failed.output;
  EXPECT_NE(failed.output.find("model is loading"), std::string::npos) << failed.output;
  EXPECT_EQ(server.requests().size(), 1u);
  // Nothing at all is left in the output folder: no transcript, no captions, no temporary file.
  EXPECT_TRUE(std::filesystem::is_empty(out.path())) << failed.output;
}

TEST(TranscribeCli, BadInputGetsAClearError) {
  testing::TempDir dir;
  auto transcribe = [&](const std::string& input) {
    return Sh(Cli("transcribe " + Quote(input) + " -o " + Quote(dir.File("t.json"))));
  };
  testing::WriteFile(dir.File("notes.mp4"), "These are my notes, not a video.\n");
  auto text = transcribe(dir.File("notes.mp4"));
  EXPECT_EQ(text.exit_code, 1) << text.output;
  EXPECT_NE(text.output.find("notes.mp4"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("not a media file"), std::string::npos) << text.output;
  EXPECT_FALSE(testing::FileExists(dir.File("t.json")));

  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i testsrc=duration=2:size=160x120 -an " +
                              Quote(dir.File("silent_film.mp4"))));
  auto video = transcribe(dir.File("silent_film.mp4"));
  EXPECT_EQ(video.exit_code, 1) << video.output;
  EXPECT_NE(video.output.find("no audio stream"), std::string::npos) << video.output;
  EXPECT_FALSE(testing::FileExists(dir.File("t.json")));

  auto missing = transcribe(dir.File("nowhere.wav"));
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("nowhere.wav"), std::string::npos) << missing.output;

  auto bad_asr = Sh(Cli("transcribe " + Quote(dir.File("notes.mp4")) + " --asr cloud"));
  EXPECT_EQ(bad_asr.exit_code, 2) << bad_asr.output;
  EXPECT_NE(bad_asr.output.find("--asr"), std::string::npos) << bad_asr.output;
}

TEST(TranscribeCli, SilenceGivesAnEmptyTranscript) {
  testing::TempDir dir;
  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i anullsrc=r=16000:cl=mono -t 5 " +
                              Quote(dir.File("silence.wav"))));
  auto r =
      Sh(Cli("transcribe " + Quote(dir.File("silence.wav")) + " -o " + Quote(dir.File("t.json"))));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Json t = Json::parse(testing::ReadFile(dir.File("t.json")));
  ASSERT_TRUE(t["words"].is_array());
  EXPECT_TRUE(t["words"].empty()) << t.dump();
  EXPECT_TRUE(t["sentences"].empty()) << t.dump();
}

TEST(SpeakCli, BadInputGetsAClearError) {
  testing::TempDir dir;
  const std::string wav = dir.File("out.wav");
  for (const std::string empty : {"''", "'   '"}) {
    auto r = Sh(Cli("speak " + empty + " -o " + Quote(wav)));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("empty"), std::string::npos) << r.output;
    EXPECT_FALSE(testing::FileExists(wav));
  }
  testing::WriteFile(dir.File("empty.txt"), "\n");
  auto file = Sh(Cli("speak -f " + Quote(dir.File("empty.txt")) + " -o " + Quote(wav)));
  EXPECT_EQ(file.exit_code, 1) << file.output;
  EXPECT_NE(file.output.find("empty"), std::string::npos) << file.output;

  auto voice = Sh(Cli("speak 'Hello there.' --voice nobody -o " + Quote(wav)));
  EXPECT_EQ(voice.exit_code, 2) << voice.output;
  EXPECT_NE(voice.output.find("nobody"), std::string::npos) << voice.output;
  EXPECT_NE(voice.output.find("slt"), std::string::npos) << voice.output;  // lists the voices
  EXPECT_FALSE(testing::FileExists(wav));

  auto no_output = Sh(Cli("speak 'Hello there.'"));
  EXPECT_EQ(no_output.exit_code, 2) << no_output.output;
  EXPECT_NE(no_output.output.find("-o"), std::string::npos) << no_output.output;
}

}  // namespace
}  // namespace cutroom
