// The narrate step of a compose job: the script's sentences spoken one by one and joined with
// pauses into narration.wav, with sample-exact sentence and word times in narration.json.
//
// Memory: the narration is held once as float samples while it is built (a 15-minute script at
// flite's 16 kHz is ~58 MB, plus WriteWav's 16-bit copy); only one sentence's synthesis is alive
// besides it. Narration past style.max_duration_s stops synthesis at once, so an over-long script
// never costs more than the limit.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compose/compose_job.h"
#include "compose/compose_plan_util.h"
#include "cutroom/file_util.h"
#include "speech/speech_synthesizer.h"

namespace cutroom::compose {
namespace {

using Json = nlohmann::json;

constexpr char kEspeakPrefix[] = "espeak:";

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// Every voice name NarrateScript accepts, for error messages.
std::string VoiceList() {
  std::string out = JoinNames(speech::FliteVoiceNames());
  Result<std::vector<std::string>> espeak = speech::EspeakVoiceNames();
  if (espeak.ok() && !espeak->empty()) {
    std::vector<std::string> prefixed;
    for (const std::string& lang : *espeak) prefixed.push_back(kEspeakPrefix + lang);
    out += ", " + JoinNames(prefixed);
  } else {
    out += " (espeak-ng voices unavailable";
    if (!espeak.ok()) out += ": " + espeak.status().message();
    out += ")";
  }
  return out;
}

Result<std::unique_ptr<speech::SpeechSynthesizer>> CreateVoice(const std::string& voice) {
  const std::string prefix = kEspeakPrefix;
  if (voice.rfind(prefix, 0) == 0) {
    Result<std::unique_ptr<speech::SpeechSynthesizer>> synth =
        speech::CreateEspeakSynthesizer(voice.substr(prefix.size()));
    if (!synth.ok()) {
      return InvalidArgumentError("voice '" + voice + "': " + synth.status().message() +
                                  " (voices: " + VoiceList() + ")");
    }
    return synth;
  }
  const std::vector<std::string> flite = speech::FliteVoiceNames();
  if (std::find(flite.begin(), flite.end(), voice) == flite.end()) {
    return InvalidArgumentError("unknown voice '" + voice + "' (voices: " + VoiceList() + ")");
  }
  return speech::CreateFliteSynthesizer(voice);
}

int64_t SecondsToSamples(double seconds, int sample_rate) {
  if (!std::isfinite(seconds) || seconds <= 0) return 0;
  return std::llround(seconds * sample_rate);
}

std::string Seconds(int64_t samples, int sample_rate) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", static_cast<double>(samples) / sample_rate);
  return buf;
}

Json NarrationToJson(const Narration& narration) {
  Json sentences = Json::array();
  for (const NarratedSentence& s : narration.sentences) {
    Json words = Json::array();
    for (const NarratedWord& w : s.words) {
      words.push_back({{"text", w.text}, {"start", w.start}, {"end", w.end}});
    }
    sentences.push_back({{"text", s.text},
                         {"paragraph", s.paragraph},
                         {"start", s.start},
                         {"end", s.end},
                         {"words", std::move(words)}});
  }
  return Json{{"voice", narration.voice},
              {"sample_rate", narration.sample_rate},
              {"samples", narration.samples},
              {"sentences", std::move(sentences)}};
}

// Reads one integer field; errors name the JSON path.
Result<int64_t> IntField(const Json& object, const char* key, const std::string& path) {
  auto it = object.find(key);
  if (it == object.end()) return DataLossError(path + "." + key + ": missing");
  if (!it->is_number_integer()) return DataLossError(path + "." + key + ": expected an integer");
  return it->get<int64_t>();
}

Result<std::string> StringField(const Json& object, const char* key, const std::string& path) {
  auto it = object.find(key);
  if (it == object.end()) return DataLossError(path + "." + key + ": missing");
  if (!it->is_string()) return DataLossError(path + "." + key + ": expected a string");
  return it->get<std::string>();
}

Result<Narration> ParseNarration(const Json& root) {
  if (!root.is_object()) return DataLossError("expected an object");
  Narration n;
  CR_ASSIGN_OR_RETURN(n.voice, StringField(root, "voice", "narration"));
  CR_ASSIGN_OR_RETURN(int64_t rate, IntField(root, "sample_rate", "narration"));
  CR_ASSIGN_OR_RETURN(n.samples, IntField(root, "samples", "narration"));
  if (rate <= 0 || rate > 384000) return DataLossError("narration.sample_rate: out of range");
  if (n.samples < 0) return DataLossError("narration.samples: negative");
  n.sample_rate = static_cast<int>(rate);
  auto sentences = root.find("sentences");
  if (sentences == root.end() || !sentences->is_array()) {
    return DataLossError("narration.sentences: expected an array");
  }
  int64_t previous_end = 0;
  for (size_t i = 0; i < sentences->size(); ++i) {
    const Json& js = (*sentences)[i];
    const std::string path = "sentences[" + std::to_string(i) + "]";
    if (!js.is_object()) return DataLossError(path + ": expected an object");
    NarratedSentence s;
    CR_ASSIGN_OR_RETURN(s.text, StringField(js, "text", path));
    CR_ASSIGN_OR_RETURN(int64_t paragraph, IntField(js, "paragraph", path));
    s.paragraph = static_cast<int>(paragraph);
    CR_ASSIGN_OR_RETURN(s.start, IntField(js, "start", path));
    CR_ASSIGN_OR_RETURN(s.end, IntField(js, "end", path));
    if (s.start < previous_end || s.end < s.start || s.end > n.samples) {
      return DataLossError(path + ": times out of order or past the narration's end");
    }
    previous_end = s.end;
    auto words = js.find("words");
    if (words == js.end() || !words->is_array()) {
      return DataLossError(path + ".words: expected an array");
    }
    for (size_t k = 0; k < words->size(); ++k) {
      const Json& jw = (*words)[k];
      const std::string wpath = path + ".words[" + std::to_string(k) + "]";
      if (!jw.is_object()) return DataLossError(wpath + ": expected an object");
      NarratedWord w;
      CR_ASSIGN_OR_RETURN(w.text, StringField(jw, "text", wpath));
      CR_ASSIGN_OR_RETURN(w.start, IntField(jw, "start", wpath));
      CR_ASSIGN_OR_RETURN(w.end, IntField(jw, "end", wpath));
      if (w.start < s.start || w.end < w.start || w.end > s.end) {
        return DataLossError(wpath + ": times outside its sentence");
      }
      s.words.push_back(std::move(w));
    }
    n.sentences.push_back(std::move(s));
  }
  return n;
}

}  // namespace

