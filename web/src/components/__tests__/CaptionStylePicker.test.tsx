import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { CaptionStyle } from "@/api/types";
import { CaptionStylePicker } from "@/components/CaptionStylePicker";

function Harness() {
  const [v, setV] = useState<CaptionStyle>("highlight_word");
  return (
    <>
      <span id="lbl">Caption style</span>
      <CaptionStylePicker value={v} onChange={setV} labelledBy="lbl" />
      <output data-testid="value">{v}</output>
    </>
  );
}

describe("CaptionStylePicker", () => {
  it("is a labelled radio group with a preview image per style", () => {
    render(<Harness />);
    const group = screen.getByRole("radiogroup", { name: "Caption style" });
    expect(group).toBeInTheDocument();
    expect(screen.getAllByRole("radio")).toHaveLength(6);
    expect(screen.getByRole("radio", { name: "Highlight word" })).toBeChecked();
    expect(document.querySelector('img[src="/styles/karaoke.png"]')).not.toBeNull();
  });

  it("changes with a click and with the arrow keys", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole("radio", { name: "Karaoke" }));
    expect(screen.getByTestId("value")).toHaveTextContent("karaoke");
    // Held like a person would: Radix selects on the focus that an arrow key causes.
    await user.keyboard("{ArrowRight>}");
    await user.keyboard("{/ArrowRight}");
    expect(screen.getByTestId("value")).toHaveTextContent("pop_in");
    expect(screen.getByRole("radio", { name: "Pop in" })).toHaveFocus();
  });
});
