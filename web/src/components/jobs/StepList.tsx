import { CheckCircle2, Circle, Loader2, MinusCircle, RotateCw, XCircle } from "lucide-react";
import type { Step } from "@/api/types";
import { Progress } from "@/components/ui/progress";
import { formatDuration } from "@/lib/format";
import { cn } from "@/lib/utils";
import { STEP_STATE_LABEL, stepLabel } from "./labels";

function StepIcon({ step }: { step: Step }) {
  const c = "h-4 w-4 shrink-0";
  switch (step.state) {
    case "succeeded":
      return <CheckCircle2 className={cn(c, "text-success")} aria-hidden />;
    case "running":
      return <Loader2 className={cn(c, "animate-spin text-primary")} aria-hidden />;
    case "failed":
      return <XCircle className={cn(c, "text-destructive")} aria-hidden />;
    case "skipped":
    case "cancelled":
      return <MinusCircle className={cn(c, "text-muted-foreground")} aria-hidden />;
    default:
      return step.error ? (
        <RotateCw className={cn(c, "text-warning")} aria-hidden />
      ) : (
        <Circle className={cn(c, "text-muted-foreground")} aria-hidden />
      );
  }
}

export function StepList({ steps, now = Date.now() }: { steps: Step[]; now?: number }) {
  return (
    <ol className="divide-y rounded-md border" aria-label="Steps">
      {steps.map((s) => {
        const pct = Math.round(Math.max(0, Math.min(1, s.progress)) * 100);
        const elapsed =
          s.state === "running" && s.started_at_ms ? (now - s.started_at_ms) / 1000 : s.duration_ms / 1000;
        const retrying = s.state === "pending" && s.error && s.attempts > 0;
        return (
          <li key={s.name} className="grid gap-1.5 px-3 py-2 text-sm" data-testid={`step-${s.name}`} data-state={s.state}>
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <StepIcon step={s} />
              <span className="font-medium">{stepLabel(s.name)}</span>
              <span className="text-xs text-muted-foreground">
                {retrying ? "retry scheduled" : STEP_STATE_LABEL[s.state]}
                {s.cache_hit && " · from cache"}
                {s.attempts > 1 && ` · attempt ${s.attempts} of ${s.max_attempts}`}
              </span>
              <span className="ml-auto text-xs tabular-nums text-muted-foreground">
                {(s.state !== "pending" || s.duration_ms > 0) && elapsed > 0 && formatDuration(elapsed)}
                {s.cpu_seconds > 0 && ` · CPU ${formatDuration(s.cpu_seconds)}`}
              </span>
            </div>
            {s.state === "running" && (
              <div className="flex items-center gap-2 pl-6">
                <Progress value={pct} className="h-1.5" aria-label={`${stepLabel(s.name)} progress`} striped />
                <span className="w-10 text-right text-xs tabular-nums">{pct}%</span>
              </div>
            )}
            {s.state === "running" && s.progress_message && (
              <p className="pl-6 text-xs text-muted-foreground">{s.progress_message}</p>
            )}
            {s.error && (s.state === "failed" || retrying) && (
              <p className={cn("pl-6 text-xs", s.state === "failed" ? "text-destructive" : "text-warning")} role={s.state === "failed" ? "alert" : undefined}>
                <span className="font-medium">{s.error.code}:</span> {s.error.message}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
