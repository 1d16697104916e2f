import type { Clip, Job, Step } from "@/api/types";

export function step(name: string, state: Step["state"], extra: Partial<Step> = {}): Step {
  return {
    name,
    state,
    deps: [],
    attempts: state === "pending" ? 0 : 1,
    max_attempts: 3,
    timeout_ms: 0,
    lease_owner: "",
    lease_expires_at_ms: 0,
    heartbeat_at_ms: 0,
    not_before_ms: 0,
    started_at_ms: 0,
    finished_at_ms: 0,
    duration_ms: 0,
    progress: state === "succeeded" ? 1 : 0,
    progress_message: "",
    cache_hit: false,
    cpu_seconds: 0,
    outputs: [],
    error: null,
    ...extra,
  };
}

export function job(extra: Partial<Job> = {}): Job {
  return {
    id: 7,
    kind: "clip",
    state: "running",
    options: { clips: "2", caption_style: "karaoke", upload_id: "1" },
    workspace_id: "1",
    brand_id: "",
    created_at_ms: Date.now() - 60_000,
    updated_at_ms: Date.now() - 1000,
    started_at_ms: Date.now() - 50_000,
    finished_at_ms: 0,
    cpu_seconds: 12.5,
    error: null,
    ...extra,
  };
}

export function clip(extra: Partial<Clip> = {}): Clip {
  const base = "/api/v1/workspaces/1/clips/7-1";
  return {
    id: "7-1",
    job_id: 7,
    index: 1,
    start_s: 4.2,
    end_s: 26.8,
    duration_s: 22.6,
    width: 180,
    height: 320,
    score: 81.5,
    components: {
      hook: { value: 0.9, weight: 3, contribution: 22.1, detail: "question in the first 3 s" },
      completeness: { value: 1, weight: 2, contribution: 16.4, detail: "a complete thought" },
      energy: { value: 0.2, weight: 1, contribution: 1.2, detail: "flat delivery" },
    },
    reason: "Strong hook and a complete thought",
    title: "Why do most new companies fail?",
    description: "A short about failure",
    hashtags: ["#Startups"],
    text: "why do most new companies fail",
    layouts: ["fill"],
    captions: { style: "highlight_word", words: 6, srt: "clips/01.srt", vtt: "clips/01.vtt", ass: "clips/01.ass" },
    urls: {
      video: `${base}/video`,
      thumbnail: `${base}/thumbnail`,
      srt: `${base}/captions/srt`,
      vtt: `${base}/captions/vtt`,
      ass: `${base}/captions/ass`,
      fcpxml: `${base}/exports/fcpxml`,
      edl: `${base}/exports/edl`,
      otio: `${base}/exports/otio`,
      timeline: `${base}/timeline`,
    },
    review: null,
    ...extra,
  };
}
