#include "speech/pocketsphinx_decoder.h"

#include <err.h>
#include <fsg_model.h>
#include <logmath.h>
#include <pocketsphinx.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <string_view>
#include <utility>

namespace cutroom::speech {
namespace {

struct DecoderDeleter {
  void operator()(ps_decoder_t* ps) const { ps_free(ps); }
};
using DecoderPtr = std::unique_ptr<ps_decoder_t, DecoderDeleter>;

struct ConfigDeleter {
  void operator()(cmd_ln_t* config) const { cmd_ln_free_r(config); }
};
using ConfigPtr = std::unique_ptr<cmd_ln_t, ConfigDeleter>;

struct FsgDeleter {
  void operator()(fsg_model_t* fsg) const { fsg_model_free(fsg); }
};
using FsgPtr = std::unique_ptr<fsg_model_t, FsgDeleter>;

// sphinxbase writes its log through one process-wide FILE* that ps_init may replace and close;
// creating decoders one at a time keeps two threads from racing on it. Its chatter (hundreds of
// lines per decoder) is switched off once.
std::mutex& CreateMutex() {
  static std::mutex mu;
  return mu;
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// "<s>", "</s>", "<sil>", "[NOISE]", "++UH++": not words.
bool IsFiller(std::string_view word) {
  return word.empty() || word.front() == '<' || word.front() == '[' || word.substr(0, 2) == "++";
}

// "read(2)" -> "read".
std::string BaseWord(std::string_view word) {
  if (!word.empty() && word.back() == ')') {
    size_t open = word.rfind('(');
    if (open != std::string_view::npos && open > 0) word = word.substr(0, open);
  }
  return std::string(word);
}

}  // namespace

struct PocketsphinxDecoder::Impl {
  DecoderMode mode = DecoderMode::kInvalid;
  DecoderPtr ps;
};

PocketsphinxDecoder::PocketsphinxDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PocketsphinxDecoder::~PocketsphinxDecoder() = default;

Result<std::unique_ptr<PocketsphinxDecoder>> PocketsphinxDecoder::Create(
    const PocketsphinxModel& model, DecoderMode mode) {
  if (mode != DecoderMode::kRecognize && mode != DecoderMode::kAlign) {
    return InvalidArgumentError("pocketsphinx: invalid decoder mode");
  }
  for (const std::string* path : {&model.acoustic_model_dir, &model.dictionary}) {
    if (!Exists(*path)) {
      return NotFoundError("pocketsphinx model file " + *path +
                           " is missing (install pocketsphinx-en-us)");
    }
  }
  if (mode == DecoderMode::kRecognize && !Exists(model.language_model)) {
    return NotFoundError("pocketsphinx language model " + model.language_model + " is missing");
  }
  std::lock_guard<std::mutex> lock(CreateMutex());
  static std::once_flag quiet;
  std::call_once(quiet, [] { err_set_logfp(nullptr); });
  // -remove_silence no: with the default (yes) the front end drops silent frames, and frame
  // numbers would no longer be times. Alignment needs very wide beams or the search prunes the
  // only path the grammar allows. Recognition caps the active HMMs (default 30000) and word exits
  // (default unlimited) per frame: the same words on the LibriVox clips and the generated talk
  // for about 20% less CPU (docs/benchmarks.md, "Recognizer pruning").
  ConfigPtr config;
  if (mode == DecoderMode::kRecognize) {
    config.reset(cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", model.acoustic_model_dir.c_str(),
                             "-lm", model.language_model.c_str(), "-dict",
                             model.dictionary.c_str(), "-remove_silence", "no", "-samprate",
                             "16000", "-bestpath", "yes", "-maxhmmpf", "5000", "-maxwpf", "10",
                             nullptr));
  } else {
    config.reset(cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", model.acoustic_model_dir.c_str(),
                             "-dict", model.dictionary.c_str(), "-remove_silence", "no",
                             "-samprate", "16000", "-beam", "1e-80", "-wbeam", "1e-60", "-pbeam",
                             "1e-80", "-fsgusefiller", "yes", "-bestpath", "no", nullptr));
  }
  if (config == nullptr) return InternalError("pocketsphinx: cannot build the configuration");
  DecoderPtr ps(ps_init(config.get()));
  if (ps == nullptr) {
    return InternalError("pocketsphinx: cannot load the model from " + model.acoustic_model_dir);
  }
  auto impl = std::make_unique<Impl>();
  impl->mode = mode;
  impl->ps = std::move(ps);
  return std::unique_ptr<PocketsphinxDecoder>(new PocketsphinxDecoder(std::move(impl)));
}

bool PocketsphinxDecoder::InDictionary(const std::string& word) const {
  char* phones = ps_lookup_word(impl_->ps.get(), word.c_str());
  if (phones == nullptr) return false;
  ckd_free(phones);
  return true;
}

