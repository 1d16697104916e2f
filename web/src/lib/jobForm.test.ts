import { describe, expect, it } from "vitest";
import { applyBrandDefaults, buildJobRequest, DEFAULT_JOB_FORM, parseTopic, sizePresets } from "./jobForm";

describe("buildJobRequest", () => {
  it("builds the API request", () => {
    const r = buildJobRequest(
      { ...DEFAULT_JOB_FORM, clips: "2", min_s: "8", max_s: "30", size: "180x320", topic: "pricing, churn ,", brand_id: "4" },
      12,
    );
    expect(r.errors).toBeNull();
    expect(r.request).toEqual({
      kind: "clip",
      upload_id: 12,
      clips: 2,
      min_s: 8,
      max_s: 30,
      aspect: "9:16",
      layout: "auto",
      caption_style: "highlight_word",
      width: 180,
      height: 320,
      topic: ["pricing", "churn"],
      brand_id: 4,
    });
  });

  it("leaves the size to the aspect by default", () => {
    const r = buildJobRequest(DEFAULT_JOB_FORM, 1);
    expect(r.request).not.toHaveProperty("width");
    expect(r.request).not.toHaveProperty("topic");
    expect(r.request).not.toHaveProperty("brand_id");
  });

  it("says what is wrong, field by field", () => {
    const r = buildJobRequest({ ...DEFAULT_JOB_FORM, clips: "0", min_s: "40", max_s: "20", size: "custom", width: "181", height: "" }, null);
    expect(r.request).toBeNull();
    expect(Object.keys(r.errors ?? {}).sort()).toEqual(["clips", "height", "max_s", "upload", "width"]);
  });
});

describe("sizePresets", () => {
  it("gives even sizes of the aspect", () => {
    expect(sizePresets("9:16").map((p) => p.value)).toEqual(["720x1280", "360x640", "180x320"]);
    for (const a of ["1:1", "4:5", "16:9"] as const) {
      for (const p of sizePresets(a)) {
        const [w, h] = p.value.split("x").map(Number);
        expect(w! % 2).toBe(0);
        expect(h! % 2).toBe(0);
      }
    }
  });
});

describe("brand defaults", () => {
  it("apply what the brand sets and keep the rest", () => {
    const f = applyBrandDefaults(DEFAULT_JOB_FORM, { clips: 3, aspect: "1:1", caption_style: "karaoke" });
    expect(f).toMatchObject({ clips: "3", aspect: "1:1", caption_style: "karaoke", min_s: "15", max_s: "60" });
    expect(applyBrandDefaults(DEFAULT_JOB_FORM, undefined)).toBe(DEFAULT_JOB_FORM);
  });
});

describe("parseTopic", () => {
  it("splits on commas and new lines", () => {
    expect(parseTopic(" a, b\nc ,, ")).toEqual(["a", "b", "c"]);
  });
});
