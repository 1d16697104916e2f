import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ReviewPanel } from "@/components/clips/ReviewPanel";
import { clip } from "@/test/fixtures";
import { apiError, json, mockFetch, renderWithProviders } from "@/test/utils";

const reviewsUrl = "/api/v1/workspaces/1/clips/7-1/reviews";

describe("ReviewPanel", () => {
  it("needs a reason to reject, then posts decision, reason and comment", async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      [`GET ${reviewsUrl}`]: () => json({ items: [] }),
      [`POST ${reviewsUrl}`]: (_u, init) =>
        json({ id: 1, clip_id: "7-1", user_id: 1, created_at_ms: 1, ...JSON.parse(String(init.body)) }, 201),
      "GET /api/v1/workspaces/1/clips/7-1": () => json(clip()),
    });
    renderWithProviders(<ReviewPanel workspace={1} clip={clip()} canEdit />);
    await user.click(screen.getByRole("button", { name: "Reject" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Choose why the clip is rejected.");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.click(screen.getByRole("combobox", { name: "Reason (to reject)" }));
    await user.click(await screen.findByRole("option", { name: "Caption errors" }));
    await user.type(screen.getByLabelText("Comment (optional)"), "typo in the second line");
    await user.click(screen.getByRole("button", { name: "Reject" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "POST")).toHaveLength(1));
    const post = calls.find((c) => c.method === "POST")!;
    expect(JSON.parse(String(post.init.body))).toEqual({
      decision: "reject",
      reason: "caption_errors",
      comment: "typo in the second line",
    });
  });

  it("approves without a reason and shows the API's error", async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch({
      [`GET ${reviewsUrl}`]: () => json({ items: [] }),
      [`POST ${reviewsUrl}`]: () => apiError(403, "forbidden", "this needs the editor role; you are viewer"),
    });
    renderWithProviders(<ReviewPanel workspace={1} clip={clip()} canEdit />);
    await user.click(screen.getByRole("button", { name: "Approve" }));
    expect(await screen.findByText("this needs the editor role; you are viewer")).toBeInTheDocument();
    expect(JSON.parse(String(calls.find((c) => c.method === "POST")!.init.body))).toEqual({ decision: "approve" });
  });

  it("shows the current decision and the history; viewers cannot decide", async () => {
    mockFetch({
      [`GET ${reviewsUrl}`]: () =>
        json({ items: [{ id: 1, clip_id: "7-1", user_id: 2, decision: "reject", reason: "boring", comment: "meh", created_at_ms: Date.now() }] }),
    });
    const review = { id: 1, clip_id: "7-1", user_id: 2, decision: "reject" as const, reason: "boring" as const, comment: "meh", created_at_ms: 1 };
    renderWithProviders(<ReviewPanel workspace={1} clip={clip({ review })} canEdit={false} />, { role: "viewer" });
    expect(screen.getByTestId("review-state")).toHaveTextContent("Rejected: Boring");
    expect(screen.queryByRole("button", { name: "Approve" })).toBeNull();
    expect(await screen.findByText("meh")).toBeInTheDocument();
  });
});
