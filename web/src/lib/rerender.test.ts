import { describe, expect, it } from "vitest";
import { buildRerender } from "./rerender";

const current = { style: "karaoke", duration: 20 };
const form = { style: "karaoke" as const, layout: "keep", trimStart: "", trimEnd: "" };

describe("buildRerender", () => {
  it("sends only what changed", () => {
    expect(buildRerender({ ...form, style: "boxed_word" }, current).request).toEqual({ caption_style: "boxed_word" });
    expect(buildRerender({ ...form, layout: "fit_blur" }, current).request).toEqual({ layout: "fit_blur" });
    expect(buildRerender({ ...form, trimStart: "1.25", trimEnd: "0.5" }, current).request).toEqual({
      trim_start_s: 1.25,
      trim_end_s: 0.5,
    });
  });

  it("refuses no change, negative trims and trims that leave less than a second", () => {
    expect(buildRerender(form, current).error).toMatch(/Change the caption style/);
    expect(buildRerender({ ...form, trimStart: "-1" }, current).error).toMatch(/0 or more/);
    expect(buildRerender({ ...form, trimStart: "10", trimEnd: "9.5" }, current).error).toMatch(/At least 1 s/);
  });
});
