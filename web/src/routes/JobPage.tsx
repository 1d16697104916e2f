import { Link } from "@tanstack/react-router";
import { ArrowLeft } from "lucide-react";
import { useClips, useJob, useUploads } from "@/api/queries";
import { ReviewBadge, scoreVariant } from "@/components/clips/ReviewBadge";
import { JobCard } from "@/components/jobs/JobCard";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/spinner";
import { formatClock } from "@/lib/format";
import { useWorkspace } from "@/lib/workspace";
import { cn } from "@/lib/utils";

export function JobPage({ jobId }: { jobId: number }) {
  const { workspace } = useWorkspace();
  const w = workspace.id;
  const job = useJob(w, jobId);
  const uploads = useUploads(w);
  const done = job.data?.state === "completed" && job.data.kind === "clip";
  const clips = useClips(w, jobId, { enabled: done });
  const filename = uploads.data?.items.find((u) => String(u.id) === job.data?.options.upload_id)?.filename;

  return (
    <div className="grid gap-6">
      <div>
        <Button asChild variant="ghost" size="sm" className="-ml-2">
          <Link to="/">
            <ArrowLeft aria-hidden /> Dashboard
          </Link>
        </Button>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Job #{jobId}</h1>
      </div>
      {job.isError && <ErrorAlert error={job.error} title={`Cannot load job #${jobId}`} />}
      {job.isPending && <Skeleton className="h-40" />}
      {job.data && <JobCard job={job.data} defaultExpanded={!done} filename={filename} linkTitle={false} />}

      {done && (
        <section aria-labelledby="clips-title" className="grid gap-3">
          <h2 id="clips-title" className="text-lg font-semibold">
            Clips
          </h2>
          {clips.isError && <ErrorAlert error={clips.error} title="Cannot load the clips" />}
          {clips.isPending && <Skeleton className="h-48" />}
          {clips.data && clips.data.length === 0 && <p className="text-sm text-muted-foreground">This job made no clips.</p>}
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {clips.data?.map((c) => (
              <li key={c.id}>
                <Card className="overflow-hidden">
                  <Link
                    to="/clips/$clipId"
                    params={{ clipId: c.id }}
                    className="group block focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring"
                    aria-label={`Review clip ${c.index}: ${c.title}`}
                    data-testid={`clip-link-${c.id}`}
                  >
                    <div className="flex gap-3 p-3">
                      <img
                        src={c.urls.thumbnail}
                        alt=""
                        className="h-32 w-20 shrink-0 rounded bg-muted object-cover"
                        loading="lazy"
                      />
                      <div className="grid min-w-0 content-start gap-1.5">
                        <p className="text-xs text-muted-foreground">
                          Clip {c.index} · {formatClock(c.duration_s)} · from {formatClock(c.start_s)}
                        </p>
                        <p className="line-clamp-3 font-medium group-hover:underline">{c.title}</p>
                        <p className={cn("text-sm font-semibold tabular-nums", scoreVariant(c.score))}>
                          Score {Math.round(c.score)}
                        </p>
                        <ReviewBadge review={c.review} />
                      </div>
                    </div>
                  </Link>
                </Card>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
