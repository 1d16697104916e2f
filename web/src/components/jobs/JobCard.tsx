import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ChevronDown, ChevronRight, Film, Pause, Play, RotateCw, Square } from "lucide-react";
import { useEffect, useState } from "react";
import { api } from "@/api/endpoints";
import { useJobEvents } from "@/api/events";
import { keys, useJob } from "@/api/queries";
import { isFinished, type Job } from "@/api/types";
import { ErrorAlert } from "@/components/ui/alert";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { toastError } from "@/components/ui/toast";
import { jobFraction } from "@/lib/eta";
import { formatAgo, formatDuration } from "@/lib/format";
import { useEta } from "@/lib/useEta";
import { useWorkspace } from "@/lib/workspace";
import { cn } from "@/lib/utils";
import { JOB_STATE_LABEL, jobStateVariant } from "./labels";
import { StepList } from "./StepList";

function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return now;
}

/** The newer of the list's summary and the job's detail (which has the steps). */
export function mergeJob(summary: Job, detail: Job | undefined): Job {
  if (!detail) return summary;
  if (detail.updated_at_ms >= summary.updated_at_ms) return detail;
  return { ...summary, steps: detail.steps };
}

export function JobTitle({ job, filename }: { job: Job; filename?: string }) {
  const what = job.kind === "clip" ? "Clip job" : job.kind === "render" ? "Re-render" : `${job.kind} job`;
  return (
    <span>
      {what} <span className="text-muted-foreground">#{job.id}</span>
      {filename && <span className="font-normal text-muted-foreground"> · {filename}</span>}
    </span>
  );
}

