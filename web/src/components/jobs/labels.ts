import type { JobState, StepState } from "@/api/types";

const STEP_LABELS: Record<string, string> = {
  probe: "Probe media",
  transcribe: "Transcribe speech",
  analyze: "Analyze video + audio",
  select: "Select moments",
  plan: "Plan clips",
  render: "Render",
  package: "Package outputs",
  export: "Export",
};

/** "render[1]" -> "Render [1]"; unknown names as they are. */
export function stepLabel(name: string): string {
  const m = /^([a-z_]+)(\[.*\])?$/.exec(name);
  if (!m) return name;
  const base = STEP_LABELS[m[1]!] ?? m[1]!.replace(/_/g, " ");
  return m[2] ? `${base} ${m[2]}` : base;
}

export const JOB_STATE_LABEL: Record<JobState, string> = {
  queued: "Queued",
  running: "Running",
  paused: "Paused",
  review: "In review",
  publishing: "Publishing",
  completed: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function jobStateVariant(state: JobState | "unknown"): "default" | "secondary" | "success" | "warning" | "destructive" {
  switch (state) {
    case "completed":
      return "success";
    case "failed":
      return "destructive";
    case "cancelled":
    case "unknown":
      return "secondary";
    case "paused":
    case "review":
      return "warning";
    default:
      return "default";
  }
}

export const STEP_STATE_LABEL: Record<StepState, string> = {
  pending: "waiting",
  running: "running",
  succeeded: "done",
  failed: "failed",
  skipped: "skipped",
  cancelled: "cancelled",
};
