#include "speak_command.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cutroom/log.h"
#include "cutroom/status.h"
#include "speech/speech_synthesizer.h"

namespace cutroom::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct SpeakOptions {
  std::optional<std::string> text;
  std::optional<std::string> text_file;  // "-" reads stdin
  std::optional<std::string> voice;
  std::optional<std::string> output_path;
  std::optional<std::string> words_path;
  bool help = false;
};

constexpr std::string_view kEspeakPrefix = "espeak:";

std::string VoiceList() {
  std::string list;
  for (const std::string& name : speech::FliteVoiceNames()) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

// "espeak:de" picks the espeak-ng voice for that language; any other name is a flite voice.
Result<std::unique_ptr<speech::SpeechSynthesizer>> CreateSynthesizer(const std::string& voice) {
  if (voice.rfind(kEspeakPrefix, 0) == 0) {
    return speech::CreateEspeakSynthesizer(voice.substr(kEspeakPrefix.size()));
  }
  Result<std::unique_ptr<speech::SpeechSynthesizer>> flite = speech::CreateFliteSynthesizer(voice);
  if (!flite.ok()) {
    return InvalidArgumentError(flite.status().message() +
                                "; for other languages use espeak:LANG, e.g. espeak:de");
  }
  return flite;
}

void PrintUsage(std::FILE* out) {
  std::fprintf(out,
               "usage: cutroom speak (TEXT | -f FILE) [--voice NAME] -o OUT.wav "
               "[--words WORDS.json]\n"
               "\n"
               "Speaks text into a 16-bit PCM WAV file: English with a built-in flite voice, other\n"
               "languages with espeak-ng.\n"
               "\n"
               "  TEXT               the text to speak (quote it; use -- before text that starts "
               "with '-')\n"
               "  -f, --file FILE    read the text from FILE ('-' for stdin)\n"
               "  --voice NAME       a flite voice, one of: %s (default: %s);\n"
               "                     or espeak:LANG for espeak-ng, e.g. espeak:de, espeak:fr,\n"
               "                     espeak:es, espeak:en-us (an unknown LANG lists them all)\n"
               "  -o, --output OUT   the WAV file to write\n"
               "  --words FILE       also write word times as JSON: {\"voice\", \"sample_rate\",\n"
               "                     \"duration_s\", \"words\": [{\"text\", \"start_s\", "
               "\"end_s\"}]}\n"
               "  -h, --help         show this help\n"
               "\n"
               "flite reports numbers and abbreviations as the words spoken (\"42\" -> \"forty\", "
               "\"two\");\n"
               "espeak-ng reports the words of the text (\"42\" stays one word).\n"
               "Exit status: 0 success, 1 failure, 2 usage error.\n",
               VoiceList().c_str(), speech::FliteVoiceNames().front().c_str());
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "cutroom speak: %s\nTry 'cutroom speak --help'.\n", message.c_str());
  return kExitUsage;
}

int Failure(const std::string& message) {
  std::fprintf(stderr, "cutroom speak: %s\n", message.c_str());
  return kExitFailure;
}

// Parses argv into `options`; returns an error message for a usage error.
std::optional<std::string> ParseArgs(int argc, char** argv, SpeakOptions* options) {
  std::vector<std::string> positional;
  bool options_ended = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (options_ended || arg == "-" || arg.empty() || arg[0] != '-') {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      options->help = true;
      return std::nullopt;
    }
    // Options that take a value, as "--name VALUE" or "--name=VALUE".
    std::string name = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    std::optional<std::string>* target = nullptr;
    if (name == "-f" || name == "--file") {
      target = &options->text_file;
    } else if (name == "--voice") {
      target = &options->voice;
    } else if (name == "-o" || name == "--output") {
      target = &options->output_path;
    } else if (name == "--words") {
      target = &options->words_path;
    } else {
      return "unknown option " + arg;
    }
    if (!value.has_value()) {
      if (i + 1 >= argc) return "option " + name + " needs a value";
      value = argv[++i];
    }
    if (target->has_value()) return "option " + name + " given twice";
    if (value->empty()) return "option " + name + " needs a non-empty value";
    *target = *value;
  }
  if (positional.size() > 1) {
    return "expected one TEXT argument, got " + std::to_string(positional.size()) +
           " (quote the text)";
  }
  if (positional.size() == 1) options->text = positional[0];
  if (options->text.has_value() == options->text_file.has_value()) {
    return "give either TEXT or -f FILE";
  }
  if (!options->output_path.has_value()) return "missing -o OUT.wav";
  return std::nullopt;
}

