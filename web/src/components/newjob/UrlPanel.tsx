import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { api } from "@/api/endpoints";
import type { Upload } from "@/api/types";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";

/** URL ingest: the server downloads it (202, state downloading) and this polls until ready/failed. */
export function UrlPanel({ workspace, onUploaded, disabled }: { workspace: number; onUploaded: (u: Upload) => void; disabled?: boolean }) {
  const [url, setUrl] = useState("");
  const [pendingId, setPendingId] = useState<number | null>(null);
  const create = useMutation({
    mutationFn: (u: string) => api.createUrlUpload(workspace, u),
    onSuccess: (u) => (u.state === "ready" ? onUploaded(u) : setPendingId(u.id)),
  });
  const poll = useQuery({
    queryKey: ["ws", workspace, "upload", pendingId],
    queryFn: () => api.getUpload(workspace, pendingId!),
    enabled: pendingId !== null,
    refetchInterval: (q) => (q.state.data?.state === "downloading" || !q.state.data ? 1500 : false),
  });
  useEffect(() => {
    if (poll.data?.state === "ready") {
      setPendingId(null);
      onUploaded(poll.data);
    }
  }, [poll.data, onUploaded]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setPendingId(null);
    create.mutate(url.trim());
  }
  const downloading = pendingId !== null && poll.data?.state !== "failed";
  return (
    <form onSubmit={submit} className="grid gap-3">
      <div className="grid gap-1.5">
        <Label htmlFor="source-url">Video URL</Label>
        <div className="flex gap-2">
          <Input
            id="source-url"
            type="url"
            required
            placeholder="https://example.com/talk.mp4"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            disabled={disabled}
          />
          <Button type="submit" disabled={disabled || create.isPending || downloading}>
            Fetch
          </Button>
        </div>
        <p className="text-xs text-muted-foreground">The server downloads the file; private addresses are refused unless allowed.</p>
      </div>
      {create.isError && <ErrorAlert error={create.error} title="The URL was refused" />}
      {downloading && <Spinner label="The server is downloading the video" />}
      {poll.isError && <ErrorAlert error={poll.error} title="Cannot check the download" />}
      {poll.data?.state === "failed" && (
        <ErrorAlert error={new Error(poll.data.error ?? "the download failed")} title="The download failed" />
      )}
    </form>
  );
}
