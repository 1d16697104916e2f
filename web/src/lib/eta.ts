// ETA from the observed progress rate: samples of (time, fraction done) over a sliding window;
// the rate is the slope from the oldest to the newest sample. A fraction that goes down (a job
// whose plan added steps) starts the window again.

export interface ProgressSample {
  t: number; // ms
  f: number; // 0..1
}

export const ETA_WINDOW_MS = 60_000;
const MIN_SPAN_MS = 2_000;

export function addSample(samples: ProgressSample[], sample: ProgressSample, windowMs = ETA_WINDOW_MS): ProgressSample[] {
  const last = samples[samples.length - 1];
  if (last && sample.f < last.f - 1e-9) return [sample];
  if (last && sample.f === last.f && sample.t - last.t < 1000) return samples;
  const kept = samples.filter((s) => sample.t - s.t <= windowMs);
  kept.push(sample);
  return kept;
}

/** Seconds left, or null while there is not enough to say. */
export function estimateEtaSeconds(samples: ProgressSample[], now: number): number | null {
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  if (last.f >= 1) return 0;
  const span = last.t - first.t;
  const gained = last.f - first.f;
  if (span < MIN_SPAN_MS || gained <= 0) return null;
  const rate = gained / span; // fraction per ms
  const left = (1 - last.f) / rate - (now - last.t);
  return Math.max(0, left / 1000);
}

/** Fraction of a job done: each step counts 1 when done, its progress while running. */
export function jobFraction(steps: { state: string; progress: number }[] | undefined, jobState: string): number {
  if (jobState === "completed") return 1;
  if (!steps || steps.length === 0) return 0;
  let done = 0;
  for (const s of steps) {
    if (s.state === "succeeded" || s.state === "skipped") done += 1;
    else if (s.state === "running") done += Math.min(1, Math.max(0, s.progress));
  }
  return done / steps.length;
}
