// Friendly names for the schemas of api/openapi.yaml (src/api/schema.ts is generated from it by
// `npm run gen:api`; do not edit that file by hand).
import type { components } from "./schema";

type S = components["schemas"];

export type User = S["User"];
export type Workspace = S["Workspace"];
export type Role = Workspace["role"];
export type Login = S["Login"];
export type Me = S["Me"];
export type ApiToken = S["ApiToken"];
export type NewApiToken = S["NewApiToken"];
export type Member = S["Member"];
export type Upload = S["Upload"];
export type MediaInfo = S["MediaInfo"];
export type Job = S["Job"];
export type JobState = Job["state"];
export type Step = S["Step"];
export type StepState = Step["state"];
export type JobEvent = S["JobEvent"];
export type JobEventType = JobEvent["type"];
export type ProgressEvent = S["ProgressEvent"];
export type CreateJobRequest = S["CreateJobRequest"];
export type Clip = S["Clip"];
export type ScoreComponent = S["ScoreComponent"];
export type Review = S["Review"];
export type RejectReason = Exclude<Review["reason"], "">;
export type PatchClipRequest = S["PatchClipRequest"];
export type CreateReviewRequest = S["CreateReviewRequest"];
export type Brand = S["Brand"];
export type BrandSettings = S["BrandSettings"];
export type AddMemberRequest = S["AddMemberRequest"];
export type ErrorBody = S["Error"];

export interface Page<T> {
  items: T[];
  next_after?: number | null;
}

export type CaptionStyle = NonNullable<CreateJobRequest["caption_style"]>;
export type Layout = NonNullable<CreateJobRequest["layout"]>;
export type Aspect = NonNullable<CreateJobRequest["aspect"]>;

export const CAPTION_STYLES: { value: CaptionStyle; label: string; hint: string }[] = [
  { value: "highlight_word", label: "Highlight word", hint: "a few words, the spoken one coloured" },
  { value: "karaoke", label: "Karaoke", hint: "words fill with colour as they are sung" },
  { value: "pop_in", label: "Pop in", hint: "each word pops in as it is said" },
  { value: "bounce", label: "Bounce", hint: "the spoken word bounces" },
  { value: "boxed_word", label: "Boxed word", hint: "the spoken word on a coloured box" },
  { value: "minimal", label: "Minimal", hint: "plain white subtitles" },
];

export const LAYOUTS: { value: Layout; label: string; hint: string }[] = [
  { value: "auto", label: "Auto", hint: "per shot: fill, or split for two speakers" },
  { value: "fill", label: "Fill", hint: "crop to the subject" },
  { value: "fit_blur", label: "Fit + blur", hint: "the whole frame over a blurred fill" },
  { value: "split", label: "Split", hint: "two speakers stacked" },
];

export const ASPECTS: { value: Aspect; label: string }[] = [
  { value: "9:16", label: "9:16 vertical" },
  { value: "1:1", label: "1:1 square" },
  { value: "4:5", label: "4:5 portrait" },
  { value: "16:9", label: "16:9 landscape" },
];

export const REJECT_REASONS: { value: RejectReason; label: string }[] = [
  { value: "bad_hook", label: "Bad hook" },
  { value: "cut_mid_thought", label: "Cut mid-thought" },
  { value: "wrong_speaker_framed", label: "Wrong speaker framed" },
  { value: "caption_errors", label: "Caption errors" },
  { value: "boring", label: "Boring" },
  { value: "off_brand", label: "Off brand" },
  { value: "audio_problem", label: "Audio problem" },
  { value: "duplicate", label: "Duplicate" },
  { value: "other", label: "Other" },
];

export const ROLES: Role[] = ["viewer", "editor", "admin", "owner"];

export const FINISHED_JOB_STATES: readonly JobState[] = ["completed", "failed", "cancelled"];
export function isFinished(state: JobState | "unknown"): boolean {
  return state === "completed" || state === "failed" || state === "cancelled";
}
