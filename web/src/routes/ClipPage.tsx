import { Link } from "@tanstack/react-router";
import { ArrowLeft, ChevronLeft, ChevronRight } from "lucide-react";
import { useCallback, useMemo, useRef } from "react";
import { useClip, useClips, useTimeline } from "@/api/queries";
import { Downloads } from "@/components/clips/Downloads";
import { EditPanel } from "@/components/clips/EditPanel";
import { ReviewPanel } from "@/components/clips/ReviewPanel";
import { ScoreBreakdown } from "@/components/clips/ScoreBreakdown";
import { Transcript } from "@/components/clips/Transcript";
import { useMediaTime } from "@/components/clips/useMediaTime";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/spinner";
import { formatClock } from "@/lib/format";
import { wordsFromTimeline } from "@/lib/transcript";
import { useWorkspace } from "@/lib/workspace";

export function ClipPage({ clipId }: { clipId: string }) {
  const { workspace, canEdit } = useWorkspace();
  const w = workspace.id;
  const clip = useClip(w, clipId);
  const jobId = clip.data?.job_id ?? Number(clipId.split("-")[0]);
  const siblings = useClips(w, jobId, { enabled: Number.isFinite(jobId) && jobId > 0 });
  const render = clip.data?.render_job?.state === "completed" ? clip.data.render_job.id : undefined;
  const timeline = useTimeline(w, clipId, render);
  const words = useMemo(() => wordsFromTimeline(timeline.data), [timeline.data]);
  const video = useRef<HTMLVideoElement>(null);
  const src = clip.data ? `${clip.data.urls.video}${render ? `?v=${render}` : ""}` : undefined;
  const time = useMediaTime(video, src);
  const seek = useCallback((t: number) => {
    if (video.current) video.current.currentTime = t;
  }, []);
  const player = useCallback(
    () => ({ time: video.current?.currentTime ?? 0, duration: video.current?.duration ?? 0 }),
    [],
  );

  const list = siblings.data ?? [];
  const at = list.findIndex((c) => c.id === clipId);
  const prev = at > 0 ? list[at - 1] : undefined;
  const next = at >= 0 && at < list.length - 1 ? list[at + 1] : undefined;

  if (clip.isError) {
    return (
      <div className="grid gap-4">
        <BackToJob jobId={jobId} />
        <ErrorAlert error={clip.error} title={`Cannot load clip ${clipId}`} />
      </div>
    );
  }
  if (!clip.data) return <Skeleton className="h-96" />;
  const c = clip.data;

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1">
          <BackToJob jobId={c.job_id} />
          <h1 className="mt-1 text-2xl font-semibold tracking-tight" data-testid="clip-title">
            {c.title}
          </h1>
          <p className="text-sm text-muted-foreground">
            Clip {c.index} of job #{c.job_id} · {formatClock(c.duration_s)} long · {formatClock(c.start_s)}–
            {formatClock(c.end_s)} of the source · {c.width}×{c.height}
          </p>
        </div>
        <nav aria-label="Clips of this job" className="flex gap-2">
          {prev && (
            <Button asChild variant="outline" size="sm">
              <Link to="/clips/$clipId" params={{ clipId: prev.id }}>
                <ChevronLeft aria-hidden /> Clip {prev.index}
              </Link>
            </Button>
          )}
          {next && (
            <Button asChild variant="outline" size="sm">
              <Link to="/clips/$clipId" params={{ clipId: next.id }} data-testid="next-clip">
                Clip {next.index} <ChevronRight aria-hidden />
              </Link>
            </Button>
          )}
        </nav>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,5fr)_minmax(0,4fr)]">
        <div className="grid content-start gap-4">
          <Card>
            <CardContent className="grid gap-4 p-3 sm:p-4">
              <div className="grid place-items-center rounded-md bg-black">
                <video
                  key={src}
                  ref={video}
                  src={src}
                  controls
                  playsInline
                  preload="metadata"
                  poster={c.urls.thumbnail}
                  aria-label={`Clip ${c.index}: ${c.title}`}
                  className="h-[min(70vh,640px)] w-auto max-w-full"
                  data-testid="clip-video"
                >
                  <track kind="captions" src={c.urls.vtt} srcLang="en" label="Captions" />
                </video>
              </div>
              <div className="grid gap-2">
                <div className="flex items-center justify-between">
                  <h2 className="text-sm font-semibold">Transcript</h2>
                  <span className="text-xs tabular-nums text-muted-foreground" aria-hidden>
                    {formatClock(time)}
                  </span>
                </div>
                {timeline.isError && <ErrorAlert error={timeline.error} title="Cannot load the transcript" />}
                {timeline.isPending ? <Skeleton className="h-24" /> : <Transcript words={words} time={time} onSeek={seek} />}
              </div>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Score</CardTitle>
            </CardHeader>
            <CardContent>
              <ScoreBreakdown clip={c} />
            </CardContent>
          </Card>
        </div>

        <div className="grid content-start gap-4">
          <Card>
            <CardHeader>
              <CardTitle>Review</CardTitle>
            </CardHeader>
            <CardContent>
              <ReviewPanel workspace={w} clip={c} canEdit={canEdit} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Edit</CardTitle>
            </CardHeader>
            <CardContent>
              <EditPanel workspace={w} clip={c} canEdit={canEdit} player={player} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Downloads</CardTitle>
            </CardHeader>
            <CardContent>
              <Downloads clip={c} />
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}

function BackToJob({ jobId }: { jobId: number }) {
  if (!Number.isFinite(jobId) || jobId <= 0) return null;
  return (
    <Button asChild variant="ghost" size="sm" className="-ml-2">
      <Link to="/jobs/$jobId" params={{ jobId: String(jobId) }}>
        <ArrowLeft aria-hidden /> Job #{jobId}
      </Link>
    </Button>
  );
}
