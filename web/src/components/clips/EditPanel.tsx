import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { api } from "@/api/endpoints";
import { useJobEvents } from "@/api/events";
import { keys, useJob } from "@/api/queries";
import { isFinished, LAYOUTS, type CaptionStyle, type Clip, type PatchClipRequest } from "@/api/types";
import { CaptionStylePicker } from "@/components/CaptionStylePicker";
import { stepLabel } from "@/components/jobs/labels";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Progress } from "@/components/ui/progress";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { toast } from "@/components/ui/toast";
import { jobFraction } from "@/lib/eta";
import { formatDuration } from "@/lib/format";
import { buildRerender } from "@/lib/rerender";
import { useEta } from "@/lib/useEta";

export interface PlayerState {
  time: number;
  duration: number;
}

/**
 * Title and description (saved as they are); caption style, layout and trim (a re-render job:
 * edits accumulate on the previous re-render).
 */
export function EditPanel({
  workspace,
  clip,
  canEdit,
  player,
}: {
  workspace: number;
  clip: Clip;
  canEdit: boolean;
  /** The player's position and length, read when a trim button is pressed. */
  player?: () => PlayerState;
}) {
  const qc = useQueryClient();
  const [title, setTitle] = useState(clip.title);
  const [description, setDescription] = useState(clip.description);
  const renderJob = clip.render_job;
  const lastRender = useJob(workspace, renderJob?.id ?? 0, { enabled: !!renderJob });
  // The style in effect: the latest re-render's when it set one, else the clip's own.
  const currentStyle = (lastRender.data?.options.caption_style || clip.captions.style) as CaptionStyle;
  const [style, setStyle] = useState<CaptionStyle>(currentStyle);
  const [layout, setLayout] = useState<string>("keep");
  const [trimStart, setTrimStart] = useState("");
  const [trimEnd, setTrimEnd] = useState("");
  const [formError, setFormError] = useState("");
  useEffect(() => {
    setTitle(clip.title);
    setDescription(clip.description);
  }, [clip.id, clip.title, clip.description]);
  useEffect(() => setStyle(currentStyle), [currentStyle]);

  const save = useMutation({
    mutationFn: (body: PatchClipRequest) => api.patchClip(workspace, clip.id, body),
    onSuccess: (updated, body) => {
      qc.setQueryData(keys.clip(workspace, clip.id), updated);
      void qc.invalidateQueries({ queryKey: keys.clips(workspace, clip.job_id) });
      if (body.caption_style || body.layout || body.trim_start_s || body.trim_end_s) {
        void qc.invalidateQueries({ queryKey: keys.jobs(workspace) });
        setTrimStart("");
        setTrimEnd("");
        setLayout("keep");
        toast({ title: "Re-render started", description: `Job #${updated.render_job?.id}` });
      } else {
        toast({ title: "Saved", variant: "success" });
      }
    },
  });

  function saveText(e: FormEvent) {
    e.preventDefault();
    const body: PatchClipRequest = {};
    if (title.trim() && title !== clip.title) body.title = title.trim();
    if (description.trim() && description !== clip.description) body.description = description.trim();
    if (Object.keys(body).length === 0) return;
    save.mutate(body);
  }

  const duration = () => {
    const d = player?.().duration ?? 0;
    return Number.isFinite(d) && d > 0 ? d : clip.duration_s;
  };

  function rerender(e: FormEvent) {
    e.preventDefault();
    const built = buildRerender({ style, layout, trimStart, trimEnd }, { style: currentStyle, duration: duration() });
    setFormError(built.error ?? "");
    if (built.request) save.mutate(built.request);
  }

  const rendering = !!renderJob && !isFinished(renderJob.state) && renderJob.state !== "unknown";
  const locked = !canEdit || rendering;
  return (
    <div className="grid gap-6">
      <form onSubmit={saveText} className="grid gap-3" aria-label="Title and description">
        <div className="grid gap-1.5">
          <Label htmlFor="clip-title">Title</Label>
          <Input id="clip-title" value={title} maxLength={200} disabled={!canEdit} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="clip-description">Description</Label>
          <Textarea
            id="clip-description"
            value={description}
            maxLength={5000}
            disabled={!canEdit}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        {clip.hashtags.length > 0 && <p className="text-xs text-muted-foreground">{clip.hashtags.join(" ")}</p>}
        {canEdit && (
          <Button type="submit" variant="secondary" className="justify-self-start" disabled={save.isPending || (title === clip.title && description === clip.description)}>
            Save title and description
          </Button>
        )}
      </form>

      <form onSubmit={rerender} className="grid gap-4" aria-labelledby="rerender-title" noValidate>
        <h3 id="rerender-title" className="text-sm font-semibold">
          Re-render: captions, layout, trim
        </h3>
        <div className="grid gap-2">
          <span id="edit-style-label" className="text-sm font-medium">
            Caption style <span className="font-normal text-muted-foreground">(now {currentStyle})</span>
          </span>
          <CaptionStylePicker value={style} onChange={setStyle} labelledBy="edit-style-label" disabled={locked} compact />
        </div>
        <div className="grid max-w-xs gap-1.5">
          <Label htmlFor="edit-layout">Layout</Label>
          <Select value={layout} onValueChange={setLayout} disabled={locked}>
            <SelectTrigger id="edit-layout">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="keep">Keep ({[...new Set(clip.layouts)].join(", ") || "as rendered"})</SelectItem>
              {LAYOUTS.filter((l) => l.value !== "auto").map((l) => (
                <SelectItem key={l.value} value={l.value}>
                  {l.label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <fieldset className="grid gap-2" disabled={locked}>
          <legend className="mb-1 text-sm font-medium">Trim</legend>
          <div className="grid gap-3 sm:grid-cols-2">
            <TrimField
              id="trim-start"
              label="Cut from the start"
              value={trimStart}
              onChange={setTrimStart}
              action="Up to the playhead"
              onAction={player ? () => setTrimStart(player().time.toFixed(2)) : undefined}
            />
            <TrimField
              id="trim-end"
              label="Cut from the end"
              value={trimEnd}
              onChange={setTrimEnd}
              action="From the playhead"
              onAction={player ? () => setTrimEnd(Math.max(0, duration() - player().time).toFixed(2)) : undefined}
            />
          </div>
          <p className="text-xs text-muted-foreground">Seconds of the clip as it plays now ({formatDuration(duration())}).</p>
        </fieldset>
        {formError && (
          <p className="text-sm text-destructive" role="alert">
            {formError}
          </p>
        )}
        {canEdit && (
          <Button type="submit" className="justify-self-start" disabled={save.isPending || rendering}>
            Re-render
          </Button>
        )}
        {renderJob && <RenderProgress workspace={workspace} jobId={renderJob.id} clipId={clip.id} />}
      </form>
      {save.isError && <ErrorAlert error={save.error} title="The edit was not saved" />}
    </div>
  );
}

function TrimField({
  id,
  label,
  value,
  onChange,
  action,
  onAction,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  action: string;
  onAction?: () => void;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex items-center gap-2">
        <Input id={id} type="number" min={0} step={0.1} inputMode="decimal" placeholder="0" value={value} onChange={(e) => onChange(e.target.value)} />
        <span className="text-sm text-muted-foreground">s</span>
      </div>
      {onAction && (
        <Button variant="link" size="sm" className="h-auto justify-self-start p-0" onClick={onAction}>
          {action}
        </Button>
      )}
    </div>
  );
}

function RenderProgress({ workspace, jobId, clipId }: { workspace: number; jobId: number; clipId: string }) {
  const qc = useQueryClient();
  const job = useJob(workspace, jobId);
  const state = job.data?.state;
  const active = !!state && !isFinished(state);
  useJobEvents(workspace, jobId, active);
  const fraction = jobFraction(job.data?.steps, state ?? "queued");
  const eta = useEta(fraction, state === "running");
  useEffect(() => {
    if (state && isFinished(state)) void qc.invalidateQueries({ queryKey: keys.clip(workspace, clipId) });
  }, [state, qc, workspace, clipId]);
  if (job.isError) return <ErrorAlert error={job.error} title={`Cannot load re-render job #${jobId}`} />;
  if (!job.data) return null;
  const running = job.data.steps?.find((s) => s.state === "running");
  const failed = job.data.steps?.find((s) => s.state === "failed");
  return (
    <div className="grid gap-1.5 rounded-md border p-3" aria-live="polite" data-testid="render-progress">
      <div className="flex items-center justify-between text-sm">
        <span>
          Re-render #{jobId}: <span className="font-medium">{job.data.state}</span>
        </span>
        <span className="tabular-nums">{Math.round(fraction * 100)}%</span>
      </div>
      <Progress value={fraction * 100} aria-label="Re-render progress" striped={active} />
      <p className="text-xs text-muted-foreground">
        {running && `${stepLabel(running.name)}${running.progress_message ? `: ${running.progress_message}` : ""}`}
        {active && eta != null && ` · about ${formatDuration(eta)} left`}
        {job.data.state === "completed" && "The player shows the new render."}
      </p>
      {job.data.error && <p className="text-xs text-destructive">{job.data.error.message}</p>}
      {failed?.error && !job.data.error && <p className="text-xs text-destructive">{failed.error.message}</p>}
    </div>
  );
}
