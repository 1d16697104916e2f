import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { Transcript } from "@/components/clips/Transcript";

const words = [
  { text: "Latency", start: 0.1, end: 0.6 },
  { text: "is", start: 0.6, end: 0.8 },
  { text: "budget", start: 1.0, end: 1.5 },
];

describe("Transcript", () => {
  it("highlights the word spoken at the current time", () => {
    const { rerender } = render(<Transcript words={words} time={0.7} onSeek={() => {}} />);
    expect(screen.getByText("is")).toHaveAttribute("aria-current", "true");
    expect(screen.getByText("Latency")).not.toHaveAttribute("aria-current");
    rerender(<Transcript words={words} time={1.2} onSeek={() => {}} />);
    expect(screen.getByText("budget")).toHaveAttribute("aria-current", "true");
    rerender(<Transcript words={words} time={0.9} onSeek={() => {}} />);
    expect(document.querySelector('[aria-current="true"]')).toBeNull();
  });

  it("seeks to a clicked word", async () => {
    const onSeek = vi.fn();
    render(<Transcript words={words} time={0} onSeek={onSeek} />);
    await userEvent.click(screen.getByText("budget"));
    expect(onSeek).toHaveBeenCalledWith(1.0);
  });

  it("says when there are no words", () => {
    render(<Transcript words={[]} time={0} onSeek={() => {}} />);
    expect(screen.getByText(/no transcribed words/)).toBeInTheDocument();
  });
});