export function JobCard({
  job: summary,
  live = true,
  defaultExpanded = false,
  filename,
  highlight = false,
  linkTitle = true,
}: {
  job: Job;
  /** Subscribe to the job's live events while it is active. */
  live?: boolean;
  defaultExpanded?: boolean;
  filename?: string;
  highlight?: boolean;
  linkTitle?: boolean;
}) {
  const { workspace, canEdit } = useWorkspace();
  const w = workspace.id;
  const qc = useQueryClient();
  const active = !isFinished(summary.state);
  const [expanded, setExpanded] = useState(defaultExpanded || active);
  const wantDetail = expanded || summary.state === "failed";
  const detail = useJob(w, summary.id, { enabled: wantDetail });
  const job = mergeJob(summary, detail.data);
  const running = !isFinished(job.state);
  const stream = useJobEvents(w, job.id, live && running);
  const now = useNow(running);
  const fraction = jobFraction(job.steps, job.state);
  const eta = useEta(fraction, job.state === "running");
  const pct = Math.round(fraction * 100);
  const elapsed = job.started_at_ms ? ((job.finished_at_ms || now) - job.started_at_ms) / 1000 : 0;
  const failedSteps = job.steps?.filter((s) => s.state === "failed") ?? [];
  const titleId = `job-${job.id}-title`;

  const action = useMutation({
    mutationFn: (a: "cancel" | "retry" | "pause" | "resume") => api.jobAction(w, job.id, a),
    onSuccess: (updated) => {
      qc.setQueryData(keys.job(w, job.id), updated);
      void qc.invalidateQueries({ queryKey: keys.jobs(w) });
      if (!isFinished(updated.state)) setExpanded(true);
    },
    onError: (e, a) => toastError(`Could not ${a} job #${job.id}`, e),
  });

  return (
    <Card
      className={cn("overflow-hidden", highlight && "ring-2 ring-primary")}
      aria-labelledby={titleId}
      role="article"
      data-testid={`job-${job.id}`}
      data-state={job.state}
    >
      <div className="grid gap-3 p-4">
        <div className="flex flex-wrap items-start gap-x-3 gap-y-2">
          <Film className="mt-0.5 h-5 w-5 shrink-0 text-muted-foreground" aria-hidden />
          <div className="min-w-0 flex-1">
            <h3 id={titleId} className="truncate font-semibold">
              {linkTitle ? (
                <Link to="/jobs/$jobId" params={{ jobId: String(job.id) }} className="rounded hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
                  <JobTitle job={job} filename={filename} />
                </Link>
              ) : (
                <JobTitle job={job} filename={filename} />
              )}
            </h3>
            <p className="text-xs text-muted-foreground">
              created {formatAgo(job.created_at_ms, now)}
              {job.options.clips && ` · ${job.options.clips} clips`}
              {job.options.caption_style && ` · ${job.options.caption_style}`}
              {job.options.size && ` · ${job.options.size}`}
            </p>
          </div>
          <Badge variant={jobStateVariant(job.state)} data-testid="job-state">
            {JOB_STATE_LABEL[job.state]}
          </Badge>
        </div>

        <div className="grid gap-1.5">
          <div className="flex items-center gap-3">
            <Progress
              value={pct}
              aria-label={`Job #${job.id} progress`}
              striped={job.state === "running"}
              indicatorClassName={cn(
                job.state === "completed" && "bg-success",
                job.state === "failed" && "bg-destructive",
                (job.state === "cancelled" || job.state === "paused") && "bg-muted-foreground",
              )}
            />
            <span className="w-10 text-right text-sm tabular-nums" data-testid="job-percent">
              {pct}%
            </span>
          </div>
          <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
            {job.state === "running" && (
              <div className="flex gap-1">
                <dt>ETA</dt>
                <dd className="tabular-nums text-foreground" data-testid="job-eta">
                  {eta == null ? "estimating…" : eta < 1 ? "finishing" : `about ${formatDuration(eta)} left`}
                </dd>
              </div>
            )}
            {elapsed > 0 && (
              <div className="flex gap-1">
                <dt>{running ? "Running for" : "Took"}</dt>
                <dd className="tabular-nums text-foreground">{formatDuration(elapsed)}</dd>
              </div>
            )}
            <div className="flex gap-1">
              <dt>CPU time</dt>
              <dd className="tabular-nums text-foreground" data-testid="job-cpu">
                {formatDuration(job.cpu_seconds)}
              </dd>
            </div>
            {running && live && (
              <div className="flex gap-1">
                <dt className="sr-only">Live updates</dt>
                <dd>{stream.status === "open" ? "● live" : stream.status === "connecting" ? "connecting…" : stream.status === "error" ? "live updates lost; refreshing" : ""}</dd>
              </div>
            )}
          </dl>
        </div>

        {job.error && (
          <ErrorAlert error={new Error(job.error.message)} title={`The job failed (${job.error.code})`} />
        )}
        {detail.isError && <ErrorAlert error={detail.error} title="Cannot load the job's steps" />}

        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="ghost"
            size="sm"
            aria-expanded={expanded}
            aria-controls={`job-${job.id}-steps`}
            onClick={() => setExpanded((x) => !x)}
          >
            {expanded ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />}
            {expanded ? "Hide steps" : "Show steps"}
            {!expanded && failedSteps.length > 0 && ` (${failedSteps.length} failed)`}
          </Button>
          <div className="ml-auto flex flex-wrap gap-2">
            {job.kind === "clip" && job.state === "completed" && (
              <Button asChild size="sm">
                <Link to="/jobs/$jobId" params={{ jobId: String(job.id) }}>
                  Review clips
                </Link>
              </Button>
            )}
            {canEdit && (job.state === "queued" || job.state === "running") && (
              <Button variant="outline" size="sm" disabled={action.isPending} onClick={() => action.mutate("pause")}>
                <Pause aria-hidden /> Pause
              </Button>
            )}
            {canEdit && job.state === "paused" && (
              <Button variant="outline" size="sm" disabled={action.isPending} onClick={() => action.mutate("resume")}>
                <Play aria-hidden /> Resume
              </Button>
            )}
            {canEdit && running && (
              <ConfirmDialog
                trigger={
                  <Button variant="outline" size="sm" disabled={action.isPending}>
                    <Square aria-hidden /> Cancel
                  </Button>
                }
                title={`Cancel job #${job.id}?`}
                description="Running steps stop; finished steps are kept, so a retry continues from there."
                confirmLabel="Cancel job"
                onConfirm={() => action.mutate("cancel")}
              />
            )}
            {canEdit && (job.state === "failed" || job.state === "cancelled") && (
              <Button variant="outline" size="sm" disabled={action.isPending} onClick={() => action.mutate("retry")}>
                <RotateCw aria-hidden /> Retry
              </Button>
            )}
          </div>
        </div>
        {expanded && (
          <div id={`job-${job.id}-steps`}>
            {job.steps ? (
              <StepList steps={job.steps} now={now} />
            ) : detail.isPending ? (
              <p className="text-sm text-muted-foreground">Loading steps…</p>
            ) : null}
          </div>
        )}
        {!expanded && failedSteps.length > 0 && (
          <ul className="grid gap-1 text-sm">
            {failedSteps.map((s) => (
              <li key={s.name} className="text-destructive">
                <span className="font-medium">{s.name}:</span> {s.error?.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
