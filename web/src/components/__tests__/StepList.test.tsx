import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StepList } from "@/components/jobs/StepList";
import { step } from "@/test/fixtures";

describe("StepList", () => {
  it("shows running progress and failed steps' errors", () => {
    render(
      <StepList
        now={10_000}
        steps={[
          step("probe", "succeeded", { duration_ms: 120, cpu_seconds: 0.1 }),
          step("render[0]", "running", { progress: 0.42, progress_message: "frame 42/100", started_at_ms: 4_000 }),
          step("render[1]", "failed", { attempts: 3, error: { code: "Internal", message: "encoder exploded" } }),
          step("package", "pending"),
        ]}
      />,
    );
    const running = screen.getByTestId("step-render[0]");
    expect(within(running).getByRole("progressbar", { name: "Render [0] progress" })).toHaveAttribute("aria-valuenow", "42");
    expect(within(running).getByText("frame 42/100")).toBeInTheDocument();
    expect(within(running).getByText("6.0 s")).toBeInTheDocument();
    const failed = screen.getByTestId("step-render[1]");
    expect(within(failed).getByRole("alert")).toHaveTextContent("Internal: encoder exploded");
    expect(within(failed).getByText(/attempt 3 of 3/)).toBeInTheDocument();
    expect(screen.getByTestId("step-package")).toHaveTextContent("waiting");
  });

  it("marks a step whose retry is scheduled", () => {
    render(<StepList steps={[step("analyze", "pending", { attempts: 1, error: { code: "Unavailable", message: "disk busy" } })]} />);
    expect(screen.getByText("retry scheduled")).toBeInTheDocument();
    expect(screen.getByText(/disk busy/)).toBeInTheDocument();
  });
});
