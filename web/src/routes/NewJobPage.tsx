import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { FileVideo } from "lucide-react";
import { useCallback, useRef, useState, type FormEvent, type ReactNode } from "react";
import { api } from "@/api/endpoints";
import { keys, useBrands, useUploads } from "@/api/queries";
import { ASPECTS, LAYOUTS, type Aspect, type Layout, type Upload } from "@/api/types";
import { CaptionStylePicker } from "@/components/CaptionStylePicker";
import { UploadPanel } from "@/components/newjob/UploadPanel";
import { UrlPanel } from "@/components/newjob/UrlPanel";
import { ErrorAlert, Notice } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { formatBytes, formatClock } from "@/lib/format";
import {
  applyBrandDefaults,
  buildJobRequest,
  DEFAULT_JOB_FORM,
  fullSize,
  sizePresets,
  type JobForm,
  type JobFormErrors,
} from "@/lib/jobForm";
import { randomKey } from "@/lib/utils";
import { useWorkspace } from "@/lib/workspace";

function describeUpload(u: Upload): string {
  const video = u.media?.streams.find((s) => s.type === "video" && !s.attached_picture);
  const parts = [formatBytes(u.size_bytes)];
  if (u.media) parts.unshift(formatClock(u.media.duration_s));
  if (video?.width && video.height) parts.push(`${video.width}×${video.height}`);
  else if (u.media) parts.push("audio only");
  return parts.join(" · ");
}

function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="text-xs text-destructive">
      {error}
    </p>
  );
}

