// The HTTP client every request goes through: same-origin cookies, the CSRF header on writes,
// the API's JSON errors turned into ApiError (with the server's message), and one callback for a
// session that ended (any 401 "unauthenticated").
import type { ErrorBody } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string;

  constructor(status: number, code: string, message: string, requestId = "") {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }

  /** True for a session that is missing or expired (not for a wrong password at login). */
  get unauthenticated(): boolean {
    return this.status === 401 && this.code === "unauthenticated";
  }
}

let csrfToken = "";
let onUnauthenticated: ((error: ApiError) => void) | null = null;

export function setCsrfToken(token: string | undefined | null): void {
  csrfToken = token ?? "";
}
export function getCsrfToken(): string {
  return csrfToken;
}
/** Called once per request that fails with 401 unauthenticated. */
export function setUnauthenticatedHandler(handler: ((error: ApiError) => void) | null): void {
  onUnauthenticated = handler;
}
export function reportUnauthenticated(error: ApiError): void {
  onUnauthenticated?.(error);
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string";
}

/** The ApiError for a failed response's status and body text (JSON error or anything else). */
export function errorFromResponse(status: number, statusText: string, text: string, requestId = ""): ApiError {
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (isErrorBody(parsed)) {
    return new ApiError(status, parsed.error.code, parsed.error.message, parsed.error.request_id || requestId);
  }
  const detail = text && text.length < 300 && !text.trimStart().startsWith("<") ? `: ${text.trim()}` : "";
  return new ApiError(status, "http_" + status, `The server answered ${status} ${statusText}${detail}`.trim(), requestId);
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Return the Response instead of parsing JSON. */
  raw?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "same-origin", signal: options.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new ApiError(0, "network", `Cannot reach the cutroom server (${why})`);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    const error = errorFromResponse(response.status, response.statusText, text, response.headers.get("X-Request-Id") ?? "");
    if (error.unauthenticated) reportUnauthenticated(error);
    throw error;
  }
  if (options.raw) return response as unknown as T;
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, "bad_response", "The server sent a response that is not JSON");
  }
}

export const http = {
  get: <T>(path: string, options?: RequestOptions) => request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("POST", path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("PATCH", path, { ...options, body }),
  del: <T = void>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options),
};

/** A message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
