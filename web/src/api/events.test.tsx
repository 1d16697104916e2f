import { act, renderHook } from "@testing-library/react";
import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { job, step } from "@/test/fixtures";
import { testQueryClient } from "@/test/utils";
import { applyProgress, useJobEvents } from "./events";
import { keys } from "./queries";
import type { Job } from "./types";

class FakeEventSource {
  static last: FakeEventSource | null = null;
  readyState = 0;
  listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(public url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: unknown) {
    for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

function setup(initial: Job) {
  const client = testQueryClient();
  client.setQueryData(keys.job(1, initial.id), initial);
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  const factory = (url: string) => new FakeEventSource(url) as unknown as EventSource;
  const hook = renderHook(({ enabled }) => useJobEvents(1, initial.id, enabled, factory), {
    wrapper,
    initialProps: { enabled: true },
  });
  return { client, hook, es: FakeEventSource.last! };
}

describe("applyProgress", () => {
  it("patches the step's progress and message", () => {
    const j = job({ state: "queued", steps: [step("probe", "succeeded"), step("render[0]", "pending")] });
    const next = applyProgress(j, { job_id: 7, step: "render[0]", fraction: 0.25, message: "frame 10/40" });
    expect(next?.state).toBe("running");
    expect(next?.steps?.[1]).toMatchObject({ state: "running", progress: 0.25, progress_message: "frame 10/40" });
    expect(applyProgress(j, { job_id: 7, step: "render[9]", fraction: 0.5, message: "" })).toBeNull();
  });
});

describe("useJobEvents", () => {
  it("subscribes to the job's stream and applies progress to the cache", () => {
    const { client, hook, es } = setup(job({ steps: [step("analyze", "running")] }));
    expect(es.url).toBe("/api/v1/workspaces/1/jobs/7/events");
    expect(hook.result.current.status).toBe("connecting");
    act(() => es.onopen?.());
    expect(hook.result.current.status).toBe("open");
    act(() => es.emit("progress", { job_id: 7, step: "analyze", fraction: 0.6, message: "video + audio" }));
    expect(client.getQueryData<Job>(keys.job(1, 7))?.steps?.[0]).toMatchObject({ progress: 0.6, progress_message: "video + audio" });
  });

  it("refreshes the job on stored events and closes on the final one", async () => {
    vi.useFakeTimers();
    const { client, hook, es } = setup(job({ steps: [step("probe", "running")] }));
    const invalidate = vi.spyOn(client, "invalidateQueries");
    act(() => es.emit("step_succeeded", { id: 3, job_id: 7, step: "probe", type: "step_succeeded", message: "", at_ms: 1 }));
    expect(invalidate).not.toHaveBeenCalled(); // batched
    await act(async () => {
      vi.advanceTimersByTime(300);
    });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: keys.job(1, 7) });
    act(() => es.emit("job_completed", { id: 9, job_id: 7, step: "", type: "job_completed", message: "", at_ms: 2 }));
    expect(es.closed).toBe(true);
    expect(hook.result.current.status).toBe("closed");
    expect(hook.result.current.lastEvent?.type).toBe("job_completed");
    vi.useRealTimers();
  });

  it("asks who we are when the stream is refused", () => {
    const { client, hook, es } = setup(job());
    const invalidate = vi.spyOn(client, "invalidateQueries");
    act(() => {
      es.readyState = 2;
      es.onerror?.();
    });
    expect(hook.result.current.status).toBe("error");
    expect(invalidate).toHaveBeenCalledWith({ queryKey: keys.me });
  });

  it("closes the stream when disabled", () => {
    const { hook, es } = setup(job());
    hook.rerender({ enabled: false });
    expect(es.closed).toBe(true);
    expect(hook.result.current.status).toBe("idle");
  });
});
