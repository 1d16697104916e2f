// Server metrics in the Prometheus text exposition format (version 0.0.4): request counts by route
// and status, request latency histograms by route, step durations by step kind, bytes rendered.
// Gauges that live elsewhere (jobs by state, queue depth, busy workers, open connections) are
// read when /metrics is scraped and passed to Render.
//
// Thread safety: every method is safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cutroom::server::api {

class Metrics {
 public:
  void ObserveRequest(const std::string& route, int status, double seconds);
  void ObserveStep(const std::string& step_kind, double seconds);
  void AddBytesRendered(int64_t bytes);

  struct Gauge {
    std::string name;  // full metric name
    std::string help;
    std::vector<std::pair<std::string, double>> samples;  // label set text ("state=\"queued\"") -> value
  };
  std::string Render(const std::vector<Gauge>& gauges) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   10};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
    void Observe(double seconds);
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, Histogram> steps_;
  int64_t bytes_rendered_ = 0;
};

// Escapes a Prometheus label value.
std::string PromLabel(const std::string& value);

}  // namespace cutroom::server::api
