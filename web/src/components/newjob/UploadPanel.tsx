import { useQueryClient } from "@tanstack/react-query";
import { UploadCloud, X } from "lucide-react";
import { useEffect, useRef, useState, type DragEvent } from "react";
import { ApiError } from "@/api/client";
import { keys } from "@/api/queries";
import type { Upload } from "@/api/types";
import { uploadFile, type UploadHandle } from "@/api/upload";
import { ErrorAlert, Notice } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { formatBytes, formatDuration } from "@/lib/format";
import { cn } from "@/lib/utils";

type Phase =
  | { kind: "idle"; note?: string }
  | { kind: "uploading"; file: File; loaded: number; total: number; startedAt: number }
  | { kind: "probing"; file: File }
  | { kind: "error"; file: File; error: unknown };

/** Upload a file with a progress bar and a cancel button; the stored upload goes to onUploaded. */
export function UploadPanel({
  workspace,
  onUploaded,
  disabled,
  uploader = uploadFile,
}: {
  workspace: number;
  onUploaded: (u: Upload) => void;
  disabled?: boolean;
  uploader?: typeof uploadFile;
}) {
  const qc = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [dragging, setDragging] = useState(false);
  const handle = useRef<UploadHandle | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => () => handle.current?.abort(), []);

  function start(file: File) {
    handle.current?.abort();
    const startedAt = Date.now();
    setPhase({ kind: "uploading", file, loaded: 0, total: file.size, startedAt });
    const h = uploader(workspace, file, (p) => {
      if (p.loaded >= p.total) setPhase({ kind: "probing", file });
      else setPhase({ kind: "uploading", file, loaded: p.loaded, total: p.total, startedAt });
    });
    handle.current = h;
    h.promise.then(
      (u) => {
        if (handle.current !== h) return;
        handle.current = null;
        setPhase({ kind: "idle" });
        void qc.invalidateQueries({ queryKey: keys.uploads(workspace) });
        onUploaded(u);
      },
      (error: unknown) => {
        if (handle.current !== h) return;
        handle.current = null;
        if (error instanceof ApiError && error.code === "aborted") setPhase({ kind: "idle", note: `Upload of ${file.name} cancelled.` });
        else setPhase({ kind: "error", file, error });
      },
    );
    if (input.current) input.current.value = "";
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && !disabled) start(file);
  }

  const busy = phase.kind === "uploading" || phase.kind === "probing";
  return (
    <div className="grid gap-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          "grid place-items-center gap-2 rounded-lg border-2 border-dashed p-6 text-center transition-colors",
          dragging && "border-primary bg-primary/5",
        )}
      >
        <UploadCloud className="h-8 w-8 text-muted-foreground" aria-hidden />
        <label htmlFor="upload-file" className="text-sm">
          <span className="font-medium">Choose a video or audio file</span>
          <span className="block text-muted-foreground">or drop it here</span>
        </label>
        <input
          ref={input}
          id="upload-file"
          type="file"
          accept="video/*,audio/*,.mkv,.mov,.mp4,.webm,.m4a,.mp3,.wav,.flac"
          disabled={disabled || busy}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) start(f);
          }}
          className="max-w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-secondary file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-secondary-foreground hover:file:bg-secondary/80"
        />
      </div>
      {phase.kind === "uploading" && <UploadProgress phase={phase} onCancel={() => handle.current?.abort()} />}
      {phase.kind === "probing" && (
        <div className="grid gap-2" aria-live="polite">
          <Progress value={100} aria-label="Upload progress" striped className="h-2" />
          <p className="text-sm text-muted-foreground">
            {phase.file.name} sent; the server is checking the media…
          </p>
        </div>
      )}
      {phase.kind === "error" && <ErrorAlert error={phase.error} title={`Upload of ${phase.file.name} failed`} />}
      {phase.kind === "idle" && phase.note && <Notice>{phase.note}</Notice>}
    </div>
  );
}

function UploadProgress({
  phase,
  onCancel,
}: {
  phase: { file: File; loaded: number; total: number; startedAt: number };
  onCancel: () => void;
}) {
  const pct = phase.total > 0 ? (phase.loaded / phase.total) * 100 : 0;
  const secs = (Date.now() - phase.startedAt) / 1000;
  const rate = secs > 0.5 ? phase.loaded / secs : 0;
  const left = rate > 0 ? (phase.total - phase.loaded) / rate : null;
  return (
    <div className="grid gap-2" aria-live="polite">
      <div className="flex items-center gap-3">
        <Progress value={pct} aria-label="Upload progress" className="h-2" />
        <Button variant="outline" size="sm" onClick={onCancel}>
          <X aria-hidden /> Cancel upload
        </Button>
      </div>
      <p className="text-sm text-muted-foreground" data-testid="upload-status">
        Uploading {phase.file.name}: {formatBytes(phase.loaded)} of {formatBytes(phase.total)} ({Math.floor(pct)}%)
        {rate > 0 && ` · ${formatBytes(rate)}/s`}
        {left != null && left > 1 && ` · about ${formatDuration(left)} left`}
      </p>
    </div>
  );
}
