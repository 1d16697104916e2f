#include "api/metrics.h"

#include <cstdio>

namespace cutroom::server::api {
namespace {

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

void WriteHistogram(std::string& out, const std::string& name, const std::string& label,
                    const std::string& value, const auto& buckets, const auto& h) {
  std::string base = label + "=\"" + PromLabel(value) + "\"";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    cumulative += h.counts[i];
    out += name + "_bucket{" + base + ",le=\"" + Num(buckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += name + "_bucket{" + base + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
  out += name + "_sum{" + base + "} " + Num(h.sum) + "\n";
  out += name + "_count{" + base + "} " + std::to_string(h.count) + "\n";
}

}  // namespace

std::string PromLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Metrics::Histogram::Observe(double seconds) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++counts[i];
      break;
    }
  }
  ++count;
  sum += seconds;
}

void Metrics::ObserveRequest(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  latency_[route].Observe(seconds);
}

void Metrics::ObserveStep(const std::string& step_kind, double seconds) {
  std::lock_guard lock(mu_);
  steps_[step_kind].Observe(seconds);
}

void Metrics::AddBytesRendered(int64_t bytes) {
  std::lock_guard lock(mu_);
  bytes_rendered_ += bytes;
}

std::string Metrics::Render(const std::vector<Gauge>& gauges) const {
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP cutroom_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE cutroom_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += "cutroom_http_requests_total{route=\"" + PromLabel(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP cutroom_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE cutroom_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    WriteHistogram(out, "cutroom_http_request_duration_seconds", "route", route, kBuckets, h);
  }
  out += "# HELP cutroom_step_duration_seconds Duration of finished job steps by step kind.\n";
  out += "# TYPE cutroom_step_duration_seconds histogram\n";
  for (const auto& [step, h] : steps_) {
    WriteHistogram(out, "cutroom_step_duration_seconds", "step", step, kBuckets, h);
  }
  out += "# HELP cutroom_bytes_rendered_total Bytes of finished renders.\n";
  out += "# TYPE cutroom_bytes_rendered_total counter\n";
  out += "cutroom_bytes_rendered_total " + std::to_string(bytes_rendered_) + "\n";
  for (const Gauge& g : gauges) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " gauge\n";
    for (const auto& [labels, v] : g.samples) {
      out += g.name + (labels.empty() ? "" : "{" + labels + "}") + " " + Num(v) + "\n";
    }
  }
  return out;
}

}  // namespace cutroom::server::api
