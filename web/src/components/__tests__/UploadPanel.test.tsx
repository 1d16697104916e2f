import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "@/api/client";
import type { Upload } from "@/api/types";
import type { UploadProgress } from "@/api/upload";
import { UploadPanel } from "@/components/newjob/UploadPanel";
import { renderWithProviders } from "@/test/utils";

function fakeUploader() {
  let report: (p: UploadProgress) => void = () => {};
  let resolve: (u: Upload) => void = () => {};
  let reject: (e: unknown) => void = () => {};
  const abort = vi.fn(() => reject(new ApiError(0, "aborted", "Upload cancelled")));
  const uploader = vi.fn((_w: number, _f: File, onProgress: (p: UploadProgress) => void) => {
    report = onProgress;
    return {
      promise: new Promise<Upload>((res, rej) => {
        resolve = res;
        reject = rej;
      }),
      abort,
    };
  });
  return { uploader, abort, progress: (p: UploadProgress) => act(() => report(p)), resolve: (u: Upload) => act(() => resolve(u)), reject: (e: unknown) => act(() => reject(e)) };
}

const file = () => new File([new Uint8Array(2048)], "talk.mp4", { type: "video/mp4" });

describe("UploadPanel", () => {
  it("shows a progress bar and hands over the stored upload", async () => {
    const user = userEvent.setup();
    const f = fakeUploader();
    const onUploaded = vi.fn();
    renderWithProviders(<UploadPanel workspace={1} onUploaded={onUploaded} uploader={f.uploader} />);
    await user.upload(screen.getByLabelText(/Choose a video or audio file/), file());
    expect(f.uploader).toHaveBeenCalledWith(1, expect.any(File), expect.any(Function));
    f.progress({ loaded: 1024, total: 2048 });
    expect(screen.getByRole("progressbar", { name: "Upload progress" })).toHaveAttribute("aria-valuenow", "50");
    expect(screen.getByTestId("upload-status")).toHaveTextContent("1.0 KB of 2.0 KB (50%)");
    await f.resolve({ id: 4, workspace_id: 1, filename: "talk.mp4", size_bytes: 2048, state: "ready", created_at_ms: 0, source_url: "" });
    await waitFor(() => expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ id: 4 })));
  });

  it("can be cancelled", async () => {
    const user = userEvent.setup();
    const f = fakeUploader();
    renderWithProviders(<UploadPanel workspace={1} onUploaded={() => {}} uploader={f.uploader} />);
    await user.upload(screen.getByLabelText(/Choose a video or audio file/), file());
    f.progress({ loaded: 10, total: 2048 });
    await user.click(screen.getByRole("button", { name: "Cancel upload" }));
    expect(f.abort).toHaveBeenCalled();
    expect(await screen.findByText("Upload of talk.mp4 cancelled.")).toBeInTheDocument();
  });

  it("shows the server's error", async () => {
    const user = userEvent.setup();
    const f = fakeUploader();
    renderWithProviders(<UploadPanel workspace={1} onUploaded={() => {}} uploader={f.uploader} />);
    await user.upload(screen.getByLabelText(/Choose a video or audio file/), file());
    await f.reject(new ApiError(413, "too_large", "uploads are limited to 500 bytes", "req_2"));
    expect(await screen.findByRole("alert")).toHaveTextContent("uploads are limited to 500 bytes");
  });
});