Result<Narration> ReadNarration(const std::string& narration_json) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(narration_json));
  Json root = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return DataLossError(narration_json + ": invalid JSON");
  Result<Narration> narration = ParseNarration(root);
  if (!narration.ok()) return narration.status().WithContext(narration_json);
  return narration;
}

Status NarrateScript(const std::string& script_path, const ComposeStyle& style,
                     const std::string& narration_wav, const std::string& narration_json,
                     const StepEnv& env) {
  CR_ASSIGN_OR_RETURN(Script script, LoadScript(script_path));
  CR_ASSIGN_OR_RETURN(std::unique_ptr<speech::SpeechSynthesizer> synth, CreateVoice(style.voice));

  Narration narration;
  narration.voice = style.voice;
  std::vector<float> samples;
  const int count = static_cast<int>(script.sentences.size());
  for (int i = 0; i < count; ++i) {
    CR_RETURN_IF_ERROR(internal::CheckCancelled(env, "narrate"));
    const NarrationSentence& sentence = script.sentences[static_cast<size_t>(i)];
    const std::string where = "line " + std::to_string(sentence.at.line);
    Result<speech::Speech> spoken = synth->Synthesize(sentence.text);
    if (!spoken.ok()) {
      return InvalidArgumentError(where + ": voice '" + style.voice +
                                  "' cannot say this sentence: " + spoken.status().message());
    }
    const AudioBuffer& audio = spoken->audio;
    if (audio.sample_rate <= 0 || audio.channel_count() != 1) {
      return InternalError(where + ": the synthesizer returned no mono audio");
    }
    if (narration.sample_rate == 0) {
      narration.sample_rate = audio.sample_rate;
    } else if (audio.sample_rate != narration.sample_rate) {
      return InternalError(where + ": the synthesizer changed its sample rate");
    }
    const int rate = narration.sample_rate;
    if (i > 0) {
      const bool new_paragraph =
          sentence.paragraph != script.sentences[static_cast<size_t>(i) - 1].paragraph;
      int64_t gap = SecondsToSamples(new_paragraph ? style.paragraph_pause_s : style.sentence_gap_s,
                                     rate);
      samples.resize(samples.size() + static_cast<size_t>(gap), 0.0f);
    }
    NarratedSentence out;
    out.text = sentence.text;
    out.paragraph = sentence.paragraph;
    out.start = static_cast<int64_t>(samples.size());
    out.end = out.start + audio.frames();
    for (const speech::TimedWord& word : spoken->words) {
      NarratedWord w;
      w.text = word.text;
      w.start = out.start + std::clamp<int64_t>(word.start.Rescale({1, rate}), 0, audio.frames());
      w.end = out.start + std::clamp<int64_t>(word.end.Rescale({1, rate}), 0, audio.frames());
      if (w.end <= w.start) continue;  // nothing audible to caption
      out.words.push_back(std::move(w));
    }
    samples.insert(samples.end(), audio.channels[0].begin(), audio.channels[0].end());
    const int64_t limit = SecondsToSamples(style.max_duration_s, rate);
    if (style.max_duration_s > 0 && static_cast<int64_t>(samples.size()) > limit) {
      return InvalidArgumentError(
          "the narration is longer than the style's max_duration_s " +
          Seconds(limit, rate) + " s: " + Seconds(static_cast<int64_t>(samples.size()), rate) +
          " s after sentence " + std::to_string(i + 1) + " of " + std::to_string(count) + " (" +
          where + ")");
    }
    narration.sentences.push_back(std::move(out));
    internal::Report(env, static_cast<double>(i + 1) / count,
                     "narrated sentence " + std::to_string(i + 1) + " of " + std::to_string(count));
  }
  narration.samples = static_cast<int64_t>(samples.size());

  AudioBuffer wav;
  wav.sample_rate = narration.sample_rate;
  wav.pts = MediaTime(0, {1, narration.sample_rate});
  wav.channels.push_back(std::move(samples));
  CR_RETURN_IF_ERROR(speech::WriteWav(narration_wav, wav));
  wav.channels.clear();
  // The JSON last: a reader that finds narration.json finds the matching narration.wav.
  return WriteFileAtomically(narration_json, NarrationToJson(narration).dump(1) + "\n");
}

}  // namespace cutroom::compose
