// One function per API operation used by the UI (paths and bodies as in api/openapi.yaml).
import { http } from "./client";
import type {
  AddMemberRequest,
  ApiToken,
  Brand,
  BrandSettings,
  Clip,
  CreateJobRequest,
  CreateReviewRequest,
  Job,
  JobState,
  Login,
  Me,
  Member,
  NewApiToken,
  PatchClipRequest,
  Review,
  Role,
  Upload,
} from "./types";

export const V1 = "/api/v1";
export const ws = (id: number) => `${V1}/workspaces/${id}`;
const q = encodeURIComponent;

export interface Timeline {
  version: number;
  output: { width?: number; height?: number; fps?: string | number };
  captions?: { style?: string; words?: { text: string; start: string | number; end: string | number }[] } | null;
  segments: unknown[];
}

export const api = {
  login: (email: string, password: string) => http.post<Login>(`${V1}/auth/login`, { email, password }),
  logout: () => http.post<void>(`${V1}/auth/logout`),
  me: () => http.get<Me>(`${V1}/auth/me`),

  listJobs: (w: number, opts: { after?: number; limit?: number; state?: JobState } = {}) => {
    const params = new URLSearchParams();
    if (opts.after) params.set("after", String(opts.after));
    if (opts.limit) params.set("limit", String(opts.limit));
    if (opts.state) params.set("state", opts.state);
    const s = params.toString();
    return http.get<{ items: Job[]; next_after: number | null }>(`${ws(w)}/jobs${s ? "?" + s : ""}`);
  },
  getJob: (w: number, id: number) => http.get<Job>(`${ws(w)}/jobs/${id}`),
  createJob: (w: number, body: CreateJobRequest, idempotencyKey: string) =>
    http.post<Job>(`${ws(w)}/jobs`, body, { headers: { "Idempotency-Key": idempotencyKey } }),
  jobAction: (w: number, id: number, action: "cancel" | "retry" | "pause" | "resume") =>
    http.post<Job>(`${ws(w)}/jobs/${id}/${action}`),
  jobEventsUrl: (w: number, id: number) => `${ws(w)}/jobs/${id}/events`,

  listUploads: (w: number) => http.get<{ items: Upload[]; next_after?: number }>(`${ws(w)}/uploads?limit=100`),
  getUpload: (w: number, id: number) => http.get<Upload>(`${ws(w)}/uploads/${id}`),
  createUrlUpload: (w: number, url: string) => http.post<Upload>(`${ws(w)}/uploads/url`, { url }),
  deleteUpload: (w: number, id: number) => http.del(`${ws(w)}/uploads/${id}`),

  listClips: (w: number, job?: number, afterJob?: number) => {
    const params = new URLSearchParams();
    if (job) params.set("job", String(job));
    if (afterJob) params.set("after_job", String(afterJob));
    const s = params.toString();
    return http.get<{ items: Clip[]; next_after_job: number | null }>(`${ws(w)}/clips${s ? "?" + s : ""}`);
  },
  getClip: (w: number, id: string) => http.get<Clip>(`${ws(w)}/clips/${q(id)}`),
  patchClip: (w: number, id: string, body: PatchClipRequest) => http.patch<Clip>(`${ws(w)}/clips/${q(id)}`, body),
  getTimeline: (w: number, id: string) => http.get<Timeline>(`${ws(w)}/clips/${q(id)}/timeline`),
  listReviews: (w: number, id: string) => http.get<{ items: Review[] }>(`${ws(w)}/clips/${q(id)}/reviews`),
  addReview: (w: number, id: string, body: CreateReviewRequest) =>
    http.post<Review>(`${ws(w)}/clips/${q(id)}/reviews`, body),

  listBrands: (w: number) => http.get<{ items: Brand[] }>(`${ws(w)}/brands`),
  createBrand: (w: number, name: string, settings: BrandSettings) =>
    http.post<Brand>(`${ws(w)}/brands`, { name, settings }),
  updateBrand: (w: number, id: number, name: string, settings: BrandSettings) =>
    http.patch<Brand>(`${ws(w)}/brands/${id}`, { name, settings }),
  deleteBrand: (w: number, id: number) => http.del(`${ws(w)}/brands/${id}`),

  listTokens: () => http.get<{ items: ApiToken[] }>(`${V1}/tokens`),
  createToken: (name: string) => http.post<NewApiToken>(`${V1}/tokens`, { name }),
  revokeToken: (id: number) => http.del(`${V1}/tokens/${id}`),

  listMembers: (w: number) => http.get<{ items: Member[] }>(`${ws(w)}/members`),
  addMember: (w: number, body: AddMemberRequest) => http.post<Member>(`${ws(w)}/members`, body),
  setMemberRole: (w: number, user: number, role: Role) => http.patch<void>(`${ws(w)}/members/${user}`, { role }),
  removeMember: (w: number, user: number) => http.del(`${ws(w)}/members/${user}`),
};