Result<std::string> ReadText(const std::string& path) {
  if (path == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    if (std::cin.bad()) return UnavailableError("cannot read stdin");
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    return NotFoundError("cannot open " + path + ": " + std::generic_category().message(error));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return UnavailableError("cannot read " + path);
  return text;
}

// Seconds with three decimals, independent of the C locale (JSON needs '.').
std::string Seconds3(double seconds) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), seconds, std::chars_format::fixed, 3);
  if (ec != std::errc()) return "0.000";
  return std::string(buf, end);
}

std::string WordsJson(const std::string& voice, const speech::Speech& speech) {
  const int rate = speech.audio.sample_rate;
  const double duration_s = static_cast<double>(speech.audio.frames()) / rate;
  std::string json = "{\"voice\": \"" + JsonEscape(voice) +
                     "\", \"sample_rate\": " + std::to_string(rate) +
                     ", \"duration_s\": " + Seconds3(duration_s) + ", \"words\": [";
  for (size_t i = 0; i < speech.words.size(); ++i) {
    const speech::TimedWord& word = speech.words[i];
    json += i == 0 ? "\n  " : ",\n  ";
    json += "{\"text\": \"" + JsonEscape(word.text) +
            "\", \"start_s\": " + Seconds3(word.start.ToSeconds()) +
            ", \"end_s\": " + Seconds3(word.end.ToSeconds()) + "}";
  }
  json += speech.words.empty() ? "]}\n" : "\n]}\n";
  return json;
}

// Temporary name + rename, like the WAV, so a reader never sees half a file.
Status WriteTextFile(const std::string& path, const std::string& contents) {
  const std::string tmp_path = path + ".tmp-" + std::to_string(::getpid());
  std::FILE* file = std::fopen(tmp_path.c_str(), "wbx");
  if (file == nullptr) {
    const int error = errno;
    return UnavailableError("cannot create " + tmp_path + ": " +
                            std::generic_category().message(error));
  }
  const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    const int error = errno;
    std::remove(tmp_path.c_str());
    return UnavailableError("cannot write " + tmp_path + ": " +
                            std::generic_category().message(error));
  }
  if (std::rename(tmp_path.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(tmp_path.c_str());
    return UnavailableError("cannot rename " + tmp_path + " to " + path + ": " +
                            std::generic_category().message(error));
  }
  return Status::Ok();
}

}  // namespace

int RunSpeak(int argc, char** argv) {
  SpeakOptions options;
  if (std::optional<std::string> error = ParseArgs(argc, argv, &options)) {
    return UsageError(*error);
  }
  if (options.help) {
    PrintUsage(stdout);
    return kExitOk;
  }
  const std::string voice = options.voice.value_or(speech::FliteVoiceNames().front());
  Result<std::unique_ptr<speech::SpeechSynthesizer>> synthesizer = CreateSynthesizer(voice);
  if (!synthesizer.ok()) return UsageError(synthesizer.status().message());

  std::string text;
  if (options.text_file.has_value()) {
    Result<std::string> read = ReadText(*options.text_file);
    if (!read.ok()) return Failure(read.status().message());
    text = std::move(read).value();
  } else {
    text = *options.text;
  }

  Result<speech::Speech> speech = (*synthesizer)->Synthesize(text);
  if (!speech.ok()) return Failure(speech.status().message());
  if (Status s = speech::WriteWav(*options.output_path, speech->audio); !s.ok()) {
    return Failure(s.message());
  }
  if (options.words_path.has_value()) {
    if (Status s = WriteTextFile(*options.words_path, WordsJson(voice, *speech)); !s.ok()) {
      return Failure("write words " + *options.words_path + ": " + s.message());
    }
  }
  std::printf(
      "wrote %s: %s s, %zu words, voice %s\n", options.output_path->c_str(),
      Seconds3(static_cast<double>(speech->audio.frames()) / speech->audio.sample_rate).c_str(),
      speech->words.size(), voice.c_str());
  return kExitOk;
}

}  // namespace cutroom::cli
