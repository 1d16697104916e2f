// Live job events for server-sent-event streams. One poller thread reads new events of every job
// from the JobStore (ListEventsAfter) and fans them out to the open streams of that job, so 500
// open streams cost one query per poll, not 500. Step progress from the in-process workers is
// pushed in directly (PublishProgress) as un-numbered "progress" events: progress is a state that
// is re-sent, not a history to resume.
//
// SSE wire form of a stored event:  id: <event id>\nevent: <type>\ndata: <json>\n\n
// A stream whose job reaches completed, failed or cancelled is closed after that event.
//
// Thread safety: every method is safe from any thread. Start/Stop from the owner.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cutroom/jobs/job_store.h"
#include "api/metrics.h"
#include "cutroom/log.h"
#include "http/http_server.h"

namespace cutroom::server::api {

class EventHub {
 public:
  // Finished steps are also timed into `metrics` (durations by step kind, bytes rendered).
  EventHub(jobs::JobStore& store, Logger& logger, Metrics& metrics, int64_t poll_ms = 200)
      : store_(store), logger_(logger), metrics_(metrics), poll_ms_(poll_ms) {}
  ~EventHub() { Stop(); }

  void Start();
  void Stop();

  // Sends the job's stored events with id > `last_event_id` (a reconnecting client's
  // Last-Event-ID; 0 for all), then keeps the stream subscribed to new ones. No event is lost or
  // sent twice between the replay and the live feed.
  Status Subscribe(jobs::JobId job, int64_t last_event_id, std::shared_ptr<http::EventStream> stream);

  void PublishProgress(jobs::JobId job, const std::string& step, double fraction, const std::string& message);

  int subscribers() const;

  static std::string FormatEvent(const jobs::JobEvent& event);

 private:
  struct Subscriber {
    std::shared_ptr<http::EventStream> stream;
    int64_t last_id = 0;
  };
  void PollLoop();
  void Deliver(const std::vector<jobs::JobEvent>& events);
  static bool Ends(const jobs::JobEvent& event);

  void Measure(const jobs::JobEvent& event);

  jobs::JobStore& store_;
  Logger& logger_;
  Metrics& metrics_;
  std::map<std::pair<jobs::JobId, std::string>, int64_t> step_started_ms_;  // running steps seen
  int64_t poll_ms_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int64_t cursor_ = 0;  // the highest event id the poller has read
  std::map<jobs::JobId, std::vector<Subscriber>> subscribers_;
  std::thread poller_;
};

}  // namespace cutroom::server::api
