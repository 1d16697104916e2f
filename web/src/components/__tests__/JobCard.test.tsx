import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { JobCard, mergeJob } from "@/components/jobs/JobCard";
import { Toaster } from "@/components/ui/toast";
import { job, step } from "@/test/fixtures";
import { apiError, json, mockFetch, renderWithRouter } from "@/test/utils";
import type { Job } from "@/api/types";

const jobUrl = "/api/v1/workspaces/1/jobs/7";

describe("JobCard", () => {
  it("shows a failed job's error, its failed step and a retry that calls the API", async () => {
    const user = userEvent.setup();
    const failed = job({
      state: "failed",
      finished_at_ms: Date.now(),
      error: { code: "Internal", message: "step render[1]: encoder exploded" },
      steps: [step("probe", "succeeded"), step("render[1]", "failed", { error: { code: "Internal", message: "encoder exploded" } })],
    });
    const { calls } = mockFetch({
      [`GET ${jobUrl}`]: () => json(failed),
      [`POST ${jobUrl}/retry`]: () => json({ ...failed, state: "queued", error: null }),
      "GET /api/v1/workspaces/1/jobs": () => json({ items: [], next_after: null }),
    });
    renderWithRouter(<JobCard job={failed} live={false} />);
    const card = await screen.findByRole("article");
    expect(within(card).getByTestId("job-state")).toHaveTextContent("Failed");
    expect(within(card).getByText("step render[1]: encoder exploded")).toBeInTheDocument();
    expect(await within(card).findByText(/encoder exploded$/, { selector: "li" })).toBeInTheDocument();
    expect(within(card).queryByRole("button", { name: /Cancel/ })).toBeNull();
    await user.click(within(card).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.url.endsWith("/retry"))).toBe(true));
  });

  it("shows progress, CPU time and cancel (after a confirmation) for a running job", async () => {
    const user = userEvent.setup();
    const running = job({ steps: [step("probe", "succeeded"), step("analyze", "running", { progress: 0.5 })] });
    const { calls } = mockFetch({
      [`GET ${jobUrl}`]: () => json(running),
      [`POST ${jobUrl}/cancel`]: () => apiError(409, "conflict", "job cannot go from completed to cancelled"),
      "GET /api/v1/workspaces/1/jobs": () => json({ items: [], next_after: null }),
    });
    renderWithRouter(
      <>
        <JobCard job={running} live={false} />
        <Toaster />
      </>,
    );
    const card = await screen.findByRole("article");
    await waitFor(() => expect(within(card).getByTestId("job-percent")).toHaveTextContent("75%"));
    expect(within(card).getByTestId("job-cpu")).toHaveTextContent("13 s");
    expect(within(card).getByTestId("job-eta")).toHaveTextContent("estimating");
    await user.click(within(card).getByRole("button", { name: "Cancel" }));
    await user.click(await screen.findByRole("button", { name: "Cancel job" }));
    await waitFor(() => expect(calls.some((c) => c.url.endsWith("/cancel"))).toBe(true));
    expect(await screen.findByText(/job cannot go from completed to cancelled \(request req_test\)/)).toBeInTheDocument();
  });

  it("viewers see no controls", async () => {
    mockFetch({ [`GET ${jobUrl}`]: () => json(job()) });
    renderWithRouter(<JobCard job={job()} live={false} />, { role: "viewer" });
    const card = await screen.findByRole("article");
    expect(within(card).queryByRole("button", { name: /Pause|Cancel|Retry/ })).toBeNull();
  });
});

describe("mergeJob", () => {
  it("takes the newer of summary and detail, keeping the detail's steps", () => {
    const detail = job({ updated_at_ms: 10, state: "running", steps: [step("probe", "running")] }) as Job;
    const newer = job({ updated_at_ms: 20, state: "completed" });
    expect(mergeJob(newer, detail).state).toBe("completed");
    expect(mergeJob(newer, detail).steps).toHaveLength(1);
    expect(mergeJob(job({ updated_at_ms: 5 }), detail)).toBe(detail);
  });
});
