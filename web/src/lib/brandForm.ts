// The brand kit editor's values as typed, and the settings object the API takes.
import type { Aspect, BrandSettings, CaptionStyle } from "@/api/types";

export interface BrandForm {
  name: string;
  niche: string;
  font: string;
  colors: { primary: string; secondary: string; text: string; background: string };
  logo_upload_id: number | null;
  caption_style: CaptionStyle | "";
  aspect: Aspect | "";
  clips: string;
  min_s: string;
  max_s: string;
  min_score: string;
  auto_approve: boolean;
}

export const COLOR_KEYS = ["primary", "secondary", "text", "background"] as const;
const DEFAULT_COLORS = { primary: "#4F46E5", secondary: "#F59E0B", text: "#FFFFFF", background: "#111827" };

export function brandToForm(name: string, s: BrandSettings): BrandForm {
  return {
    name,
    niche: s.niche ?? "",
    font: s.font ?? "",
    colors: { ...DEFAULT_COLORS, ...(s.colors ?? {}) },
    logo_upload_id: s.logo_upload_id ?? null,
    caption_style: (s.caption_style as CaptionStyle | undefined) ?? "",
    aspect: s.aspect ?? "",
    clips: s.clips != null ? String(s.clips) : "",
    min_s: s.min_s != null ? String(s.min_s) : "",
    max_s: s.max_s != null ? String(s.max_s) : "",
    min_score: s.min_score != null ? String(s.min_score) : "",
    auto_approve: s.auto_approve ?? false,
  };
}

export const isHexColor = (v: string) => /^#[0-9a-fA-F]{6}$/.test(v);

export type BrandErrors = Partial<Record<string, string>>;

/** Settings for PATCH/POST (a PATCH replaces them all), keeping what the form had no field for. */
export function formToSettings(
  f: BrandForm,
  keep: BrandSettings = {},
): { settings: BrandSettings; errors: null } | { settings: null; errors: BrandErrors } {
  const errors: BrandErrors = {};
  if (!f.name.trim()) errors.name = "A brand needs a name.";
  for (const k of COLOR_KEYS) if (!isHexColor(f.colors[k])) errors[`color_${k}`] = "A colour like #1A2B3C.";
  const settings: BrandSettings = {};
  if (keep.watermark_upload_id != null) settings.watermark_upload_id = keep.watermark_upload_id;
  if (f.niche.trim()) settings.niche = f.niche.trim();
  if (f.font.trim()) settings.font = f.font.trim();
  settings.colors = { ...f.colors };
  if (f.logo_upload_id != null) settings.logo_upload_id = f.logo_upload_id;
  if (f.caption_style) settings.caption_style = f.caption_style;
  if (f.aspect) settings.aspect = f.aspect;
  const n = (key: "clips" | "min_s" | "max_s" | "min_score", lo: number, hi: number, int = false) => {
    const t = f[key].trim();
    if (!t) return;
    const v = Number(t);
    if (!Number.isFinite(v) || v < lo || v > hi || (int && !Number.isInteger(v))) {
      errors[key] = `${int ? "A whole number" : "A number"} from ${lo} to ${hi}.`;
      return;
    }
    settings[key] = v;
  };
  n("clips", 1, 50, true);
  n("min_s", 1, 600);
  n("max_s", 1, 600);
  n("min_score", 0, 100);
  if (settings.min_s != null && settings.max_s != null && settings.max_s < settings.min_s) {
    errors.max_s = "At least the shortest length.";
  }
  settings.auto_approve = f.auto_approve;
  if (Object.keys(errors).length > 0) return { settings: null, errors };
  return { settings, errors: null };
}
