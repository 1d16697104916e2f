#include "speech/forced_aligner.h"

#include <algorithm>
#include <utility>

namespace cutroom::speech {
namespace {

constexpr int64_t kSamplesPerFrame = kDecoderSampleRate / kFramesPerSecond;
const Rational kSampleBase{1, kDecoderSampleRate};
const Rational kMicros{1, 1000000};
constexpr float kPlacedConfidence = 1.0f;
constexpr float kInterpolatedConfidence = 0.3f;
// Speech often starts a little before a cue appears (or ends after it goes).
const MediaTime kCueSlack(300, {1, 1000});
// A word clamped into its cue to less than this is re-placed by interpolation.
const MediaTime kMinClampedWord(20, {1, 1000});

std::vector<std::string> SplitAt(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t at = text.find(separator, start);
    if (at == std::string::npos) at = text.size();
    if (at > start) parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  return parts;
}

}  // namespace

void InterpolateUnplaced(std::vector<Word>* words, const std::vector<bool>& placed,
                         MediaTime begin, MediaTime end) {
  const size_t n = words->size();
  size_t i = 0;
  while (i < n) {
    if (placed[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && !placed[j]) ++j;
    const int64_t left = (i > 0 ? (*words)[i - 1].end : begin).Rescale(kMicros);
    const int64_t right = std::max(left, (j < n ? (*words)[j].start : end).Rescale(kMicros));
    int64_t total = 0;
    for (size_t k = i; k < j; ++k) total += static_cast<int64_t>((*words)[k].text.size()) + 1;
    int64_t before = 0;
    for (size_t k = i; k < j; ++k) {
      Word& w = (*words)[k];
      w.start = MediaTime(left + (right - left) * before / total, kMicros);
      before += static_cast<int64_t>(w.text.size()) + 1;
      w.end = MediaTime(left + (right - left) * before / total, kMicros);
      w.confidence = kInterpolatedConfidence;
    }
    i = j;
  }
}

ForcedAligner::ForcedAligner(std::unique_ptr<PocketsphinxDecoder> decoder)
    : decoder_(std::move(decoder)) {}
ForcedAligner::~ForcedAligner() = default;

Result<std::unique_ptr<ForcedAligner>> ForcedAligner::Create(const PocketsphinxModel& model) {
  CR_ASSIGN_OR_RETURN(std::unique_ptr<PocketsphinxDecoder> decoder,
                      PocketsphinxDecoder::Create(model, DecoderMode::kAlign));
  return std::unique_ptr<ForcedAligner>(new ForcedAligner(std::move(decoder)));
}

Result<std::vector<Word>> ForcedAligner::AlignWords(const AudioBuffer& audio,
                                                    const std::vector<std::string>& texts,
                                                    MediaTime begin, MediaTime end,
                                                    AlignmentStats* stats) {
  if (audio.sample_rate != kDecoderSampleRate || audio.channels.empty()) {
    return InvalidArgumentError("aligner: needs 16 kHz audio, got " +
                                std::to_string(audio.sample_rate) + " Hz");
  }
  if (!(begin < end)) return InvalidArgumentError("aligner: empty time window");
  const int64_t total = audio.frames();
  const int64_t first = std::clamp<int64_t>((begin - audio.pts).Rescale(kSampleBase), 0, total);
  const int64_t last = std::clamp<int64_t>((end - audio.pts).Rescale(kSampleBase), first, total);

  // Dictionary tokens of each word: the word itself, or its hyphen-separated parts; none when
  // the decoder cannot say it (such words are interpolated).
  std::vector<std::string> tokens;
  std::vector<size_t> owner;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string norm = NormalizeWord(texts[i]);
    std::vector<std::string> parts;
    if (!norm.empty() && decoder_->InDictionary(norm)) {
      parts.push_back(norm);
    } else if (norm.find('-') != std::string::npos) {
      parts = SplitAt(norm, '-');
      for (const std::string& p : parts) {
        if (!decoder_->InDictionary(p)) {
          parts.clear();
          break;
        }
      }
    }
    for (std::string& p : parts) {
      tokens.push_back(std::move(p));
      owner.push_back(i);
    }
  }
  std::vector<DecodedWord> decoded;
  if (!tokens.empty() && last > first) {
    std::vector<int16_t> pcm =
        ToPcm16(std::span<const float>(audio.channels[0].data() + first,
                                       static_cast<size_t>(last - first)));
    CR_ASSIGN_OR_RETURN(decoded, decoder_->Align(pcm, tokens));
  }

  std::vector<Word> words(texts.size());
  std::vector<bool> placed(texts.size(), false);
  std::vector<int> tokens_left(texts.size(), 0);
  for (size_t t = 0; t < tokens.size(); ++t) ++tokens_left[owner[t]];
  for (size_t i = 0; i < texts.size(); ++i) words[i].text = texts[i];
  for (size_t t = 0; t < decoded.size(); ++t) {
    Word& w = words[owner[t]];
    const MediaTime start =
        audio.pts + MediaTime(first + decoded[t].start_frame * kSamplesPerFrame, kSampleBase);
    const MediaTime stop =
        audio.pts + MediaTime(first + decoded[t].end_frame * kSamplesPerFrame, kSampleBase);
    if (t == 0 || owner[t - 1] != owner[t]) w.start = start;
    w.end = std::min(stop, end);
    if (--tokens_left[owner[t]] == 0) {
      placed[owner[t]] = true;
      w.confidence = kPlacedConfidence;
    }
  }
  InterpolateUnplaced(&words, placed, begin, end);
  if (stats != nullptr) {
    stats->words += static_cast<int>(words.size());
    stats->placed_by_decoder += static_cast<int>(std::count(placed.begin(), placed.end(), true));
  }
  return words;
}

Result<Transcript> ForcedAligner::AlignText(const AudioBuffer& audio, std::string_view text,
                                            AlignmentStats* stats) {
  const MediaTime end =
      audio.pts + MediaTime(audio.frames(), Rational::Make(1, std::max(1, audio.sample_rate)));
  Transcript transcript;
  transcript.source = TranscriptSource::kAlignment;
  const std::vector<std::string> words = SplitWords(text);
  if (!words.empty()) {
    if (!(audio.pts < end)) return InvalidArgumentError("aligner: the audio is empty");
    CR_ASSIGN_OR_RETURN(transcript.words, AlignWords(audio, words, audio.pts, end, stats));
  }
  NormalizeTranscript(&transcript);
  return transcript;
}

Result<Transcript> ForcedAligner::AlignCues(const AudioBuffer& audio, const std::vector<Cue>& cues,
                                            const CancelToken* cancel, AlignmentStats* stats) {
  Transcript transcript;
  transcript.source = TranscriptSource::kSubtitles;
  const MediaTime audio_end =
      audio.pts + MediaTime(audio.frames(), Rational::Make(1, std::max(1, audio.sample_rate)));
  for (const Cue& cue : cues) {
    if (cancel != nullptr && cancel->IsCancelled()) return CancelledError("alignment cancelled");
    const std::vector<std::string> texts = SplitWords(cue.text);
    if (texts.empty()) continue;
    std::vector<Word> words;
    const MediaTime cue_end = std::max(cue.end, cue.start + MediaTime(1, {1, 1000}));
    const MediaTime from = std::max(audio.pts, cue.start - kCueSlack);
    const MediaTime to = std::min(audio_end, cue_end + kCueSlack);
    if (from < to) {
      CR_ASSIGN_OR_RETURN(words, AlignWords(audio, texts, from, to, stats));
    } else {
      words.resize(texts.size());  // cue beyond the audio: spread over the cue
      for (size_t i = 0; i < texts.size(); ++i) words[i].text = texts[i];
    }
    std::vector<bool> placed(words.size(), true);
    for (size_t i = 0; i < words.size(); ++i) {
      Word& w = words[i];
      w.start = std::clamp(w.start, cue.start, cue_end);
      w.end = std::clamp(w.end, cue.start, cue_end);
      if (w.end - w.start < kMinClampedWord || (from >= to)) placed[i] = false;
    }
    InterpolateUnplaced(&words, placed, cue.start, cue_end);
    for (Word& w : words) {
      w.speaker = cue.speaker;
      transcript.words.push_back(std::move(w));
    }
  }
  NormalizeTranscript(&transcript);
  return transcript;
}

}  // namespace cutroom::speech