namespace {

Status DecodeUtterance(ps_decoder_t* ps, std::span<const int16_t> samples) {
  if (ps_start_utt(ps) < 0) return InternalError("pocketsphinx: cannot start an utterance");
  if (!samples.empty() &&
      ps_process_raw(ps, samples.data(), samples.size(), FALSE, TRUE) < 0) {
    ps_end_utt(ps);
    return InternalError("pocketsphinx: decoding failed");
  }
  if (ps_end_utt(ps) < 0) return InternalError("pocketsphinx: cannot end the utterance");
  return Status::Ok();
}

std::vector<DecodedWord> Segments(ps_decoder_t* ps, bool with_posteriors) {
  std::vector<DecodedWord> words;
  int32 score = 0;
  if (ps_get_hyp(ps, &score) == nullptr) return words;
  logmath_t* lmath = ps_get_logmath(ps);
  for (ps_seg_t* seg = ps_seg_iter(ps); seg != nullptr; seg = ps_seg_next(seg)) {
    const char* name = ps_seg_word(seg);
    if (name == nullptr || IsFiller(name)) continue;
    DecodedWord word;
    word.word = BaseWord(name);
    int start = 0, end = 0;
    ps_seg_frames(seg, &start, &end);
    word.start_frame = start;
    word.end_frame = std::max(end + 1, start + 1);
    if (with_posteriors) {
      int32 ascr = 0, lscr = 0, lback = 0;
      const int32 log_posterior = ps_seg_prob(seg, &ascr, &lscr, &lback);
      word.confidence =
          static_cast<float>(std::clamp(logmath_exp(lmath, log_posterior), 0.0, 1.0));
    }
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace

Result<std::vector<DecodedWord>> PocketsphinxDecoder::Recognize(std::span<const int16_t> samples) {
  if (impl_->mode != DecoderMode::kRecognize) {
    return FailedPreconditionError("pocketsphinx: this decoder was made for alignment");
  }
  CR_RETURN_IF_ERROR(DecodeUtterance(impl_->ps.get(), samples));
  return Segments(impl_->ps.get(), /*with_posteriors=*/true);
}

Result<std::vector<DecodedWord>> PocketsphinxDecoder::Align(std::span<const int16_t> samples,
                                                            const std::vector<std::string>& words) {
  if (impl_->mode != DecoderMode::kAlign) {
    return FailedPreconditionError("pocketsphinx: this decoder was made for recognition");
  }
  if (words.empty()) return std::vector<DecodedWord>();
  ps_decoder_t* ps = impl_->ps.get();
  for (const std::string& w : words) {
    if (!InDictionary(w)) {
      return InvalidArgumentError("pocketsphinx: \"" + w + "\" is not in the dictionary");
    }
  }
  // A linear grammar: state i --words[i]--> state i+1. Silences and fillers between words are
  // added by the search itself (-fsgusefiller), alternative pronunciations by -fsgusealtpron.
  const int32 n_states = static_cast<int32>(words.size()) + 1;
  const float32 language_weight = static_cast<float32>(cmd_ln_float_r(ps_get_config(ps), "-lw"));
  const std::string name = "align";
  FsgPtr fsg(fsg_model_init(name.c_str(), ps_get_logmath(ps), language_weight, n_states));
  if (fsg == nullptr) return InternalError("pocketsphinx: cannot build the alignment grammar");
  fsg->start_state = 0;
  fsg->final_state = n_states - 1;
  for (size_t i = 0; i < words.size(); ++i) {
    const int wid = fsg_model_word_add(fsg.get(), words[i].c_str());
    fsg_model_trans_add(fsg.get(), static_cast<int32>(i), static_cast<int32>(i + 1), 0, wid);
  }
  // ps_set_fsg keeps its own reference; ours is released by FsgPtr. A search set under the same
  // name replaces (and frees) the previous call's grammar, so memory does not grow per call.
  if (ps_set_fsg(ps, name.c_str(), fsg.get()) < 0 || ps_set_search(ps, name.c_str()) < 0) {
    return InternalError("pocketsphinx: cannot use the alignment grammar");
  }
  CR_RETURN_IF_ERROR(DecodeUtterance(ps, samples));
  std::vector<DecodedWord> decoded = Segments(ps, /*with_posteriors=*/false);
  if (decoded.size() > words.size()) decoded.resize(words.size());
  for (size_t i = 0; i < decoded.size(); ++i) decoded[i].word = words[i];
  return decoded;
}

std::vector<int16_t> ToPcm16(std::span<const float> samples) {
  std::vector<int16_t> out(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    const float v = std::clamp(samples[i], -1.0f, 1.0f) * 32767.0f;
    out[i] = static_cast<int16_t>(std::lrintf(v));
  }
  return out;
}

}  // namespace cutroom::speech
