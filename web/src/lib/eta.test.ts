import { describe, expect, it } from "vitest";
import { addSample, estimateEtaSeconds, jobFraction, type ProgressSample } from "./eta";

describe("estimateEtaSeconds", () => {
  it("extrapolates the observed rate", () => {
    let s: ProgressSample[] = [];
    s = addSample(s, { t: 0, f: 0.1 });
    s = addSample(s, { t: 10_000, f: 0.3 }); // 0.02 per second
    expect(estimateEtaSeconds(s, 10_000)).toBeCloseTo(35, 5);
    expect(estimateEtaSeconds(s, 15_000)).toBeCloseTo(30, 5); // time passes since the last sample
  });

  it("says nothing until there is a rate", () => {
    expect(estimateEtaSeconds([], 0)).toBeNull();
    expect(estimateEtaSeconds([{ t: 0, f: 0.5 }], 1000)).toBeNull();
    expect(estimateEtaSeconds([{ t: 0, f: 0.5 }, { t: 500, f: 0.6 }], 500)).toBeNull(); // < 2 s span
    expect(estimateEtaSeconds([{ t: 0, f: 0.5 }, { t: 5000, f: 0.5 }], 5000)).toBeNull(); // no progress
  });

  it("starts over when the fraction drops (steps were added)", () => {
    let s: ProgressSample[] = [{ t: 0, f: 0.2 }, { t: 5000, f: 0.6 }];
    s = addSample(s, { t: 6000, f: 0.4 });
    expect(s).toEqual([{ t: 6000, f: 0.4 }]);
  });

  it("keeps a sliding window", () => {
    let s: ProgressSample[] = [];
    for (let t = 0; t <= 120_000; t += 10_000) s = addSample(s, { t, f: t / 200_000 }, 60_000);
    expect(s[0]!.t).toBe(60_000);
  });

  it("is 0 when done", () => {
    expect(estimateEtaSeconds([{ t: 0, f: 0.5 }, { t: 5000, f: 1 }], 5000)).toBe(0);
  });
});

describe("jobFraction", () => {
  it("counts done steps and the progress of running ones", () => {
    const steps = [
      { state: "succeeded", progress: 1 },
      { state: "skipped", progress: 0 },
      { state: "running", progress: 0.5 },
      { state: "pending", progress: 0 },
    ];
    expect(jobFraction(steps, "running")).toBeCloseTo(0.625);
    expect(jobFraction(undefined, "queued")).toBe(0);
    expect(jobFraction(undefined, "completed")).toBe(1);
  });
});
