// Live job events over server-sent events (EventSource, same-origin cookies). Stored events
// refresh the job from the API; un-numbered `progress` events patch the step's progress in the
// query cache directly. The stream is closed on the job's final event (the server closes it too;
// without this EventSource would reconnect).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api } from "./endpoints";
import { keys } from "./queries";
import type { Job, JobEvent, JobEventType, ProgressEvent } from "./types";

export const STORED_EVENT_TYPES: JobEventType[] = [
  "job_created", "job_queued", "job_running", "job_paused", "job_review", "job_publishing", "job_completed",
  "job_failed", "job_cancelled", "step_added", "step_started", "step_succeeded", "step_cached",
  "step_retry_scheduled", "step_failed", "step_cancelled", "step_interrupted", "step_lease_expired", "step_reset",
];
const FINAL: ReadonlySet<string> = new Set(["job_completed", "job_failed", "job_cancelled"]);

export type StreamStatus = "idle" | "connecting" | "open" | "closed" | "error";

export type EventSourceFactory = (url: string) => EventSource;
const defaultFactory: EventSourceFactory = (url) => new EventSource(url, { withCredentials: true });

/** Applies a progress event to a job's cached detail; null when the step is not in it. */
export function applyProgress(job: Job, p: ProgressEvent): Job | null {
  if (!job.steps?.some((s) => s.name === p.step)) return null;
  return {
    ...job,
    state: job.state === "queued" ? "running" : job.state,
    steps: job.steps.map((s) =>
      s.name === p.step
        ? { ...s, state: s.state === "pending" ? "running" : s.state, progress: p.fraction, progress_message: p.message }
        : s,
    ),
  };
}

export function useJobEvents(
  workspace: number,
  jobId: number,
  enabled: boolean,
  factory: EventSourceFactory = defaultFactory,
): { status: StreamStatus; lastEvent: JobEvent | null } {
  const qc = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("idle");
  const [lastEvent, setLastEvent] = useState<JobEvent | null>(null);
  const factoryRef = useRef(factory);
  factoryRef.current = factory;

  useEffect(() => {
    if (!enabled) {
      setStatus("idle");
      return;
    }
    setStatus("connecting");
    const es = factoryRef.current(api.jobEventsUrl(workspace, jobId));
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refreshNow = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      void qc.invalidateQueries({ queryKey: keys.job(workspace, jobId) });
      void qc.invalidateQueries({ queryKey: keys.jobs(workspace) });
    };
    const refreshSoon = () => {
      if (timer) return;
      timer = setTimeout(refreshNow, 250);
    };
    const onStored = (ev: MessageEvent<string>) => {
      let data: JobEvent | null = null;
      try {
        data = JSON.parse(ev.data) as JobEvent;
      } catch {
        data = null;
      }
      if (data) setLastEvent(data);
      if (data && !data.step && FINAL.has(data.type)) {
        es.close();
        setStatus("closed");
        refreshNow();
        void qc.invalidateQueries({ queryKey: ["ws", workspace, "clips"] });
        void qc.invalidateQueries({ queryKey: ["ws", workspace, "clip"] });
        return;
      }
      refreshSoon();
    };
    const onProgress = (ev: MessageEvent<string>) => {
      let p: ProgressEvent;
      try {
        p = JSON.parse(ev.data) as ProgressEvent;
      } catch {
        return;
      }
      let applied = false;
      qc.setQueryData<Job>(keys.job(workspace, jobId), (job) => {
        if (!job) return job;
        const next = applyProgress(job, p);
        applied = next !== null;
        return next ?? job;
      });
      if (!applied) refreshSoon();
    };
    for (const type of STORED_EVENT_TYPES) es.addEventListener(type, onStored as EventListener);
    es.addEventListener("progress", onProgress as EventListener);
    es.onopen = () => setStatus("open");
    es.onerror = () => {
      if (es.readyState === 2) {
        // Refused (not 200): maybe the session ended; asking who we are finds out.
        setStatus("error");
        void qc.invalidateQueries({ queryKey: keys.me });
        refreshNow();
      } else {
        setStatus("connecting"); // EventSource reconnects by itself with Last-Event-ID
      }
    };
    return () => {
      es.close();
      if (timer) clearTimeout(timer);
    };
  }, [workspace, jobId, enabled, qc]);

  return { status, lastEvent };
}
