import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken, setUnauthenticatedHandler } from "./client";
import { uploadFile } from "./upload";

class FakeXhr {
  method = "";
  url = "";
  headers: Record<string, string> = {};
  withCredentials = false;
  status = 0;
  statusText = "";
  responseText = "";
  body: unknown = null;
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  getResponseHeader() {
    return "req_x";
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true } as ProgressEvent);
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

afterEach(() => {
  setCsrfToken("");
  setUnauthenticatedHandler(null);
});

function start(file = new File(["x".repeat(100)], "my talk.mp4")) {
  const xhr = new FakeXhr();
  const progress = vi.fn();
  const handle = uploadFile(3, file, progress, () => xhr as unknown as XMLHttpRequest);
  return { xhr, progress, handle, file };
}

describe("uploadFile", () => {
  it("posts the raw file with its name, the CSRF token and progress", async () => {
    setCsrfToken("tok");
    const { xhr, progress, handle, file } = start();
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("/api/v1/workspaces/3/uploads?filename=my%20talk.mp4");
    expect(xhr.headers["X-CSRF-Token"]).toBe("tok");
    expect(xhr.body).toBe(file);
    xhr.progress(40, 100);
    expect(progress).toHaveBeenLastCalledWith({ loaded: 40, total: 100 });
    xhr.respond(201, { id: 9, state: "ready", filename: "my talk.mp4" });
    await expect(handle.promise).resolves.toMatchObject({ id: 9 });
  });

  it("rejects with the server's message", async () => {
    const { xhr, handle } = start();
    xhr.respond(400, { error: { code: "invalid_argument", message: "not a media file FFmpeg can read", request_id: "r" } });
    await expect(handle.promise).rejects.toMatchObject({ status: 400, message: "not a media file FFmpeg can read" });
  });

  it("reports an ended session", async () => {
    const onExpired = vi.fn();
    setUnauthenticatedHandler(onExpired);
    const { xhr, handle } = start();
    xhr.respond(401, { error: { code: "unauthenticated", message: "sign in first", request_id: "r" } });
    await expect(handle.promise).rejects.toMatchObject({ code: "unauthenticated" });
    expect(onExpired).toHaveBeenCalled();
  });

  it("can be cancelled", async () => {
    const { handle } = start();
    handle.abort();
    await expect(handle.promise).rejects.toMatchObject({ code: "aborted" });
  });
});
