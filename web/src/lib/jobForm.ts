// The new-job form: its values as typed, validation, and the API request it becomes.
import type { Aspect, BrandSettings, CaptionStyle, CreateJobRequest, Layout } from "@/api/types";

export interface JobForm {
  clips: string;
  min_s: string;
  max_s: string;
  aspect: Aspect;
  layout: Layout;
  caption_style: CaptionStyle;
  brand_id: string; // "" = none
  topic: string; // comma- or newline-separated words
  size: string; // "" = from the aspect, "WxH" = a preset, "custom"
  width: string;
  height: string;
}

export const DEFAULT_JOB_FORM: JobForm = {
  clips: "5",
  min_s: "15",
  max_s: "60",
  aspect: "9:16",
  layout: "auto",
  caption_style: "highlight_word",
  brand_id: "",
  topic: "",
  size: "",
  width: "",
  height: "",
};

const FULL: Record<Aspect, [number, number]> = {
  "9:16": [1080, 1920],
  "1:1": [1080, 1080],
  "4:5": [1080, 1350],
  "16:9": [1920, 1080],
};

const even = (n: number) => Math.max(64, Math.round(n / 2) * 2);

/** Smaller output sizes of an aspect ("WxH"), for quick previews. */
export function sizePresets(aspect: Aspect): { value: string; label: string }[] {
  const [w, h] = FULL[aspect];
  return [2 / 3, 1 / 3, 1 / 6].map((k) => {
    const pw = even(w * k);
    const ph = even(h * k);
    return { value: `${pw}x${ph}`, label: `${pw}×${ph}` };
  });
}

export function fullSize(aspect: Aspect): string {
  const [w, h] = FULL[aspect];
  return `${w}×${h}`;
}

export function parseTopic(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .slice(0, 20);
}

export type JobFormErrors = Partial<Record<keyof JobForm | "upload", string>>;

function num(text: string): number | null {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** The request for the form, or what is wrong with it (field by field). */
export function buildJobRequest(
  form: JobForm,
  uploadId: number | null,
): { request: CreateJobRequest; errors: null } | { request: null; errors: JobFormErrors } {
  const errors: JobFormErrors = {};
  if (!uploadId) errors.upload = "Upload a video or choose an earlier upload first.";
  const clips = num(form.clips);
  if (clips === null || !Number.isInteger(clips) || clips < 1 || clips > 50) errors.clips = "A whole number from 1 to 50.";
  const min = num(form.min_s);
  const max = num(form.max_s);
  if (min === null || min < 1 || min > 600) errors.min_s = "Seconds, from 1 to 600.";
  if (max === null || max < 1 || max > 600) errors.max_s = "Seconds, from 1 to 600.";
  else if (min !== null && max < min) errors.max_s = "At least the shortest length.";
  let width: number | undefined;
  let height: number | undefined;
  if (form.size === "custom") {
    const w = num(form.width);
    const h = num(form.height);
    const ok = (v: number | null) => v !== null && Number.isInteger(v) && v >= 64 && v <= 4096 && v % 2 === 0;
    if (!ok(w)) errors.width = "An even number of pixels, 64 to 4096.";
    if (!ok(h)) errors.height = "An even number of pixels, 64 to 4096.";
    width = w ?? undefined;
    height = h ?? undefined;
  } else if (form.size) {
    const m = /^(\d+)x(\d+)$/.exec(form.size);
    if (m) {
      width = Number(m[1]);
      height = Number(m[2]);
    }
  }
  const topic = parseTopic(form.topic);
  if (topic.some((t) => t.length > 100)) errors.topic = "Each topic word or phrase at most 100 characters.";
  if (Object.keys(errors).length > 0) return { request: null, errors };
  const request: CreateJobRequest = {
    kind: "clip",
    upload_id: uploadId!,
    clips: clips!,
    min_s: min!,
    max_s: max!,
    aspect: form.aspect,
    layout: form.layout,
    caption_style: form.caption_style,
  };
  if (width && height) {
    request.width = width;
    request.height = height;
  }
  if (topic.length > 0) request.topic = topic;
  if (form.brand_id) request.brand_id = Number(form.brand_id);
  return { request, errors: null };
}

/** The form with a brand's defaults applied (what the brand leaves out stays as it was). */
export function applyBrandDefaults(form: JobForm, settings: BrandSettings | undefined): JobForm {
  if (!settings) return form;
  const next = { ...form };
  if (settings.clips != null) next.clips = String(settings.clips);
  if (settings.min_s != null) next.min_s = String(settings.min_s);
  if (settings.max_s != null) next.max_s = String(settings.max_s);
  if (settings.aspect) next.aspect = settings.aspect;
  if (settings.caption_style) next.caption_style = settings.caption_style as CaptionStyle;
  return next;
}