function NumberField({
  id,
  label,
  value,
  onChange,
  error,
  min,
  max,
  step,
  suffix,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  min: number;
  max: number;
  step?: number;
  suffix?: string;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex items-center gap-2">
        <Input
          id={id}
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step ?? 1}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {suffix && <span className="text-sm text-muted-foreground">{suffix}</span>}
      </div>
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

export function NewJobPage() {
  const { workspace, canEdit } = useWorkspace();
  const w = workspace.id;
  const qc = useQueryClient();
  const navigate = useNavigate();
  const uploads = useUploads(w);
  const brands = useBrands(w);
  const [source, setSource] = useState<Upload | null>(null);
  const [form, setForm] = useState<JobForm>(DEFAULT_JOB_FORM);
  const [errors, setErrors] = useState<JobFormErrors>({});
  const idempotencyKey = useRef(randomKey());
  const set = <K extends keyof JobForm>(k: K, v: JobForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const onUploaded = useCallback((u: Upload) => setSource(u), []);

  const create = useMutation({
    mutationFn: () => {
      const built = buildJobRequest(form, source?.id ?? null);
      if (!built.request) throw new Error("invalid form");
      return api.createJob(w, built.request, idempotencyKey.current);
    },
    onSuccess: (job) => {
      idempotencyKey.current = randomKey();
      void qc.invalidateQueries({ queryKey: keys.jobs(w) });
      void navigate({ to: "/", search: { job: job.id } });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const built = buildJobRequest(form, source?.id ?? null);
    setErrors(built.errors ?? {});
    if (built.errors) return;
    create.mutate();
  }

  const readyUploads = (uploads.data?.items ?? []).filter((u) => u.state === "ready");
  const presets = sizePresets(form.aspect);

  if (!canEdit) {
    return <Notice>Your role in {workspace.name} is {workspace.role}: creating jobs needs the editor role.</Notice>;
  }

  return (
    <div className="grid gap-6">
      <div>
        <h1 id="new-job-title" className="text-2xl font-semibold tracking-tight">
          New clip job
        </h1>
        <p className="text-sm text-muted-foreground">A long video in, scored and captioned shorts out.</p>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>1. Source video</CardTitle>
          <CardDescription>Upload a file, give a URL, or reuse an earlier upload.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {source && (
            <div className="flex flex-wrap items-center gap-3 rounded-md border bg-muted/40 p-3" data-testid="selected-source">
              <FileVideo className="h-5 w-5 text-primary" aria-hidden />
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium">{source.filename}</p>
                <p className="text-xs text-muted-foreground">
                  Upload #{source.id} · {describeUpload(source)}
                </p>
              </div>
              <Button variant="outline" size="sm" onClick={() => setSource(null)}>
                Change
              </Button>
            </div>
          )}
          {!source && (
            <Tabs defaultValue="upload">
              <TabsList aria-label="Source">
                <TabsTrigger value="upload">Upload a file</TabsTrigger>
                <TabsTrigger value="url">From a URL</TabsTrigger>
                <TabsTrigger value="earlier">Earlier uploads</TabsTrigger>
              </TabsList>
              <TabsContent value="upload">
                <UploadPanel workspace={w} onUploaded={onUploaded} />
              </TabsContent>
              <TabsContent value="url">
                <UrlPanel workspace={w} onUploaded={onUploaded} />
              </TabsContent>
              <TabsContent value="earlier">
                {uploads.isError && <ErrorAlert error={uploads.error} title="Cannot list the uploads" />}
                {uploads.isSuccess && readyUploads.length === 0 && (
                  <p className="text-sm text-muted-foreground">No uploads yet.</p>
                )}
                <ul className="grid gap-2">
                  {readyUploads.map((u) => (
                    <li key={u.id} className="flex items-center gap-3 rounded-md border p-2">
                      <div className="min-w-0 flex-1">
                        <p className="truncate text-sm font-medium">{u.filename}</p>
                        <p className="text-xs text-muted-foreground">{describeUpload(u)}</p>
                      </div>
                      <Button size="sm" variant="secondary" onClick={() => setSource(u)} aria-label={`Use ${u.filename} (upload #${u.id})`}>
                        Use
                      </Button>
                    </li>
                  ))}
                </ul>
              </TabsContent>
            </Tabs>
          )}
          <FieldError id="upload-error" error={errors.upload} />
        </CardContent>
      </Card>

      <form onSubmit={submit} className="grid gap-6" noValidate aria-labelledby="new-job-title">
      <Card>
        <CardHeader>
          <CardTitle>2. Clips</CardTitle>
          <CardDescription>How many shorts, how long, and how they look.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <NumberField id="clips" label="Number of clips" value={form.clips} onChange={(v) => set("clips", v)} error={errors.clips} min={1} max={50} />
            <NumberField id="min_s" label="Shortest" value={form.min_s} onChange={(v) => set("min_s", v)} error={errors.min_s} min={1} max={600} suffix="s" />
            <NumberField id="max_s" label="Longest" value={form.max_s} onChange={(v) => set("max_s", v)} error={errors.max_s} min={1} max={600} suffix="s" />
            <div className="grid gap-1.5">
              <Label htmlFor="brand">Brand</Label>
              <Select
                value={form.brand_id || "none"}
                onValueChange={(v) => {
                  const id = v === "none" ? "" : v;
                  const brand = brands.data?.items.find((b) => String(b.id) === id);
                  setForm((f) => ({ ...applyBrandDefaults(f, brand?.settings), brand_id: id }));
                }}
              >
                <SelectTrigger id="brand">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="none">No brand</SelectItem>
                  {brands.data?.items.map((b) => (
                    <SelectItem key={b.id} value={String(b.id)}>
                      {b.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              {brands.isError && <p className="text-xs text-destructive">Brands: {brands.error.message}</p>}
            </div>
          </div>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <div className="grid gap-1.5">
              <Label htmlFor="aspect">Aspect</Label>
              <Select value={form.aspect} onValueChange={(v) => setForm((f) => ({ ...f, aspect: v as Aspect, size: f.size === "custom" ? "custom" : "" }))}>
                <SelectTrigger id="aspect">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {ASPECTS.map((a) => (
                    <SelectItem key={a.value} value={a.value}>
                      {a.label}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="layout">Layout</Label>
              <Select value={form.layout} onValueChange={(v) => set("layout", v as Layout)}>
                <SelectTrigger id="layout" aria-describedby="layout-hint">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {LAYOUTS.map((l) => (
                    <SelectItem key={l.value} value={l.value}>
                      {l.label}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <p id="layout-hint" className="text-xs text-muted-foreground">
                {LAYOUTS.find((l) => l.value === form.layout)?.hint}
              </p>
            </div>
            <div className="grid gap-1.5 sm:col-span-2">
              <Label htmlFor="topic">Topic words</Label>
              <Input
                id="topic"
                placeholder="pricing, onboarding, churn"
                value={form.topic}
                onChange={(e) => set("topic", e.target.value)}
                aria-describedby="topic-hint"
                aria-invalid={!!errors.topic}
              />
              <p id="topic-hint" className="text-xs text-muted-foreground">
                Comma-separated; clips about them score higher.
              </p>
              <FieldError id="topic-error" error={errors.topic} />
            </div>
          </div>
          <div className="grid gap-2">
            <span id="caption-style-label" className="text-sm font-medium">
              Caption style
            </span>
            <CaptionStylePicker value={form.caption_style} onChange={(v) => set("caption_style", v)} labelledBy="caption-style-label" />
          </div>
          <details className="group rounded-md border p-3">
            <summary className="cursor-pointer text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
              Advanced: output size
            </summary>
            <div className="mt-3 grid gap-4 sm:grid-cols-3">
              <div className="grid gap-1.5">
                <Label htmlFor="size">Output size</Label>
                <Select value={form.size || "full"} onValueChange={(v) => set("size", v === "full" ? "" : v)}>
                  <SelectTrigger id="size" aria-describedby="size-hint">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    <SelectItem value="full">Full ({fullSize(form.aspect)})</SelectItem>
                    {presets.map((p) => (
                      <SelectItem key={p.value} value={p.value}>
                        {p.label}
                      </SelectItem>
                    ))}
                    <SelectItem value="custom">Custom…</SelectItem>
                  </SelectContent>
                </Select>
                <p id="size-hint" className="text-xs text-muted-foreground">
                  Smaller renders faster: good for a first look.
                </p>
              </div>
              {form.size === "custom" && (
                <>
                  <NumberField id="width" label="Width" value={form.width} onChange={(v) => set("width", v)} error={errors.width} min={64} max={4096} step={2} suffix="px" />
                  <NumberField id="height" label="Height" value={form.height} onChange={(v) => set("height", v)} error={errors.height} min={64} max={4096} step={2} suffix="px" />
                </>
              )}
            </div>
          </details>
        </CardContent>
      </Card>

      {create.isError && <ErrorAlert error={create.error} title="The job was not created" />}
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="text-sm text-destructive">
          Fix the fields marked above.
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button type="submit" size="lg" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create job"}
        </Button>
      </div>
      </form>
    </div>
  );
}
