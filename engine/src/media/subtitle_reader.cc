#include "media/subtitle_reader.h"

#include <algorithm>
#include <cstdint>
#include <memory>

#include "media/ffmpeg_util.h"

namespace cutroom::media {
namespace {

// AVSubtitle is a plain struct whose rects avsubtitle_free() releases.
class DecodedSubtitle {
 public:
  DecodedSubtitle() = default;
  ~DecodedSubtitle() { Reset(); }
  DecodedSubtitle(const DecodedSubtitle&) = delete;
  DecodedSubtitle& operator=(const DecodedSubtitle&) = delete;
  AVSubtitle* get() { return &sub_; }
  void MarkDecoded() { decoded_ = true; }
  void Reset() {
    if (decoded_) avsubtitle_free(&sub_);
    decoded_ = false;
    sub_ = AVSubtitle{};
  }

 private:
  AVSubtitle sub_{};
  bool decoded_ = false;  // sub_ holds rects to free
};

// Trims spaces and tabs at both ends of each line and drops empty lines.
std::string TidyLines(const std::string& text) {
  std::string out;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    size_t a = begin, b = end;
    while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r')) ++a;
    while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r')) --b;
    if (b > a) {
      if (!out.empty()) out += '\n';
      out.append(text, a, b - a);
    }
    begin = end + 1;
  }
  return out;
}

struct TimedText {
  MediaTime start;
  MediaTime end;
  std::string text;
};

}  // namespace

std::string PlainTextOfAssEvent(const std::string& line) {
  // Eight fields precede the text; the text itself may contain commas.
  size_t at = 0;
  for (int field = 0; field < 8; ++field) {
    const size_t comma = line.find(',', at);
    if (comma == std::string::npos) {
      at = 0;  // not an event line: all of it is text
      break;
    }
    at = comma + 1;
  }
  std::string out;
  for (size_t i = at; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '{') {
      const size_t close = line.find('}', i);
      if (close != std::string::npos) {
        i = close;
        continue;
      }
    }
    if (c == '\\' && i + 1 < line.size()) {
      const char next = line[i + 1];
      if (next == 'N' || next == 'n') {
        out += '\n';
        ++i;
        continue;
      }
      if (next == 'h') {
        out += ' ';
        ++i;
        continue;
      }
    }
    out += c;
  }
  return TidyLines(out);
}

Result<std::vector<SubtitleCue>> ReadSubtitleCues(const std::string& path, int stream_index,
                                                  const CancelToken* cancel) {
  CR_RETURN_IF_ERROR(CheckReadableFile(path));
  CR_ASSIGN_OR_RETURN(InputFormatPtr fmt, OpenInput(path, cancel));
  const std::string what = path + ": subtitle stream " + std::to_string(stream_index);
  if (stream_index < 0 || static_cast<unsigned>(stream_index) >= fmt->nb_streams ||
      fmt->streams[stream_index]->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE) {
    return InvalidArgumentError(what + ": not a subtitle stream");
  }
  AVStream* stream = fmt->streams[stream_index];
  const AVCodecDescriptor* descriptor = avcodec_descriptor_get(stream->codecpar->codec_id);
  if (descriptor == nullptr || (descriptor->props & AV_CODEC_PROP_TEXT_SUB) == 0) {
    return FailedPreconditionError(what + ": " + avcodec_get_name(stream->codecpar->codec_id) +
                                   " is a bitmap subtitle format (it would need OCR)");
  }
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != stream_index) fmt->streams[i]->discard = AVDISCARD_ALL;
  }
  CR_ASSIGN_OR_RETURN(CodecContextPtr dec, OpenDecoder(stream, 1, path));
  const Rational time_base = ToRational(stream->time_base);
  int64_t origin = 0;  // the container start, as AudioReader counts time
  if (fmt->start_time != AV_NOPTS_VALUE) {
    origin = av_rescale_q(fmt->start_time, AV_TIME_BASE_Q, stream->time_base);
  }

  PacketPtr pkt(av_packet_alloc());
  if (!pkt) return ResourceExhaustedError("out of memory reading " + path);
  std::vector<SubtitleCue> cues;
  DecodedSubtitle sub;
  int consecutive_errors = 0;
  bool input_ended = false;
  while (!input_ended) {
    int err = av_read_frame(fmt.get(), pkt.get());
    if (err == AVERROR_EXIT) return AvError(err, "read " + path);
    if (err < 0) {
      input_ended = true;  // the end, or a damaged tail: keep what was read; flush below
      pkt->data = nullptr;
      pkt->size = 0;
    } else if (pkt->stream_index != stream_index) {
      av_packet_unref(pkt.get());
      continue;
    }
    const int64_t pts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
    const int64_t duration = pkt->duration;
    int got = 0;
    sub.Reset();
    err = avcodec_decode_subtitle2(dec.get(), sub.get(), &got, pkt.get());
    av_packet_unref(pkt.get());
    if (got != 0) sub.MarkDecoded();
    if (err < 0) {
      if (input_ended) break;
      if (++consecutive_errors > 64) return DataLossError(what + " is corrupt");
      continue;
    }
    consecutive_errors = 0;
    if (got == 0 || pts == AV_NOPTS_VALUE) continue;
    const AVSubtitle& s = *sub.get();
    std::string text;
    for (unsigned r = 0; r < s.num_rects; ++r) {
      const AVSubtitleRect* rect = s.rects[r];
      std::string part;
      if (rect->type == SUBTITLE_ASS && rect->ass != nullptr) {
        part = PlainTextOfAssEvent(rect->ass);
      } else if (rect->type == SUBTITLE_TEXT && rect->text != nullptr) {
        part = TidyLines(rect->text);
      }
      if (part.empty()) continue;
      if (!text.empty()) text += '\n';
      text += part;
    }
    if (text.empty()) continue;
    const MediaTime at(pts - origin, time_base);
    const Rational ms{1, 1000};
    const MediaTime start = at + MediaTime(s.start_display_time, ms);
    const bool end_given =
        s.end_display_time > s.start_display_time && s.end_display_time != UINT32_MAX;
    const MediaTime end = duration > 0 ? at + MediaTime(duration, time_base)
                          : end_given  ? at + MediaTime(s.end_display_time, ms)
                                       : start;
    if (end <= start) continue;  // no known end: nothing to align against
    cues.push_back({start, end, std::move(text)});
  }
  std::stable_sort(cues.begin(), cues.end(),
                   [](const SubtitleCue& a, const SubtitleCue& b) { return a.start < b.start; });
  return cues;
}

}  // namespace cutroom::media
