import { Link } from "@tanstack/react-router";
import { Plus } from "lucide-react";
import { useMemo } from "react";
import { useJobs, useUploads } from "@/api/queries";
import { isFinished } from "@/api/types";
import { JobCard } from "@/components/jobs/JobCard";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/spinner";
import { useWorkspace } from "@/lib/workspace";

/** Open event streams at most: browsers allow 6 HTTP/1.1 connections per host. */
const MAX_LIVE = 3;

export function DashboardPage({ highlight }: { highlight?: number }) {
  const { workspace, canEdit } = useWorkspace();
  const jobs = useJobs(workspace.id);
  const uploads = useUploads(workspace.id);
  const filenames = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of uploads.data?.items ?? []) m.set(String(u.id), u.filename);
    return m;
  }, [uploads.data]);
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  const liveIds = new Set(
    items
      .filter((j) => !isFinished(j.state))
      .sort((a, b) => (a.id === highlight ? -1 : b.id === highlight ? 1 : 0))
      .slice(0, MAX_LIVE)
      .map((j) => j.id),
  );
  const activeCount = items.filter((j) => !isFinished(j.state)).length;

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
          <p className="text-sm text-muted-foreground">
            Jobs in {workspace.name}
            {activeCount > 0 && ` · ${activeCount} active`}
          </p>
        </div>
        {canEdit && (
          <Button asChild>
            <Link to="/jobs/new">
              <Plus aria-hidden /> New job
            </Link>
          </Button>
        )}
      </div>

      {jobs.isError && <ErrorAlert error={jobs.error} title="Cannot load the jobs" />}
      {jobs.isPending && (
        <div className="grid gap-3" aria-label="Loading jobs">
          <Skeleton className="h-32" />
          <Skeleton className="h-32" />
        </div>
      )}
      {jobs.isSuccess && items.length === 0 && (
        <div className="rounded-lg border border-dashed p-10 text-center">
          <h2 className="font-semibold">No jobs yet</h2>
          <p className="mt-1 text-sm text-muted-foreground">Upload a long video and cutroom cuts it into scored shorts.</p>
          {canEdit && (
            <Button asChild className="mt-4">
              <Link to="/jobs/new">Create the first job</Link>
            </Button>
          )}
        </div>
      )}
      <section aria-label="Jobs" className="grid gap-3">
        {items.map((job) => (
          <JobCard
            key={job.id}
            job={job}
            live={liveIds.has(job.id)}
            highlight={job.id === highlight}
            defaultExpanded={job.id === highlight}
            filename={job.options.upload_id ? filenames.get(job.options.upload_id) : undefined}
          />
        ))}
      </section>
      {jobs.hasNextPage && (
        <Button variant="outline" className="justify-self-center" disabled={jobs.isFetchingNextPage} onClick={() => void jobs.fetchNextPage()}>
          {jobs.isFetchingNextPage ? "Loading…" : "Load older jobs"}
        </Button>
      )}
    </div>
  );
}
