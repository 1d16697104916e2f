// TanStack Query keys and hooks for the API's resources.
import { QueryClient, queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { ApiError, setCsrfToken } from "./client";
import { api } from "./endpoints";
import { isFinished, type Clip } from "./types";

export const keys = {
  me: ["me"] as const,
  jobs: (w: number) => ["ws", w, "jobs"] as const,
  job: (w: number, id: number) => ["ws", w, "job", id] as const,
  clips: (w: number, job?: number) => ["ws", w, "clips", job ?? "all"] as const,
  clip: (w: number, id: string) => ["ws", w, "clip", id] as const,
  timeline: (w: number, id: string, render?: number) => ["ws", w, "clip", id, "timeline", render ?? 0] as const,
  reviews: (w: number, id: string) => ["ws", w, "clip", id, "reviews"] as const,
  uploads: (w: number) => ["ws", w, "uploads"] as const,
  brands: (w: number) => ["ws", w, "brands"] as const,
  members: (w: number) => ["ws", w, "members"] as const,
  tokens: ["tokens"] as const,
};

/** Retries only what may succeed later: network errors and 5xx, twice. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (error instanceof ApiError) return error.status === 0 || error.status >= 500;
  return false;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: true, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
}

export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: async () => {
    const me = await api.me();
    setCsrfToken(me.csrf_token);
    return me;
  },
  staleTime: 60_000,
  retry: shouldRetry,
});

export function useMe() {
  return useQuery(meQuery);
}

export const JOBS_PAGE = 25;

/** Jobs newest first, a page at a time ("Load older"). */
export function useJobs(w: number) {
  return useInfiniteQuery({
    queryKey: keys.jobs(w),
    queryFn: ({ pageParam }) => api.listJobs(w, { limit: JOBS_PAGE, after: pageParam || undefined }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next_after ?? undefined,
    // A safety net next to the live events: while a job is active the list is refreshed often.
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.items.some((j) => !isFinished(j.state))) ? 5_000 : 30_000,
  });
}

export function useJob(w: number, id: number, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: keys.job(w, id),
    queryFn: () => api.getJob(w, id),
    enabled: opts.enabled ?? true,
    refetchInterval: (q) => (q.state.data && !isFinished(q.state.data.state) ? 10_000 : false),
  });
}

/**
 * The clips of one job. The API filters ?job= within a page of 20 completed jobs (newest first),
 * so an older job's clips are on a later page: follow next_after_job until the page that covers it.
 */
export async function listClipsOfJob(w: number, job: number): Promise<Clip[]> {
  let after = 0;
  for (let i = 0; i < 100; i++) {
    const page = await api.listClips(w, job, after || undefined);
    const mine = page.items.filter((c) => c.job_id === job);
    if (mine.length > 0) return mine.sort((a, b) => a.index - b.index);
    const next = page.next_after_job;
    if (next == null || next <= job) return [];
    after = next;
  }
  return [];
}

export function useClips(w: number, job: number, opts: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: keys.clips(w, job), queryFn: () => listClipsOfJob(w, job), enabled: opts.enabled ?? true });
}

export function useClip(w: number, id: string) {
  return useQuery({
    queryKey: keys.clip(w, id),
    queryFn: () => api.getClip(w, id),
    refetchInterval: (q) => {
      const r = q.state.data?.render_job;
      return r && !isFinished(r.state) && r.state !== "unknown" ? 5_000 : false;
    },
  });
}

export function useTimeline(w: number, id: string, render?: number) {
  return useQuery({ queryKey: keys.timeline(w, id, render), queryFn: () => api.getTimeline(w, id), staleTime: Infinity });
}

export function useReviews(w: number, id: string) {
  return useQuery({ queryKey: keys.reviews(w, id), queryFn: () => api.listReviews(w, id) });
}

export function useUploads(w: number) {
  return useQuery({ queryKey: keys.uploads(w), queryFn: () => api.listUploads(w) });
}

export function useBrands(w: number) {
  return useQuery({ queryKey: keys.brands(w), queryFn: () => api.listBrands(w) });
}

export function useMembers(w: number) {
  return useQuery({ queryKey: keys.members(w), queryFn: () => api.listMembers(w) });
}

export function useTokens() {
  return useQuery({ queryKey: keys.tokens, queryFn: () => api.listTokens() });
}
