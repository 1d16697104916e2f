// The re-render request of the clip editor: only what the user changed, and trims that leave
// at least a second (the API's rule).
import type { CaptionStyle, PatchClipRequest } from "@/api/types";

export interface RerenderForm {
  style: CaptionStyle;
  layout: string; // "keep" or a layout
  trimStart: string;
  trimEnd: string;
}

export function buildRerender(
  form: RerenderForm,
  current: { style: string; duration: number },
): { request: PatchClipRequest; error: null } | { request: null; error: string } {
  const request: PatchClipRequest = {};
  if (form.style !== current.style) request.caption_style = form.style;
  if (form.layout !== "keep") request.layout = form.layout as NonNullable<PatchClipRequest["layout"]>;
  const start = form.trimStart.trim() === "" ? 0 : Number(form.trimStart);
  const end = form.trimEnd.trim() === "" ? 0 : Number(form.trimEnd);
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < 0) {
    return { request: null, error: "Trims are seconds, 0 or more." };
  }
  if (start + end > 0 && current.duration > 0 && current.duration - start - end < 1) {
    return { request: null, error: `At least 1 s must remain of the ${current.duration.toFixed(1)} s clip.` };
  }
  if (start > 0) request.trim_start_s = Math.round(start * 1000) / 1000;
  if (end > 0) request.trim_end_s = Math.round(end * 1000) / 1000;
  if (Object.keys(request).length === 0) {
    return { request: null, error: "Change the caption style, the layout or a trim first." };
  }
  return { request, error: null };
}
