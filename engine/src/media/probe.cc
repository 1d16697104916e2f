#include "media/probe.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "cutroom/log.h"
#include "media/ffmpeg_util.h"

namespace cutroom::media {
namespace {

StreamType ToStreamType(AVMediaType t) {
  switch (t) {
    case AVMEDIA_TYPE_VIDEO:
      return StreamType::kVideo;
    case AVMEDIA_TYPE_AUDIO:
      return StreamType::kAudio;
    case AVMEDIA_TYPE_SUBTITLE:
      return StreamType::kSubtitle;
    default:
      return StreamType::kData;
  }
}

std::string_view StreamTypeName(StreamType t) {
  switch (t) {
    case StreamType::kVideo:
      return "video";
    case StreamType::kAudio:
      return "audio";
    case StreamType::kSubtitle:
      return "subtitle";
    default:
      return "data";
  }
}

// Variable frame rate: packet durations of the first ~240 video packets differ by more than 10%
// (ignoring the last packet). Reads packets only, never decodes.
void DetectVariableFrameRate(AVFormatContext* fmt, MediaInfo& info) {
  std::vector<int> video_indexes;
  for (auto& s : info.streams) {
    if (s.type == StreamType::kVideo && !s.attached_picture) video_indexes.push_back(s.index);
  }
  if (video_indexes.empty()) return;
  PacketPtr pkt(av_packet_alloc());
  std::vector<std::vector<int64_t>> pts(fmt->nb_streams);
  int read = 0;
  while (read < 2000 && av_read_frame(fmt, pkt.get()) >= 0) {
    ++read;
    if (pkt->pts != AV_NOPTS_VALUE && pkt->stream_index < static_cast<int>(pts.size()) &&
        pts[pkt->stream_index].size() < 240) {
      pts[pkt->stream_index].push_back(pkt->pts);
    }
    av_packet_unref(pkt.get());
    bool enough = std::all_of(video_indexes.begin(), video_indexes.end(),
                              [&](int i) { return pts[i].size() >= 240; });
    if (enough) break;
  }
  for (auto& s : info.streams) {
    if (s.type != StreamType::kVideo || s.attached_picture) continue;
    auto& p = pts[s.index];
    if (p.size() < 8) continue;
    std::sort(p.begin(), p.end());  // B-frames arrive out of presentation order
    std::vector<int64_t> d;
    for (size_t i = 1; i < p.size(); ++i) d.push_back(p[i] - p[i - 1]);
    std::sort(d.begin(), d.end());
    int64_t median = d[d.size() / 2];
    if (median <= 0) continue;
    size_t off = 0;
    for (int64_t x : d) {
      if (std::llabs(x - median) * 10 > median) ++off;
    }
    s.variable_frame_rate = off * 20 > d.size();  // more than 5% of intervals off the median
  }
}

}  // namespace

Result<MediaInfo> ProbeFile(const std::string& path, const CancelToken* cancel) {
  CR_ASSIGN_OR_RETURN(InputFormatPtr fmt, OpenInput(path, cancel));
  MediaInfo info;
  info.path = path;
  info.container = fmt->iformat->name;
  info.bit_rate = fmt->bit_rate;
  if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
    info.duration = MediaTime(fmt->duration, {1, AV_TIME_BASE});
  }
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVStream* st = fmt->streams[i];
    const AVCodecParameters* par = st->codecpar;
    StreamInfo s;
    s.index = static_cast<int>(i);
    s.type = ToStreamType(par->codec_type);
    s.codec = avcodec_get_name(par->codec_id);
    if (const AVDictionaryEntry* lang = av_dict_get(st->metadata, "language", nullptr, 0)) {
      s.language = lang->value;
    }
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
      s.duration = MediaTime(st->duration, ToRational(st->time_base));
    }
    if (s.type == StreamType::kVideo) {
      s.width = par->width;
      s.height = par->height;
      s.fps = ToRational(st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate);
      s.rotation_deg = StreamRotation(st);
      s.attached_picture = (st->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
      auto pix = static_cast<AVPixelFormat>(par->format);
      if (const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(pix)) {
        s.pixel_format = desc->name;
        s.bit_depth = desc->comp[0].depth;
      }
    } else if (s.type == StreamType::kAudio) {
      s.sample_rate = par->sample_rate;
      s.channels = par->ch_layout.nb_channels;
    }
    info.streams.push_back(std::move(s));
  }
  if (info.streams.empty()) return DataLossError(path + ": the file has no audio or video streams");
  if (info.duration == MediaTime()) {
    for (const auto& s : info.streams) info.duration = std::max(info.duration, s.duration);
  }
  DetectVariableFrameRate(fmt.get(), info);
  return info;
}

std::string MediaInfoToJson(const MediaInfo& info) {
  auto num = [](double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    return std::string(buf);
  };
  std::string out = "{\"path\":\"" + JsonEscape(info.path) + "\",\"container\":\"" +
                    JsonEscape(info.container) +
                    "\",\"duration_s\":" + num(info.duration.ToSeconds()) +
                    ",\"bit_rate\":" + std::to_string(info.bit_rate) + ",\"streams\":[";
  for (size_t i = 0; i < info.streams.size(); ++i) {
    const StreamInfo& s = info.streams[i];
    if (i > 0) out += ",";
    out += "{\"index\":" + std::to_string(s.index) + ",\"type\":\"" +
           std::string(StreamTypeName(s.type)) + "\",\"codec\":\"" + JsonEscape(s.codec) + "\"";
    if (!s.language.empty()) out += ",\"language\":\"" + JsonEscape(s.language) + "\"";
    if (s.duration > MediaTime()) out += ",\"duration_s\":" + num(s.duration.ToSeconds());
    if (s.type == StreamType::kVideo) {
      out += ",\"width\":" + std::to_string(s.width) + ",\"height\":" + std::to_string(s.height) +
             ",\"fps\":" + num(s.fps.den ? s.fps.ToDouble() : 0.0) + ",\"fps_rational\":\"" +
             s.fps.ToString() +
             "\",\"variable_frame_rate\":" + (s.variable_frame_rate ? "true" : "false") +
             ",\"rotation\":" + std::to_string(s.rotation_deg) + ",\"pixel_format\":\"" +
             JsonEscape(s.pixel_format) + "\",\"bit_depth\":" + std::to_string(s.bit_depth) +
             ",\"attached_picture\":" + (s.attached_picture ? "true" : "false");
    } else if (s.type == StreamType::kAudio) {
      out += ",\"sample_rate\":" + std::to_string(s.sample_rate) +
             ",\"channels\":" + std::to_string(s.channels);
    }
    out += "}";
  }
  out += "]}";
  return out;
}

}  // namespace cutroom::media
