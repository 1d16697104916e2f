import { describe, expect, it } from "vitest";
import { formatBytes, formatClock, formatDuration, humanize } from "./format";

describe("format", () => {
  it("formats media times", () => {
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(65.4)).toBe("1:05");
    expect(formatClock(3723)).toBe("1:02:03");
    expect(formatClock(NaN)).toBe("0:00");
  });
  it("formats durations", () => {
    expect(formatDuration(4.25)).toBe("4.3 s");
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(125)).toBe("2 min 05 s");
    expect(formatDuration(3840)).toBe("1 h 04 min");
    expect(formatDuration(-1)).toBe("—");
  });
  it("formats sizes and codes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(1415790)).toBe("1.4 MB");
    expect(humanize("cut_mid_thought")).toBe("Cut mid thought");
  });
});
