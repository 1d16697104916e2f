import { describe, expect, it } from "vitest";
import { brandToForm, formToSettings } from "./brandForm";

describe("brand form", () => {
  it("round-trips the settings", () => {
    const settings = {
      niche: "cooking",
      font: "Inter",
      colors: { primary: "#112233", secondary: "#445566", text: "#FFFFFF", background: "#000000" },
      logo_upload_id: 5,
      watermark_upload_id: 6,
      caption_style: "karaoke",
      aspect: "1:1" as const,
      clips: 4,
      min_s: 10,
      max_s: 40,
      min_score: 60,
      auto_approve: true,
    };
    const r = formToSettings(brandToForm("Chef", settings), settings);
    expect(r.errors).toBeNull();
    expect(r.settings).toEqual(settings);
  });

  it("leaves out what is empty", () => {
    const r = formToSettings(brandToForm("New", {}));
    expect(r.settings).not.toHaveProperty("niche");
    expect(r.settings).not.toHaveProperty("clips");
    expect(r.settings?.auto_approve).toBe(false);
  });

  it("reports bad values", () => {
    const f = brandToForm("", {});
    f.colors.primary = "red";
    f.clips = "0";
    f.min_s = "30";
    f.max_s = "10";
    const r = formToSettings(f);
    expect(r.settings).toBeNull();
    expect(Object.keys(r.errors ?? {}).sort()).toEqual(["clips", "color_primary", "max_s", "name"]);
  });
});
