#include "api/event_hub.h"

#include <nlohmann/json.hpp>

namespace cutroom::server::api {

std::string EventHub::FormatEvent(const jobs::JobEvent& e) {
  nlohmann::json data = {{"id", e.id},   {"job_id", e.job_id},   {"step", e.step},
                         {"type", e.type}, {"message", e.message}, {"at_ms", e.at_ms}};
  return "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + data.dump() + "\n\n";
}

bool EventHub::Ends(const jobs::JobEvent& e) {
  return e.step.empty() && (e.type == "job_completed" || e.type == "job_failed" || e.type == "job_cancelled");
}

void EventHub::Start() {
  std::lock_guard lock(mu_);
  if (poller_.joinable()) return;
  stopping_ = false;
  // Begin at the newest stored event (before any stream can subscribe): earlier ones reach a
  // stream through its replay.
  for (;;) {
    auto page = store_.ListEventsAfter(cursor_, 1000);
    if (!page.ok() || page->empty()) break;
    cursor_ = page->back().id;
  }
  poller_ = std::thread([this] { PollLoop(); });
}

void EventHub::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [job, subs] : subscribers_) {
      for (auto& s : subs) s.stream->Close();
    }
    subscribers_.clear();
  }
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
}

Status EventHub::Subscribe(jobs::JobId job, int64_t last_event_id, std::shared_ptr<http::EventStream> stream) {
  std::lock_guard lock(mu_);
  if (stopping_) {
    stream->Close();
    return UnavailableError("the server is stopping");
  }
  int64_t last = last_event_id;
  // Replay under the lock: the poller cannot deliver in between, and its later deliveries skip
  // every id <= last.
  for (;;) {
    CR_ASSIGN_OR_RETURN(std::vector<jobs::JobEvent> events, store_.ListEvents(job, last, 500));
    for (const jobs::JobEvent& e : events) {
      if (!stream->Send(FormatEvent(e))) return Status::Ok();
      last = e.id;
      if (Ends(e)) {
        stream->Close();
        return Status::Ok();
      }
    }
    if (events.size() < 500) break;
  }
  subscribers_[job].push_back({std::move(stream), last});
  return Status::Ok();
}

void EventHub::PublishProgress(jobs::JobId job, const std::string& step, double fraction,
                               const std::string& message) {
  nlohmann::json data = {{"job_id", job}, {"step", step}, {"fraction", fraction}, {"message", message}};
  std::string text = "event: progress\ndata: " + data.dump() + "\n\n";
  std::lock_guard lock(mu_);
  auto it = subscribers_.find(job);
  if (it == subscribers_.end()) return;
  for (auto& s : it->second) s.stream->Send(text);
}

int EventHub::subscribers() const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& [job, subs] : subscribers_) n += static_cast<int>(subs.size());
  return n;
}

void EventHub::Measure(const jobs::JobEvent& e) {
  if (e.step.empty()) return;
  auto key = std::make_pair(e.job_id, e.step);
  if (e.type == "step_started") {
    step_started_ms_[key] = e.at_ms;
    return;
  }
  if (e.type != "step_succeeded" && e.type != "step_failed" && e.type != "step_retry_scheduled" &&
      e.type != "step_cancelled" && e.type != "step_interrupted") {
    return;
  }
  auto it = step_started_ms_.find(key);
  if (it == step_started_ms_.end()) return;
  std::string kind = e.step.substr(0, e.step.find('['));  // render[3] -> render
  metrics_.ObserveStep(kind, (e.at_ms - it->second) / 1000.0);
  step_started_ms_.erase(it);
  if (kind == "render" && e.type == "step_succeeded") {
    auto job = store_.GetJob(e.job_id);
    const jobs::Step* step = job.ok() ? job->FindStep(e.step) : nullptr;
    if (step != nullptr) {
      for (const auto& out : step->outputs) metrics_.AddBytesRendered(out.size_bytes);
    }
  }
}

void EventHub::Deliver(const std::vector<jobs::JobEvent>& events) {
  for (const jobs::JobEvent& e : events) Measure(e);  // the poller's thread only
  std::lock_guard lock(mu_);
  for (const jobs::JobEvent& e : events) {
    cursor_ = std::max(cursor_, e.id);
    auto it = subscribers_.find(e.job_id);
    if (it == subscribers_.end()) continue;
    for (auto& s : it->second) {
      if (e.id <= s.last_id || !s.stream->IsOpen()) continue;
      s.stream->Send(FormatEvent(e));
      s.last_id = e.id;
      if (Ends(e)) s.stream->Close();
    }
  }
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    std::erase_if(it->second, [](const Subscriber& s) { return !s.stream->IsOpen(); });
    it = it->second.empty() ? subscribers_.erase(it) : std::next(it);
  }
}

void EventHub::PollLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    int64_t after = cursor_;
    lock.unlock();
    auto events = store_.ListEventsAfter(after, 1000);
    if (!events.ok()) {
      logger_.Warn("event poll failed", {{"error", events.status().ToString()}});
    } else if (!events->empty()) {
      Deliver(*events);
    } else {
      std::lock_guard sweep(mu_);
      for (auto it = subscribers_.begin(); it != subscribers_.end();) {
        std::erase_if(it->second, [](const Subscriber& s) { return !s.stream->IsOpen(); });
        it = it->second.empty() ? subscribers_.erase(it) : std::next(it);
      }
    }
    lock.lock();
    if (events.ok() && events->size() == 1000) continue;  // more waiting
    wake_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [&] { return stopping_; });
  }
}

}  // namespace cutroom::server::api
