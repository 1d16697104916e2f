import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ScoreBreakdown } from "@/components/clips/ScoreBreakdown";
import { clip } from "@/test/fixtures";

describe("ScoreBreakdown", () => {
  it("shows the score, the reason and each component as a bar, biggest first", () => {
    render(<ScoreBreakdown clip={clip()} />);
    expect(screen.getByTestId("clip-score")).toHaveTextContent("82");
    expect(screen.getByText("Strong hook and a complete thought")).toBeInTheDocument();
    const meters = screen.getAllByRole("meter");
    expect(meters.map((m) => m.getAttribute("aria-valuenow"))).toEqual(["90", "100", "20"]);
    expect(meters[0]).toHaveAccessibleName("Hook");
    const hook = screen.getByTestId("score-component-hook");
    expect(within(hook).getByText("+22.1 pts · weight 3")).toBeInTheDocument();
    expect(within(hook).getByText("question in the first 3 s")).toBeInTheDocument();
  });
});
